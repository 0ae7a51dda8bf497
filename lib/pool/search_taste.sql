-- What to search Discogs for, from the collection's taste: its styles (each with the genre it
-- most often sits under), each style in the decades the collection spans (at the year it owns
-- most of in that decade), its labels and its artists — each with how many records it holds, so
-- the plan can ask for the strongest first. Placeholder labels and artists are left out. Ties are
-- broken by name so the same collection always makes the same queries (the cache keys offline
-- runs replay).
-- A record Discogs had no body for (not found, not enriched yet) still brings its export's
-- labels, artist and year, so a CSV of records the API does not know can still be searched by.
WITH owned AS (
  SELECT c.release_id,
         coalesce(r.styles, []::VARCHAR[]) AS styles,
         coalesce(r.genres, []::VARCHAR[]) AS genres,
         coalesce(r.labels, string_split(c.label, ', ')) AS labels,
         coalesce(r.artists, [c.artist_display]) AS artists,
         coalesce(r.year, c.released_year) AS year
  FROM (SELECT release_id, any_value(label) AS label, any_value(artist_display) AS artist_display,
               any_value(released_year) AS released_year
        FROM collection GROUP BY release_id) c
  LEFT JOIN releases r USING (release_id)
),
style_genre AS (
  SELECT s.style, g.genre, count(*) AS n
  FROM owned, unnest(coalesce(styles, []::VARCHAR[])) AS s(style),
       unnest(CASE WHEN len(genres) > 0 THEN genres ELSE [NULL::VARCHAR] END) AS g(genre)
  GROUP BY ALL
),
styles AS (
  SELECT style AS value, first(genre ORDER BY n DESC, genre NULLS LAST) AS genre,
         (SELECT count(*) FROM owned o WHERE list_contains(o.styles, sg.style)) AS owned
  FROM style_genre sg GROUP BY style
),
style_years AS (
  SELECT s.style, year, count(*) AS n
  FROM owned, unnest(coalesce(styles, []::VARCHAR[])) AS s(style)
  WHERE year BETWEEN 1900 AND 2100
  GROUP BY ALL
),
style_decades AS (
  SELECT style AS value, (year // 10) * 10 AS decade, first(year ORDER BY n DESC, year DESC) AS year,
         sum(n) AS owned
  FROM style_years GROUP BY style, (year // 10) * 10
),
labels AS (
  SELECT l.label AS value, count(*) AS owned
  FROM owned, unnest(coalesce(labels, []::VARCHAR[])) AS l(label)
  WHERE lower(regexp_replace(l.label, ' \(\d+\)$', '')) NOT IN ('not on label', 'no label', 'unknown', 'white label')
    AND NOT starts_with(lower(l.label), 'not on label')
  GROUP BY ALL
),
artists AS (
  SELECT a.artist AS value, count(*) AS owned
  FROM owned, unnest(coalesce(artists, []::VARCHAR[])) AS a(artist)
  WHERE lower(regexp_replace(a.artist, ' \(\d+\)$', '')) NOT IN ('various', 'unknown artist', 'anonymous', 'no artist')
  GROUP BY ALL
)
SELECT 'style' AS kind, value, genre, NULL::INTEGER AS year, owned FROM styles
UNION ALL
SELECT 'style_decade', d.value, s.genre, d.year, d.owned
FROM style_decades d JOIN styles s USING (value)
UNION ALL
SELECT 'label', value, NULL, NULL, owned FROM labels
UNION ALL
SELECT 'artist', value, NULL, NULL, owned FROM artists
ORDER BY kind, owned DESC, value, year
