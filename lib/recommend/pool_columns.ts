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

/** The price weight a gem query ranks under unless asked otherwise (`gemScores`, the slider's rest). */
export const DEFAULT_PRICE_WEIGHT = 1;

/** The value term of every pool record under one price weight, with its mean and spread. */
export interface ValueColumn {
  /** log(demand × 1 / (price × w + 1) + 1e-6); the pool's mean where nothing is known. */
  values: Float64Array;
  mean: number;
  sd: number;
}

/**
 * The gem score's value term under `priceWeight` (see `gemScores`), with the mean and spread it
 * is z-scored with. Under the default weight it depends on the pool alone, so that one is kept
 * with the pool's columns (computed once, e.g. while a first query's shelves cluster on the
 * helper thread); read it, do not write to it. Under any other weight it is computed afresh.
 */
export function valueColumn(
  pool: readonly Candidate[],
  priceWeight = DEFAULT_PRICE_WEIGHT,
): ValueColumn {
  const market = poolMarket(pool);
  if (priceWeight !== DEFAULT_PRICE_WEIGHT) return computeValue(market, priceWeight);
  let kept = DEFAULT_VALUES.get(market);
  if (!kept) DEFAULT_VALUES.set(market, kept = computeValue(market, priceWeight));
  return kept;
}

const DEFAULT_VALUES = new WeakMap<PoolMarket, ValueColumn>();

function computeValue(market: PoolMarket, priceWeight: number): ValueColumn {
  const { demand, price, noMarket } = market;
  const n = demand.length;
  // Value, summed for its mean in the same order as meanSd.
  const value = new Float64Array(n);
  let sum = 0;
  let known = 0;
  for (let i = 0; i < n; i++) {
    // valueScore = demand × 1 / (price × w + 1). The floor keeps a want of 0 (value 0) from
    // becoming -Infinity and poisoning the z-scores.
    if (noMarket[i]) continue;
    const v = Math.log(demand[i] * (1 / (price[i] * priceWeight + 1)) + 1e-6);
    value[i] = v;
    sum += v;
    known++;
  }
  if (known < n) {
    // A record nothing is known of (a catalogue candidate not priced yet) gets the pool's mean
    // value: neutral, neither the imputed defaults' guess nor a penalty.
    const mean = known ? sum / known : 0;
    for (let i = 0; i < n; i++) if (noMarket[i]) value[i] = mean;
    sum += mean * (n - known);
  }
  const meanValue = sum / (n || 1);
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (value[i] - meanValue) ** 2;
  return { values: value, mean: meanValue, sd: Math.sqrt(variance / (n || 1)) || 1 };
}
