-- Typed export rows from `ingest_staging` (every cell VARCHAR, absent columns NULL).
-- Rules, in the collector's terms:
--   * release_id must be a positive whole number; anything else is reported, not loaded.
--   * Released "0" (or blank, or junk) means the year is unknown: NULL. "2011-03-00" → 2011.
--   * Artist names keep Discogs' disambiguation suffix ("Dillinja (2)") in `artist`, and lose it
--     in `artist_display`, also inside multi-artist strings ("A (2), B (3) & C (4)" → "A, B & C":
--     a suffix is followed by a comma, a space before the next join word, or the end).
--   * Dates: Discogs' "2020-11-18 19:17:05", ISO 8601 with or without an offset, and spreadsheet
--     re-saves, day first ("23/04/2023 04:38") unless that is impossible ("04/23/2023").
--   * Rating 0 or blank means unrated: NULL. "3.0" (pandas re-save) → 3.
SELECT
  rn,
  line,
  source_file,
  trim(coalesce(release_id, '')) AS release_id_text,
  CASE WHEN TRY_CAST(trim(release_id) AS BIGINT) > 0 THEN TRY_CAST(trim(release_id) AS BIGINT) END AS release_id,
  nullif(trim(catalog_number), '') AS catalog_number,
  nullif(trim(artist), '') AS artist,
  nullif(trim(regexp_replace(artist, ' \((\d+)\)(,| |$)', '\2', 'g')), '') AS artist_display,
  nullif(trim(title), '') AS title,
  nullif(trim(label), '') AS label,
  nullif(trim(format), '') AS format,
  nullif(TRY_CAST(TRY_CAST(trim(rating) AS DOUBLE) AS INTEGER), 0) AS rating,
  nullif(TRY_CAST(regexp_extract(released, '^\s*(\d{4})', 1) AS INTEGER), 0) AS released_year,
  nullif(trim(folder), '') AS folder,
  coalesce(
    try_strptime(trim(date_added), [
      '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%d',
      '%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y',
      '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y',
      '%d.%m.%Y %H:%M', '%d.%m.%Y'
    ]),
    TRY_CAST(TRY_CAST(trim(date_added) AS TIMESTAMPTZ) AS TIMESTAMP)
  ) AS date_added,
  nullif(trim(media_condition), '') AS media_condition,
  nullif(trim(sleeve_condition), '') AS sleeve_condition,
  nullif(notes, '') AS notes,
  custom_fields
FROM ingest_staging
