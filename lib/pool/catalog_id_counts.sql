-- Catalogue-wide releases per label id and per main artist id, for the labels and artists of the
-- pool's and the collection's rows (temp table catalog_id_counts: kind, id, n), which
-- catalog_market.sql reads. Counted over the whole catalogue, so this is the path without a
-- release index (whose counts.bin holds them for every id).
CREATE OR REPLACE TEMP TABLE catalog_id_counts AS
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
)
SELECT 'label' AS kind, label_id AS id, count(DISTINCT release_id)::BIGINT AS n
FROM catalog_release_labels WHERE label_id IN (SELECT label_id FROM label_ids)
GROUP BY label_id
UNION ALL
SELECT 'artist', artist_id, count(DISTINCT release_id)::BIGINT
FROM catalog_release_artists
WHERE kind = 'main' AND artist_id IN (SELECT artist_id FROM artist_ids)
GROUP BY artist_id
