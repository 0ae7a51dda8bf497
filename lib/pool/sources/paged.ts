/**
 * Reading a plan of API pages within a budget: page 1 of every query first (best first), then
 * later pages of the queries that have more, until the budget is spent. Cached pages count
 * against the budget like fetched ones, so the same plan reads the same pages every time: a
 * second run costs no request, and `--offline` reads exactly what the online run fetched.
 *
 * @module
 */

import type { Database } from "../../db/mod.ts";
import { cachedGet } from "../../discogs/cached_get.ts";
import type { DiscogsClient } from "../../discogs/client.ts";
import type { SourceReport } from "./types.ts";

/** One query of a plan: how to name page n, and what to do with a page's body. */
export interface PagedQuery<Q> {
  query: Q;
  path(page: number): string;
}

/** Options for {@link readPlan}. */
export interface ReadPlanOptions<Q> {
  db: Database;
  client?: DiscogsClient;
  offline: boolean;
  /** Pages to read at most (cached ones included). */
  budget: number;
  /** Pages of one query read at most. */
  maxPages?: number;
  /** Turn a page into rows; return the number of pages the query has. */
  onPage(query: PagedQuery<Q>, page: number, body: unknown): number;
  report: SourceReport;
  onFailure?(path: string, message: string): void;
}

/** Read `queries` page by page within the budget; fills in `report`'s request counters. */
export async function readPlan<Q>(
  queries: PagedQuery<Q>[],
  options: ReadPlanOptions<Q>,
): Promise<void> {
  let spent = 0;
  const maxPages = options.maxPages ?? 10;
  let round: { q: PagedQuery<Q>; page: number }[] = queries.map((q) => ({ q, page: 1 }));
  while (round.length > 0 && spent < options.budget) {
    const next: { q: PagedQuery<Q>; page: number }[] = [];
    for (const { q, page } of round) {
      if (spent >= options.budget) break;
      spent++;
      options.report.planned++;
      const path = q.path(page);
      const got = await cachedGet(options.db, path, {
        client: options.client,
        offline: options.offline,
      });
      if (got.requested) options.report.requests++;
      if (got.fromCache) options.report.fromCache++;
      if (got.error) {
        options.report.failed++;
        options.onFailure?.(path, got.error.message);
      }
      if (got.status !== 200 || got.body === null) continue;
      let body: unknown;
      try {
        body = JSON.parse(got.body);
      } catch {
        continue; // a broken stored body is skipped; its next refresh replaces it
      }
      const pages = options.onPage(q, page, body);
      if (page < pages && page < maxPages) next.push({ q, page: page + 1 });
    }
    round = next;
  }
}
