-- The `releases` table from the staged, normalised bodies (lists arrive as JSON text because
-- the bulk appender writes scalars).
SELECT
  release_id, master_id, title,
  artists_json::JSON::VARCHAR[] AS artists,
  artist, year, country,
  genres_json::JSON::VARCHAR[] AS genres,
  styles_json::JSON::VARCHAR[] AS styles,
  labels_json::JSON::VARCHAR[] AS labels,
  catalog_numbers_json::JSON::VARCHAR[] AS catalog_numbers,
  formats_json::JSON::VARCHAR[] AS formats,
  have, want, rating_average, rating_count, lowest_price, num_for_sale, currency,
  thumbnail_url, cover_url, discogs_url,
  fetched_at::TIMESTAMPTZ AS fetched_at
FROM releases_staging
ORDER BY release_id
