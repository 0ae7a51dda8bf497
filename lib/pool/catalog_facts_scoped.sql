-- catalog_facts.sql over a scoped catalogue (lib/catalog/scoped.ts): the same rows, read from
-- each release's card in `catalog_scope` as it is, instead of unnesting its lists into the
-- scoped views and grouping them back (a third of a second for 9,000 releases).
WITH wanted AS (
  SELECT release_id FROM collection
  UNION SELECT release_id FROM pool_candidates WHERE release_id IS NOT NULL
),
cards AS (
  SELECT r[1]::BIGINT AS release_id, a, g, s FROM catalog_scope
  WHERE r[1]::BIGINT IN (SELECT release_id FROM wanted)
)
SELECT release_id,
       coalesce(list_sort(list_distinct(g)), []::VARCHAR[]) AS genres,
       coalesce(list_sort(list_distinct(s)), []::VARCHAR[]) AS styles,
       -- Credits in their position order: sorted as [position, name, role] structs, then named.
       coalesce(
         list_transform(
           list_sort(list_transform(
             list_filter(a, x -> x[2] <> 'm' AND x[6] IS NOT NULL),
             x -> {'p': x[1]::INTEGER, 'name': catalog_display_name(x[4]), 'role': x[6]})),
           c -> {'name': c.name, 'role': c.role}),
         []::STRUCT(name VARCHAR, role VARCHAR)[]) AS credits
FROM cards
ORDER BY release_id
