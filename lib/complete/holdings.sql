-- What you own, one row per release: its master (from the enriched body, else the username
-- import's basic_information) and its format (the export's Format column, else the body's).
-- {releases} and {release_info} are replaced by the table or by an empty stand-in.
SELECT c.release_id,
       coalesce(r.master_id, i.master_id) AS master_id,
       coalesce(nullif(c.format, ''), nullif(array_to_string(r.formats, ', '), ''),
                nullif(array_to_string(i.formats, ', '), '')) AS format
FROM (SELECT release_id, any_value(format) AS format FROM collection
      WHERE release_id IS NOT NULL GROUP BY release_id) c
LEFT JOIN {releases} r USING (release_id)
LEFT JOIN {release_info} i USING (release_id)
ORDER BY c.release_id
