-- Rows skipped because their release_id is unusable, with the line a collector can look at.
SELECT
  source_file,
  $kind AS kind,
  line,
  CASE
    WHEN release_id_text = '' THEN 'release_id is empty'
    WHEN TRY_CAST(release_id_text AS BIGINT) IS NULL THEN 'release_id "' || release_id_text || '" is not a number'
    ELSE 'release_id ' || release_id_text || ' is not a positive number'
  END AS reason,
  release_id_text AS raw
FROM ingest_parsed
WHERE release_id IS NULL
