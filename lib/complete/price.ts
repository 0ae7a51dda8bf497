/**
 * The cheapest path: for the missing entries of the sets (nearest to complete first), the
 * release bodies of their pressings in the collected format (`GET /releases/{id}`, cached 7 days
 * like the recommender's shortlist prices, under the same cache key as enrichment), within
 * `--price-budget` bodies. Round by round: the most-collected pressing of every missing entry
 * first, then the next pressing of each, up to {@link PRESSINGS_PER_ENTRY}. Cached bodies count
 * against the budget like fetched ones (as listing pages do), so the same run prices the same
 * pressings every time: a second run costs no request, and `--offline` replays the same prices.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { cachedGet } from "../discogs/cached_get.ts";
import { releaseKey } from "../discogs/cache.ts";
import type { DiscogsClient } from "../discogs/client.ts";
import { normalizeRelease } from "../discogs/release.ts";
import { PRICE_MAX_AGE_MS } from "../pool/shortlist.ts";
import type { Candidate } from "./fold.ts";
import { inFormat } from "./format.ts";
import type { RequestReport } from "./types.ts";

/** Pressings of one missing album priced at most. */
export const PRESSINGS_PER_ENTRY = 3;

/** The automatic price budget: one body per missing entry, at most this many. */
export const AUTO_PRICE_BUDGET_MAX = 200;

/** What is known of one missing entry's cheapest copy. */
export interface EntryPrice {
  /** Pressings whose body was read (in the collected format). */
  pressingsPriced: number;
  cheapestReleaseId: number | null;
  lowestPrice: number | null;
  /** Copies for sale of the cheapest pressing (0 when none of the priced ones is for sale). */
  numForSale: number | null;
}

/** A price Discogs gave for one release. */
interface ReleasePrice {
  lowestPrice: number | null;
  numForSale: number;
  inFormat: boolean;
}

/** Options for {@link priceMissing}. */
export interface PriceOptions {
  db: Database;
  client?: DiscogsClient;
  offline: boolean;
  budget: number;
  currency: string;
  format: string;
  report: RequestReport;
  onFailure?(path: string, message: string): void;
}

/**
 * Price `entries` (each a list of candidate pressings, best first; keyed by the caller) within
 * the budget. Returns what is known per key; keys with no pressing read are absent.
 */
export async function priceMissing(
  entries: readonly { key: string; candidates: readonly Candidate[] }[],
  options: PriceOptions,
): Promise<Map<string, EntryPrice>> {
  const bodies = new Map<number, ReleasePrice | null>();
  const prices = new Map<string, EntryPrice>();
  const read = async (releaseId: number): Promise<ReleasePrice | null> => {
    if (bodies.has(releaseId)) return bodies.get(releaseId)!;
    options.report.planned++;
    const path = releaseKey(releaseId, options.currency);
    const got = await cachedGet(options.db, path, {
      client: options.client,
      offline: options.offline,
      maxAgeMs: PRICE_MAX_AGE_MS,
    });
    if (got.requested) options.report.requests++;
    if (got.fromCache) options.report.fromCache++;
    if (got.error) {
      options.report.failed++;
      options.onFailure?.(path, got.error.message);
    }
    let price: ReleasePrice | null = null;
    if (got.status === 200 && got.body) {
      const result = normalizeRelease(safeJson(got.body), options.currency, new Date());
      if ("release" in result) {
        const r = result.release;
        price = {
          lowestPrice: r.lowestPrice,
          numForSale: r.numForSale ?? 0,
          inFormat: r.formats.length === 0 ||
            inFormat(r.formats.join(", "), options.format) !== false,
        };
      }
    }
    bodies.set(releaseId, price);
    return price;
  };
  for (let round = 0; round < PRESSINGS_PER_ENTRY; round++) {
    for (const entry of entries) {
      const candidate = entry.candidates[round];
      if (!candidate) continue;
      if (!bodies.has(candidate.releaseId) && options.report.planned >= options.budget) continue;
      const price = await read(candidate.releaseId);
      if (!price || !price.inFormat) continue;
      const known = prices.get(entry.key) ??
        { pressingsPriced: 0, cheapestReleaseId: null, lowestPrice: null, numForSale: 0 };
      known.pressingsPriced++;
      const forSale = price.numForSale > 0 && price.lowestPrice !== null;
      if (
        forSale && (known.lowestPrice === null || price.lowestPrice! < known.lowestPrice ||
          (price.lowestPrice === known.lowestPrice &&
            candidate.releaseId < (known.cheapestReleaseId ?? Infinity)))
      ) {
        known.cheapestReleaseId = candidate.releaseId;
        known.lowestPrice = price.lowestPrice;
        known.numForSale = price.numForSale;
      }
      prices.set(entry.key, known);
    }
  }
  return prices;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
