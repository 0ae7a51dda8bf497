-- One row per wanted release (the wantlist export's unnamed last column is its date added).
SELECT
  release_id,
  artist,
  artist_display,
  title,
  label,
  catalog_number,
  format,
  released_year,
  rating,
  notes,
  date_added,
  source_file,
  line AS source_line
FROM ingest_parsed
WHERE release_id IS NOT NULL
