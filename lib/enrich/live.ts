/**
 * The live step of enrichment: fetch every needed release that has no fresh cached answer,
 * with an ETA before the first request, progress while it runs and a summary at the end.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { DiscogsClient } from "../discogs/client.ts";
import {
  describeFetch,
  fetchReleasesIntoCache,
  type FetchSummary,
  releasesToFetch,
} from "../discogs/fetch_releases.ts";
import { progress } from "../cli/progress.ts";
import { UserFacingError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { neededReleaseIds } from "./mod.ts";

/** Exit code when Discogs cannot be reached (EX_TEMPFAIL: try again later). */
export const EXIT_UNREACHABLE = 75;

/** Options for {@link fetchMissingReleases}. */
export interface LiveOptions {
  currency: string;
  /** `--max-age`: re-fetch anything older. Absent: the client's default freshness rules. */
  maxAgeMs?: number;
  log: Logger;
  /** Defaults to a client configured from the environment. */
  client?: DiscogsClient;
}

/**
 * Fetch the collection's and wantlist's releases that the cache lacks (or holds stale).
 * Returns the fetch summary, or undefined when nothing needed fetching.
 */
export async function fetchMissingReleases(
  db: Database,
  options: LiveOptions,
): Promise<FetchSummary | undefined> {
  const needed = await neededReleaseIds(db);
  if (needed === null) return undefined;
  const freshness = options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs };
  const todo = await releasesToFetch(db, needed, options.currency, freshness);
  if (todo.length === 0) {
    options.log.info(`all ${needed.length} releases are cached and fresh: nothing to fetch`);
    return undefined;
  }
  const client = options.client ?? DiscogsClient.fromEnv();
  options.log.info(
    `fetching from ${client.baseUrl} ` +
      `(${client.authenticated ? "with your token" : "no DISCOGS_TOKEN: the anonymous limit"})`,
  );
  const bar = progress("[enrich] fetching");
  bar.start(todo.length, client.pacer.allowedPerMinute());
  // Ctrl-C: finish and commit the request in flight, then stop; the next run resumes from there.
  let interrupted = false;
  const onInterrupt = () => (interrupted = true);
  Deno.addSignalListener("SIGINT", onInterrupt);
  const summary = await fetchReleasesIntoCache(db, client, needed, {
    currency: options.currency,
    ...freshness,
    shouldStop: () => interrupted,
    onProgress: (p) =>
      bar.update({
        done: p.done,
        total: p.total,
        ratePerMinute: p.ratePerMinute,
        etaMs: p.etaMs,
        rateLimited: p.rateLimited,
        failed: p.failed,
      }),
    onFailure: (id, error) => options.log.warn(`release ${id}: ${client.redact(error.message)}`),
  }).finally(() => Deno.removeSignalListener("SIGINT", onInterrupt));
  bar.done(`[enrich] ${describeFetch(summary)}`);
  if (summary.unreachable !== undefined) {
    throw new UserFacingError(
      `cannot reach Discogs (${summary.unreachable}): nothing lost, run the same command ` +
        `again when online (${summary.fetched} releases fetched and saved this run; the next ` +
        `run fetches the other ${todo.length - summary.fetched - summary.missing})`,
      EXIT_UNREACHABLE,
    );
  }
  if (summary.stopped) {
    throw new UserFacingError(
      `interrupted: ${summary.fetched} releases fetched and saved; run the same command again to fetch the rest`,
      130,
    );
  }
  return summary;
}
