-- Wantlist releases as pool candidates, with their enriched market facts when enrichment has
-- them (the enrich stage fetches wantlist releases too).
SELECT
  'release:' || w.release_id AS pool_key,
  w.release_id,
  r.master_id,
  w.artist,
  w.artist_display,
  w.title,
  w.label,
  w.catalog_number,
  r.country,
  w.format,
  coalesce(r.genres, []::VARCHAR[]) AS genres,
  coalesce(r.styles, []::VARCHAR[]) AS styles,
  r.have,
  r.want,
  r.lowest_price,
  r.num_for_sale,
  r.currency,
  coalesce(w.released_year, r.year) AS year,
  r.thumbnail_url,
  coalesce(r.discogs_url, 'https://www.discogs.com/release/' || w.release_id) AS discogs_url,
  'wantlist' AS source,
  w.source_line AS source_row
FROM wantlist w
LEFT JOIN releases r USING (release_id)
