/**
 * **Taste-aligned gems**: taste fit (token lift, see `taste.ts`) plus similarity to the nearest
 * taste shelf (the collection clustered into shelves, so an eclectic collector is not averaged
 * into mush) plus the value score under the price-sensitivity weight; the shortlist is then
 * re-ranked with a local neighbour term (mean cosine to the closest few records owned) and
 * diversified with MMR and at most two records per artist. The one list the evaluation harness
 * measures (`next-spin gems`).
 *
 * @module
 */

import { dotRows, topK } from "../../embed/similarity.ts";
import { IMPUTED_DEFAULTS } from "../../score/formulas.ts";
import { nearestShelf, type RecommendContext } from "../context.ts";
import {
  diversify,
  eligible,
  hasNoMarketData,
  meanSd,
  sharedTokens,
  valueFacts,
} from "../lists.ts";
import type { ListOptions, Recommendation, Recommender } from "../recommender.ts";
import { GEM_TASTE_FIELD_WEIGHTS, tasteScores } from "../taste.ts";
import { GEM_SIGNALS, type GemSignal } from "../signals/mod.ts";

/** Weights of the gem score's parts (defaults chosen on the evaluation harness). */
export interface GemWeights {
  taste: number;
  centroid: number;
  value: number;
  /** The local neighbour term, added on the shortlist (see {@link gemScores}). */
  neighbours: number;
  /**
   * Weights of the registered gem signals by name (`lib/recommend/signals/`); a signal not named
   * here counts its `defaultWeight`.
   */
  signals?: Readonly<Record<string, number>>;
}

/**
 * Default gem weights: taste fit leads, shelf similarity and the nearest owned records refine,
 * value tips the balance. Measured with `deno task evaluate` (5 folds, both fixture collections):
 * a heavier value or shelf weight pushes records the collectors really own out of the top 50.
 */
export const DEFAULT_GEM_WEIGHTS: GemWeights = {
  taste: 1,
  centroid: 0.15,
  value: 0.1,
  neighbours: 0.2,
};

/** How many owned records the neighbour term averages over. */
export const NEIGHBOURS = 3;

/**
 * How many records the neighbour term re-ranks by default; `recommendGems` widens it to its MMR
 * window (400 for a top 50), so every record the list can pick has the term.
 */
export const SHORTLIST = 200;

/** Options for {@link gemScores}. */
export interface GemScoreOptions {
  /** Only these records compete for the shortlist (e.g. within budget). */
  eligible?: (i: number) => boolean;
  /** Shortlist size (default {@link SHORTLIST}). */
  shortlist?: number;
}

/**
 * What a gem query needs that does not depend on the price weight, computed once per context
 * (the first query) and kept for the next (a slider, another budget): the taste fit and shelf
 * similarity columns with their means and spreads, each record's demand per copy and price as
 * the value formula reads them, and the neighbour term of every record a shortlist has asked for.
 */
interface GemColumns {
  taste: Float64Array;
  centroid: Float64Array;
  tasteStats: { mean: number; sd: number };
  centroidStats: { mean: number; sd: number };
  /** want′ / (have′ + 1), as `valueScore` computes it (missing counts imputed). */
  demand: Float64Array;
  /** price′ (a missing lowest price imputed). */
  price: Float64Array;
  /** 1 where nothing of the market is known (a catalogue candidate not priced yet). */
  noMarket: Uint8Array;
  /** Each registered signal's column with its mean and spread, computed when first weighed. */
  signals: Map<string, { values: Float64Array; mean: number; sd: number }>;
  /** Taste, shelf and signal terms of the score under the last weights asked for. */
  base: { key: string; values: Float64Array } | null;
  /** Neighbour similarity by pool index, filled as shortlists ask. */
  neighbours: Map<number, number>;
}

// Keyed by the context object: a context built anew (or spread into a new object) gets its own.
const COLUMNS = new WeakMap<RecommendContext, GemColumns>();

const knownOr = (value: number | null, fallback: number) =>
  value !== null && Number.isFinite(value) ? value : fallback;

function gemColumns(ctx: RecommendContext): GemColumns {
  const cached = COLUMNS.get(ctx);
  if (cached) return cached;
  const n = ctx.pool.length;
  const k = ctx.clustering.k;
  // Taste fit on typed arrays: the same sums as tasteFit, without per-record string work.
  const taste = tasteScores(
    ctx.tokenLift,
    ctx.tokenField,
    ctx.poolTokens,
    ctx.unseenLift,
    undefined,
    { fieldWeights: GEM_TASTE_FIELD_WEIGHTS, imputeMissing: true },
  );
  const centroid = new Float64Array(n);
  const demand = new Float64Array(n);
  const price = new Float64Array(n);
  const noMarket = new Uint8Array(n);
  const sims = ctx.centroidSims;
  const pool = ctx.pool;
  for (let i = 0; i < n; i++) {
    const at = i * k;
    let best = sims[at];
    for (let c = 1; c < k; c++) {
      const s = sims[at + c];
      best = s > best ? s : best; // the same choice as an if, with fewer mispredicted branches
    }
    centroid[i] = best;
    const c = pool[i];
    // valueScore's inputs with its imputed defaults (the reference test holds them equal).
    demand[i] = knownOr(c.want, IMPUTED_DEFAULTS.want) /
      (knownOr(c.have, IMPUTED_DEFAULTS.have) + 1);
    price[i] = knownOr(c.lowestPrice, IMPUTED_DEFAULTS.lowestPrice);
    noMarket[i] = hasNoMarketData(c) ? 1 : 0;
  }
  const columns: GemColumns = {
    taste,
    centroid,
    tasteStats: meanSd(taste),
    centroidStats: meanSd(centroid),
    demand,
    price,
    noMarket,
    signals: new Map(),
    base: null,
    neighbours: new Map(),
  };
  COLUMNS.set(ctx, columns);
  return columns;
}

/**
 * The gem weights a context ranks under: the defaults, with the context's signal weights (the
 * harness's `--signals`) over the signals' own defaults.
 */
export function gemWeightsOf(ctx: RecommendContext): GemWeights {
  return ctx.signalWeights
    ? { ...DEFAULT_GEM_WEIGHTS, signals: { ...DEFAULT_GEM_WEIGHTS.signals, ...ctx.signalWeights } }
    : DEFAULT_GEM_WEIGHTS;
}

/** The weight of each registered signal under `weights`, in registry order. */
function signalWeights(weights: GemWeights): [GemSignal, number][] {
  return GEM_SIGNALS.map((s) => [s, weights.signals?.[s.name] ?? s.defaultWeight]);
}

/** A signal's column (with mean and spread), computed once per context. */
export function signalColumn(
  ctx: RecommendContext,
  signal: GemSignal,
): { values: Float64Array; mean: number; sd: number } {
  const columns = gemColumns(ctx);
  let column = columns.signals.get(signal.name);
  if (!column) {
    const values = signal.column(ctx);
    column = { values, ...meanSd(values) };
    columns.signals.set(signal.name, column);
  }
  return column;
}

/**
 * Mean of the {@link NEIGHBOURS} largest cosines of each listed pool record to the collection's
 * records, remembered in `memo` (it depends on the record alone). One scan of the collection
 * for all records not yet known, on {@link dotRows}.
 */
function neighbourSimilarities(
  ctx: RecommendContext,
  shortlist: readonly number[],
  memo: Map<number, number>,
): Float64Array {
  const todo = shortlist.filter((i) => !memo.has(i));
  if (todo.length > 0) {
    const dims = ctx.dims;
    const rows = new Float32Array(todo.length * dims);
    todo.forEach((i, r) => rows.set(ctx.poolVectors.subarray(i * dims, (i + 1) * dims), r * dims));
    const m = todo.length;
    // top[r·K…]: the K largest cosines of todo[r] so far, in descending order.
    const K = NEIGHBOURS;
    const top = new Float64Array(m * K).fill(-Infinity);
    // The collection is the long side: its rows stream past the shortlist, which stays in cache.
    dotRows(ctx.collectionVectors, rows, dims, (_, block) => {
      const count = block.length / m;
      for (let j = 0; j < count; j++) {
        for (let r = 0; r < m; r++) {
          const s = block[j * m + r];
          const t = r * K;
          if (s > top[t + K - 1]) {
            let at = K - 1;
            while (at > 0 && top[t + at - 1] < s) (top[t + at] = top[t + at - 1]), at--;
            top[t + at] = s;
          }
        }
      }
    });
    for (let r = 0; r < m; r++) {
      let sum = 0;
      let count = 0;
      for (let q = 0; q < K; q++) {
        const s = top[r * K + q];
        if (s > -Infinity) (sum += s), count++;
      }
      memo.set(todo[r], count ? sum / count : 0);
    }
  }
  return Float64Array.from(shortlist, (i) => memo.get(i)!);
}

/**
 * The gem score of every pool record (higher is better), and its parts.
 *
 * First taste fit (token lift, genre weighted up, missing fields scored as the catalogue's
 * average), shelf similarity and value, as z-scores. Then the best `shortlist` records get a
 * local neighbour term: the mean cosine to their {@link NEIGHBOURS} closest owned records,
 * z-scored within the shortlist — like the kNN recommenders, it rewards sitting right next to
 * something the collector owns, not just near a shelf's average. It is only computed for the
 * shortlist because it costs a pass over the collection per record; records outside it get the
 * shortlist's lowest neighbour term (their `neighbours` part is NaN).
 *
 * Everything that does not depend on the price weight is computed on the context's first query
 * and kept with it, so a query under another weight is one pass over the pool for the value
 * term plus the shortlist. The context must not change after it is built. `taste` and
 * `centroid` are those kept columns: read them, do not write to them.
 */
export function gemScores(
  ctx: RecommendContext,
  priceWeight = 1,
  weights: GemWeights = DEFAULT_GEM_WEIGHTS,
  options: GemScoreOptions = {},
): {
  scores: Float64Array;
  taste: Float64Array;
  centroid: Float64Array;
  value: Float64Array;
  neighbours: Float64Array;
} {
  const n = ctx.pool.length;
  const columns = gemColumns(ctx);
  const { taste, centroid, demand, price } = columns;
  const st = columns.tasteStats;
  const sc = columns.centroidStats;
  // Value, summed for its mean in the same order as meanSd.
  const value = new Float64Array(n);
  const noMarket = columns.noMarket;
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
  const sdValue = Math.sqrt(variance / (n || 1)) || 1;
  // The taste and shelf terms do not depend on the price weight (left-to-right sum as before).
  const [wt, wc, wv] = [weights.taste / st.sd, weights.centroid / sc.sd, weights.value / sdValue];
  const weighed = signalWeights(weights).filter(([, w]) => w !== 0);
  const key = [weights.taste, weights.centroid, ...weighed.map(([s, w]) => `${s.name}=${w}`)]
    .join();
  let base = columns.base;
  if (!base || base.key !== key) {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      values[i] = wt * (taste[i] - st.mean) + wc * (centroid[i] - sc.mean);
    }
    // Signals do not depend on the price weight either: z-scored, weighed, added once.
    for (const [signal, w] of weighed) {
      const column = signalColumn(ctx, signal);
      const scale = w / column.sd;
      for (let i = 0; i < n; i++) values[i] += scale * (column.values[i] - column.mean);
    }
    base = columns.base = { key, values };
  }
  const scores = new Float64Array(n);
  const baseValues = base.values;
  for (let i = 0; i < n; i++) scores[i] = baseValues[i] + wv * (value[i] - meanValue);
  const neighbours = new Float64Array(n).fill(NaN);
  if (weights.neighbours !== 0 && ctx.collection.length > 0) {
    const eligible = options.eligible;
    const shortlist = topK(
      scores,
      Math.min(n, options.shortlist ?? SHORTLIST),
      eligible ? (i) => !eligible(i) : undefined,
    ).map((t) => t.index);
    const local = neighbourSimilarities(ctx, shortlist, columns.neighbours);
    const { mean, sd } = meanSd(local);
    let floor = Infinity;
    shortlist.forEach((i, s) => {
      const z = (local[s] - mean) / sd;
      neighbours[i] = local[s];
      scores[i] += weights.neighbours * z;
      floor = Math.min(floor, z);
    });
    if (floor < Infinity) {
      const lift = weights.neighbours * floor;
      for (let i = 0; i < n; i++) if (neighbours[i] !== neighbours[i]) scores[i] += lift;
    }
  }
  return { scores, taste, centroid, value, neighbours };
}

/**
 * The gems' MMR trade-off: at 0.9 the list still spreads over shelves (with the per-artist cap),
 * while 0.8 cost 0.02–0.03 recall@50 on the evaluation harness for little more variety.
 */
export const GEM_DIVERSITY = 0.9;

/** Taste-aligned gems, diversified, with reasons. */
export function recommendGems(ctx: RecommendContext, options: ListOptions = {}): Recommendation[] {
  const top = options.top ?? 20;
  const ok = (i: number) => eligible(ctx, i, options);
  const window = Math.max(top * 8, 100);
  const weights = gemWeightsOf(ctx);
  const { scores, taste, centroid, value, neighbours } = gemScores(
    ctx,
    options.priceWeight ?? 1,
    weights,
    { eligible: ok, shortlist: Math.max(SHORTLIST, window) },
  );
  // The MMR window, best first (ties by pool order), without sorting the whole pool.
  const ranked = topK(scores, Math.min(window, scores.length), (i) => !ok(i)).map((t) => t.index);
  const picked = diversify(
    ctx,
    ranked,
    (i) => scores[i],
    top,
    options.diversity ?? GEM_DIVERSITY,
  );
  const weighed = signalWeights(weights).filter(([, w]) => w !== 0);
  return picked.map((i, r) => {
    const c = ctx.pool[i];
    const { shelf, similarity } = nearestShelf(ctx, i);
    const fit = sharedTokens(ctx, c, 3);
    const facts = valueFacts(c);
    const signalParts: Record<string, number> = {};
    // A signal's phrase is in the reason only when it lifted this record: its weighed z-score
    // is positive, the largest first (at most two).
    const lifts: [number, string][] = [];
    for (const [signal, w] of weighed) {
      const column = signalColumn(ctx, signal);
      signalParts[signal.name] = column.values[i];
      const lift = (w * (column.values[i] - column.mean)) / column.sd;
      const phrase = lift > 0 ? signal.reason?.(ctx, i) : null;
      if (phrase) lifts.push([lift, phrase]);
    }
    const because = lifts.sort((a, b) => b[0] - a[0]).slice(0, 2).map(([, p]) => p);
    return {
      kind: gems.name,
      rank: r + 1,
      poolIndex: i,
      score: scores[i],
      components: {
        taste: taste[i],
        shelf_similarity: centroid[i],
        neighbour_similarity: neighbours[i],
        log_value: value[i],
        ...signalParts,
      },
      why: `fits your ${ctx.shelves[shelf]} shelf (similarity ${similarity.toFixed(2)})` +
        (fit.length ? `: ${fit.join(", ")}` : "") +
        (because.length ? `; ${because.join("; ")}` : "") + (facts ? `; ${facts}` : ""),
    };
  });
}

/** The gems recommender. */
export const gems: Recommender = {
  name: "gem",
  label: "Taste-aligned gems",
  description: "Records that fit your shelves and are good value.",
  plural: "gems",
  rank: recommendGems,
  evaluation: {
    name: "next-spin gems",
    // What the served list leaves out is ordered by the gem score at the default shortlist.
    score: (ctx, options = {}) =>
      gemScores(ctx, options.priceWeight ?? 1, gemWeightsOf(ctx)).scores,
  },
};
