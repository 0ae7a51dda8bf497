-- Played albums you do not own, as pool candidates: the pressing to buy of each matched master
-- (see lib/listening/analyse.ts). have/want are the pressing's, price comes with the shortlist.
SELECT
  'release:' || pressing_release_id AS pool_key,
  pressing_release_id AS release_id,
  master_id,
  coalesce(discogs_artist, artist) AS artist,
  coalesce(discogs_artist, artist) AS artist_display,
  coalesce(discogs_title, album) AS title,
  pressing_label AS label,
  NULL::VARCHAR AS catalog_number,
  pressing_country AS country,
  pressing_format AS format,
  genres,
  styles,
  pressing_have AS have,
  pressing_want AS want,
  NULL::DOUBLE AS lowest_price,
  NULL::INTEGER AS num_for_sale,
  NULL::VARCHAR AS currency,
  coalesce(pressing_year, year) AS year,
  NULL::VARCHAR AS thumbnail_url,
  'https://www.discogs.com/release/' || pressing_release_id AS discogs_url,
  'listening' AS source,
  row_number() OVER (ORDER BY score DESC, artist, album)::INTEGER AS source_row
FROM listening_albums
WHERE NOT owned AND pressing_release_id IS NOT NULL
