-- Catalogue candidates, the prefilter's last step: from the first cut (temp table
-- catalog_first_cut: release_id, master_id, is_main_release, title, score — from
-- catalog_prefilter_scan.sql or the release index) to at most $limit picks (temp table
-- catalog_picks: release_id, score, rank). Owned releases are left out, and (unless other
-- pressings are asked for) every pressing of an album you own and every repress of a title you
-- own; of the pressings of one master only one is kept, the main release first. Ties break by
-- release id, so the same collection always gets the same set.
CREATE OR REPLACE TEMP TABLE catalog_picks AS
WITH owned AS (SELECT DISTINCT release_id FROM collection),
owned_masters AS (
  SELECT r.master_id FROM catalog_releases r
  WHERE r.id IN (SELECT release_id FROM owned) AND r.master_id IS NOT NULL
  UNION
  SELECT w.master_id FROM releases w
  WHERE w.release_id IN (SELECT release_id FROM owned) AND w.master_id IS NOT NULL
),
owned_titles AS (
  SELECT DISTINCT lower(title) AS title, lower(artist_display) AS artist FROM collection
),
-- The same artist's same title as a record you own is a repress of it, not a discovery.
repress AS (
  SELECT DISTINCT f.release_id
  FROM catalog_first_cut f
  JOIN owned_titles t ON lower(f.title) = t.title
  JOIN catalog_release_artists a ON a.release_id = f.release_id AND a.kind = 'main'
  WHERE contains(t.artist, catalog_name_key(a.name))
),
ranked AS (
  SELECT f.release_id, f.score,
         row_number() OVER (
           PARTITION BY coalesce(f.master_id, -f.release_id)
           ORDER BY f.is_main_release DESC NULLS LAST, f.score DESC, f.release_id
         ) AS pressing
  FROM catalog_first_cut f
  WHERE f.release_id NOT IN (SELECT release_id FROM owned)
    AND ($include_other_pressings OR (
         (f.master_id IS NULL OR f.master_id NOT IN (SELECT master_id FROM owned_masters))
         AND f.release_id NOT IN (SELECT release_id FROM repress)))
)
SELECT release_id, score, row_number() OVER (ORDER BY score DESC, release_id) AS rank
FROM ranked
WHERE pressing = 1
ORDER BY score DESC, release_id
LIMIT $limit
