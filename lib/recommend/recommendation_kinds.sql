-- The `recommendation_kinds` table: every registered recommender, in serving order (the order of
-- `RECOMMENDERS`), with the title and sentence the report and notebooks show for its list.
SELECT
  j ->> 'kind' AS kind,
  (j ->> 'kind_order')::INTEGER AS kind_order,
  j ->> 'label' AS label,
  j ->> 'description' AS description
FROM (SELECT unnest($rows::JSON[]) AS j)
ORDER BY kind_order
