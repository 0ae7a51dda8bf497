-- The market the catalogue's candidates come from: how many catalogue releases carry each taste
-- token of the pool and the collection (tokens spelled as lib/embed/features.ts spells them),
-- and the catalogue's size (token ''). Taste lift compares the collection with this instead of
-- with the pool: a pool prefiltered by your taste over-represents your main styles, so against
-- it your minor ones would look like your strongest. Labels and artists are counted by Discogs
-- id (those of the pool's and the collection's rows), styles, genres, decades and countries by
-- value (those from catalog_market_base, counted once per catalogue); the staging table is
-- `pool_candidates`, as in pool.sql.
WITH wanted AS (
  SELECT release_id FROM collection
  UNION SELECT release_id FROM pool_candidates WHERE release_id IS NOT NULL
),
label_ids AS (
  SELECT DISTINCT label_id FROM catalog_release_labels
  WHERE release_id IN (SELECT release_id FROM wanted) AND label_id IS NOT NULL
),
artist_ids AS (
  SELECT DISTINCT artist_id FROM catalog_release_artists
  WHERE kind = 'main' AND release_id IN (SELECT release_id FROM wanted) AND artist_id IS NOT NULL
),
tokens AS (
  SELECT token, n FROM catalog_market_base WHERE signature = $signature
  UNION ALL
  SELECT 'label:' || catalog_name_key(any_value(name)), count(DISTINCT release_id)
  FROM catalog_release_labels WHERE label_id IN (SELECT label_id FROM label_ids)
  GROUP BY label_id
  UNION ALL
  SELECT 'artist:' || catalog_name_key(any_value(name)), count(DISTINCT release_id)
  FROM catalog_release_artists
  WHERE kind = 'main' AND artist_id IN (SELECT artist_id FROM artist_ids)
  GROUP BY artist_id
)
SELECT token, sum(n)::BIGINT AS n FROM tokens GROUP BY token
ORDER BY token
