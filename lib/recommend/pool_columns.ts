/**
 * A pool's market facts as typed columns, read once per pool rather than once per context: each
 * record's demand per copy and price as the value formula reads them, and whether anything of
 * its market is known. They depend on the pool alone, so a second collection (or a fresh context,
 * an evaluation fold) ranked against the same pool does not read a million candidate objects
 * again. Kept beside the pool array itself (a `WeakMap` keyed by it), so they go when it goes.
 *
 * @example
 * ```ts
 * const pool = await loadPoolCandidates(db);
 * poolMarket(pool); // now, while loading; every context over `pool` then reads these columns
 * ```
 *
 * @module
 */

import { IMPUTED_DEFAULTS } from "../score/formulas.ts";
import type { Candidate } from "./candidates.ts";
import { hasNoMarketData } from "./lists.ts";

/** The market facts of every pool record, by pool index. */
export interface PoolMarket {
  /** want′ / (have′ + 1), as `valueScore` computes it (missing counts imputed). */
  demand: Float64Array;
  /** price′ (a missing lowest price imputed). */
  price: Float64Array;
  /** 1 where nothing of the market is known (a catalogue candidate not priced yet). */
  noMarket: Uint8Array;
}

const MARKETS = new WeakMap<readonly Candidate[], PoolMarket>();

const knownOr = (value: number | null, fallback: number) =>
  value !== null && Number.isFinite(value) ? value : fallback;

/**
 * The market columns of `pool`, computed on the first call for this array and kept with it. The
 * pool's candidates must not change afterwards (a changed pool is a new array), as a context's
 * must not.
 */
export function poolMarket(pool: readonly Candidate[]): PoolMarket {
  const cached = MARKETS.get(pool);
  if (cached && cached.demand.length === pool.length) return cached;
  const n = pool.length;
  const demand = new Float64Array(n);
  const price = new Float64Array(n);
  const noMarket = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = pool[i];
    // valueScore's inputs with its imputed defaults (gems_reference_test holds them equal).
    demand[i] = knownOr(c.want, IMPUTED_DEFAULTS.want) /
      (knownOr(c.have, IMPUTED_DEFAULTS.have) + 1);
    price[i] = knownOr(c.lowestPrice, IMPUTED_DEFAULTS.lowestPrice);
    noMarket[i] = hasNoMarketData(c) ? 1 : 0;
  }
  const market = { demand, price, noMarket };
  MARKETS.set(pool, market);
  return market;
}
