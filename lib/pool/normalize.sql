-- Normalise a staged pool file (columns already renamed to pool names, all VARCHAR, absent
-- columns NULL) into pool rows. Release ids come from an id column or a Discogs release URL;
-- rows without one get a stable key from artist|title|label|year so re-loading the same file
-- gives the same keys. Invisible direction marks (U+200E/U+200F, common in scraped label names)
-- are removed.
WITH cleaned AS (
  SELECT
    coalesce(
      TRY_CAST(release_id AS BIGINT),
      TRY_CAST(regexp_extract(release_url, '/release/(\d+)', 1) AS BIGINT)
    ) AS release_id,
    TRY_CAST(master_id AS BIGINT) AS master_id,
    nullif(trim(artist), '') AS artist,
    nullif(trim(title), '') AS title,
    nullif(trim(regexp_replace(label, '[\x{200E}\x{200F}]', '', 'g')), '') AS label,
    nullif(trim(regexp_replace(catalog_number, '[\x{200E}\x{200F}]', '', 'g')), '') AS catalog_number,
    nullif(trim(country), '') AS country,
    nullif(trim(format), '') AS format,
    list_filter(list_transform(string_split(coalesce(genres, ''), ','), g -> trim(g)), g -> g <> '') AS genres,
    list_filter(list_transform(string_split(coalesce(styles, ''), ','), s -> trim(s)), s -> s <> '') AS styles,
    TRY_CAST(TRY_CAST(have AS DOUBLE) AS INTEGER) AS have,
    TRY_CAST(TRY_CAST(want AS DOUBLE) AS INTEGER) AS want,
    TRY_CAST(lowest_price AS DOUBLE) AS lowest_price,
    TRY_CAST(TRY_CAST(num_for_sale AS DOUBLE) AS INTEGER) AS num_for_sale,
    nullif(TRY_CAST(substr(trim(year), 1, 4) AS INTEGER), 0) AS year,
    nullif(trim(thumbnail_url), '') AS thumbnail_url,
    source,
    source_row
  FROM pool_staging
)
SELECT
  CASE WHEN release_id IS NOT NULL THEN 'release:' || release_id
       ELSE 'pool:' || md5(lower(concat_ws('|', artist, title, label, year))) END AS pool_key,
  release_id,
  master_id,
  artist,
  regexp_replace(artist, ' \((\d+)\)(,| /|$)', '\2', 'g') AS artist_display,
  title,
  label,
  catalog_number,
  country,
  format,
  genres,
  styles,
  have,
  want,
  CASE WHEN lowest_price > 0 THEN lowest_price END AS lowest_price,
  num_for_sale,
  $currency AS currency,
  year,
  thumbnail_url,
  CASE WHEN release_id IS NOT NULL THEN 'https://www.discogs.com/release/' || release_id END AS discogs_url,
  source,
  source_row
FROM cleaned
WHERE artist IS NOT NULL AND title IS NOT NULL
