-- What the catalogue knows of the releases the recommend stage will look at — those you own and
-- every pool candidate with a release id it has (the catalogue's own candidates, and search or
-- listing results it also holds; the staging table is `pool_candidates`, as in pool.sql):
-- genres, styles and credits (extraartists with their roles). The recommend stage reads credits
-- as taste tokens, and styles for owned records that have none in the workspace (a username
-- import without enrichment, a CSV offline).
WITH ids AS (
  SELECT r.id AS release_id FROM catalog_releases r
  WHERE r.id IN (SELECT release_id FROM collection
                 UNION SELECT release_id FROM pool_candidates WHERE release_id IS NOT NULL)
),
genres AS (
  SELECT release_id, list(DISTINCT genre ORDER BY genre) AS genres FROM catalog_release_genres
  WHERE release_id IN (SELECT release_id FROM ids) GROUP BY release_id
),
styles AS (
  SELECT release_id, list(DISTINCT style ORDER BY style) AS styles FROM catalog_release_styles
  WHERE release_id IN (SELECT release_id FROM ids) GROUP BY release_id
),
credits AS (
  SELECT release_id,
         list({'name': catalog_display_name(name), 'role': role} ORDER BY position) AS credits
  FROM catalog_release_artists
  WHERE kind = 'credit' AND role IS NOT NULL AND release_id IN (SELECT release_id FROM ids)
  GROUP BY release_id
)
SELECT i.release_id,
       coalesce(g.genres, []::VARCHAR[]) AS genres,
       coalesce(s.styles, []::VARCHAR[]) AS styles,
       coalesce(c.credits, []::STRUCT(name VARCHAR, role VARCHAR)[]) AS credits
FROM ids i
LEFT JOIN genres g USING (release_id)
LEFT JOIN styles s USING (release_id)
LEFT JOIN credits c USING (release_id)
ORDER BY i.release_id
