-- Catalogue candidates, stage one of two-stage retrieval: a prefilter over the catalogue's
-- Parquet (views catalog_*, see lib/catalog/open.ts) by the collection's taste, down to at most
-- $limit releases; stage two is the embedding ranking of the recommend stage.
--
-- The taste: every style, label, main artist and credited person of what you own, each with
-- how many of your records carry it (n), learned from the workspace (`releases`, the export's
-- own label and artist) and from the catalogue's rows for the release ids you own (so a
-- username import without enrichment, or a CSV offline, still has styles and credits), plus
-- the credits of cached release bodies (temp table `owned_body_credits`).
--
-- A candidate scores, per field, the best ln(1 + n) of the tokens it shares with you, weighted
--   style 3, main artist 2.5, label 2, credited person 1.5 (roles like sleeve design and
--   photography, $ignored_roles, do not count), decade 1
-- (the embedder's field weights, lib/embed/features.ts; the decade term only ranks releases that
-- already share something else: every record of a decade you like is no taste match). Artists,
-- credits and labels match by Discogs id where the catalogue knows the owned record, by name
-- otherwise. Owned releases are left out, and (unless other pressings are asked for) every
-- pressing of an album you own; of the pressings of one master only one is kept, the main
-- release first. Ties break by release id, so the same collection always gets the same set.
CREATE OR REPLACE TEMP TABLE catalog_picks AS
WITH placeholder AS (
  -- "Various", "Not On Label" and the like name no one: never a taste.
  SELECT unnest(['various', 'unknown artist', 'not on label', 'no label', 'unknown']) AS key
),
owned AS (
  SELECT c.release_id,
         any_value(c.label) AS export_label,
         any_value(c.artist_display) AS export_artist,
         any_value(c.released_year) AS export_year
  FROM collection c GROUP BY c.release_id
),
owned_in_catalogue AS (
  SELECT r.id AS release_id, r.master_id, r.year FROM catalog_releases r
  WHERE r.id IN (SELECT release_id FROM owned)
),
owned_masters AS (
  SELECT master_id FROM owned_in_catalogue WHERE master_id IS NOT NULL
  UNION
  SELECT w.master_id FROM releases w
  WHERE w.release_id IN (SELECT release_id FROM owned) AND w.master_id IS NOT NULL
),
owned_styles AS (
  SELECT style, count(DISTINCT release_id) AS n FROM (
    SELECT w.release_id, unnest(w.styles) AS style FROM releases w
    WHERE w.release_id IN (SELECT release_id FROM owned)
    UNION ALL
    SELECT s.release_id, s.style FROM catalog_release_styles s
    WHERE s.release_id IN (SELECT release_id FROM owned)
  ) GROUP BY style
),
-- Owned artists and labels the catalogue has by id; the rest by name.
owned_artist_ids AS (
  SELECT artist_id, count(DISTINCT release_id) AS n FROM catalog_release_artists
  WHERE kind = 'main' AND artist_id IS NOT NULL
    AND release_id IN (SELECT release_id FROM owned)
    AND catalog_name_key(name) NOT IN (SELECT key FROM placeholder)
  GROUP BY artist_id
),
owned_artist_names AS (
  SELECT catalog_name_key(a.artist) AS key, count(DISTINCT o.release_id) AS n
  FROM owned o
  LEFT JOIN releases w USING (release_id),
       unnest(coalesce(w.artists, [o.export_artist])) AS a(artist)
  WHERE o.release_id NOT IN (SELECT release_id FROM owned_in_catalogue) AND a.artist IS NOT NULL
  GROUP BY 1
),
owned_label_ids AS (
  SELECT label_id, count(DISTINCT release_id) AS n FROM catalog_release_labels
  WHERE label_id IS NOT NULL AND release_id IN (SELECT release_id FROM owned)
    AND catalog_name_key(name) NOT IN (SELECT key FROM placeholder)
    AND NOT starts_with(lower(name), 'not on label')
  GROUP BY label_id
),
owned_label_names AS (
  SELECT catalog_name_key(l.label) AS key, count(DISTINCT o.release_id) AS n
  FROM owned o
  LEFT JOIN releases w USING (release_id),
       unnest(coalesce(w.labels, string_split(o.export_label, ', '))) AS l(label)
  WHERE o.release_id NOT IN (SELECT release_id FROM owned_in_catalogue) AND l.label IS NOT NULL
  GROUP BY 1
),
owned_credit_ids AS (
  SELECT artist_id, count(DISTINCT release_id) AS n FROM (
    SELECT release_id, artist_id, role FROM catalog_release_artists
    WHERE kind = 'credit' AND release_id IN (SELECT release_id FROM owned)
    UNION ALL
    SELECT release_id, artist_id, role FROM owned_body_credits
  )
  WHERE artist_id IS NOT NULL AND NOT regexp_matches(lower(coalesce(role, '')), $ignored_roles)
  GROUP BY artist_id
),
owned_decades AS (
  SELECT (y // 10) * 10 AS decade, count(*) AS n FROM (
    SELECT o.release_id, coalesce(w.year, oc.year, o.export_year) AS y
    FROM owned o
    LEFT JOIN releases w USING (release_id)
    LEFT JOIN owned_in_catalogue oc USING (release_id)
  ) WHERE y BETWEEN 1800 AND 2100 GROUP BY 1
),
-- One row per shared token, its field's column set; then each field's best per release.
hits AS (
  SELECT s.release_id, ln(1 + o.n) AS style, NULL::DOUBLE AS artist, NULL::DOUBLE AS label,
         NULL::DOUBLE AS credit
  FROM catalog_release_styles s JOIN owned_styles o USING (style)
  UNION ALL
  SELECT a.release_id, NULL, ln(1 + o.n), NULL, NULL
  FROM catalog_release_artists a JOIN owned_artist_ids o USING (artist_id)
  WHERE a.kind = 'main'
  UNION ALL
  SELECT a.release_id, NULL, ln(1 + o.n), NULL, NULL
  FROM catalog_release_artists a JOIN owned_artist_names o ON catalog_name_key(a.name) = o.key
  WHERE a.kind = 'main' AND o.key NOT IN (SELECT key FROM placeholder)
  UNION ALL
  SELECT l.release_id, NULL, NULL, ln(1 + o.n), NULL
  FROM catalog_release_labels l JOIN owned_label_ids o USING (label_id)
  UNION ALL
  SELECT l.release_id, NULL, NULL, ln(1 + o.n), NULL
  FROM catalog_release_labels l JOIN owned_label_names o ON catalog_name_key(l.name) = o.key
  WHERE o.key NOT IN (SELECT key FROM placeholder)
  UNION ALL
  -- The role is checked on the joined rows only (a CASE is not pushed below the join).
  SELECT a.release_id, NULL, NULL, NULL,
         CASE WHEN regexp_matches(lower(coalesce(a.role, '')), $ignored_roles) THEN NULL
              ELSE ln(1 + o.n) END
  FROM catalog_release_artists a JOIN owned_credit_ids o USING (artist_id)
  WHERE a.kind = 'credit'
),
scored AS (
  SELECT h.release_id,
         3 * coalesce(max(h.style), 0) + 2.5 * coalesce(max(h.artist), 0)
           + 2 * coalesce(max(h.label), 0) + 1.5 * coalesce(max(h.credit), 0) AS taste
  FROM hits h
  GROUP BY h.release_id
),
-- The decade term, then a first cut: the bound plus room for what the rules below remove
-- (other pressings of owned albums, represses, pressings of one master), so the window and joins run
-- on thousands of rows, not the whole catalogue.
first_cut AS MATERIALIZED (
  SELECT s.release_id, r.master_id, r.is_main_release, r.title,
         s.taste + coalesce(ln(1 + d.n), 0) AS score
  FROM scored s
  JOIN catalog_releases r ON r.id = s.release_id
  LEFT JOIN owned_decades d ON d.decade = (r.year // 10) * 10
  ORDER BY score DESC, s.release_id
  LIMIT 4 * $limit + 1000
),
owned_titles AS (
  SELECT DISTINCT lower(title) AS title, lower(artist_display) AS artist FROM collection
),
-- The same artist's same title as a record you own is a repress of it, not a discovery.
repress AS (
  SELECT DISTINCT f.release_id
  FROM first_cut f
  JOIN owned_titles t ON lower(f.title) = t.title
  JOIN catalog_release_artists a ON a.release_id = f.release_id AND a.kind = 'main'
  WHERE contains(t.artist, catalog_name_key(a.name))
),
ranked AS (
  SELECT f.release_id, f.score,
         row_number() OVER (
           PARTITION BY coalesce(f.master_id, -f.release_id)
           ORDER BY f.is_main_release DESC NULLS LAST, f.score DESC, f.release_id
         ) AS pressing
  FROM first_cut f
  WHERE f.release_id NOT IN (SELECT release_id FROM owned)
    AND ($include_other_pressings OR (
         (f.master_id IS NULL OR f.master_id NOT IN (SELECT master_id FROM owned_masters))
         AND f.release_id NOT IN (SELECT release_id FROM repress)))
)
SELECT release_id, score, row_number() OVER (ORDER BY score DESC, release_id) AS rank
FROM ranked
WHERE pressing = 1
ORDER BY score DESC, release_id
LIMIT $limit
