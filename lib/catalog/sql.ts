/**
 * The SQL that turns one part's records (newline-delimited JSON, one record per line, exactly
 * as the parser yields them) into the catalogue's tables: the JSON columns each entity is read
 * with, and one SELECT per table over the part's staging table `part`.
 *
 * @module
 */

import type { DumpKind } from "./schema.ts";

const CREDIT =
  `STRUCT(id BIGINT, name VARCHAR, anv VARCHAR, "join" VARCHAR, role VARCHAR, tracks VARCHAR)[]`;
const REF = "STRUCT(id BIGINT, name VARCHAR)";

/** The JSON columns of each entity's records (see schema.ts `Dump*`), for `read_json`. */
export const RECORD_COLUMNS: Record<DumpKind, Record<string, string>> = {
  releases: {
    id: "BIGINT",
    status: "VARCHAR",
    title: "VARCHAR",
    artists: CREDIT,
    credits: CREDIT,
    labels: "STRUCT(id BIGINT, name VARCHAR, catno VARCHAR)[]",
    formats: "STRUCT(name VARCHAR, qty INTEGER, text VARCHAR, descriptions VARCHAR[])[]",
    genres: "VARCHAR[]",
    styles: "VARCHAR[]",
    country: "VARCHAR",
    released: "VARCHAR",
    year: "INTEGER",
    data_quality: "VARCHAR",
    master_id: "BIGINT",
    is_main_release: "BOOLEAN",
    track_count: "INTEGER",
  },
  masters: {
    id: "BIGINT",
    main_release: "BIGINT",
    title: "VARCHAR",
    year: "INTEGER",
    data_quality: "VARCHAR",
    artists: CREDIT,
    genres: "VARCHAR[]",
    styles: "VARCHAR[]",
  },
  artists: {
    id: "BIGINT",
    name: "VARCHAR",
    realname: "VARCHAR",
    data_quality: "VARCHAR",
    name_variations: "VARCHAR[]",
    aliases: `${REF}[]`,
    groups: `${REF}[]`,
    members: `${REF}[]`,
  },
  labels: {
    id: "BIGINT",
    name: "VARCHAR",
    data_quality: "VARCHAR",
    parent: REF,
    sublabels: `${REF}[]`,
  },
};

/**
 * A format in the collector's words: `2×Vinyl, 12", 33 ⅓ RPM, Album`; several formats are
 * joined with ` + ` as Discogs shows them. NULL for a release without formats.
 */
const FORMAT_SUMMARY = `NULLIF(array_to_string(list_transform(formats, f -> concat_ws(', ',
    CASE WHEN f.qty > 1 THEN f.qty || '×' || f.name ELSE f.name END,
    NULLIF(array_to_string(f.descriptions, ', '), ''), f.text)), ' + '), '')`;

/**
 * One SELECT per catalogue table, over staging table `part`, with exactly the columns (names,
 * order, types) of schema.ts CATALOG_TABLES. `position` counts from 1 in dump order; in
 * `release_artists` the main artists come first, then the credits (positions continue).
 */
export const TABLE_SELECTS: Record<DumpKind, Record<string, string>> = {
  releases: {
    releases: `SELECT id, title, year, released, country, master_id, is_main_release,
        data_quality, status, ${FORMAT_SUMMARY} AS format_summary, track_count
      FROM part`,
    // Two unnests glued with UNION ALL: a third cheaper than unnesting `artists || credits`
    // (each part's rows come main artists first, then credits).
    release_artists: `SELECT release_id, position, kind, id AS artist_id, name, anv, "join", role,
        tracks
      FROM (SELECT id AS release_id, generate_subscripts(artists, 1)::INTEGER AS position,
              'main' AS kind, unnest(artists, recursive := true) FROM part
            UNION ALL
            SELECT id, (len(artists) + generate_subscripts(credits, 1))::INTEGER, 'credit',
              unnest(credits, recursive := true) FROM part)`,
    release_labels: `SELECT release_id, position::INTEGER AS position, l.id AS label_id,
        l.name, l.catno
      FROM (SELECT id AS release_id, unnest(labels) AS l, generate_subscripts(labels, 1) AS position
            FROM part)`,
    release_genres: `SELECT id AS release_id, unnest(genres) AS genre FROM part`,
    release_styles: `SELECT id AS release_id, unnest(styles) AS style FROM part`,
    release_formats: `SELECT release_id, position::INTEGER AS position, f.name, f.qty, f.text,
        f.descriptions
      FROM (SELECT id AS release_id, unnest(formats) AS f,
              generate_subscripts(formats, 1) AS position FROM part)`,
  },
  masters: {
    masters: `SELECT id, main_release, title, year, data_quality,
        list_transform(artists, a -> a.id) AS artist_ids,
        list_transform(artists, a -> a.name) AS artist_names, genres, styles
      FROM part`,
  },
  artists: {
    artists: `SELECT id, name, realname, data_quality, name_variations, aliases, groups, members
      FROM part`,
  },
  labels: {
    labels: `SELECT id, name, data_quality, parent.id AS parent_id, parent.name AS parent_name,
        sublabels
      FROM part`,
  },
};
