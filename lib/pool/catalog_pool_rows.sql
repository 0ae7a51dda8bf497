-- Pool rows (POOL_ROW_DDL) of the catalogue's prefiltered candidates (temp table catalog_picks):
-- artist, title, first label and catalogue number, genres, styles, year, format summary,
-- country and master id from the catalogue, and no market data — the dump has none; shortlist
-- pricing fetches it for the records about to be served.
WITH main_artists AS (
  SELECT a.release_id, a.position,
         catalog_display_name(a.name) ||
           CASE WHEN a.position = max(a.position) OVER (PARTITION BY a.release_id) THEN ''
                WHEN a.join IS NULL OR trim(a.join) IN ('', ',') THEN ', '
                ELSE ' ' || trim(a.join) || ' ' END AS part
  FROM catalog_release_artists a
  WHERE a.kind = 'main' AND a.release_id IN (SELECT release_id FROM catalog_picks)
),
artists AS (
  SELECT release_id, string_agg(part, '' ORDER BY position) AS artist
  FROM main_artists GROUP BY release_id
),
labels AS (
  SELECT release_id, arg_min(catalog_display_name(name), position) AS label,
         arg_min(catno, position) AS catno
  FROM catalog_release_labels
  WHERE release_id IN (SELECT release_id FROM catalog_picks)
  GROUP BY release_id
),
genres AS (
  SELECT release_id, list(DISTINCT genre ORDER BY genre) AS genres FROM catalog_release_genres
  WHERE release_id IN (SELECT release_id FROM catalog_picks) GROUP BY release_id
),
styles AS (
  SELECT release_id, list(DISTINCT style ORDER BY style) AS styles FROM catalog_release_styles
  WHERE release_id IN (SELECT release_id FROM catalog_picks) GROUP BY release_id
)
SELECT
  'release:' || r.id AS pool_key,
  r.id AS release_id,
  r.master_id,
  coalesce(a.artist, '') AS artist,
  coalesce(a.artist, '') AS artist_display,
  r.title,
  l.label,
  l.catno AS catalog_number,
  r.country,
  r.format_summary AS format,
  coalesce(g.genres, []::VARCHAR[]) AS genres,
  coalesce(s.styles, []::VARCHAR[]) AS styles,
  NULL::INTEGER AS have,
  NULL::INTEGER AS want,
  NULL::DOUBLE AS lowest_price,
  NULL::INTEGER AS num_for_sale,
  $currency AS currency,
  r.year,
  NULL::VARCHAR AS thumbnail_url,
  'https://www.discogs.com/release/' || r.id AS discogs_url,
  'catalogue' AS source,
  p.rank::INTEGER AS source_row
FROM catalog_picks p
JOIN catalog_releases r ON r.id = p.release_id
LEFT JOIN artists a ON a.release_id = r.id
LEFT JOIN labels l ON l.release_id = r.id
LEFT JOIN genres g ON g.release_id = r.id
LEFT JOIN styles s ON s.release_id = r.id
WHERE r.title IS NOT NULL
ORDER BY p.rank
