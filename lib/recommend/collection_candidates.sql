-- The collection as recommendation input: one row per release, enriched facts first, the
-- export's own columns where enrichment has nothing.
SELECT
  'release:' || c.release_id AS key,
  c.release_id,
  coalesce(r.artist, c.artist_display, '') AS artist,
  coalesce(r.title, c.title, '') AS title,
  coalesce(r.artists, [c.artist_display]) AS artists,
  coalesce(r.labels, string_split(c.label, ', '), []::VARCHAR[]) AS labels,
  coalesce(r.genres, []::VARCHAR[]) AS genres,
  coalesce(r.styles, []::VARCHAR[]) AS styles,
  coalesce(r.year, c.released_year) AS year,
  r.country,
  coalesce(r.formats, [c.format]) AS formats,
  -- Copies for sale matter only for what is served (the pool), not for what you own.
  r.have, r.want, r.lowest_price, NULL::INTEGER AS num_for_sale, r.currency,
  -- The master and first catalogue number, for the series and other-pressing gem signals (an
  -- export's own catalogue number when enrichment has none).
  r.master_id,
  coalesce(r.catalog_numbers[1], nullif(trim(string_split(c.catalog_number, ', ')[1]), '')) AS catno
FROM collection c
LEFT JOIN releases r USING (release_id)
QUALIFY row_number() OVER (PARTITION BY c.release_id ORDER BY c.source_line) = 1
ORDER BY c.release_id
