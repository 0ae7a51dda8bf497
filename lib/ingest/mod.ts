/**
 * Ingest: Discogs collection and wantlist exports (CSV) into the `collection`, `wantlist` and
 * `ingest_rejects` tables. DuckDB parses the CSV; this module recognises the header
 * (`header.ts`), finds physical line numbers (`lines.ts`) and applies the typing rules in
 * `parse_rows.sql`. All tables are swapped in one transaction, so a failed file leaves the
 * workspace as it was.
 *
 * @example
 * ```ts
 * const db = await Database.open("data/nextspin.duckdb");
 * const summary = await ingestExports(db, { collection: "me-collection.csv" });
 * console.log(summary.collectionRows, summary.rejects.length);
 * ```
 *
 * @module
 */

import { type Database, ident, literal } from "../db/mod.ts";
import { InputError, messageOf } from "../errors.ts";
import {
  COLLECTION_HEADER,
  describeHeader,
  type ExportField,
  type ExportKind,
  mapHeader,
  WANTLIST_HEADER,
} from "./header.ts";
import { recordStartLines } from "./lines.ts";

export * from "./header.ts";
export { recordStartLines } from "./lines.ts";

const sql = (name: string) => Deno.readTextFile(new URL(`./${name}`, import.meta.url));
const SCHEMA_SQL = await sql("schema.sql");
const PARSE_ROWS_SQL = await sql("parse_rows.sql");
const COLLECTION_SQL = await sql("collection.sql");
const WANTLIST_SQL = await sql("wantlist.sql");
const REJECTS_SQL = await sql("rejects.sql");

/** DDL of the `release_info` table (the `basic_information` a username import saw). */
export const RELEASE_INFO_DDL = await sql("release_info.sql");

/** DuckDB CSV options that read every Discogs export variant (verified on all fixtures). */
const CSV_OPTIONS =
  `header=false, all_varchar=true, null_padding=true, delim=',', quote='"', escape='"'`;

/** Bytes inspected to tell a binary file from text. */
const BINARY_SNIFF_BYTES = 8192;

const STAGED_FIELDS: ExportField[] = [
  "catalog_number",
  "artist",
  "title",
  "label",
  "format",
  "rating",
  "released",
  "release_id",
  "folder",
  "date_added",
  "media_condition",
  "sleeve_condition",
  "notes",
];

/** A row that was skipped, with the line a collector can look at. */
export interface IngestReject {
  source_file: string;
  kind: ExportKind;
  line: number;
  reason: string;
  raw: string;
}

/** What {@link ingestExports} loaded. */
export interface IngestSummary {
  collectionRows: number;
  wantlistRows: number;
  rejects: IngestReject[];
}

/** Which exports to load. Either or both. */
export interface IngestOptions {
  collection?: string;
  wantlist?: string;
}

/** Read a file and refuse what cannot be an export: missing, a folder, empty, binary. */
async function readExportBytes(path: string, kind: ExportKind): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new InputError(`${path}: file not found`);
    if (error instanceof Deno.errors.IsADirectory) {
      throw new InputError(`${path}: is a folder, not a CSV file`);
    }
    throw new InputError(`${path}: cannot be read (${messageOf(error)})`);
  }
  const expected = kind === "collection"
    ? "a Discogs collection export"
    : "a Discogs wantlist export";
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    throw new InputError(
      `${path}: this is a binary file, not a CSV; expected ${expected} (CSV with a header line)`,
    );
  }
  if (new TextDecoder().decode(bytes.subarray(0, 4096)).replace(/^\uFEFF/, "").trim() === "") {
    throw new InputError(
      `${path}: the file is empty; expected ${expected} (CSV with a header line)`,
    );
  }
  return bytes;
}

/** Stage one export file into the ingest temp tables; returns rows loaded and rejected. */
async function stageExport(db: Database, path: string, kind: ExportKind): Promise<void> {
  const bytes = await readExportBytes(path, kind);
  try {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ingest_raw AS SELECT * FROM read_csv(${
        literal(path)
      }, ${CSV_OPTIONS})`,
    );
  } catch (error) {
    throw new InputError(`${path}: not a readable CSV file (${messageOf(error).split("\n")[0]})`);
  }
  const columns = (await db.columns("ingest_raw")).map((c) => c.name);
  const headerRow = await db.one<Record<string, string | null>>(
    "SELECT * FROM ingest_raw WHERE rowid = 0",
  );
  const headerCells = columns.map((c) => headerRow?.[c] ?? null);
  const header = mapHeader(headerCells);
  if (header.fields.release_id === undefined) {
    throw new InputError(
      `${path}: no release_id column, so this is not a Discogs ${kind} export.\n` +
        `  header found:    ${describeHeader(headerCells).slice(0, 400)}\n` +
        `  header expected: ${kind === "collection" ? COLLECTION_HEADER : WANTLIST_HEADER}`,
    );
  }

  // Physical start lines; only materialised when a quoted cell spans lines (rare).
  const starts = recordStartLines(bytes);
  const records = await db.count("ingest_raw");
  const multiLine = starts.length === records && starts.some((line, i) => line !== i + 1);
  let lineExpr = "(rowid + 1)::INTEGER";
  let lineJoin = "";
  if (multiLine) {
    await db.run("CREATE OR REPLACE TEMP TABLE ingest_lines (rn BIGINT, line INTEGER)");
    await db.append(
      "ingest_lines",
      { rn: "BIGINT", line: "INTEGER" },
      starts.map((line, rn) => ({ rn, line })),
    );
    lineExpr = "l.line";
    lineJoin = "LEFT JOIN ingest_lines l ON l.rn = r.rowid";
  }

  const projection = STAGED_FIELDS.map((field) => {
    const index = header.fields[field];
    return index === undefined
      ? `NULL::VARCHAR AS ${field}`
      : `r.${ident(columns[index])} AS ${field}`;
  });
  const custom = header.custom.length === 0
    ? "'{}'::JSON"
    : `json_object(${
      header.custom.map((c) => `${literal(c.name)}, r.${ident(columns[c.index])}`).join(", ")
    })`;
  await db.run(`CREATE OR REPLACE TEMP TABLE ingest_staging AS
    SELECT r.rowid AS rn, ${lineExpr} AS line, ${literal(path)} AS source_file,
           ${projection.join(", ")}, ${custom} AS custom_fields
    FROM ingest_raw r ${lineJoin}
    WHERE r.rowid > 0`);
  await db.run(`CREATE OR REPLACE TEMP TABLE ingest_parsed AS ${PARSE_ROWS_SQL}`);
  const target = kind === "collection" ? "ingest_collection" : "ingest_wantlist";
  await db.run(
    `INSERT INTO ${target} BY NAME ${kind === "collection" ? COLLECTION_SQL : WANTLIST_SQL}`,
  );
  await db.run(`INSERT INTO ingest_reject_rows BY NAME ${REJECTS_SQL}`, { kind });
  await db.run(
    "DROP TABLE IF EXISTS ingest_raw; DROP TABLE IF EXISTS ingest_lines; DROP TABLE IF EXISTS ingest_staging; DROP TABLE IF EXISTS ingest_parsed",
  );
}

/**
 * Load the given exports and swap them into `collection` / `wantlist` in one transaction. A
 * table whose export was not given keeps its current rows (and is created empty if missing),
 * so loading a wantlist later does not drop the collection.
 */
export async function ingestExports(db: Database, options: IngestOptions): Promise<IngestSummary> {
  if (!options.collection && !options.wantlist) {
    throw new InputError(
      "give --collection FILE and/or --wantlist FILE (Discogs CSV exports), or --username NAME / --wantlist-of NAME",
    );
  }
  await db.run(SCHEMA_SQL);
  try {
    if (options.collection) await stageExport(db, options.collection, "collection");
    if (options.wantlist) await stageExport(db, options.wantlist, "wantlist");
    return await publishStaged(db, {
      collection: options.collection !== undefined,
      wantlist: options.wantlist !== undefined,
    });
  } finally {
    await db.run(
      "DROP TABLE IF EXISTS ingest_collection; DROP TABLE IF EXISTS ingest_wantlist; DROP TABLE IF EXISTS ingest_reject_rows",
    );
  }
}

/**
 * Swap the staged ingest tables in. Exposed for the API import (`--username`), which fills the
 * same staging tables from Discogs responses instead of CSV files.
 */
export async function publishStaged(
  db: Database,
  replace: { collection: boolean; wantlist: boolean },
): Promise<IngestSummary> {
  await db.transaction(async () => {
    for (const kind of ["collection", "wantlist"] as const) {
      const staged = kind === "collection" ? "ingest_collection" : "ingest_wantlist";
      if (replace[kind]) {
        await db.run(
          `CREATE OR REPLACE TABLE ${kind} AS SELECT * FROM ${staged} ORDER BY source_file, source_line`,
        );
      } else {
        await db.run(`CREATE TABLE IF NOT EXISTS ${kind} AS SELECT * FROM ${staged} LIMIT 0`);
      }
    }
    await db.run(
      "CREATE TABLE IF NOT EXISTS ingest_rejects AS SELECT * FROM ingest_reject_rows LIMIT 0",
    );
    const kinds = (["collection", "wantlist"] as const).filter((k) => replace[k]);
    await db.run(`DELETE FROM ingest_rejects WHERE kind IN (${kinds.map(literal).join(", ")})`);
    await db.run(
      "INSERT INTO ingest_rejects SELECT * FROM ingest_reject_rows ORDER BY source_file, line",
    );
  });
  const rejects = await db.all<IngestReject>(
    "SELECT source_file, kind, line, reason, raw FROM ingest_reject_rows ORDER BY source_file, line",
  );
  return {
    collectionRows: await db.count("collection"),
    wantlistRows: await db.count("wantlist"),
    rejects,
  };
}

/** Rows fetched through the API, ready for the ingest tables. */
export interface ApiRows {
  collection?: object[];
  wantlist?: object[];
  /** `release_info` rows (see lib/discogs/user_lists.ts `ReleaseInfo`), added or refreshed. */
  releases?: object[];
}

/**
 * Load rows fetched from the API (`--username`, `--wantlist-of`) into `collection` /
 * `wantlist`, with the same swap rules as CSV files, and their releases' `basic_information`
 * into `release_info`.
 */
export async function ingestApiRows(db: Database, rows: ApiRows): Promise<IngestSummary> {
  await db.run(SCHEMA_SQL);
  await db.run(RELEASE_INFO_DDL);
  try {
    if (rows.collection) await db.insertRows("ingest_collection", rows.collection);
    if (rows.wantlist) await db.insertRows("ingest_wantlist", rows.wantlist);
    await db.run("CREATE OR REPLACE TEMP TABLE ingest_release_info AS FROM release_info LIMIT 0");
    await db.insertRows("ingest_release_info", rows.releases ?? []);
    const summary = await publishStaged(db, {
      collection: rows.collection !== undefined,
      wantlist: rows.wantlist !== undefined,
    });
    // A release in both lists arrives twice: the last row given wins (one row per key).
    await db.run(`INSERT OR REPLACE INTO release_info BY NAME
      SELECT * FROM ingest_release_info
      QUALIFY row_number() OVER (PARTITION BY release_id ORDER BY rowid DESC) = 1`);
    return summary;
  } finally {
    await db.run(
      "DROP TABLE IF EXISTS ingest_collection; DROP TABLE IF EXISTS ingest_wantlist; DROP TABLE IF EXISTS ingest_reject_rows; DROP TABLE IF EXISTS ingest_release_info",
    );
  }
}
