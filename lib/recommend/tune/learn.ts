/**
 * The learned blend: a pairwise logistic ranker (RankNet's loss on a linear score) fitted on the
 * inner folds — for pairs of an inner-hidden record and a record the collector does not own, the
 * probability the hidden one scores higher is σ(β · (x_hidden − x_other)). The features are the
 * gem score's own parts as it z-scores them (taste fit per field, shelf similarity, value, every
 * registered signal, the neighbour similarity), so the fitted β maps straight onto
 * {@link GemWeights}. Weights are kept non-negative (a part either counts for a record or not,
 * and the reason names what counted), L2-regularised, and fitted by full-batch gradient descent:
 * deterministic for a seed, no GPU, a few milliseconds.
 *
 * @module
 */

import { TOKEN_FIELDS } from "../../embed/model.ts";
import { seededRandom } from "../../embed/projection.ts";
import { topK } from "../../embed/similarity.ts";
import { neighbourSimilarities } from "../kinds/gems.ts";
import type { GemWeights } from "../kinds/gem_weights.ts";
import { meanSd } from "../lists.ts";
import { GEM_SIGNALS } from "../signals/mod.ts";
import { type FoldColumns, foldScores, tasteOf } from "./simulate.ts";

/** Options for {@link learnWeights}. */
export interface LearnOptions {
  seed?: number;
  /** L2 penalty on the weights (default 0.01). */
  l2?: number;
  /** Gradient steps (default 300). */
  steps?: number;
  /** Inner-hidden records per fold the pairs are drawn from (default 300). */
  positives?: number;
  /** Random negatives per fold beside the hand blend's shortlist (default 300). */
  negatives?: number;
  /** Negatives paired with each positive (default 25). */
  pairsPerPositive?: number;
}

/** The features' names, in column order. */
export function featureNames(): string[] {
  return [
    ...TOKEN_FIELDS.map((f) => `taste:${f}`),
    "centroid",
    "value",
    ...GEM_SIGNALS.map((s) => `signal:${s.name}`),
    "neighbours",
  ];
}

/** Pick up to `k` of `items`, seeded, in their order. */
function sample(items: number[], k: number, rng: () => number): number[] {
  if (items.length <= k) return items;
  const copy = [...items];
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, k).sort((a, b) => a - b);
}

/** One fold's training rows: features of its positives and negatives, and how to map back. */
interface FoldRows {
  x: Float64Array[];
  positive: number[];
  negative: number[];
  /** Each taste field's spread over the inner pool, the neighbour's over the rows and shortlist. */
  fieldSd: number[];
  neighbourSd: number;
  shortlistNeighbourSd: number;
}

function foldRows(
  columns: FoldColumns,
  hand: GemWeights,
  rng: () => number,
  o: Required<LearnOptions>,
): FoldRows {
  const { fold } = columns;
  const n = columns.centroid.length;
  const hiddenIdx: number[] = [];
  for (let i = 0; i < n; i++) if (fold.hidden[i]) hiddenIdx.push(i);
  const positives = sample(hiddenIdx, o.positives, rng);
  // Hard negatives: what the hand blend shortlists (where the served list is decided), plus a
  // random draw so the weights also learn to keep the rest of the pool down.
  const handScores = foldScores(columns, { ...hand, neighbours: 0 });
  const hard = topK(handScores, Math.min(n, columns.shortlist), (i) => fold.hidden[i] === 1)
    .map((t) => t.index);
  const others: number[] = [];
  const inHard = new Set(hard);
  for (let i = 0; i < n; i++) if (!fold.hidden[i] && !inHard.has(i)) others.push(i);
  const negatives = [...hard, ...sample(others, o.negatives, rng)];
  const rows = [...positives, ...negatives];
  const ctx = fold.ctx;
  const nb = neighbourSimilarities(ctx, rows, columns.neighbours);
  const nbStats = meanSd(nb);
  const shortlistStats = meanSd(neighbourSimilarities(ctx, hard, columns.neighbours));
  const zCols = [
    ...columns.fields,
    columns.centroid,
    columns.value,
    ...GEM_SIGNALS.map((s) => columns.signals.get(s.name)!),
  ].map((c) => ({ c, ...meanSd(c) }));
  const x = rows.map((i, r) => {
    const f = new Float64Array(zCols.length + 1);
    zCols.forEach(({ c, mean, sd }, j) => (f[j] = (c[i] - mean) / sd));
    f[zCols.length] = (nb[r] - nbStats.mean) / nbStats.sd;
    return f;
  });
  return {
    x,
    positive: positives.map((_, r) => r),
    negative: negatives.map((_, r) => positives.length + r),
    fieldSd: columns.fields.map((c) => meanSd(c).sd),
    neighbourSd: nbStats.sd,
    shortlistNeighbourSd: shortlistStats.sd,
  };
}

/** The fitted coefficients (feature order of {@link featureNames}) and the blend they make. */
export interface Learned {
  coefficients: number[];
  weights: GemWeights;
  /** Mean pairwise logistic loss at the end (ln 2 ≈ 0.693 = no better than a coin). */
  loss: number;
  pairs: number;
}

/**
 * Fit the pairwise ranker on `folds` and map it onto gem weights (taste 1, the rest relative to
 * it), or null when there are no pairs to learn from or every weight fits to 0.
 */
export function learnWeights(
  folds: readonly FoldColumns[],
  hand: GemWeights,
  options: LearnOptions = {},
): Learned | null {
  const o: Required<LearnOptions> = {
    seed: options.seed ?? 42,
    l2: options.l2 ?? 0.01,
    steps: options.steps ?? 300,
    positives: options.positives ?? 300,
    negatives: options.negatives ?? 300,
    pairsPerPositive: options.pairsPerPositive ?? 25,
  };
  const rng = seededRandom(o.seed * 31 + 17);
  const data = folds.map((f) => foldRows(f, hand, rng, o));
  const d = featureNames().length;
  // Pair differences, flattened: x_hidden − x_other, pair after pair in one array (read in
  // sequence every step).
  const pairs = data.reduce(
    (s, r) => s + (r.negative.length > 0 ? r.positive.length * o.pairsPerPositive : 0),
    0,
  );
  if (pairs === 0) return null;
  const diffs = new Float64Array(pairs * d);
  let at = 0;
  for (const r of data) {
    for (const p of r.positive) {
      for (let k = 0; k < o.pairsPerPositive && r.negative.length > 0; k++) {
        const q = r.negative[Math.floor(rng() * r.negative.length)];
        for (let j = 0; j < d; j++) diffs[at + j] = r.x[p][j] - r.x[q][j];
        at += d;
      }
    }
  }
  const beta = new Float64Array(d).fill(0.1);
  const grad = new Float64Array(d);
  let loss = 0;
  const rate = 0.5;
  // log(1 + e^−s), stable for large |s|; its derivative is −σ(−s).
  const lossOf = (s: number) => (s > 0 ? Math.log1p(Math.exp(-s)) : -s + Math.log1p(Math.exp(s)));
  const four = pairs - (pairs % 4);
  for (let step = 0; step < o.steps; step++) {
    grad.fill(0);
    // The loss is only reported, so it is only worked out on the last step.
    const last = step === o.steps - 1;
    // Four pairs at a time: their dot products are four independent chains the processor runs
    // side by side, and each gradient component still adds the pairs in order (the same sums,
    // bit for bit, about twice as fast).
    let base = 0;
    for (let p = 0; p < four; p += 4, base += 4 * d) {
      const b1 = base + d;
      const b2 = b1 + d;
      const b3 = b2 + d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < d; j++) {
        const w = beta[j];
        s0 += w * diffs[base + j];
        s1 += w * diffs[b1 + j];
        s2 += w * diffs[b2 + j];
        s3 += w * diffs[b3 + j];
      }
      if (last) loss = loss + lossOf(s0) + lossOf(s1) + lossOf(s2) + lossOf(s3);
      const g0 = -1 / (1 + Math.exp(s0));
      const g1 = -1 / (1 + Math.exp(s1));
      const g2 = -1 / (1 + Math.exp(s2));
      const g3 = -1 / (1 + Math.exp(s3));
      for (let j = 0; j < d; j++) {
        grad[j] = grad[j] + g0 * diffs[base + j] + g1 * diffs[b1 + j] + g2 * diffs[b2 + j] +
          g3 * diffs[b3 + j];
      }
    }
    for (; base < diffs.length; base += d) {
      let s = 0;
      for (let j = 0; j < d; j++) s += beta[j] * diffs[base + j];
      if (last) loss += lossOf(s);
      const g = -1 / (1 + Math.exp(s));
      for (let j = 0; j < d; j++) grad[j] += g * diffs[base + j];
    }
    for (let j = 0; j < d; j++) {
      const next = beta[j] - rate * (grad[j] / pairs + 2 * o.l2 * beta[j]);
      beta[j] = next > 0 ? next : 0; // projected: weights stay non-negative
    }
  }
  loss /= pairs;
  const coefficients = [...beta];
  const fields = TOKEN_FIELDS.length;
  if (coefficients.every((b) => b === 0)) return null;
  // Taste: Σ β_f·z_f = taste weight × z(Σ (β_f/σ_f)·field_f), with the weight that combined
  // column's spread; the neighbour term is z-scored within the shortlist when served.
  const mean = (f: (r: FoldRows, c: FoldColumns) => number) =>
    data.reduce((s, r, k) => s + f(r, folds[k]), 0) / data.length;
  const fieldW = Array.from({ length: fields }, (_, f) => mean((r) => beta[f] / r.fieldSd[f]));
  const tasteSd = mean((_, c) =>
    meanSd(tasteOf(c, { taste: 1, centroid: 0, value: 0, neighbours: 0, fields: fieldW })).sd
  );
  const neighbours = mean((r) => (beta[d - 1] * r.shortlistNeighbourSd) / r.neighbourSd);
  const tasteW = fieldW.some((w) => w > 0) ? tasteSd : 0;
  // Taste 1 and the rest relative to it, as the hand blend reads (only the ratios rank);
  // without any taste weight, the largest part is 1.
  const unit = tasteW ||
    Math.max(beta[fields], beta[fields + 1], neighbours, ...beta.slice(fields + 2, d - 1)) || 1;
  const topField = Math.max(...fieldW) || 1;
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  const weights: GemWeights = {
    taste: round(tasteW / unit),
    centroid: round(beta[fields] / unit),
    // Value is the collector's price sensitivity (`--price-weight`, the report's slider), not a
    // taste: hidden records are hits whatever their price, so fitted on them it would only fall
    // to 0 and silence the slider. It keeps the hand blend's share.
    value: hand.value,
    neighbours: round(neighbours / unit),
    signals: Object.fromEntries(
      GEM_SIGNALS.map((s, k) => [s.name, round(beta[fields + 2 + k] / unit)]),
    ),
    // Field weights only count as ratios: the largest is 1.5, the hand blend's genre weight.
    fields: fieldW.map((w) => round((1.5 * w) / topField)),
  };
  return { coefficients, weights, loss, pairs };
}
