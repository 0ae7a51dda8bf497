-- Catalogue candidates, stage one of two-stage retrieval, step one: the collection's taste
-- (temp table catalog_taste), which the first cut scores the catalogue by — with DuckDB over the
-- Parquet (catalog_prefilter_scan.sql) or over the release index (lib/catalog/release_scan.ts) —
-- and catalog_picks.sql narrows to the candidates.
--
-- The taste: every style, label, main artist and credited person of what you own, each with
-- how many of your records carry it (n), learned from the workspace (`releases`, the export's
-- own label and artist) and from the catalogue's rows for the release ids you own (so a
-- username import without enrichment, or a CSV offline, still has styles and credits), plus
-- the credits of cached release bodies (temp table `owned_body_credits`). Each token's weight
-- is ln(1 + n), computed here once so both first cuts add the very same numbers. Artists,
-- credits and labels match by Discogs id where the catalogue knows the owned record, by name
-- key otherwise (`key`, with its DuckDB hash split in halves for the release index).
CREATE OR REPLACE TEMP TABLE catalog_taste AS
WITH placeholder AS (
  -- "Various", "Not On Label" and the like name no one: never a taste.
  SELECT unnest(['various', 'unknown artist', 'not on label', 'no label', 'unknown']) AS key
),
owned AS (
  SELECT c.release_id,
         any_value(c.label) AS export_label,
         any_value(c.artist_display) AS export_artist,
         any_value(c.released_year) AS export_year
  FROM collection c GROUP BY c.release_id
),
owned_in_catalogue AS (
  SELECT r.id AS release_id, r.master_id, r.year FROM catalog_releases r
  WHERE r.id IN (SELECT release_id FROM owned)
),
owned_styles AS (
  SELECT style, count(DISTINCT release_id) AS n FROM (
    SELECT w.release_id, unnest(w.styles) AS style FROM releases w
    WHERE w.release_id IN (SELECT release_id FROM owned)
    UNION ALL
    SELECT s.release_id, s.style FROM catalog_release_styles s
    WHERE s.release_id IN (SELECT release_id FROM owned)
  ) GROUP BY style
),
-- Owned artists and labels the catalogue has by id; the rest by name.
owned_artist_ids AS (
  SELECT artist_id, count(DISTINCT release_id) AS n FROM catalog_release_artists
  WHERE kind = 'main' AND artist_id IS NOT NULL
    AND release_id IN (SELECT release_id FROM owned)
    AND catalog_name_key(name) NOT IN (SELECT key FROM placeholder)
  GROUP BY artist_id
),
owned_artist_names AS (
  SELECT catalog_name_key(a.artist) AS key, count(DISTINCT o.release_id) AS n
  FROM owned o
  LEFT JOIN releases w USING (release_id),
       unnest(coalesce(w.artists, [o.export_artist])) AS a(artist)
  WHERE o.release_id NOT IN (SELECT release_id FROM owned_in_catalogue) AND a.artist IS NOT NULL
  GROUP BY 1
),
owned_label_ids AS (
  SELECT label_id, count(DISTINCT release_id) AS n FROM catalog_release_labels
  WHERE label_id IS NOT NULL AND release_id IN (SELECT release_id FROM owned)
    AND catalog_name_key(name) NOT IN (SELECT key FROM placeholder)
    AND NOT starts_with(lower(name), 'not on label')
  GROUP BY label_id
),
owned_label_names AS (
  SELECT catalog_name_key(l.label) AS key, count(DISTINCT o.release_id) AS n
  FROM owned o
  LEFT JOIN releases w USING (release_id),
       unnest(coalesce(w.labels, string_split(o.export_label, ', '))) AS l(label)
  WHERE o.release_id NOT IN (SELECT release_id FROM owned_in_catalogue) AND l.label IS NOT NULL
  GROUP BY 1
),
owned_credit_ids AS (
  SELECT artist_id, count(DISTINCT release_id) AS n FROM (
    SELECT release_id, artist_id, role FROM catalog_release_artists
    WHERE kind = 'credit' AND release_id IN (SELECT release_id FROM owned)
    UNION ALL
    SELECT release_id, artist_id, role FROM owned_body_credits
  )
  WHERE artist_id IS NOT NULL AND NOT regexp_matches(lower(coalesce(role, '')), $ignored_roles)
  GROUP BY artist_id
),
owned_decades AS (
  SELECT (y // 10) * 10 AS decade, count(*) AS n FROM (
    SELECT o.release_id, coalesce(w.year, oc.year, o.export_year) AS y
    FROM owned o
    LEFT JOIN releases w USING (release_id)
    LEFT JOIN owned_in_catalogue oc USING (release_id)
  ) WHERE y BETWEEN 1800 AND 2100 GROUP BY 1
)
SELECT 'style' AS field, NULL::BIGINT AS id, style AS key, ln(1 + n) AS w FROM owned_styles
UNION ALL SELECT 'artist', artist_id, NULL, ln(1 + n) FROM owned_artist_ids
UNION ALL SELECT 'artist_key', NULL, key, ln(1 + n) FROM owned_artist_names
  WHERE key NOT IN (SELECT key FROM placeholder)
UNION ALL SELECT 'label', label_id, NULL, ln(1 + n) FROM owned_label_ids
UNION ALL SELECT 'label_key', NULL, key, ln(1 + n) FROM owned_label_names
  WHERE key NOT IN (SELECT key FROM placeholder)
UNION ALL SELECT 'credit', artist_id, NULL, ln(1 + n) FROM owned_credit_ids
UNION ALL SELECT 'decade', decade, NULL, ln(1 + n) FROM owned_decades
