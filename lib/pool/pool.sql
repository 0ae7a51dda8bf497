-- The `pool` table: every candidate once, minus what the collector already owns.
-- Candidates come from pool files (`pool_files`), the wantlist (enriched through `releases`)
-- and API neighbours (`pool_api`, when present — see the enrich client). A key seen in several
-- sources keeps the row with the most market data and lists all its sources.
-- Owned means: the same release id, or (unless other pressings are asked for) the same master
-- release, or the same artist + title — a repress of an album you own is not a discovery.
WITH candidates AS (
  SELECT * FROM pool_candidates
),
owned_releases AS (
  SELECT DISTINCT release_id FROM collection
),
owned_masters AS (
  SELECT DISTINCT r.master_id FROM collection c JOIN releases r USING (release_id)
  WHERE r.master_id IS NOT NULL
),
owned_titles AS (
  SELECT DISTINCT lower(artist_display) AS artist, lower(title) AS title FROM collection
),
ranked AS (
  SELECT
    *,
    list(DISTINCT source) OVER (PARTITION BY pool_key) AS sources,
    row_number() OVER (
      PARTITION BY pool_key
      ORDER BY (have IS NOT NULL)::INT + (want IS NOT NULL)::INT + (lowest_price IS NOT NULL)::INT
               + (len(styles) > 0)::INT DESC,
               source, source_row
    ) AS pick
  FROM candidates
)
SELECT * EXCLUDE (pick, source, source_row)
FROM ranked
WHERE pick = 1
  AND (release_id IS NULL OR release_id NOT IN (SELECT release_id FROM owned_releases))
  AND ($include_other_pressings
       OR master_id IS NULL OR master_id NOT IN (SELECT master_id FROM owned_masters))
  AND ($include_other_pressings
       OR (lower(artist_display), lower(title)) NOT IN (SELECT artist, title FROM owned_titles))
ORDER BY pool_key
