-- Releases the workspace needs market data for: everything in the collection and wantlist.
SELECT DISTINCT release_id FROM (
  SELECT release_id FROM collection
  UNION ALL
  SELECT release_id FROM wantlist
)
