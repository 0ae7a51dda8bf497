/**
 * Shortlist pricing: the candidates about to be served get `GET /releases/{id}` (cached like
 * enrichment), so every pick shows its lowest price and copies for sale — or that none is for
 * sale — and value and `--budget` apply to real prices. Candidates without a Discogs release id
 * (rows of CSV pools) are first matched to a release by search (token needed), so that every
 * served pick links to Discogs; a match the collection owns leaves the pool.
 *
 * @example
 * ```ts
 * const report = await priceShortlist(db, ["release:1", "csv:abc"], { client, offline: false, budget: 80 });
 * console.log(report.priced, report.matched);
 * ```
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { cachedGet } from "../discogs/cached_get.ts";
import { DEFAULT_CURRENCY, ensureCache, getResponses, releaseKey } from "../discogs/cache.ts";
import type { DiscogsClient } from "../discogs/client.ts";
import { normalizeRelease } from "../discogs/release.ts";
import { searchPath, splitSearchTitle } from "../discogs/search.ts";

/** Prices older than this are fetched again (listings come and go within days). */
export const PRICE_MAX_AGE_MS = 7 * 86_400_000;

/** Options for {@link priceShortlist}. */
export interface ShortlistOptions {
  client?: DiscogsClient;
  offline: boolean;
  /** Requests allowed (cache hits are free). */
  budget: number;
  currency?: string;
  /** Whether a token is set (matching by search needs one). */
  authenticated?: boolean;
}

/** What {@link priceShortlist} did. */
export interface ShortlistReport {
  /** Candidates looked at. */
  shortlisted: number;
  /** Candidates without an id that search matched to a release. */
  matched: number;
  /** Candidates still without a Discogs release id. */
  withoutId: number;
  /** Candidates whose release body (price, copies for sale) is now known. */
  priced: number;
  /** Of those, releases with no copy for sale. */
  noneForSale: number;
  /** Matches the collection owns, removed from the pool. */
  ownedRemoved: number;
  requests: number;
  fromCache: number;
  /** Candidates left unpriced because the budget ran out. */
  overBudget: number;
  failed: number;
}

interface Row {
  pool_key: string;
  release_id: number | null;
  artist: string | null;
  title: string | null;
}

const norm = (s: string) =>
  s.toLowerCase().replace(/ \(\d+\)/g, "").replace(/[*'’"]/g, "").replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/** The release id of the search result that is this artist's record of this title, if any. */
export function matchSearchResult(
  body: unknown,
  artist: string,
  title: string,
): number | null {
  const results = (body as { results?: unknown })?.results;
  if (!Array.isArray(results)) return null;
  for (const raw of results) {
    const item = (raw ?? {}) as Record<string, unknown>;
    if (item.type !== "release" || typeof item.title !== "string") continue;
    const split = splitSearchTitle(item.title);
    if (!split) continue;
    if (norm(split.title) !== norm(title)) continue;
    const a = norm(split.artist);
    const b = norm(artist);
    if (a === b || a.startsWith(b + " ") || b.startsWith(a + " ")) {
      const id = Number(item.id);
      if (Number.isInteger(id) && id > 0) return id;
    }
  }
  return null;
}

/** What the collection owns, by release and by master (a match to either leaves the pool). */
const OWNED_SQL = `
  SELECT DISTINCT c.release_id, r.master_id
  FROM collection c LEFT JOIN releases r USING (release_id)`;

const UPDATE_SQL = `
  UPDATE pool SET
    release_id = $release_id,
    master_id = coalesce($master_id, master_id),
    have = coalesce($have, have),
    want = coalesce($want, want),
    lowest_price = $lowest_price,
    num_for_sale = coalesce($num_for_sale, 0),
    currency = $currency,
    genres = CASE WHEN len(genres) = 0 THEN $genres::JSON::VARCHAR[] ELSE genres END,
    styles = CASE WHEN len(styles) = 0 THEN $styles::JSON::VARCHAR[] ELSE styles END,
    year = coalesce(year, $year),
    country = coalesce(country, $country),
    discogs_url = $discogs_url
  WHERE pool_key = $key`;

/**
 * Match, then price, the pool candidates `keys` (best first), updating the `pool` table in
 * place. Without a client (offline) only cached answers are used.
 */
export async function priceShortlist(
  db: Database,
  keys: readonly string[],
  options: ShortlistOptions,
): Promise<ShortlistReport> {
  const currency = options.currency ?? DEFAULT_CURRENCY;
  const client = options.offline ? undefined : options.client;
  const authenticated = options.authenticated ?? client?.authenticated ?? false;
  const report: ShortlistReport = {
    shortlisted: keys.length,
    matched: 0,
    withoutId: 0,
    priced: 0,
    noneForSale: 0,
    ownedRemoved: 0,
    requests: 0,
    fromCache: 0,
    overBudget: 0,
    failed: 0,
  };
  if (keys.length === 0) return report;
  await ensureCache(db);
  const rows = await db.all<Row>(
    "SELECT pool_key, release_id, artist_display AS artist, title FROM pool WHERE list_contains($keys::JSON::VARCHAR[], pool_key)",
    { keys: JSON.stringify(keys) },
  );
  const byKey = new Map(rows.map((r) => [r.pool_key, r]));
  const owned = await db.all<{ release_id: number; master_id: number | null }>(OWNED_SQL);
  const ownedReleases = new Set(owned.map((o) => Number(o.release_id)));
  const ownedMasters = new Set(
    owned.flatMap((o) => (o.master_id === null ? [] : [Number(o.master_id)])),
  );
  // The bodies of the shortlist's known release ids, read from the cache in one query.
  const bodies = keys.flatMap((k) => {
    const id = byKey.get(k)?.release_id;
    return id ? [releaseKey(id, currency)] : [];
  });
  const known = { read: new Set(bodies), stored: await getResponses(db, bodies) };
  const get = async (path: string, maxAgeMs?: number) => {
    const got = await cachedGet(db, path, {
      client,
      offline: options.offline,
      maxAgeMs,
      mayFetch: report.requests < options.budget,
      known,
    });
    if (got.requested) report.requests++;
    if (got.fromCache) report.fromCache++;
    if (got.error) report.failed++;
    if (got.status === 0 && !got.error && !got.fromCache && client) report.overBudget++;
    return got;
  };
  for (const key of keys) {
    const row = byKey.get(key);
    if (!row) continue;
    let releaseId = row.release_id;
    if (!releaseId && authenticated && row.artist && row.title) {
      const got = await get(
        searchPath({ type: "release", artist: row.artist, release_title: row.title }, 1, 10),
      );
      if (got.status === 200 && got.body) {
        releaseId = matchSearchResult(JSON.parse(got.body), row.artist, row.title);
        if (releaseId) report.matched++;
      }
    }
    if (!releaseId) {
      report.withoutId++;
      continue;
    }
    const got = await get(releaseKey(releaseId, currency), PRICE_MAX_AGE_MS);
    const parsed = got.status === 200 && got.body ? safeJson(got.body) : undefined;
    const result = parsed === undefined
      ? undefined
      : normalizeRelease(parsed, currency, new Date());
    const release = result && "release" in result ? result.release : undefined;
    if (!release) {
      if (releaseId !== row.release_id) {
        await db.run("UPDATE pool SET release_id = $id, discogs_url = $url WHERE pool_key = $key", {
          id: releaseId,
          url: `https://www.discogs.com/release/${releaseId}`,
          key,
        });
      }
      continue;
    }
    if (
      ownedReleases.has(releaseId) ||
      (release.masterId !== null && ownedMasters.has(release.masterId))
    ) {
      await db.run("DELETE FROM pool WHERE pool_key = $key", { key });
      report.ownedRemoved++;
      continue;
    }
    await db.run(UPDATE_SQL, {
      key,
      release_id: releaseId,
      master_id: release.masterId,
      have: release.have,
      want: release.want,
      lowest_price: release.lowestPrice,
      num_for_sale: release.numForSale,
      currency,
      genres: JSON.stringify(release.genres),
      styles: JSON.stringify(release.styles),
      year: release.year,
      country: release.country,
      discogs_url: `https://www.discogs.com/release/${releaseId}`,
    });
    report.priced++;
    if (!release.numForSale) report.noneForSale++;
  }
  return report;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
