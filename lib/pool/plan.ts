/**
 * The candidate plan a run prints before its first request: the request budget (automatic or
 * `--pool-budget`), how it is split across the API sources, and how long it takes at the
 * current rate limit; and the warnings a run that ends with no candidates gives, each with the
 * one command that fixes it.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import type { DiscogsClient } from "../discogs/client.ts";
import { SEARCH_NEEDS_TOKEN } from "../discogs/search.ts";
import { autoPoolBudget, type PoolBudget } from "./budget.ts";
import type { PoolSummary } from "./mod.ts";
import { CANDIDATE_SOURCES } from "./sources/mod.ts";

const TASTE_SIZE_SQL = `
  SELECT count(DISTINCT c.release_id) AS records,
         count(DISTINCT s.style) AS styles
  FROM collection c
  LEFT JOIN releases r USING (release_id)
  LEFT JOIN LATERAL (SELECT unnest(coalesce(r.styles, []::VARCHAR[])) AS style) s ON true`;

const IMPORTED_SQL = `
  SELECT count(DISTINCT release_id)::INTEGER AS n FROM release_info
  WHERE release_id IN (SELECT release_id FROM collection)`;

/** What {@link planPool} decided. */
export interface PoolPlan {
  /** API pages the sources may read (cached ones included). */
  budget: number;
  /** Whether the budget was worked out from the collection. */
  auto: boolean;
  records: number;
  styles: number;
  /** The plan, as printed. */
  lines: string[];
}

/** Work out the request budget and the lines that announce it. */
export async function planPool(
  db: Database,
  options: { asked: PoolBudget; authenticated: boolean; offline: boolean; client?: DiscogsClient },
): Promise<PoolPlan> {
  const size = (await db.tableExists("collection")) && (await db.tableExists("releases"))
    ? (await db.one<{ records: number; styles: number }>(TASTE_SIZE_SQL))!
    : { records: 0, styles: 0 };
  const auto = options.asked === "auto";
  // A username import read its collection 100 records a page (`release_info` holds them).
  const imported = (await db.tableExists("release_info"))
    ? (await db.one<{ n: number }>(IMPORTED_SQL))?.n ?? 0
    : 0;
  const collectionPages = Math.ceil(imported / 100);
  const budget = auto ? autoPoolBudget({ ...size, collectionPages }) : options.asked as number;
  const lines: string[] = [];
  if (budget > 0) {
    const perMinute = options.client?.allowedPerMinute() ?? (options.authenticated ? 60 : 25);
    const minutes = budget / perMinute;
    const sources = options.authenticated
      ? "Discogs search by your styles, decades, labels and artists (60%) and the listings of the artists and labels you own most of (40%)"
      : "the listings of the artists and labels you own most of (search needs a token)";
    lines.push(
      `candidate plan: up to ${budget} API pages${
        auto ? ` (auto: ${size.styles} styles in ${size.records} records)` : ""
      } from ${sources}; ` +
        (options.offline
          ? "--offline: cached pages only, no request"
          : `at most ${minutes < 1 ? "under a minute" : `≈ ${Math.ceil(minutes)} min`} ` +
            `at ${Math.round(perMinute)}/min, cached pages are free (kept 30 days)`),
    );
  }
  return { budget, auto, records: size.records, styles: size.styles, lines };
}

/** What a run with too few candidates should tell the collector, with the command that fixes it. */
export function poolWarnings(
  summary: PoolSummary,
  options: { files: string[]; offline: boolean; plan: PoolPlan },
): string[] {
  if (summary.pool > 0) return [];
  if (options.plan.records === 0) {
    return [
      "no candidates: the collection is empty, so there is no taste to search by; " +
      "ingest it first (`deno task ingest --collection FILE` or `--username NAME`)",
    ];
  }
  if (options.plan.budget === 0 && options.files.length === 0) {
    return [
      "no candidates: --pool-budget 0 turns off Discogs candidates and no --pool file was given; " +
      "rerun without --pool-budget 0 (or with --pool FILE)",
    ];
  }
  if (options.offline) {
    return [
      "no candidates in the workspace cache: run the same command once without --offline " +
      "to fetch them (they are then cached for 30 days)",
    ];
  }
  const noSearch = summary.warnings.includes(SEARCH_NEEDS_TOKEN);
  return [
    "no candidates were found" +
    (noSearch ? " (listings only: set DISCOGS_TOKEN to add Discogs search)" : "") +
    "; rerun with a larger --pool-budget (e.g. --pool-budget 400) or give --pool FILE",
  ];
}

/** What each source contributed and what the pool kept, as the pool stage prints it. */
export function poolReportLines(summary: PoolSummary): string[] {
  const lines: string[] = [];
  for (const source of CANDIDATE_SOURCES) {
    const r = summary.sources[source.name];
    if (!r || (!source.usesApi && r.candidates === 0)) continue;
    if (source.usesApi && r.planned === 0 && r.candidates === 0) continue;
    lines.push(
      `${source.name}: ${r.candidates} candidates` +
        (source.usesApi
          ? ` from ${r.requests} requests and ${r.fromCache} cached pages` +
            (r.failed ? ` (${r.failed} failed, asked again next run)` : "")
          : ""),
    );
  }
  lines.push(
    `${summary.pool} candidates in the pool (${summary.candidates} gathered, ` +
      `${summary.duplicates} duplicates and ${summary.owned} you own removed)`,
  );
  return lines;
}
