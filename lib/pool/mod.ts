/**
 * The candidate pool: releases Next Spin could recommend, gathered by the candidate sources
 * (`sources/`: pool files, the wantlist, Discogs search, artist and label listings, the
 * catalogue), with owned releases removed.
 *
 * @example
 * ```ts
 * const summary = await buildPool(db, { files: ["../shared/fixtures/pools/electronic_1990s_releases.csv"] });
 * ```
 *
 * @module
 */

import { type Database, EmptyReplacementError } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import { DEFAULT_CURRENCY } from "../discogs/cache.ts";
import type { DiscogsClient } from "../discogs/client.ts";
import { POOL_ROW_DDL } from "./load.ts";
import {
  CANDIDATE_SOURCES,
  type CandidateSource,
  type CatalogOptions,
  type SourceContext,
  type SourceReport,
  splitBudget,
} from "./sources/mod.ts";

export { loadPoolFile, POOL_ROW_DDL } from "./load.ts";
export * from "./columns.ts";
export * from "./budget.ts";
export { CANDIDATE_SOURCES, type CandidateSource, type SourceReport } from "./sources/mod.ts";

const POOL_SQL = await Deno.readTextFile(new URL("./pool.sql", import.meta.url));

/** Options for {@link buildPool}. */
export interface PoolOptions {
  /** Pool files (CSV, Parquet or JSONL of release bodies). */
  files: string[];
  /** Keep other pressings of albums already owned. */
  includeOtherPressings?: boolean;
  /** Currency of prices (pool files without one in their header, API candidates). */
  currency?: string;
  /** API pages the sources may read (cached ones included); 0 = none. */
  budget?: number;
  /** Cache only: no socket is opened. */
  offline?: boolean;
  /** For API sources when online. */
  client?: DiscogsClient;
  /** Whether a token is set (search needs one); defaults to the client's. */
  authenticated?: boolean;
  /** The sources to gather from (default {@link CANDIDATE_SOURCES}). */
  sources?: readonly CandidateSource[];
  /** Progress lines (stderr). */
  info?: (message: string) => void;
  /** Let an empty result replace a pool that has candidates (default: keep the old one). */
  allowEmpty?: boolean;
  /** The catalogue candidate source's directory and bound (see `sources/catalog.ts`). */
  catalog?: CatalogOptions;
}

/** What {@link buildPool} reports. */
export interface PoolSummary {
  /** What each source contributed, by source name. */
  sources: Record<string, SourceReport>;
  /** The request budget and how it was split. */
  budget: { total: number; split: Record<string, number> };
  /** Candidates gathered by all sources together. */
  candidates: number;
  /** Candidates seen more than once (kept once). */
  duplicates: number;
  /** Candidates left out because the collection owns them (or their album). */
  owned: number;
  /** Candidates in the pool. */
  pool: number;
  /** Nothing was gathered and the previous pool was kept (see {@link PoolOptions.allowEmpty}). */
  keptPrevious: boolean;
  /** Things the collector should know. */
  warnings: string[];
}

/** Build the `pool` table atomically from every source, minus what the collection owns. */
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
  const sources = options.sources ?? CANDIDATE_SOURCES;
  const target = "pool_candidates";
  await db.run(`CREATE OR REPLACE TEMP TABLE ${target} (${POOL_ROW_DDL})`);
  const ctx: SourceContext = {
    db,
    target,
    currency: options.currency ?? DEFAULT_CURRENCY,
    offline: options.offline ?? false,
    client: options.offline ? undefined : options.client,
    authenticated: options.authenticated ?? options.client?.authenticated ?? false,
    files: options.files,
    includeOtherPressings: options.includeOtherPressings ?? false,
    info: options.info ?? (() => {}),
    catalog: options.catalog,
  };
  const total = options.budget ?? 0;
  let keptPrevious = false;
  const split = splitBudget(sources, ctx, total);
  try {
    const reports: Record<string, SourceReport> = {};
    let carried = 0;
    for (const source of sources) {
      // What an earlier API source left unspent goes to the next one.
      const budget = source.usesApi ? (split.get(source.name) ?? 0) + carried : 0;
      const report = await source.gather(ctx, budget);
      if (source.usesApi && split.has(source.name)) carried = Math.max(0, budget - report.planned);
      reports[source.name] = report;
    }
    const candidates = await db.count(target);
    const distinct = (await db.one<{ n: number }>(
      `SELECT count(DISTINCT pool_key) AS n FROM ${target}`,
    ))?.n ?? 0;
    const warnings = Object.values(reports).flatMap((r) => r.warnings);
    const before = (await db.tableExists("pool")) ? await db.count("pool") : 0;
    let pool: number;
    try {
      pool = await db.replaceTable("pool", POOL_SQL, {
        include_other_pressings: ctx.includeOtherPressings,
      }, { refuseEmpty: before > 0 && !options.allowEmpty });
    } catch (error) {
      if (!(error instanceof EmptyReplacementError)) throw error;
      // Nothing gathered this time (offline with an empty cache, a budget of 0…): the previous
      // pool is kept rather than replaced by nothing.
      pool = before;
      keptPrevious = true;
      warnings.push(
        `no candidates this time, so the previous pool of ${before} candidates is kept ` +
          "(--allow-empty empties it)",
      );
    }
    return {
      sources: reports,
      budget: { total, split: Object.fromEntries(split) },
      candidates,
      duplicates: candidates - distinct,
      owned: keptPrevious ? distinct : distinct - pool,
      pool,
      keptPrevious,
      warnings,
    };
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${target}`);
  }
}
