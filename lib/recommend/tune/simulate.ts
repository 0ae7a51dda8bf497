/**
 * The served gem list, simulated on an inner fold under any blend: the columns the gem score
 * reads are computed once per fold (taste fit per field, so field weights are a weighted sum;
 * shelf similarity; value; every registered signal; the neighbour term memoised as shortlists
 * ask), then a setting is scored, shortlisted, re-ranked and diversified exactly as
 * `recommendGems` does (the test holds the scores equal to `gemScores`), and the inner-hidden
 * records' recall and MRR read off.
 *
 * @module
 */

import { TOKEN_FIELDS } from "../../embed/model.ts";
import { topK } from "../../embed/similarity.ts";
import { addNeighbourTerm, gemScores } from "../kinds/gems.ts";
import { GEM_DIVERSITY, type GemWeights, SHORTLIST } from "../kinds/gem_weights.ts";
import { diversify, meanSd } from "../lists.ts";
import { GEM_SIGNALS } from "../signals/mod.ts";
import { GEM_TASTE_FIELD_WEIGHTS, tasteScores } from "../taste.ts";
import type { InnerFold } from "./folds.ts";

/** A blend the tuning can serve: the gem weights and the MMR trade-off. */
export interface Blend {
  weights: GemWeights;
  diversity: number;
}

/** What an inner fold's gem score reads, computed once. */
export interface FoldColumns {
  fold: InnerFold;
  /** Taste fit of each field alone (weight 1, missing fields imputed), `TOKEN_FIELDS` order. */
  fields: Float64Array[];
  centroid: Float64Array;
  /** The log value at price weight 1, as `gemScores` computes it. */
  value: Float64Array;
  /** Each registered signal's column by name. */
  signals: Map<string, Float64Array>;
  /** Neighbour similarity by inner pool index, filled as shortlists ask. */
  neighbours: Map<number, number>;
  /** Inner pool records' artists as the per-artist cap counts them, as MMR windows ask. */
  artists: Map<number, string | null>;
  /** The inner pool indices of the hidden records (where `fold.hidden` is 1). */
  hiddenAt: Int32Array;
  /** The served list's length at the fold's scale, its MMR window and its shortlist. */
  top: number;
  window: number;
  shortlist: number;
}

/** How a blend did on one fold (or the mean over folds). */
export interface FoldScore {
  /** Share of the inner-hidden records in the served top (`FoldColumns.top`). */
  recall: number;
  /** Mean reciprocal rank of the inner-hidden records (ranks past `top + 1000` count 0). */
  mrr: number;
  /**
   * Mean share of the inner-hidden records within 2× and 4× the served list's length: the
   * records just missed, which the objective counts so it moves on more than a handful of hits.
   */
  deeper: number;
}

/** Ranks past the served list that MRR still counts (a reciprocal rank below 0.001 is noise). */
const MRR_DEPTH = 1000;

/**
 * The ranks (0 = best; higher score first, then lower index, as `topK` orders) of `targets`
 * among the entries of `scores` that are not NaN and not `excluded`, ascending; the targets that
 * are NaN or excluded have none. One pass over the scores with a binary search among the few
 * targets, instead of listing the top thousand to find them in it.
 */
export function ranksAmong(
  scores: Float64Array,
  targets: Int32Array,
  excluded: Uint8Array,
): number[] {
  const kept = [...targets].filter((t) => !Number.isNaN(scores[t]) && !excluded[t])
    .sort((a, b) => scores[b] - scores[a] || a - b);
  const m = kept.length;
  if (m === 0) return [];
  const keptScore = Float64Array.from(kept, (t) => scores[t]);
  const keptIndex = Int32Array.from(kept);
  // ahead[j]: entries ranked ahead of kept[j] but not of kept[j - 1] (a difference array).
  const ahead = new Int32Array(m + 1);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s !== s || excluded[i]) continue;
    // The first kept target that entry i is ahead of: every target from there on has i ahead.
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const ks = keptScore[mid];
      if (s > ks || (s === ks && i < keptIndex[mid])) hi = mid;
      else lo = mid + 1;
    }
    ahead[lo]++;
  }
  const ranks = new Array<number>(m);
  let count = 0;
  for (let j = 0; j < m; j++) ranks[j] = count += ahead[j];
  return ranks;
}

/** The columns of one fold; `top` is the served list length at full scale (default 50). */
export function foldColumns(fold: InnerFold, top = 50): FoldColumns {
  const ctx = fold.ctx;
  // One pass for every field's best lift (a field the record lacks: 0 without imputation).
  const fields = TOKEN_FIELDS.map(() => new Float64Array(ctx.pool.length));
  tasteScores(ctx.tokenLift, ctx.tokenField, ctx.poolTokens, ctx.unseenLift, undefined, {
    imputeMissing: true,
    perField: fields,
  });
  const parts = gemScores(ctx, 1, { taste: 0, centroid: 0, value: 1, neighbours: 0 });
  const signals = new Map(GEM_SIGNALS.map((s) => [s.name, s.column(ctx)]));
  // A pool sampled to a share of its size holds the hidden records as densely as the whole
  // pool would: the served list shrinks with it, so "top 50 of 35,000" stays that hard.
  const scaledTop = Math.max(10, Math.round(top * Math.min(1, fold.scale)));
  const window = Math.max(scaledTop * 8, 100);
  return {
    fold,
    fields,
    centroid: parts.centroid,
    value: parts.value,
    signals,
    neighbours: new Map(),
    artists: new Map(),
    top: scaledTop,
    window,
    shortlist: Math.max(SHORTLIST, window),
    hiddenAt: Int32Array.from(fold.hidden.keys()).filter((i) => fold.hidden[i] === 1),
  };
}

/** Each field's weight under `weights`. */
export function fieldWeights(weights: GemWeights): readonly number[] {
  return weights.fields ?? GEM_TASTE_FIELD_WEIGHTS;
}

/**
 * Mean and deviation of a fold's fixed columns (shelf similarity, value, the signals), worked out
 * on the first blend scored and kept: every setting the search tries z-scores the same columns,
 * and only the taste (a weighted sum of the fields) changes from one to the next.
 */
const COLUMN_STATS = new WeakMap<Float64Array, { mean: number; sd: number }>();

function columnStats(values: Float64Array): { mean: number; sd: number } {
  let stats = COLUMN_STATS.get(values);
  if (!stats) COLUMN_STATS.set(values, stats = meanSd(values));
  return stats;
}

/** `values` z-scored into `out` under weight `w` (added), by `stats` when known. */
function addZ(
  out: Float64Array,
  values: ArrayLike<number>,
  w: number,
  stats?: { mean: number; sd: number },
): void {
  if (w === 0) return;
  const { mean, sd } = stats ?? meanSd(values);
  const scale = w / sd;
  for (let i = 0; i < out.length; i++) out[i] += scale * (values[i] - mean);
}

/** Taste fit under the weights' field weights. */
export function tasteOf(columns: FoldColumns, weights: GemWeights): Float64Array {
  const n = columns.centroid.length;
  const taste = new Float64Array(n);
  fieldWeights(weights).forEach((w, f) => {
    if (w === 0) return;
    const col = columns.fields[f];
    for (let i = 0; i < n; i++) taste[i] += w * col[i];
  });
  return taste;
}

/**
 * The gem score of every inner pool record under `weights`, as `gemScores(fold.ctx, 1, weights,
 * { shortlist })` computes it: z-scored parts, then the neighbour term on the shortlist.
 */
export function foldScores(
  columns: FoldColumns,
  weights: GemWeights,
  shortlist = columns.shortlist,
): Float64Array {
  const n = columns.centroid.length;
  const scores = new Float64Array(n);
  addZ(scores, tasteOf(columns, weights), weights.taste);
  const fixed = (values: Float64Array, w: number) =>
    w === 0 ? undefined : addZ(scores, values, w, columnStats(values));
  fixed(columns.centroid, weights.centroid);
  for (const s of GEM_SIGNALS) {
    fixed(columns.signals.get(s.name)!, weights.signals?.[s.name] ?? s.defaultWeight);
  }
  fixed(columns.value, weights.value);
  const ctx = columns.fold.ctx;
  if (weights.neighbours !== 0 && ctx.collection.length > 0) {
    addNeighbourTerm(ctx, scores, weights.neighbours, { shortlist, memo: columns.neighbours });
  }
  return scores;
}

/**
 * The served list under `blend` on the fold, and how the inner-hidden records fared; with
 * `served` false, the score's own top instead of the diversified list.
 */
export function scoreFold(columns: FoldColumns, blend: Blend, served = true): FoldScore {
  const scores = foldScores(columns, blend.weights);
  const { fold, top, window } = columns;
  const n = scores.length;
  // Undiversified, the list is the score's top: the search's fast path (MMR moves a record or
  // two of the hidden, and is tuned apart).
  const picked = served
    ? diversify(
      fold.ctx,
      topK(scores, Math.min(window, n)).map((t) => t.index),
      (i) => scores[i],
      top,
      blend.diversity,
      2,
      columns.artists,
    )
    : topK(scores, Math.min(top, n)).map((t) => t.index);
  let hits = 0;
  let rr = 0;
  picked.forEach((i, r) => {
    if (fold.hidden[i]) (hits++, rr += 1 / (r + 1));
  });
  // The hidden records not picked, by where they rank among the records not picked — as the
  // first `picked.length + MRR_DEPTH` of those would list them (topK's order), without listing them.
  const depth = Math.min(n, picked.length + MRR_DEPTH);
  const seen = new Uint8Array(n);
  for (const i of picked) seen[i] = 1;
  let within2 = hits;
  let within4 = hits;
  for (const r of ranksAmong(scores, columns.hiddenAt, seen)) {
    if (r >= depth) break;
    const rank = picked.length + r;
    rr += 1 / (rank + 1);
    if (rank < 2 * top) within2++;
    if (rank < 4 * top) within4++;
  }
  const h = fold.hiddenCount;
  return { recall: hits / h, mrr: rr / h, deeper: (within2 + within4) / (2 * h) };
}

/** The mean {@link FoldScore} over folds. */
export function scoreFolds(
  folds: readonly FoldColumns[],
  blend: Blend,
  served = true,
): FoldScore {
  let recall = 0;
  let mrr = 0;
  let deeper = 0;
  for (const f of folds) {
    const s = scoreFold(f, blend, served);
    recall += s.recall;
    mrr += s.mrr;
    deeper += s.deeper;
  }
  const n = folds.length || 1;
  return { recall: recall / n, mrr: mrr / n, deeper: deeper / n };
}

/**
 * What the tuning maximises: recall of the served list, with the records just past it (within
 * 2× and 4× its length) and MRR. Recall alone moves in steps of one record of a few dozen, so a
 * knob tuned on it follows noise from fold to fold; the deeper ranks and MRR smooth it.
 */
export function objective(s: FoldScore): number {
  return (s.recall + s.deeper) / 2 + 0.1 * s.mrr;
}

/** The hand blend: `DEFAULT_GEM_WEIGHTS` at the default MMR trade-off. */
export function handBlend(weights: GemWeights): Blend {
  return { weights, diversity: GEM_DIVERSITY };
}
