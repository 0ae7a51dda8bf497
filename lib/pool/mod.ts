/**
 * The candidate pool: releases Next Spin could recommend, gathered from pool files, the
 * wantlist and (through the live client) API neighbours of the collection, with owned releases
 * removed.
 *
 * @example
 * ```ts
 * const summary = await buildPool(db, { files: ["../shared/fixtures/pools/electronic_1990s_releases.csv"] });
 * ```
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import { loadPoolFile, POOL_ROW_DDL, type PoolFileResult } from "./load.ts";

export { loadPoolFile, POOL_ROW_DDL } from "./load.ts";
export * from "./columns.ts";

const POOL_SQL = await Deno.readTextFile(new URL("./pool.sql", import.meta.url));
const WANTLIST_CANDIDATES_SQL = await Deno.readTextFile(
  new URL("./wantlist_candidates.sql", import.meta.url),
);

/** Options for {@link buildPool}. */
export interface PoolOptions {
  /** Pool files (CSV or Parquet). */
  files: string[];
  /** Keep other pressings of albums already owned. */
  includeOtherPressings?: boolean;
  /** Currency of prices in pool files without one in their header. */
  currency?: string;
}

/** What {@link buildPool} reports. */
export interface PoolSummary {
  files: PoolFileResult[];
  candidates: number;
  fromWantlist: number;
  fromApi: number;
  owned: number;
  pool: number;
}

/** Build the `pool` table atomically from pool files, the wantlist and API neighbours. */
export async function buildPool(db: Database, options: PoolOptions): Promise<PoolSummary> {
  if (!(await db.tableExists("collection"))) {
    throw new InputError(
      `the workspace ${db.path} has no \`collection\` table yet: run \`deno task ingest\` first`,
    );
  }
  if (!(await db.tableExists("releases"))) {
    throw new InputError(
      `the workspace ${db.path} has no \`releases\` table yet: run \`deno task enrich\` first`,
    );
  }
  await db.run(`CREATE OR REPLACE TEMP TABLE pool_candidates (${POOL_ROW_DDL})`);
  try {
    const files: PoolFileResult[] = [];
    for (const file of options.files) {
      files.push(await loadPoolFile(db, file, "pool_candidates", { currency: options.currency }));
    }
    let fromWantlist = 0;
    if (await db.tableExists("wantlist")) {
      const before = await db.count("pool_candidates");
      await db.run(`INSERT INTO pool_candidates BY NAME ${WANTLIST_CANDIDATES_SQL}`);
      fromWantlist = (await db.count("pool_candidates")) - before;
    }
    let fromApi = 0;
    if (await db.tableExists("pool_api")) {
      const before = await db.count("pool_candidates");
      await db.run("INSERT INTO pool_candidates BY NAME SELECT * FROM pool_api");
      fromApi = (await db.count("pool_candidates")) - before;
    }
    const candidates = await db.count("pool_candidates");
    const distinct = (await db.one<{ n: number }>(
      "SELECT count(DISTINCT pool_key) AS n FROM pool_candidates",
    ))?.n ?? 0;
    const pool = await db.replaceTable("pool", POOL_SQL, {
      include_other_pressings: options.includeOtherPressings ?? false,
    });
    return { files, candidates, fromWantlist, fromApi, owned: distinct - pool, pool };
  } finally {
    await db.run("DROP TABLE IF EXISTS pool_candidates");
  }
}
