-- One row per distinct release in the collection (a release owned twice is scored once, with
-- its number of copies), joined to its enriched market facts. Identity columns come from the
-- first copy in export order; `artist` is the raw Discogs name (with any "(2)" suffix) because
-- that is what tells two artists of the same name apart when averaging want per artist.
WITH first_copy AS (
  -- arg_min over the export order, in one pass (a window + QUALIFY took half again as long).
  SELECT
    release_id,
    arg_min(
      {artist: artist, artist_display: artist_display, title: title, label: label,
       format: format, released_year: released_year},
      {file: source_file, line: source_line, instance: instance_key}
    ) AS copy,
    count(*) AS copies
  FROM collection
  GROUP BY release_id
),
owned AS (
  SELECT
    release_id, copy.artist AS artist, copy.artist_display AS artist_display, copy.title AS title,
    -- The export repeats a label once per catalogue entry ("Elektra, Elektra, Elektra"): each
    -- label once, in the export's order.
    nullif(array_to_string(list_filter(string_split(copy.label, ', '),
      (name, i) -> list_position(string_split(copy.label, ', '), name) = i), ', '), '') AS label,
    copy.format AS format, copy.released_year AS released_year, copies
  FROM first_copy
)
SELECT
  o.release_id,
  o.artist,
  o.artist_display,
  o.title,
  o.label,
  o.format,
  coalesce(o.released_year, r.year) AS year,
  o.copies,
  r.master_id,
  coalesce(r.genres, []::VARCHAR[]) AS genres,
  coalesce(r.styles, []::VARCHAR[]) AS styles,
  r.want,
  r.have,
  r.lowest_price,
  r.num_for_sale,
  r.currency,
  r.rating_average,
  r.thumbnail_url,
  r.cover_url,
  coalesce(r.discogs_url, 'https://www.discogs.com/release/' || o.release_id) AS discogs_url,
  -- Enriched means with market data: a `releases` row built from a username import's
  -- basic_information (source 'basic_information') has genres and styles but no figures yet.
  -- Read from the figures, not `source`, so a workspace from before that column still scores.
  coalesce(r.have IS NOT NULL OR r.want IS NOT NULL OR r.lowest_price IS NOT NULL
           OR r.num_for_sale IS NOT NULL, false) AS enriched
FROM owned o
LEFT JOIN releases r USING (release_id)
