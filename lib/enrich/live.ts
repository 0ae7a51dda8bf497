/**
 * The live step of enrichment: fetch every needed release that has no fresh cached answer,
 * with an ETA before the first request, progress while it runs and a summary at the end.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { DiscogsClient } from "../discogs/client.ts";
import {
  etaForReleases,
  fetchReleasesIntoCache,
  type FetchSummary,
  releasesToFetch,
} from "../discogs/fetch_releases.ts";
import { formatDuration, progress } from "../cli/progress.ts";
import { UserFacingError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { neededReleaseIds } from "./mod.ts";

/** Options for {@link fetchMissingReleases}. */
export interface LiveOptions {
  currency: string;
  maxAgeMs: number;
  log: Logger;
  /** Defaults to a client configured from the environment. */
  client?: DiscogsClient;
}

/**
 * Fetch the collection's and wantlist's releases that the cache lacks (or holds older than
 * `maxAgeMs`). Returns the fetch summary, or undefined when nothing needed fetching.
 */
export async function fetchMissingReleases(
  db: Database,
  options: LiveOptions,
): Promise<FetchSummary | undefined> {
  const needed = await neededReleaseIds(db);
  if (needed === null) return undefined;
  const todo = await releasesToFetch(db, needed, options.currency, options.maxAgeMs);
  if (todo.length === 0) {
    options.log.info(`all ${needed.length} releases are cached and fresh: nothing to fetch`);
    return undefined;
  }
  const client = options.client ?? DiscogsClient.fromEnv();
  const allowed = client.pacer.allowedPerMinute();
  options.log.info(
    `fetching ${todo.length} releases from ${client.baseUrl} at up to ${Math.floor(allowed)}/min ` +
      `(${client.authenticated ? "with your token" : "no DISCOGS_TOKEN: the anonymous limit"}): ` +
      `about ${formatDuration(etaForReleases(todo.length, allowed))}`,
  );
  const bar = progress("[enrich] fetching");
  // Ctrl-C: finish and commit the request in flight, then stop; the next run resumes from there.
  let interrupted = false;
  const onInterrupt = () => (interrupted = true);
  Deno.addSignalListener("SIGINT", onInterrupt);
  const summary = await fetchReleasesIntoCache(db, client, needed, {
    shouldStop: () => interrupted,
    currency: options.currency,
    maxAgeMs: options.maxAgeMs,
    onProgress: (p) =>
      bar.update({
        done: p.done,
        total: p.total,
        ratePerMinute: p.elapsedMs > 0 ? (p.done * 60_000) / p.elapsedMs : 0,
        etaMs: p.etaMs,
        rateLimited: p.rateLimited,
        failed: p.failed,
      }),
    onFailure: (id, error) => options.log.warn(`release ${id}: ${client.redact(error.message)}`),
  }).finally(() => Deno.removeSignalListener("SIGINT", onInterrupt));
  bar.done(
    `[enrich] fetched ${summary.fetched}, from cache ${summary.fromCache}, not found ${summary.missing}, ` +
      `failed ${summary.failed}, 429s ${summary.rateLimited429}, ` +
      `rate ${summary.effectiveRatePerMin.toFixed(1)}/min of ${
        summary.allowedRatePerMin.toFixed(1)
      } allowed ` +
      `in ${formatDuration(summary.elapsedMs)}`,
  );
  if (summary.stopped) {
    throw new UserFacingError(
      `interrupted: ${summary.fetched} releases fetched and saved; run the same command again to fetch the rest`,
      130,
    );
  }
  return summary;
}
