/**
 * Reading a catalogue in place: the Parquet tables the `catalog` stage writes (see `schema.ts`)
 * become DuckDB views `catalog_<table>` over `read_parquet('<dir>/<table>/*.parquet')`, so a
 * query reads only the columns and row groups it needs and nothing is copied into the
 * workspace. A table with no part on disk (no masters file was given, say) has no view.
 *
 * @example
 * ```ts
 * if (await catalogExists("data/catalog")) {
 *   const attached = await attachCatalog(db, "data/catalog");
 *   console.log(describeCatalog(attached)); // "catalogue data/catalog: 18,681 releases, …"
 * }
 * ```
 *
 * @module
 */

import { join } from "node:path";
import { type Database, ident, literal } from "../db/mod.ts";
import { CATALOG_TABLES, type CatalogTable } from "./schema.ts";

/** Every catalogue table, in schema order (releases first). */
export const CATALOG_TABLE_NAMES: readonly CatalogTable[] = Object.values(CATALOG_TABLES)
  .flatMap((tables) => Object.keys(tables)) as CatalogTable[];

/** The view name of a catalogue table: `releases` → `catalog_releases`. */
export function catalogView(table: CatalogTable): string {
  return `catalog_${table}`;
}

/** A catalogue attached to a workspace connection. */
export interface AttachedCatalog {
  dir: string;
  /** Tables with at least one part, so with a view. */
  tables: CatalogTable[];
  /** Rows per attached table. */
  counts: Partial<Record<CatalogTable, number>>;
}

async function hasParquet(dir: string): Promise<boolean> {
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(".parquet")) return true;
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return false;
    }
    throw error;
  }
  return false;
}

/** Whether `dir` holds a catalogue: at least one part of its `releases` table. */
export function catalogExists(dir: string): Promise<boolean> {
  return hasParquet(join(dir, "releases"));
}

/**
 * Create (or replace) the temporary views `catalog_<table>` over the catalogue in `dir`, one per
 * table that has parts, and count their rows (Parquet metadata: no data is read; `count: false`
 * skips it). Temporary, so the workspace file never refers to a path that may move.
 */
export async function attachCatalog(
  db: Database,
  dir: string,
  options: { count?: boolean } = {},
): Promise<AttachedCatalog> {
  const tables: CatalogTable[] = [];
  const counts: Partial<Record<CatalogTable, number>> = {};
  for (const table of CATALOG_TABLE_NAMES) {
    const view = catalogView(table);
    if (!(await hasParquet(join(dir, table)))) {
      await db.run(`DROP VIEW IF EXISTS ${ident(view)}`);
      continue;
    }
    const glob = literal(join(dir, table, "*.parquet"));
    await db.run(
      `CREATE OR REPLACE TEMP VIEW ${ident(view)} AS SELECT * FROM read_parquet(${glob})`,
    );
    tables.push(table);
    if (options.count !== false) counts[table] = await db.count(view);
  }
  return { dir, tables, counts };
}

/** One line for logs: "catalogue data/catalog: 18,681 releases, 2,345 masters, …". */
export function describeCatalog(catalog: AttachedCatalog): string {
  const entities = (["releases", "masters", "artists", "labels"] as const)
    .filter((t) => catalog.counts[t] !== undefined)
    .map((t) => `${catalog.counts[t]!.toLocaleString("en-US")} ${t}`);
  const credits = catalog.counts.release_artists;
  if (credits !== undefined) {
    entities.push(`${credits.toLocaleString("en-US")} release artist and credit rows`);
  }
  return `catalogue ${catalog.dir}: ${entities.join(", ") || "no tables"}`;
}
