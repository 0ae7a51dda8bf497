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
import {
  decodeText,
  type Delimiter,
  delimiterName,
  detectEncoding,
  notACsv,
  sniffDelimiter,
  type TextEncodingName,
} from "./sniff.ts";

export * from "./header.ts";
export * from "./sniff.ts";
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
const csvOptions = (delimiter: Delimiter) =>
  `header=false, all_varchar=true, null_padding=true, delim=${
    literal(delimiter)
  }, quote='"', escape='"'`;

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

/** How a file was read: what {@link ingestExports} detected, for the log. */
export interface FileReading {
  path: string;
  encoding: TextEncodingName;
  delimiter: Delimiter;
  /** The file was transcoded to UTF-8 (into a temp file) before DuckDB read it. */
  transcoded: boolean;
}

/** What {@link ingestExports} loaded. */
export interface IngestSummary {
  /** Copies: one row per copy in the export. */
  collectionRows: number;
  /** Distinct releases among them (two copies of one pressing are one release). */
  collectionReleases: number;
  wantlistRows: number;
  rejects: IngestReject[];
  /** How each file was read (empty for an API import). */
  readings?: FileReading[];
}

/** Which exports to load. Either or both. */
export interface IngestOptions {
  collection?: string;
  wantlist?: string;
  /**
   * `--allow-empty`: a file with no usable rows empties its table. Without it such a file is an
   * {@link InputError} and every table stays as it was.
   */
  allowEmpty?: boolean;
}

/** "encoding, delimiter-separated" for the log. */
export function describeReading(r: FileReading): string {
  return `${r.path}: read as ${r.encoding}, ${delimiterName(r.delimiter)}-separated` +
    (r.transcoded ? " (transcoded to UTF-8 for reading)" : "");
}

const expectedExport = (kind: ExportKind) =>
  kind === "collection" ? "a Discogs collection export" : "a Discogs wantlist export";

/** Read a file and refuse what cannot be an export: missing, a folder, empty, not a CSV. */
async function readExportBytes(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new InputError(`${path}: file not found`);
    if (error instanceof Deno.errors.IsADirectory) {
      throw new InputError(`${path}: is a folder, not a CSV file`);
    }
    throw new InputError(`${path}: cannot be read (${messageOf(error)})`);
  }
}

/** The file's text as UTF-8, and how it was read; refuses files that are not CSV text. */
function decodeExport(
  path: string,
  bytes: Uint8Array,
  kind: ExportKind,
): { text: string; encoding: TextEncodingName; delimiter: Delimiter } {
  const expected = `expected ${expectedExport(kind)} (CSV with a header line)`;
  const binaryKind = notACsv(bytes);
  if (binaryKind) throw new InputError(`${path}: ${binaryKind}`);
  const encoding = detectEncoding(bytes);
  if (encoding === undefined) {
    throw new InputError(`${path}: this is a binary file, not a CSV; ${expected}`);
  }
  const text = decodeText(bytes, encoding);
  const textKind = notACsv(bytes, text);
  if (textKind) throw new InputError(`${path}: ${textKind}`);
  if (text.trim() === "") throw new InputError(`${path}: the file is empty; ${expected}`);
  return { text, encoding, delimiter: sniffDelimiter(text) };
}

/**
 * The line a record with an unterminated quote starts on (1-based), or undefined when every
 * quote closes: DuckDB's sniffer fails on such a file without saying where.
 */
function unterminatedQuoteLine(text: string): number | undefined {
  let line = 1;
  let quoted = false;
  let openedOn = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      if (!quoted) openedOn = line;
      quoted = !quoted;
    } else if (ch === "\n") line++;
  }
  return quoted ? openedOn : undefined;
}

/** DuckDB's CSV error as a collector reads it: the line number and the line itself. */
function csvErrorMessage(path: string, error: unknown, text: string): string {
  const detail = messageOf(error);
  let first = detail.split("\n")[0].replace(/^Invalid Input Error:\s*/, "");
  let lineNo = Number(/Line: (\d+)/.exec(detail)?.[1] ?? NaN);
  const open = unterminatedQuoteLine(text);
  if (!Number.isInteger(lineNo) && open !== undefined) {
    lineNo = open;
    first = "a quote opened on this line is never closed";
  }
  if (!Number.isInteger(lineNo) || lineNo < 1) {
    return `${path}: not a readable CSV file (${first})`;
  }
  const line = text.split(/\r?\n/)[lineNo - 1] ?? "";
  const shown = line.length > 200 ? `${line.slice(0, 200)}…` : line;
  return `${path}:${lineNo}: not a readable CSV file (${first})\n  line ${lineNo}: ${shown}`;
}

/** Stage one export file into the ingest temp tables. */
async function stageExport(
  db: Database,
  path: string,
  kind: ExportKind,
  allowEmpty: boolean,
): Promise<FileReading> {
  const bytes = await readExportBytes(path);
  const { text, encoding, delimiter } = decodeExport(path, bytes, kind);
  // DuckDB reads UTF-8 only: anything else is transcoded into a temp file first (the original
  // path is still what rows and messages name).
  const transcoded = encoding !== "UTF-8" && encoding !== "UTF-8 with BOM";
  const utf8 = transcoded ? new TextEncoder().encode(text) : bytes;
  let readPath = path;
  if (transcoded) {
    readPath = await Deno.makeTempFile({ prefix: "nextspin-ingest-", suffix: ".csv" });
    await Deno.writeFile(readPath, utf8);
  }
  try {
    try {
      await db.run(
        `CREATE OR REPLACE TEMP TABLE ingest_raw AS SELECT * FROM read_csv(${literal(readPath)}, ${
          csvOptions(delimiter)
        })`,
      );
    } catch (error) {
      throw new InputError(csvErrorMessage(path, error, text));
    }
    await stageRaw(db, path, kind, utf8);
  } finally {
    if (transcoded) await Deno.remove(readPath).catch(() => {});
  }
  const target = kind === "collection" ? "ingest_collection" : "ingest_wantlist";
  const loaded = await db.one<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM ${target} WHERE source_file = $path`,
    { path },
  );
  if ((loaded?.n ?? 0) === 0 && !allowEmpty) {
    const skipped = await db.one<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM ingest_reject_rows WHERE source_file = $path",
      { path },
    );
    const why = (skipped?.n ?? 0) > 0
      ? `all ${skipped!.n} rows were skipped (no usable release_id)`
      : "it has a header line but no rows";
    throw new InputError(
      `${path}: no usable ${kind} rows: ${why}. Nothing was changed: the ${kind} table, ` +
        `scores and recommendations are as they were. Give the full export, or pass ` +
        `--allow-empty to empty the ${kind} on purpose.`,
    );
  }
  return { path, encoding, delimiter, transcoded };
}

/** Stage `ingest_raw` (the file's cells, header in row 0) into the ingest temp tables. */
async function stageRaw(
  db: Database,
  path: string,
  kind: ExportKind,
  bytes: Uint8Array,
): Promise<void> {
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
    const allowEmpty = options.allowEmpty === true;
    const readings: FileReading[] = [];
    if (options.collection) {
      readings.push(await stageExport(db, options.collection, "collection", allowEmpty));
    }
    if (options.wantlist) {
      readings.push(await stageExport(db, options.wantlist, "wantlist", allowEmpty));
    }
    const summary = await publishStaged(db, {
      collection: options.collection !== undefined,
      wantlist: options.wantlist !== undefined,
    });
    return { ...summary, readings };
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
    collectionReleases: (await ownedReleaseIds(db)).size,
    wantlistRows: await db.count("wantlist"),
    rejects,
  };
}

/** The release ids of the collection (empty before anything is ingested). */
export async function ownedReleaseIds(db: Database): Promise<Set<number>> {
  if (!(await db.tableExists("collection"))) return new Set();
  const rows = await db.all<{ id: number }>(
    "SELECT DISTINCT release_id AS id FROM collection WHERE release_id IS NOT NULL",
  );
  return new Set(rows.map((r) => Number(r.id)));
}

/** Rows fetched through the API, ready for the ingest tables. */
export interface ApiRows {
  collection?: object[];
  wantlist?: object[];
  /** `release_info` rows (see lib/discogs/user_lists.ts `ReleaseInfo`), added or refreshed. */
  releases?: object[];
  /** Who the lists belong to, for messages. */
  collectionOf?: string;
  wantlistOf?: string;
  /** `--allow-empty`: an empty list empties its table instead of being refused. */
  allowEmpty?: boolean;
}

/**
 * Load rows fetched from the API (`--username`, `--wantlist-of`) into `collection` /
 * `wantlist`, with the same swap rules as CSV files, and their releases' `basic_information`
 * into `release_info`.
 */
export async function ingestApiRows(db: Database, rows: ApiRows): Promise<IngestSummary> {
  if (!rows.allowEmpty) {
    for (const kind of ["collection", "wantlist"] as const) {
      const list = rows[kind];
      if (list === undefined || list.length > 0) continue;
      const owner = (kind === "collection" ? rows.collectionOf : rows.wantlistOf) ?? "this user";
      throw new InputError(
        `${owner}'s ${kind} on Discogs has no releases. Nothing was changed: the ${kind} ` +
          `table, scores and recommendations are as they were. Check the username, or pass ` +
          `--allow-empty to empty the ${kind} on purpose.`,
      );
    }
  }
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

/** One export file read without touching `collection` or `wantlist` (see {@link readExport}). */
export interface ExportRead {
  /** `collection` rows (copies) or `wantlist` rows, with the columns the ingest tables have. */
  rows: Record<string, unknown>[];
  rejects: IngestReject[];
  reading: FileReading;
}

/**
 * Read one export (any variant {@link ingestExports} accepts) and return its rows instead of
 * publishing them: for other collectors' exports, which must never replace the collector's own
 * `collection`. The same errors as ingest (file, line, what was expected); the workspace's
 * tables are not changed.
 */
export async function readExport(
  db: Database,
  path: string,
  kind: ExportKind,
): Promise<ExportRead> {
  await db.run(SCHEMA_SQL);
  try {
    const reading = await stageExport(db, path, kind, false);
    const staged = kind === "collection" ? "ingest_collection" : "ingest_wantlist";
    const rows = await db.all<Record<string, unknown>>(
      `SELECT * FROM ${staged} ORDER BY source_line`,
    );
    const rejects = await db.all<IngestReject>(
      "SELECT source_file, kind, line, reason, raw FROM ingest_reject_rows ORDER BY line",
    );
    return { rows, rejects, reading };
  } finally {
    await db.run(
      "DROP TABLE IF EXISTS ingest_collection; DROP TABLE IF EXISTS ingest_wantlist; DROP TABLE IF EXISTS ingest_reject_rows",
    );
  }
}
