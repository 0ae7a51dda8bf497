-- Whose discographies and catalogues to look through: the artists and labels of the collection
-- (from the cached release bodies, which carry their Discogs ids), most-owned first, with the
-- styles the collection has of each — their releases are likely to share them.
WITH bodies AS (
  SELECT c.body
  FROM http_cache c
  JOIN (SELECT DISTINCT release_id FROM collection) o
    ON c.url = '/releases/' || o.release_id || '?curr_abbr=' || $currency
  WHERE c.status = 200 AND json_valid(c.body)
),
credits AS (
  SELECT 'artist' AS kind, unnest(from_json(json_extract(body, '$.artists'), '[{"id":"BIGINT","name":"VARCHAR"}]')) AS who,
         from_json(json_extract(body, '$.styles'), '["VARCHAR"]') AS styles
  FROM bodies WHERE json_type(json_extract(body, '$.artists')) = 'ARRAY'
  UNION ALL
  SELECT 'label', unnest(from_json(json_extract(body, '$.labels'), '[{"id":"BIGINT","name":"VARCHAR"}]')),
         from_json(json_extract(body, '$.styles'), '["VARCHAR"]')
  FROM bodies WHERE json_type(json_extract(body, '$.labels')) = 'ARRAY'
)
SELECT
  kind,
  who.id AS id,
  any_value(who.name) AS name,
  count(*) AS owned,
  list_distinct(flatten(list(coalesce(styles, []::VARCHAR[])))) AS styles
FROM credits
WHERE who.id > 0
  AND lower(regexp_replace(who.name, ' \(\d+\)$', '')) NOT IN ('various', 'unknown artist', 'not on label', 'no label', 'unknown')
GROUP BY kind, who.id
ORDER BY owned DESC, kind, id
