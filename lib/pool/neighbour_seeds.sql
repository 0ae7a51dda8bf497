-- Whose discographies and catalogues to look through: the artists and labels of the collection,
-- most-owned first, with the styles the collection has of each — their releases are likely to
-- share them. Credits carry their Discogs ids in the cached release bodies and, for releases not
-- enriched yet, in the `basic_information` a username import saved (`release_info`), so seeds
-- need not wait for enrichment. A release with a body is counted from the body only.
WITH owned AS (
  SELECT DISTINCT release_id FROM collection
),
bodies AS (
  SELECT o.release_id, c.body
  FROM http_cache c
  JOIN owned o ON c.url = '/releases/' || o.release_id || '?curr_abbr=' || $currency
  WHERE c.status = 200 AND json_valid(c.body)
),
infos AS (
  SELECT i.* FROM release_info i JOIN owned o USING (release_id)
  WHERE i.release_id NOT IN (SELECT release_id FROM bodies)
),
credits AS (
  SELECT 'artist' AS kind, unnest(from_json(json_extract(body, '$.artists'), '[{"id":"BIGINT","name":"VARCHAR"}]')) AS who,
         from_json(json_extract(body, '$.styles'), '["VARCHAR"]') AS styles
  FROM bodies WHERE json_type(json_extract(body, '$.artists')) = 'ARRAY'
  UNION ALL
  SELECT 'label', unnest(from_json(json_extract(body, '$.labels'), '[{"id":"BIGINT","name":"VARCHAR"}]')),
         from_json(json_extract(body, '$.styles'), '["VARCHAR"]')
  FROM bodies WHERE json_type(json_extract(body, '$.labels')) = 'ARRAY'
  UNION ALL
  SELECT 'artist', unnest(artist_credits), styles FROM infos
  UNION ALL
  SELECT 'label', unnest(list_transform(label_credits, l -> {'id': l.id, 'name': l.name})), styles
  FROM infos
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
