-- One row per owned copy. A release owned twice appears twice; `instance_key` tells the copies
-- apart ("<release_id>#<n>" in file order) until the API supplies real instance ids.
SELECT
  release_id || '#' || row_number() OVER (PARTITION BY release_id ORDER BY rn) AS instance_key,
  NULL::BIGINT AS instance_id,
  release_id,
  artist,
  artist_display,
  title,
  label,
  catalog_number,
  format,
  released_year,
  folder,
  date_added,
  media_condition,
  sleeve_condition,
  notes,
  rating,
  custom_fields,
  source_file,
  line AS source_line
FROM ingest_parsed
WHERE release_id IS NOT NULL
