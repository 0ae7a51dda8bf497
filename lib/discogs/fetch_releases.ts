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
 * A run that starts right after another (a restart after Ctrl-C or a kill) counts the previous
 * run's requests still inside the rate-limit window, from their `fetched_at`, so it does not
 * open with a 429.
 *
 * What counts as fresh: release metadata never needs fetching twice, but prices and have/want
 * move, so by default a body older than 7 days is fetched again (the same call: the body carries
 * the market fields) unless `refreshMarket: false`. A 404 is remembered and not asked again. An
 * explicit `maxAgeMs` (`--max-age`) overrides both: anything older is fetched again.
 *
 * @example
 * ```ts
 * const client = DiscogsClient.fromEnv();
 * const summary = await fetchReleasesIntoCache(db, client, [249504, 1005321], { currency: "EUR" });
 * console.error(describeFetch(summary));
 * ```
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { formatDuration } from "../cli/progress.ts";
import { ensureCache, putResponse, releaseKey } from "./cache.ts";
import { type DiscogsClient, DiscogsError } from "./client.ts";

/** Market fields (price, for sale, have/want) older than this are refreshed by default. */
export const MARKET_MAX_AGE_MS = 7 * 86_400_000;

/** When a cached answer is stale enough to fetch again. */
export interface Freshness {
  /** Fetch again any cached answer (body or 404) older than this; overrides the two below. */
  maxAgeMs?: number;
  /** Bodies older than this are fetched again for their market fields (default 7 days). */
  marketMaxAgeMs?: number;
  /** `false`: never fetch a cached body again just for market fields. */
  refreshMarket?: boolean;
  /** The clock (tests). */
  now?: () => number;
}

/** Progress of a fetch run. */
export interface FetchProgress {
  /** Releases handled so far (fetched, missing or failed) of `total` to fetch. */
  done: number;
  total: number;
  fetched: number;
  missing: number;
  failed: number;
  /** 429s seen so far. */
  rateLimited: number;
  elapsedMs: number;
  /** Requests per minute so far. */
  ratePerMinute: number;
  /** Time left at the allowed rate. */
  etaMs: number;
}

/** Options for {@link fetchReleasesIntoCache}. */
export interface FetchOptions extends Freshness {
  /** Discogs `curr_abbr` for prices. */
  currency: string;
  onProgress?: (p: FetchProgress) => void;
  /** Called for each release that could not be fetched (after retries). */
  onFailure?: (releaseId: number, error: DiscogsError) => void;
  /** Checked between requests: when it returns true the run stops (everything so far is kept). */
  shouldStop?: () => boolean;
  /**
   * Stop once this many releases in a row failed on connection errors after all their retries
   * (default {@link UNREACHABLE_AFTER}): Discogs is unreachable, and retrying every remaining
   * release would take hours. HTTP errors (5xx, 429) never count: Discogs answered.
   */
  unreachableAfter?: number;
}

/**
 * Releases in a row that fail on connection errors before a run stops as "cannot reach Discogs":
 * each is already 5 attempts with backoff (about 15 s at the default window), so 2 releases are
 * 10 connection failures in a row, and the run ends within a minute of losing the network.
 */
export const UNREACHABLE_AFTER = 2;

/** What a fetch run did. */
export interface FetchSummary {
  /** Distinct releases asked about. */
  total: number;
  fromCache: number;
  fetched: number;
  /** Answered 404 by Discogs (remembered, not asked again). */
  missing: number;
  /** Given up on after retries; not cached, so the next run tries again. */
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
  /**
   * Set when the run stopped because Discogs could not be reached (see `unreachableAfter`): the
   * connection error, e.g. "Connection refused (os error 111)".
   */
  unreachable?: string;
}

/** The reason in a client's network error message, without the URL and the attempt count. */
export function networkReason(error: DiscogsError): string {
  const match = /network error for [^:]*: (.*?)(?: \(gave up after \d+ attempts\))?$/s.exec(
    error.message,
  );
  return (match?.[1] ?? error.message).trim();
}

/** Ids in first-seen order, without repeats. */
function distinct(ids: number[]): number[] {
  return [...new Set(ids)];
}

/**
 * Releases (of `releaseIds`, in their order, each once) whose cached answer is absent or stale
 * (see the module doc). A number for `freshness` is a `maxAgeMs`.
 *
 * @example
 * ```ts
 * const todo = await releasesToFetch(db, [1, 2, 3], "USD", { refreshMarket: false });
 * ```
 */
export async function releasesToFetch(
  db: Database,
  releaseIds: number[],
  currency: string,
  freshness: number | Freshness = {},
): Promise<number[]> {
  await ensureCache(db);
  const ids = distinct(releaseIds);
  if (ids.length === 0) return [];
  const rules: Freshness = typeof freshness === "number" ? { maxAgeMs: freshness } : freshness;
  const rows = await db.all<{ release_id: number; status: number; fetched_ms: number }>(
    `SELECT n.release_id, c.status, epoch_ms(c.fetched_at) AS fetched_ms
     FROM (SELECT unnest($ids::BIGINT[]) AS release_id) n
     JOIN http_cache c ON c.url = '/releases/' || n.release_id || '?curr_abbr=' || $currency
     WHERE c.status IN (200, 404)`,
    { ids: JSON.stringify(ids), currency },
  );
  const cached = new Map(rows.map((r) => [r.release_id, r]));
  const now = (rules.now ?? Date.now)();
  const marketMaxAge = rules.refreshMarket === false
    ? Infinity
    : rules.marketMaxAgeMs ?? MARKET_MAX_AGE_MS;
  return ids.filter((id) => {
    const entry = cached.get(id);
    if (!entry) return true;
    const age = now - entry.fetched_ms;
    if (rules.maxAgeMs !== undefined) return age > rules.maxAgeMs;
    // A 404 is not fetched again for prices: there are none.
    return entry.status === 200 && age > marketMaxAge;
  });
}

/**
 * Time to fetch `n` releases at `allowedPerMinute` (what the ETA before the first request shows).
 *
 * @example
 * ```ts
 * etaForReleases(4000, 59.4); // ≈ 67 minutes, in ms
 * ```
 */
export function etaForReleases(n: number, allowedPerMinute: number): number {
  if (n <= 0) return 0;
  return allowedPerMinute > 0 ? (n / allowedPerMinute) * 60_000 : Infinity;
}

/**
 * The end-of-run summary line: fetched, from cache, missing, failed, 429s, effective rate.
 *
 * @example
 * ```ts
 * describeFetch(summary);
 * // "fetched 3, from cache 0, not found 2, failed 0, 429s 0, rate 58.9/min of 59.4 allowed in 5 s"
 * ```
 */
export function describeFetch(s: FetchSummary): string {
  return `fetched ${s.fetched}, from cache ${s.fromCache}, not found ${s.missing}, ` +
    `failed ${s.failed}, 429s ${s.rateLimited429}, ` +
    `rate ${s.effectiveRatePerMin.toFixed(1)}/min of ${s.allowedRatePerMin.toFixed(1)} allowed ` +
    `in ${formatDuration(s.elapsedMs)}`;
}

/**
 * Fetch `GET /releases/{id}?curr_abbr=` for every id in `releaseIds` (in order, each once) that
 * has no fresh cached answer, committing each response as it arrives (key
 * {@link releaseKey}, source `api`). 404s are stored as such; other failures are counted and the
 * run continues. A refused token stops the run (every further request would fail alike).
 */
export async function fetchReleasesIntoCache(
  db: Database,
  client: DiscogsClient,
  releaseIds: number[],
  options: FetchOptions,
): Promise<FetchSummary> {
  const now = options.now ?? Date.now;
  const total = distinct(releaseIds).length;
  const todo = await releasesToFetch(db, releaseIds, options.currency, options);
  const start = now();
  // Our own requests of a run that just ended (killed, stopped) still count in Discogs' window.
  const recent = await db.all<{ t: number }>(
    `SELECT epoch_ms(fetched_at) AS t FROM http_cache
     WHERE source = 'api' AND fetched_at > $since::TIMESTAMPTZ`,
    { since: new Date(start - client.pacer.windowMs).toISOString() },
  );
  client.pacer.rememberPast(recent.map((r) => r.t), start);
  const before = { ...client.stats };
  let fetched = 0;
  let missing = 0;
  let failed = 0;
  const report = (done: number) => {
    if (!options.onProgress) return;
    const elapsedMs = now() - start;
    const requests = client.stats.requests - before.requests;
    options.onProgress({
      done,
      total: todo.length,
      fetched,
      missing,
      failed,
      rateLimited: client.stats.responses429 - before.responses429,
      elapsedMs,
      ratePerMinute: elapsedMs > 0 ? (requests * 60_000) / elapsedMs : 0,
      etaMs: etaForReleases(todo.length - done, client.pacer.allowedPerMinute()),
    });
  };
  report(0);
  let stopped = false;
  let unreachable: string | undefined;
  let networkFailuresInARow = 0;
  const unreachableAfter = Math.max(1, options.unreachableAfter ?? UNREACHABLE_AFTER);
  for (const [i, releaseId] of todo.entries()) {
    if (options.shouldStop?.()) {
      stopped = true;
      break;
    }
    const key = releaseKey(releaseId, options.currency);
    try {
      const response = await client.release(releaseId, options.currency);
      await putResponse(db, {
        url: key,
        status: response.status,
        body: client.redact(response.bodyText), // raw, unless it somehow echoes the token
        fetchedAt: new Date(now()),
        source: "api",
      });
      fetched++;
      networkFailuresInARow = 0;
    } catch (error) {
      if (!(error instanceof DiscogsError)) throw error;
      networkFailuresInARow = error.kind === "network" ? networkFailuresInARow + 1 : 0;
      if (error.kind === "not_found") {
        // Remember the 404 (with Discogs' message) so the next run does not ask again.
        await putResponse(db, {
          url: key,
          status: 404,
          body: error.body?.trim() ? error.body : JSON.stringify({ message: error.message }),
          fetchedAt: new Date(now()),
          source: "api",
        });
        missing++;
      } else if (error.kind === "unauthorized") {
        throw error;
      } else {
        failed++;
        options.onFailure?.(releaseId, error);
        if (networkFailuresInARow >= unreachableAfter) {
          unreachable = client.redact(networkReason(error));
          report(i + 1);
          break;
        }
      }
    }
    report(i + 1);
  }
  const elapsedMs = now() - start;
  const requests = client.stats.requests - before.requests;
  return {
    total,
    fromCache: total - todo.length,
    fetched,
    missing,
    failed,
    rateLimited429: client.stats.responses429 - before.responses429,
    retries: client.stats.retries - before.retries,
    requests,
    elapsedMs,
    effectiveRatePerMin: elapsedMs > 0 ? (requests * 60_000) / elapsedMs : 0,
    allowedRatePerMin: client.pacer.allowedPerMinute(),
    stopped: stopped || unreachable !== undefined,
    ...(unreachable === undefined ? {} : { unreachable }),
  };
}
