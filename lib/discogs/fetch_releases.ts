/**
 * Fetching release bodies into the cache, resumably: every response is committed to
 * `http_cache` as it arrives, and a release with a fresh cached answer (a body, or a 404) is not
 * asked for again. Killing the process at any point loses nothing but the request in flight;
 * the next run picks up where this one stopped.
 *
 * One `GET /releases/{id}?curr_abbr=` per release carries everything scoring needs (have, want,
 * rating, lowest price, copies for sale, genres, styles, labels, images), so there is exactly
 * one call per release.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { ensureCache, putResponse, releaseKey } from "./cache.ts";
import { type DiscogsClient, DiscogsError } from "./client.ts";

/** Market fields (price, for sale, have/want) older than this are refreshed by default. */
export const MARKET_MAX_AGE_MS = 7 * 86_400_000;

/** Progress of a fetch run. */
export interface FetchProgress {
  done: number;
  total: number;
  fetched: number;
  failed: number;
  rateLimited: number;
  elapsedMs: number;
  etaMs: number;
}

/** Options for {@link fetchReleasesIntoCache}. */
export interface FetchOptions {
  currency: string;
  /** Re-fetch cached answers older than this (default {@link MARKET_MAX_AGE_MS}; Infinity = never). */
  maxAgeMs?: number;
  onProgress?: (p: FetchProgress) => void;
  /** Called for each release that could not be fetched (after retries). */
  onFailure?: (releaseId: number, error: DiscogsError) => void;
  /** Checked between requests: when it returns true the run stops (everything so far is kept). */
  shouldStop?: () => boolean;
}

/** What a fetch run did. */
export interface FetchSummary {
  total: number;
  fromCache: number;
  fetched: number;
  missing: number;
  failed: number;
  rateLimited429: number;
  retries: number;
  requests: number;
  elapsedMs: number;
  /** Requests per minute actually achieved. */
  effectiveRatePerMin: number;
  /** Requests per minute the limit allows. */
  allowedRatePerMin: number;
  /** The run was stopped before the end (see `shouldStop`). */
  stopped: boolean;
}

/** Releases (of `releaseIds`) whose cached answer is absent or older than `maxAgeMs`. */
export async function releasesToFetch(
  db: Database,
  releaseIds: number[],
  currency: string,
  maxAgeMs: number = MARKET_MAX_AGE_MS,
): Promise<number[]> {
  await ensureCache(db);
  if (releaseIds.length === 0) return [];
  const cutoff = Number.isFinite(maxAgeMs) ? new Date(Date.now() - maxAgeMs).toISOString() : null;
  const rows = await db.all<{ release_id: number }>(
    `SELECT n.release_id FROM (SELECT unnest($ids::BIGINT[]) AS release_id) n
     LEFT JOIN http_cache c ON c.url = '/releases/' || n.release_id || '?curr_abbr=' || $currency
       AND c.status IN (200, 404)
     WHERE c.url IS NULL OR ($cutoff IS NOT NULL AND c.fetched_at < $cutoff::TIMESTAMPTZ)
     ORDER BY n.release_id`,
    { ids: JSON.stringify(releaseIds), currency, cutoff },
  );
  return rows.map((r) => r.release_id);
}

/** Minutes-and-seconds estimate for fetching `n` releases at the client's allowed rate. */
export function etaForReleases(n: number, allowedPerMinute: number): number {
  return (n / allowedPerMinute) * 60_000;
}

/**
 * Fetch `GET /releases/{id}` for every id in `releaseIds` that has no fresh cached answer,
 * committing each response. Failures are counted and the run continues.
 */
export async function fetchReleasesIntoCache(
  db: Database,
  client: DiscogsClient,
  releaseIds: number[],
  options: FetchOptions,
): Promise<FetchSummary> {
  const todo = await releasesToFetch(db, releaseIds, options.currency, options.maxAgeMs);
  const start = Date.now();
  const before = { ...client.stats };
  let fetched = 0;
  let missing = 0;
  let failed = 0;
  const report = (done: number) => {
    const elapsedMs = Date.now() - start;
    const allowed = client.pacer.allowedPerMinute();
    options.onProgress?.({
      done,
      total: todo.length,
      fetched,
      failed,
      rateLimited: client.stats.responses429 - before.responses429,
      elapsedMs,
      etaMs: etaForReleases(todo.length - done, allowed),
    });
  };
  report(0);
  let stopped = false;
  for (const [i, releaseId] of todo.entries()) {
    if (options.shouldStop?.()) {
      stopped = true;
      break;
    }
    try {
      const response = await client.release(releaseId, options.currency);
      await putResponse(db, {
        url: releaseKey(releaseId, options.currency),
        status: response.status,
        body: response.bodyText,
        fetchedAt: new Date(),
        source: "api",
      });
      fetched++;
    } catch (error) {
      if (!(error instanceof DiscogsError)) throw error;
      if (error.kind === "not_found") {
        // Remember the 404 so the next run does not ask again.
        await putResponse(db, {
          url: releaseKey(releaseId, options.currency),
          status: 404,
          body: JSON.stringify({ message: error.message }),
          fetchedAt: new Date(),
          source: "api",
        });
        missing++;
      } else if (error.kind === "unauthorized") {
        throw error; // every further request would fail the same way
      } else {
        failed++;
        options.onFailure?.(releaseId, error);
      }
    }
    report(i + 1);
  }
  const elapsedMs = Date.now() - start;
  const requests = client.stats.requests - before.requests;
  return {
    total: releaseIds.length,
    fromCache: releaseIds.length - todo.length,
    fetched,
    missing,
    failed,
    rateLimited429: client.stats.responses429 - before.responses429,
    retries: client.stats.retries - before.retries,
    requests,
    elapsedMs,
    effectiveRatePerMin: elapsedMs > 0 ? (requests * 60_000) / elapsedMs : 0,
    allowedRatePerMin: client.pacer.allowedPerMinute(),
    stopped,
  };
}
