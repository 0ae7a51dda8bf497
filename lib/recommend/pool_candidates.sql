-- The pool as recommendation input.
SELECT
  pool_key AS key, release_id, coalesce(artist_display, artist) AS artist, title,
  [coalesce(artist_display, artist)] AS artists,
  CASE WHEN label IS NULL THEN []::VARCHAR[] ELSE [label] END AS labels,
  genres, styles, year, country,
  CASE WHEN format IS NULL THEN []::VARCHAR[] ELSE [format] END AS formats,
  have, want, lowest_price, num_for_sale, currency, master_id, catalog_number AS catno
FROM pool
ORDER BY pool_key
