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
import { type NeighbourLink, neighbourLink } from "../neighbour_link.ts";
import { nearestShelf, type RecommendContext } from "../context.ts";
import { diversify, eligible, meanSd, sharedTokens, valueFacts } from "../lists.ts";
import type { ListOptions, Recommendation, Recommender } from "../recommender.ts";
import { GEM_TASTE_FIELD_WEIGHTS, gemTasteScores, tasteScores } from "../taste.ts";
import { GEM_SIGNALS, type GemSignal } from "../signals/mod.ts";
import { DEFAULT_PRICE_WEIGHT, valueColumn } from "../pool_columns.ts";
import { bestShelfSimilarities } from "../shelves.ts";
import { blendFor } from "../tune/mod.ts";
import {
  DEFAULT_GEM_WEIGHTS,
  GEM_DIVERSITY,
  type GemWeights,
  NEIGHBOURS,
  SHORTLIST,
} from "./gem_weights.ts";

export { DEFAULT_GEM_WEIGHTS, GEM_DIVERSITY, type GemWeights, NEIGHBOURS, SHORTLIST };

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
 * similarity columns with their means and spreads, and the neighbour term of every record a
 * shortlist has asked for. (The value term's inputs are the pool's own: `pool_columns.ts`.)
 */
interface GemColumns {
  taste: Float64Array;
  centroid: Float64Array;
  tasteStats: { mean: number; sd: number };
  centroidStats: { mean: number; sd: number };
  /** Taste fit under other field weights (`GemWeights.fields`), by those weights. */
  tastes: Map<string, { values: Float64Array; mean: number; sd: number }>;
  /** Each registered signal's column with its mean and spread, computed when first weighed. */
  signals: Map<string, { values: Float64Array; mean: number; sd: number }>;
  /** Taste, shelf and signal terms of the score under the last weights asked for. */
  base: { key: string; values: Float64Array } | null;
  /** Neighbour similarity by pool index, filled as shortlists ask. */
  neighbours: Map<number, number>;
}

// Keyed by the context object: a context built anew (or spread into a new object) gets its own.
const COLUMNS = new WeakMap<RecommendContext, GemColumns>();

function gemColumns(ctx: RecommendContext): GemColumns {
  const cached = COLUMNS.get(ctx);
  if (cached) return cached;
  const k = ctx.clustering.k;
  // Taste fit on typed arrays: the same sums as tasteFit, without per-record string work.
  // (Kept with the lift vector: buildContext may have computed it while its shelves clustered.)
  const taste = gemTasteScores(ctx.tokenLift, ctx.tokenField, ctx.poolTokens, ctx.unseenLift);
  // The best shelf of each record was taken during the shelf scan.
  const centroid = bestShelfSimilarities(ctx.centroidSims, k);
  const columns: GemColumns = {
    taste,
    centroid,
    tasteStats: meanSd(taste),
    centroidStats: meanSd(centroid),
    tastes: new Map(),
    signals: new Map(),
    base: null,
    neighbours: new Map(),
  };
  COLUMNS.set(ctx, columns);
  return columns;
}

/** Taste fit under field weights `fields` (with its mean and spread), kept per context. */
function tasteColumn(
  ctx: RecommendContext,
  columns: GemColumns,
  fields: readonly number[] | undefined,
): { values: Float64Array; mean: number; sd: number } {
  const key = (fields ?? GEM_TASTE_FIELD_WEIGHTS).join();
  if (key === GEM_TASTE_FIELD_WEIGHTS.join()) {
    return { values: columns.taste, ...columns.tasteStats };
  }
  let column = columns.tastes.get(key);
  if (!column) {
    const values = tasteScores(
      ctx.tokenLift,
      ctx.tokenField,
      ctx.poolTokens,
      ctx.unseenLift,
      undefined,
      { fieldWeights: fields, imputeMissing: true },
    );
    column = { values, ...meanSd(values) };
    columns.tastes.set(key, column);
  }
  return column;
}

/**
 * The gem weights a context ranks under: `base` (the served blend's, or the defaults), with the context's signal weights (the
 * harness's `--signals`) over the signals' own defaults.
 */
export function gemWeightsOf(
  ctx: RecommendContext,
  base: GemWeights = DEFAULT_GEM_WEIGHTS,
): GemWeights {
  return ctx.signalWeights ? { ...base, signals: { ...base.signals, ...ctx.signalWeights } } : base;
}

/** The weight of each registered signal under `weights`, in registry order. */
export function signalWeights(weights: GemWeights): [GemSignal, number][] {
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
 * Cosines kept per pool record of a parent context: its best to the whole collection, best
 * first, and whose they are. Long enough that a fold hiding a fifth of the collection almost
 * always leaves {@link NEIGHBOURS} of them; when it does not, the fold scans for that record.
 */
const LIST_LENGTH = 4 * NEIGHBOURS;

interface NeighbourList {
  values: Float64Array;
  owners: Int32Array;
}

const LISTS = new WeakMap<RecommendContext, Map<number, NeighbourList>>();

/**
 * Scan `ctx`'s collection for pool `records` (rows of `ctx.poolVectors`), keeping each one's
 * `keep` largest cosines, best first, with the collection row each is with — on {@link dotRows},
 * the collection streaming past the records, which stay in cache.
 */
function bestCosines(ctx: RecommendContext, records: readonly number[], keep: number) {
  const dims = ctx.dims;
  const rows = new Float32Array(records.length * dims);
  records.forEach((i, r) => rows.set(ctx.poolVectors.subarray(i * dims, (i + 1) * dims), r * dims));
  const m = records.length;
  const top = new Float64Array(m * keep).fill(-Infinity);
  const owners = new Int32Array(m * keep).fill(-1);
  dotRows(ctx.collectionVectors, rows, dims, (i0, block) => {
    const count = block.length / m;
    for (let j = 0; j < count; j++) {
      for (let r = 0; r < m; r++) {
        const s = block[j * m + r];
        const t = r * keep;
        if (s > top[t + keep - 1]) {
          let at = keep - 1;
          while (at > 0 && top[t + at - 1] < s) {
            top[t + at] = top[t + at - 1];
            owners[t + at] = owners[t + at - 1];
            at--;
          }
          top[t + at] = s;
          owners[t + at] = i0 + j;
        }
      }
    }
  });
  return { top, owners };
}

/** The mean of the first `count` finite values of `values` from `from` (0 when none). */
function meanOfBest(values: Float64Array, from: number, count: number): number {
  let sum = 0;
  let n = 0;
  for (let q = 0; q < count; q++) {
    const s = values[from + q];
    if (s > -Infinity) (sum += s), n++;
  }
  return n ? sum / n : 0;
}

/**
 * Mean of the {@link NEIGHBOURS} largest cosines of each listed pool record to the collection's
 * records, remembered in `memo` (it depends on the record alone). One scan of the collection
 * for all records not yet known, on {@link dotRows}; in a context cut from another
 * (`neighbour_link.ts`), the parent's kept lists without the hidden records instead, where
 * they hold enough.
 */
export function neighbourSimilarities(
  ctx: RecommendContext,
  shortlist: readonly number[],
  memo: Map<number, number>,
): Float64Array {
  let todo = shortlist.filter((i) => !memo.has(i));
  const link = neighbourLink(ctx);
  if (link && todo.length > 0) todo = fromParent(link, todo, memo);
  if (todo.length > 0) {
    const K = NEIGHBOURS;
    const { top } = bestCosines(ctx, todo, K);
    todo.forEach((i, r) => memo.set(i, meanOfBest(top, r * K, K)));
  }
  return Float64Array.from(shortlist, (i) => memo.get(i)!);
}

/**
 * Neighbour similarities of the fold records `todo` read off the parent's lists: the first
 * {@link NEIGHBOURS} cosines to records the fold still has, best first, are the fold's own
 * best (the same values, summed in the same order). Returns the records it could not answer.
 */
function fromParent(link: NeighbourLink, todo: number[], memo: Map<number, number>): number[] {
  const { parent } = link;
  let lists = LISTS.get(parent);
  if (!lists) LISTS.set(parent, lists = new Map());
  const missing = [
    ...new Set(todo.map((i) => link.pool[i]).filter((p) => p >= 0 && !lists.has(p))),
  ];
  if (missing.length > 0) {
    const keep = Math.min(LIST_LENGTH, parent.collectionVectors.length / parent.dims);
    const { top, owners } = bestCosines(parent, missing, keep);
    missing.forEach((p, r) => {
      const at = r * keep;
      lists.set(p, { values: top.slice(at, at + keep), owners: owners.slice(at, at + keep) });
    });
  }
  const whole = parent.collectionVectors.length / parent.dims;
  const rest: number[] = [];
  const best = new Float64Array(NEIGHBOURS).fill(-Infinity);
  for (const i of todo) {
    const p = link.pool[i];
    const list = p >= 0 ? lists.get(p) : undefined;
    if (!list) {
      rest.push(i);
      continue;
    }
    best.fill(-Infinity);
    let found = 0;
    for (let q = 0; q < list.values.length && found < NEIGHBOURS; q++) {
      const owner = list.owners[q];
      if (owner >= 0 && !link.hidden[owner]) best[found++] = list.values[q];
    }
    // Enough kept, or the list holds the whole collection: the fold's own best are these.
    if (found === NEIGHBOURS || list.values.length >= whole) {
      memo.set(i, meanOfBest(best, 0, NEIGHBOURS));
    } else rest.push(i);
  }
  return rest;
}

/**
 * The gem score's local neighbour term, added to `scores` in place: the best `shortlist` records
 * (among `eligible` ones) get `weight` × their neighbour similarity z-scored within the
 * shortlist; every other record gets the shortlist's lowest, so none outside it can pass one
 * inside on this term alone. Returns each record's neighbour similarity (NaN outside the
 * shortlist). Shared by the served score and the self-tuning's folds.
 */
export function addNeighbourTerm(
  ctx: RecommendContext,
  scores: Float64Array,
  weight: number,
  options: { shortlist: number; memo: Map<number, number>; eligible?: (i: number) => boolean },
): Float64Array {
  const n = scores.length;
  const neighbours = new Float64Array(n).fill(NaN);
  const eligible = options.eligible;
  const shortlist = topK(
    scores,
    Math.min(n, options.shortlist),
    eligible ? (i) => !eligible(i) : undefined,
  ).map((t) => t.index);
  const local = neighbourSimilarities(ctx, shortlist, options.memo);
  const { mean, sd } = meanSd(local);
  let floor = Infinity;
  shortlist.forEach((i, s) => {
    const z = (local[s] - mean) / sd;
    neighbours[i] = local[s];
    scores[i] += weight * z;
    floor = Math.min(floor, z);
  });
  if (floor < Infinity) {
    const lift = weight * floor;
    for (let i = 0; i < n; i++) if (neighbours[i] !== neighbours[i]) scores[i] += lift;
  }
  return neighbours;
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
 * term plus the shortlist; the value term under the default weight depends on the pool alone and
 * is kept with the pool's columns. The context must not change after it is built. `taste`,
 * `centroid` and, under the default weight, `value` are kept columns: read them, do not write to
 * them.
 */
export function gemScores(
  ctx: RecommendContext,
  priceWeight = DEFAULT_PRICE_WEIGHT,
  weights: GemWeights = DEFAULT_GEM_WEIGHTS,
  options: GemScoreOptions = {},
): {
  scores: Float64Array;
  taste: Float64Array;
  centroid: Float64Array;
  value: Float64Array;
  neighbours: Float64Array;
  /** The means and spreads the parts were z-scored with (the neighbour term's: in-shortlist). */
  stats: Record<"taste" | "centroid" | "value", { mean: number; sd: number }>;
} {
  const n = ctx.pool.length;
  const columns = gemColumns(ctx);
  const { centroid } = columns;
  const tasteOf = tasteColumn(ctx, columns, weights.fields);
  const taste = tasteOf.values;
  const st = { mean: tasteOf.mean, sd: tasteOf.sd };
  const sc = columns.centroidStats;
  // The value term (under the default price weight: kept with the pool's columns).
  const { values: value, mean: meanValue, sd: sdValue } = valueColumn(ctx.pool, priceWeight);
  // The taste and shelf terms do not depend on the price weight (left-to-right sum as before).
  const [wt, wc, wv] = [weights.taste / st.sd, weights.centroid / sc.sd, weights.value / sdValue];
  const weighed = signalWeights(weights).filter(([, w]) => w !== 0);
  const key = [
    weights.taste,
    weights.centroid,
    (weights.fields ?? GEM_TASTE_FIELD_WEIGHTS).join(":"),
    ...weighed.map(([s, w]) => `${s.name}=${w}`),
  ].join();
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
  const neighbours = weights.neighbours !== 0 && ctx.collection.length > 0
    ? addNeighbourTerm(ctx, scores, weights.neighbours, {
      shortlist: options.shortlist ?? SHORTLIST,
      memo: columns.neighbours,
      eligible: options.eligible,
    })
    : new Float64Array(n).fill(NaN);
  return {
    scores,
    taste,
    centroid,
    value,
    neighbours,
    stats: { taste: st, centroid: sc, value: { mean: meanValue, sd: sdValue } },
  };
}

/** A part of a pick's score under the served blend and the phrase that says it. */
interface ReasonPart {
  contribution: number;
  phrase: string;
}

/** The parts a reason names at most (value facts come after them). */
const REASON_PARTS = 3;

/**
 * The owned record closest to each listed pool record, and its cosine (one scan of the
 * collection, as the neighbour term's).
 */
function nearestOwned(ctx: RecommendContext, listed: readonly number[]): [number, number][] {
  const m = listed.length;
  const best: [number, number][] = listed.map(() => [-1, -Infinity]);
  if (m === 0 || ctx.collection.length === 0) return best;
  const dims = ctx.dims;
  const rows = new Float32Array(m * dims);
  listed.forEach((i, r) => rows.set(ctx.poolVectors.subarray(i * dims, (i + 1) * dims), r * dims));
  dotRows(ctx.collectionVectors, rows, dims, (j0, block) => {
    const count = block.length / m;
    for (let j = 0; j < count; j++) {
      for (let r = 0; r < m; r++) {
        const s = block[j * m + r];
        if (s > best[r][1]) best[r] = [j0 + j, s];
      }
    }
  });
  return best;
}

/**
 * Taste-aligned gems under the context's blend ({@link blendFor}: tuned or learned on the
 * collection itself, or the hand blend), diversified, with reasons. A reason names the parts
 * that ranked the pick — its largest positive contributions under that blend, largest first:
 * taste fit with shelf similarity ("fits your … shelf"), the nearest owned record ("next to …
 * you own"), a registered signal's phrase — then the value facts.
 */
export function recommendGems(ctx: RecommendContext, options: ListOptions = {}): Recommendation[] {
  const top = options.top ?? 20;
  const ok = (i: number) => eligible(ctx, i, options);
  const window = Math.max(top * 8, 100);
  const blend = blendFor(ctx);
  const weights = gemWeightsOf(ctx, blend.weights);
  const { scores, taste, centroid, value, neighbours, stats } = gemScores(
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
    options.diversity ?? blend.diversity,
  );
  const weighed = signalWeights(weights).filter(([, w]) => w !== 0);
  const { taste: st, centroid: sc, value: sv } = stats;
  const owned = nearestOwned(ctx, picked);
  return picked.map((i, r) => {
    const c = ctx.pool[i];
    const { shelf, similarity } = nearestShelf(ctx, i);
    const fit = sharedTokens(ctx, c, 3);
    const facts = valueFacts(c);
    const signalParts: Record<string, number> = {};
    const fitContribution = (weights.taste * (taste[i] - st.mean)) / st.sd +
      (weights.centroid * (centroid[i] - sc.mean)) / sc.sd;
    const valueContribution = (weights.value * (value[i] - sv.mean)) / sv.sd;
    const parts: ReasonPart[] = [{
      contribution: fitContribution,
      phrase: `fits your ${ctx.shelves[shelf]} shelf (similarity ${similarity.toFixed(2)})` +
        (fit.length ? `: ${fit.join(", ")}` : ""),
    }];
    let signalContribution = 0;
    for (const [signal, w] of weighed) {
      const column = signalColumn(ctx, signal);
      signalParts[signal.name] = column.values[i];
      const lift = (w * (column.values[i] - column.mean)) / column.sd;
      signalContribution += lift;
      const phrase = lift > 0 ? signal.reason?.(ctx, i) : null;
      if (phrase) parts.push({ contribution: lift, phrase });
    }
    // The neighbour term is what is left of the score (z-scored within the shortlist).
    const neighbourContribution = scores[i] - fitContribution - valueContribution -
      signalContribution;
    const [j, cosine] = owned[r];
    if (weights.neighbours !== 0 && j >= 0) {
      const o = ctx.collection[j];
      parts.push({
        contribution: neighbourContribution,
        phrase: `next to ${o.artist} — ${o.title}, which you own (similarity ${cosine.toFixed(2)})`,
      });
    }
    // The parts that lifted this pick, largest first; at least the largest one.
    parts.sort((a, b) => b.contribution - a.contribution);
    const lifted = parts.filter((p) => p.contribution > 0).slice(0, REASON_PARTS);
    const because = (lifted.length ? lifted : parts.slice(0, 1)).map((p) => p.phrase);
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
      why: because.join("; ") + (facts ? `; ${facts}` : ""),
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
    // What the served list leaves out is ordered by the served blend's gem score at the
    // default shortlist.
    score: (ctx, options = {}) =>
      gemScores(ctx, options.priceWeight ?? 1, gemWeightsOf(ctx, blendFor(ctx).weights)).scores,
  },
};
