/**
 * The raw response cache (`http_cache`): the single store both enrichment paths write — recorded
 * JSONL bodies imported offline, and live API responses — and that the `releases` table is built
 * from. Keys are request paths relative to the API base, so the same cache serves the real API,
 * the fake test server and recordings.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";

/** DDL for the cache table. */
export const HTTP_CACHE_DDL = await Deno.readTextFile(new URL("./cache.sql", import.meta.url));

/** Default marketplace currency (Discogs `curr_abbr`). */
export const DEFAULT_CURRENCY = "USD";

/** Currencies Discogs accepts as `curr_abbr`. */
export const CURRENCIES = [
  "USD",
  "GBP",
  "EUR",
  "CAD",
  "AUD",
  "JPY",
  "CHF",
  "MXN",
  "BRL",
  "NZD",
  "SEK",
  "ZAR",
] as const;

/** A cached response. */
export interface CachedResponse {
  url: string;
  status: number;
  body: string | null;
  fetchedAt: Date;
  source: string;
}

/** Cache key of `GET /releases/{id}` in a currency. */
export function releaseKey(releaseId: number, currency: string = DEFAULT_CURRENCY): string {
  return `/releases/${releaseId}?curr_abbr=${currency}`;
}

/** Create the cache table if needed. */
export async function ensureCache(db: Database): Promise<void> {
  await db.run(HTTP_CACHE_DDL);
}

/** Store one response (insert or replace), committed immediately. */
export async function putResponse(db: Database, response: CachedResponse): Promise<void> {
  await db.run(
    `INSERT OR REPLACE INTO http_cache (url, status, body, fetched_at, source)
     VALUES ($url, $status, $body, $fetched_at::TIMESTAMPTZ, $source)`,
    {
      url: response.url,
      status: response.status,
      body: response.body,
      fetched_at: response.fetchedAt.toISOString(),
      source: response.source,
    },
  );
}

/** Look up one response by key. */
export async function getResponse(db: Database, url: string): Promise<CachedResponse | undefined> {
  const row = await db.one<
    { url: string; status: number; body: string | null; fetched_at: Date; source: string }
  >(
    "SELECT url, status, body, fetched_at, source FROM http_cache WHERE url = $url",
    { url },
  );
  return row && {
    url: row.url,
    status: row.status,
    body: row.body,
    fetchedAt: new Date(row.fetched_at),
    source: row.source,
  };
}

/**
 * The stored responses of many URLs in one query (those not stored are absent): for a loop about
 * to ask the cache for each of them, one read instead of one per URL.
 */
export async function getResponses(
  db: Database,
  urls: readonly string[],
): Promise<Map<string, CachedResponse>> {
  const found = new Map<string, CachedResponse>();
  if (urls.length === 0) return found;
  const rows = await db.all<
    { url: string; status: number; body: string | null; fetched_at: Date; source: string }
  >(
    `SELECT url, status, body, fetched_at, source FROM http_cache
     WHERE url IN (SELECT unnest($urls::JSON::VARCHAR[]))`,
    { urls: JSON.stringify(urls) },
  );
  for (const row of rows) {
    found.set(row.url, {
      url: row.url,
      status: row.status,
      body: row.body,
      fetchedAt: new Date(row.fetched_at),
      source: row.source,
    });
  }
  return found;
}

/**
 * Release ids Discogs answered 404 for (in any currency): enriching them again cannot help, so
 * warnings must not suggest it.
 */
export async function notFoundReleaseIds(db: Database): Promise<Set<number>> {
  if (!(await db.tableExists("http_cache"))) return new Set();
  const rows = await db.all<{ id: number }>(
    `SELECT DISTINCT TRY_CAST(regexp_extract(url, '^/releases/(\\d+)', 1) AS BIGINT) AS id
     FROM http_cache WHERE status = 404 AND starts_with(url, '/releases/')`,
  );
  return new Set(rows.map((r) => Number(r.id)).filter((id) => Number.isFinite(id)));
}
