-- The first cut of the catalogue prefilter with DuckDB over the Parquet: every catalogue release
-- scored by the collection's taste (temp table catalog_taste, catalog_taste.sql), the best
-- 4 × $limit + 1000 kept — the bound plus room for what catalog_picks.sql removes (other
-- pressings of owned albums, represses, pressings of one master). It reads every style, artist
-- and label row of the catalogue, so it is the path without a release index
-- (lib/catalog/release_index.ts) and the reference the index's first cut is tested against.
--
-- A candidate scores, per field, the best weight ln(1 + n) of the tokens it shares with you,
-- weighted style 3, main artist 2.5, label 2, credited person 1.5 (roles like sleeve design and
-- photography, $ignored_roles, do not count), then decade 1 — the embedder's field weights,
-- lib/embed/features.ts; the decade term only ranks releases that already share something else:
-- every record of a decade you like is no taste match. Ties break by release id.
CREATE OR REPLACE TEMP TABLE catalog_first_cut AS
WITH hits AS (
  SELECT s.release_id, t.w AS style, NULL::DOUBLE AS artist, NULL::DOUBLE AS label,
         NULL::DOUBLE AS credit
  FROM catalog_release_styles s JOIN catalog_taste t ON t.field = 'style' AND t.key = s.style
  UNION ALL
  SELECT a.release_id, NULL, t.w, NULL, NULL
  FROM catalog_release_artists a JOIN catalog_taste t ON t.field = 'artist' AND t.id = a.artist_id
  WHERE a.kind = 'main'
  UNION ALL
  SELECT a.release_id, NULL, t.w, NULL, NULL
  FROM catalog_release_artists a
  JOIN catalog_taste t ON t.field = 'artist_key' AND t.key = catalog_name_key(a.name)
  WHERE a.kind = 'main'
  UNION ALL
  SELECT l.release_id, NULL, NULL, t.w, NULL
  FROM catalog_release_labels l JOIN catalog_taste t ON t.field = 'label' AND t.id = l.label_id
  UNION ALL
  SELECT l.release_id, NULL, NULL, t.w, NULL
  FROM catalog_release_labels l
  JOIN catalog_taste t ON t.field = 'label_key' AND t.key = catalog_name_key(l.name)
  UNION ALL
  SELECT a.release_id, NULL, NULL, NULL, t.w
  FROM catalog_release_artists a JOIN catalog_taste t ON t.field = 'credit' AND t.id = a.artist_id
  WHERE a.kind = 'credit' AND NOT regexp_matches(lower(coalesce(a.role, '')), $ignored_roles)
),
scored AS (
  SELECT h.release_id,
         3 * coalesce(max(h.style), 0) + 2.5 * coalesce(max(h.artist), 0)
           + 2 * coalesce(max(h.label), 0) + 1.5 * coalesce(max(h.credit), 0) AS taste
  FROM hits h
  GROUP BY h.release_id
)
SELECT s.release_id, r.master_id, r.is_main_release, r.title, s.taste + coalesce(d.w, 0) AS score
FROM scored s
JOIN catalog_releases r ON r.id = s.release_id
LEFT JOIN catalog_taste d ON d.field = 'decade' AND d.id = (r.year // 10) * 10
ORDER BY score DESC, s.release_id
LIMIT 4 * $limit + 1000
