/**
 * One cached GET for the candidate sources (search pages, artist and label listings, shortlist
 * prices): answer from `http_cache` when the stored response is fresh enough, else ask Discogs
 * (when online and allowed) and store the answer. A 404 is stored too, so a missing listing is
 * not asked for again within the same time.
 *
 * @example
 * ```ts
 * const got = await cachedGet(db, "/labels/1/releases?page=1&per_page=100", { client, offline: false });
 * if (got.status === 200) console.log(JSON.parse(got.body!));
 * ```
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { type CachedResponse, getResponse, putResponse } from "./cache.ts";
import { type DiscogsClient, DiscogsError } from "./client.ts";

/** Pages of search results and listings older than this are fetched again. */
export const CANDIDATE_MAX_AGE_MS = 30 * 86_400_000;

/** Options for {@link cachedGet}. */
export interface CachedGetOptions {
  /** Needed to fetch; without one (or offline) only the cache answers. */
  client?: DiscogsClient;
  offline: boolean;
  /** How old a stored answer may be (default {@link CANDIDATE_MAX_AGE_MS}). */
  maxAgeMs?: number;
  /** When false, a cache miss is not fetched (the budget is spent). */
  mayFetch?: boolean;
  /**
   * The cache as read ahead for the paths `read` lists (`getResponses`): a listed path absent
   * from `stored` is not in the cache. What this call stores is added to it.
   */
  known?: { read: ReadonlySet<string>; stored: Map<string, CachedResponse> };
  now?: () => number;
}

/** What {@link cachedGet} found. */
export interface CachedGet {
  /** 200, 404, or 0 when there is no answer (not cached and not fetched, or the request failed). */
  status: number;
  body: string | null;
  /** Whether a request was sent. */
  requested: boolean;
  fromCache: boolean;
  /** A failure that is not the collector's to fix (5xx, network), for the warnings. */
  error?: DiscogsError;
}

/**
 * GET `path` through the cache. Throws only what the collector must fix (a refused token);
 * other failures come back as `status: 0` with the error.
 */
export async function cachedGet(
  db: Database,
  path: string,
  options: CachedGetOptions,
): Promise<CachedGet> {
  const now = options.now ?? Date.now;
  const known = options.known;
  const cached = known?.read.has(path) ? known.stored.get(path) : await getResponse(db, path);
  const put = async (response: CachedResponse) => {
    await putResponse(db, response);
    known?.stored.set(response.url, response);
  };
  const maxAge = options.maxAgeMs ?? CANDIDATE_MAX_AGE_MS;
  if (
    cached && (cached.status === 200 || cached.status === 404) &&
    now() - cached.fetchedAt.getTime() < maxAge
  ) {
    return { status: cached.status, body: cached.body, requested: false, fromCache: true };
  }
  if (options.offline || !options.client || options.mayFetch === false) {
    // Offline, an old answer is better than none.
    if (cached && (cached.status === 200 || cached.status === 404)) {
      return { status: cached.status, body: cached.body, requested: false, fromCache: true };
    }
    return { status: 0, body: null, requested: false, fromCache: false };
  }
  try {
    const response = await options.client.get(path);
    await put({
      url: path,
      status: response.status,
      body: response.bodyText,
      fetchedAt: new Date(now()),
      source: "api",
    });
    return { status: response.status, body: response.bodyText, requested: true, fromCache: false };
  } catch (error) {
    if (!(error instanceof DiscogsError)) throw error;
    if (error.kind === "not_found") {
      await put({
        url: path,
        status: 404,
        body: error.body,
        fetchedAt: new Date(now()),
        source: "api",
      });
      return { status: 404, body: error.body, requested: true, fromCache: false };
    }
    if (error.kind === "unauthorized") throw error;
    return { status: 0, body: null, requested: true, fromCache: false, error };
  }
}
