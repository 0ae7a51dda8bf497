/**
 * The catalogue's contract: what the dump parser yields for each entity of Discogs' monthly data
 * dump, and the Parquet tables the `catalog` stage writes from it under `data/catalog/`.
 *
 * Layout (one directory per table; every table of one entity is cut at the same ids, so a part is
 * complete when all its tables are written and `catalog.json` lists it):
 *
 * ```
 * data/catalog/
 *   catalog.json                          manifest: sources, parts (id range, rows, end offset), counts
 *   releases/000000001-000250000.parquet  first and last release id of the part, zero-padded
 *   release_artists/000000001-000250000.parquet
 *   release_labels/…  release_genres/…  release_styles/…  release_formats/…
 *   masters/…  artists/…  labels/…
 * ```
 *
 * Any engine reads a table as its directory of Parquet files (`read_parquet('releases/*.parquet')`
 * in DuckDB, `spark.read.parquet(".../releases")` in Spark); each file's name and its row-group
 * statistics bound its ids, so a query by id range touches only the parts that hold it.
 *
 * Empty elements and absent ones are the same: `null` for a scalar, `[]` for a list. Text is
 * entity-decoded and kept as given (no trimming beyond what the dump itself does).
 *
 * @module
 */

/** The four files of a dump. */
export type DumpKind = "releases" | "masters" | "artists" | "labels";

/** An artist credited on a release or master (`artists/artist`, `extraartists/artist`). */
export interface DumpCredit {
  /** `null` when the dump gives none (rare; some old credits). */
  id: number | null;
  name: string;
  /** Artist name variation as printed on this release. */
  anv: string | null;
  /** Joining text to the next artist (",", "&", "Feat."). */
  join: string | null;
  /** Credit role ("Remix", "Producer", "Written-By"); `null` for main artists. */
  role: string | null;
  /** Which tracks the credit is for ("A1, B2"), as given. */
  tracks: string | null;
}

/** One `format` of a release. */
export interface DumpFormat {
  name: string;
  /** `qty` as a number (`null` when absent or not a number). */
  qty: number | null;
  text: string | null;
  descriptions: string[];
}

/** One `label` of a release. */
export interface DumpReleaseLabel {
  id: number | null;
  name: string;
  catno: string | null;
}

/** One `<release>`. */
export interface DumpRelease {
  id: number;
  /** The 2020-era `status` attribute ("Accepted"); `null` in today's files. */
  status: string | null;
  title: string;
  artists: DumpCredit[];
  /** Release-level extraartists, then every track's extraartists (their `tracks` = the position). */
  credits: DumpCredit[];
  labels: DumpReleaseLabel[];
  formats: DumpFormat[];
  genres: string[];
  styles: string[];
  country: string | null;
  /** Free text as given: "1999-03-00", "1970", or `null`. */
  released: string | null;
  /** The year from `released` when it starts with four digits in 1800–2100, else `null`. */
  year: number | null;
  data_quality: string | null;
  /** `null` when absent or `0`. */
  master_id: number | null;
  is_main_release: boolean;
  /** Number of tracks in the tracklist (sub-tracks not counted). */
  track_count: number;
}

/** One `<master>`. */
export interface DumpMaster {
  id: number;
  main_release: number | null;
  title: string;
  /** `null` when absent or `0`. */
  year: number | null;
  data_quality: string | null;
  artists: DumpCredit[];
  genres: string[];
  styles: string[];
}

/** A reference to another artist or label by id and name (aliases, groups, members, sublabels). */
export interface DumpRef {
  id: number | null;
  name: string;
}

/** One `<artist>`. */
export interface DumpArtist {
  id: number;
  name: string;
  realname: string | null;
  data_quality: string | null;
  name_variations: string[];
  aliases: DumpRef[];
  groups: DumpRef[];
  members: DumpRef[];
}

/** One `<label>`. */
export interface DumpLabel {
  id: number;
  name: string;
  data_quality: string | null;
  parent: DumpRef | null;
  sublabels: DumpRef[];
}

/** The record type of each dump kind. */
export interface DumpRecordOf {
  releases: DumpRelease;
  masters: DumpMaster;
  artists: DumpArtist;
  labels: DumpLabel;
}

/**
 * The Parquet tables, by entity, with their DuckDB column types. `format_summary` is the formats
 * in the collector's words ("2×Vinyl, 12\", 33 ⅓ RPM, Album"). `kind` in `release_artists` is
 * `main` (the release's artists, in order) or `credit` (extraartists: role and tracks set).
 */
export const CATALOG_TABLES = {
  releases: {
    releases: {
      id: "BIGINT",
      title: "VARCHAR",
      year: "INTEGER",
      released: "VARCHAR",
      country: "VARCHAR",
      master_id: "BIGINT",
      is_main_release: "BOOLEAN",
      data_quality: "VARCHAR",
      status: "VARCHAR",
      format_summary: "VARCHAR",
      track_count: "INTEGER",
    },
    release_artists: {
      release_id: "BIGINT",
      position: "INTEGER",
      kind: "VARCHAR",
      artist_id: "BIGINT",
      name: "VARCHAR",
      anv: "VARCHAR",
      join: "VARCHAR",
      role: "VARCHAR",
      tracks: "VARCHAR",
    },
    release_labels: {
      release_id: "BIGINT",
      position: "INTEGER",
      label_id: "BIGINT",
      name: "VARCHAR",
      catno: "VARCHAR",
    },
    release_genres: { release_id: "BIGINT", genre: "VARCHAR" },
    release_styles: { release_id: "BIGINT", style: "VARCHAR" },
    release_formats: {
      release_id: "BIGINT",
      position: "INTEGER",
      name: "VARCHAR",
      qty: "INTEGER",
      text: "VARCHAR",
      descriptions: "VARCHAR[]",
    },
  },
  masters: {
    masters: {
      id: "BIGINT",
      main_release: "BIGINT",
      title: "VARCHAR",
      year: "INTEGER",
      data_quality: "VARCHAR",
      artist_ids: "BIGINT[]",
      artist_names: "VARCHAR[]",
      genres: "VARCHAR[]",
      styles: "VARCHAR[]",
    },
  },
  artists: {
    artists: {
      id: "BIGINT",
      name: "VARCHAR",
      realname: "VARCHAR",
      data_quality: "VARCHAR",
      name_variations: "VARCHAR[]",
      aliases: "STRUCT(id BIGINT, name VARCHAR)[]",
      groups: "STRUCT(id BIGINT, name VARCHAR)[]",
      members: "STRUCT(id BIGINT, name VARCHAR)[]",
    },
  },
  labels: {
    labels: {
      id: "BIGINT",
      name: "VARCHAR",
      data_quality: "VARCHAR",
      parent_id: "BIGINT",
      parent_name: "VARCHAR",
      sublabels: "STRUCT(id BIGINT, name VARCHAR)[]",
    },
  },
} as const satisfies Record<DumpKind, Record<string, Record<string, string>>>;

/** Every catalogue table name. */
export type CatalogTable = {
  [K in DumpKind]: keyof (typeof CATALOG_TABLES)[K];
}[DumpKind];

/** The manifest file in the catalogue directory. */
export const MANIFEST_FILE = "catalog.json";

/** Default catalogue directory. */
export const DEFAULT_CATALOG_DIR = "data/catalog";
