-- The `releases` table: one row per needed release. A fetched market body (staged and
-- normalised, lists as JSON text because the bulk appender writes scalars) wins; a release
-- without one gets its row from the `basic_information` a username import saved
-- (`release_info`), market figures NULL, so taste, embeddings and recommendations work before
-- enrichment has run. `source` says which: 'release' (GET /releases/{id}) or
-- 'basic_information'.
WITH bodies AS (
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
    fetched_at::TIMESTAMPTZ AS fetched_at,
    'release' AS source
  FROM releases_staging
),
from_info AS (
  SELECT
    i.release_id, i.master_id, i.title, i.artists, i.artist, i.year,
    NULL::VARCHAR AS country,
    i.genres, i.styles, i.labels, i.catalog_numbers, i.formats,
    NULL::INTEGER AS have, NULL::INTEGER AS want, NULL::DOUBLE AS rating_average,
    NULL::INTEGER AS rating_count, NULL::DOUBLE AS lowest_price, NULL::INTEGER AS num_for_sale,
    NULL::VARCHAR AS currency,
    i.thumbnail_url, i.cover_url,
    'https://www.discogs.com/release/' || i.release_id AS discogs_url,
    i.fetched_at,
    'basic_information' AS source
  FROM release_info i
  WHERE i.release_id IN (SELECT release_id FROM wanted_bodies)
    AND i.release_id NOT IN (SELECT release_id FROM releases_staging)
)
SELECT * FROM bodies
UNION ALL BY NAME
SELECT * FROM from_info
ORDER BY release_id
