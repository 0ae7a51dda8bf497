-- The market the catalogue's candidates come from: how many catalogue releases carry each taste
-- token of the pool and the collection (tokens spelled as lib/embed/features.ts spells them),
-- and the catalogue's size (token ''). Taste lift compares the collection with this instead of
-- with the pool: a pool prefiltered by your taste over-represents your main styles, so against
-- it your minor ones would look like your strongest. Labels and artists are counted by Discogs
-- id (those of the pool's and the collection's rows; their catalogue-wide counts are in temp
-- table catalog_id_counts, from the release index or catalog_id_counts.sql), styles, genres,
-- decades and countries by value (those from catalog_market_base, counted once per catalogue);
-- the staging table is `pool_candidates`, as in pool.sql.
WITH wanted AS (
  SELECT release_id FROM collection
  UNION SELECT release_id FROM pool_candidates WHERE release_id IS NOT NULL
),
label_names AS (
  SELECT label_id, catalog_name_key(any_value(name)) AS key FROM catalog_release_labels
  WHERE release_id IN (SELECT release_id FROM wanted) AND label_id IS NOT NULL
  GROUP BY label_id
),
artist_names AS (
  SELECT artist_id, catalog_name_key(any_value(name)) AS key FROM catalog_release_artists
  WHERE kind = 'main' AND release_id IN (SELECT release_id FROM wanted) AND artist_id IS NOT NULL
  GROUP BY artist_id
),
tokens AS (
  SELECT token, n FROM catalog_market_base WHERE signature = $signature
  UNION ALL
  SELECT 'label:' || l.key, c.n
  FROM label_names l JOIN catalog_id_counts c ON c.kind = 'label' AND c.id = l.label_id
  UNION ALL
  SELECT 'artist:' || a.key, c.n
  FROM artist_names a JOIN catalog_id_counts c ON c.kind = 'artist' AND c.id = a.artist_id
)
SELECT token, sum(n)::BIGINT AS n FROM tokens GROUP BY token
ORDER BY token
