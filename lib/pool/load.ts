/**
 * Loading candidate-pool files (CSV or Parquet) into pool rows. Columns are recognised by their
 * usual names (see `columns.ts`); a file needs at least an artist and a title column.
 *
 * @module
 */

import { basename, extname } from "node:path";
import { type Database, ident, literal } from "../db/mod.ts";
import { InputError, messageOf } from "../errors.ts";
import { releasesFromJsonl } from "../discogs/release.ts";
import { currencyInHeader, mapPoolColumns, POOL_COLUMN_NAMES, type PoolColumn } from "./columns.ts";

const NORMALIZE_POOL_SQL = await Deno.readTextFile(new URL("./normalize.sql", import.meta.url));

/** Columns of a pool row, as DDL (the `pool` table adds nothing to these). */
export const POOL_ROW_DDL = `
  pool_key VARCHAR, release_id BIGINT, master_id BIGINT, artist VARCHAR, artist_display VARCHAR,
  title VARCHAR, label VARCHAR, catalog_number VARCHAR, country VARCHAR, format VARCHAR,
  genres VARCHAR[], styles VARCHAR[], have INTEGER, want INTEGER, lowest_price DOUBLE,
  num_for_sale INTEGER, currency VARCHAR, year INTEGER, thumbnail_url VARCHAR, discogs_url VARCHAR,
  source VARCHAR, source_row INTEGER`;

/** What loading one file produced. */
export interface PoolFileResult {
  path: string;
  rows: number;
  skipped: number;
  currency: string;
  columns: Partial<Record<PoolColumn, string>>;
}

function reader(path: string): string {
  const ext = extname(path).toLowerCase();
  if (ext === ".parquet") return `read_parquet(${literal(path)})`;
  if (ext === ".csv" || ext === ".tsv" || ext === ".txt") {
    return `read_csv(${literal(path)}, header=true, all_varchar=true, quote='"', escape='"')`;
  }
  throw new InputError(
    `${path}: pool files must be .csv or .parquet (or .jsonl of release bodies)`,
  );
}

/** Pool rows from a JSONL file of `GET /releases/{id}` bodies (unusable lines are counted). */
async function loadReleaseBodies(
  db: Database,
  path: string,
  target: string,
  currency: string,
): Promise<PoolFileResult> {
  const text = await Deno.readTextFile(path);
  const lines = text.split("\n").filter((l) => l.trim() !== "").length;
  const rows = releasesFromJsonl(text, currency)
    .filter(({ release: r }) => r.artist && r.title)
    .map(({ release: r, line }) => ({
      pool_key: `release:${r.releaseId}`,
      release_id: r.releaseId,
      master_id: r.masterId,
      artist: r.artist,
      artist_display: r.artist,
      title: r.title,
      label: r.labels[0] ?? null,
      catalog_number: r.catalogNumbers[0] ?? null,
      country: r.country,
      format: r.formats[0] ?? null,
      genres: r.genres,
      styles: r.styles,
      have: r.have,
      want: r.want,
      lowest_price: r.lowestPrice,
      num_for_sale: r.numForSale,
      currency,
      year: r.year,
      thumbnail_url: r.thumbnailUrl,
      discogs_url: r.discogsUrl,
      source: basename(path),
      source_row: line,
    }));
  await db.run(`CREATE TABLE IF NOT EXISTS ${ident(target)} (${POOL_ROW_DDL})`);
  await db.insertRows(target, rows);
  return { path, rows: rows.length, skipped: lines - rows.length, currency, columns: {} };
}

/**
 * Append the rows of one pool file to table `target` (created with {@link POOL_ROW_DDL} if
 * missing). Rows without an artist or title are skipped and counted.
 */
export async function loadPoolFile(
  db: Database,
  path: string,
  target: string,
  options: { currency?: string } = {},
): Promise<PoolFileResult> {
  try {
    await Deno.stat(path);
  } catch {
    throw new InputError(`${path}: pool file not found`);
  }
  if (/\.(jsonl|ndjson)$/i.test(path)) {
    return loadReleaseBodies(db, path, target, options.currency ?? "USD");
  }
  let headers: string[];
  try {
    headers = (await db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${reader(path)}`))
      .map((c) => c.column_name);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(
      `${path}: cannot be read as a pool file (${messageOf(error).split("\n")[0]})`,
    );
  }
  const columns = mapPoolColumns(headers);
  if (!columns.artist || !columns.title) {
    throw new InputError(
      `${path}: a pool file needs artist and title columns; found ${headers.join(", ")}` +
        ` (expected e.g. ${POOL_COLUMN_NAMES.artist[0]}, ${
          POOL_COLUMN_NAMES.title[0]
        }, styles, have, want, lowest_price)`,
    );
  }
  // A currency named in the price header is what the file says; the flag only fills in.
  const currency = currencyInHeader(columns.lowest_price) ?? options.currency ?? "USD";
  const projection = (Object.keys(POOL_COLUMN_NAMES) as PoolColumn[])
    .map((c) => (columns[c] ? `${ident(columns[c]!)}::VARCHAR AS ${c}` : `NULL::VARCHAR AS ${c}`))
    .join(", ");
  await db.run(`CREATE TABLE IF NOT EXISTS ${ident(target)} (${POOL_ROW_DDL})`);
  const before = await db.count(target);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE pool_staging AS
     SELECT ${projection}, ${
      literal(basename(path))
    } AS source, (row_number() OVER ())::INTEGER AS source_row
     FROM ${reader(path)}`,
  );
  const staged = await db.count("pool_staging");
  await db.run(`INSERT INTO ${ident(target)} ${NORMALIZE_POOL_SQL}`, { currency });
  await db.run("DROP TABLE pool_staging");
  const rows = (await db.count(target)) - before;
  return { path, rows, skipped: staged - rows, currency, columns };
}
