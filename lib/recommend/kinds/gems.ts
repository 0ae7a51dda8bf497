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

import { rowDot, topK } from "../../embed/similarity.ts";
import { valueScore } from "../../score/formulas.ts";
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

/** Weights of the gem score's parts (defaults chosen on the evaluation harness). */
export interface GemWeights {
  taste: number;
  centroid: number;
  value: number;
  /** The local neighbour term, added on the shortlist (see {@link gemScores}). */
  neighbours: number;
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

/** Mean of the `k` largest cosines of pool record `i` to the collection's records. */
function neighbourSimilarity(ctx: RecommendContext, i: number, k: number): number {
  const dims = ctx.dims;
  const p = ctx.poolVectors;
  const c = ctx.collectionVectors;
  const m = c.length / dims;
  const top = new Float64Array(k).fill(-Infinity);
  for (let j = 0; j < m; j++) {
    const s = rowDot(p, i, c, j, dims);
    if (s > top[k - 1]) {
      let at = k - 1;
      while (at > 0 && top[at - 1] < s) (top[at] = top[at - 1]), at--;
      top[at] = s;
    }
  }
  let sum = 0;
  let count = 0;
  for (const s of top) if (s > -Infinity) (sum += s), count++;
  return count ? sum / count : 0;
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
  const k = ctx.clustering.k;
  // Taste fit on typed arrays: the same sums as tasteFit, without per-record string work.
  const taste = tasteScores(
    ctx.tokenLift,
    ctx.tokenField,
    ctx.poolTokens,
    ctx.unseenLift,
    undefined,
    {
      fieldWeights: GEM_TASTE_FIELD_WEIGHTS,
      imputeMissing: true,
    },
  );
  const centroid = new Float64Array(n);
  const value = new Float64Array(n);
  // One reused facts object: a million spread copies per query would dominate its time.
  const facts = {
    want: null as number | null,
    have: null as number | null,
    lowestPrice: null as number | null,
    numForSale: null,
  };
  const sims = ctx.centroidSims;
  for (let i = 0; i < n; i++) {
    let best = sims[i * k];
    for (let c = 1; c < k; c++) if (sims[i * k + c] > best) best = sims[i * k + c];
    centroid[i] = best;
    const c = ctx.pool[i];
    facts.want = c.want;
    facts.have = c.have;
    facts.lowestPrice = c.lowestPrice;
    // The floor keeps a want of 0 (value 0) from becoming -Infinity and poisoning the z-scores.
    // A record nothing is known of (a catalogue candidate not priced yet) gets the pool's mean
    // value below: neutral, neither the imputed defaults' guess nor a penalty.
    value[i] = hasNoMarketData(c) ? NaN : Math.log(valueScore(facts, priceWeight) + 1e-6);
  }
  let knownSum = 0;
  let known = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(value[i])) (knownSum += value[i]), known++;
  if (known < n) {
    const mean = known ? knownSum / known : 0;
    for (let i = 0; i < n; i++) if (Number.isNaN(value[i])) value[i] = mean;
  }
  const [st, sc, sv] = [meanSd(taste), meanSd(centroid), meanSd(value)];
  const [wt, wc, wv] = [weights.taste / st.sd, weights.centroid / sc.sd, weights.value / sv.sd];
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    scores[i] = wt * (taste[i] - st.mean) + wc * (centroid[i] - sc.mean) +
      wv * (value[i] - sv.mean);
  }
  const neighbours = new Float64Array(n).fill(NaN);
  if (weights.neighbours !== 0 && ctx.collection.length > 0) {
    const eligible = options.eligible;
    const shortlist = topK(
      scores,
      Math.min(n, options.shortlist ?? SHORTLIST),
      eligible ? (i) => !eligible(i) : undefined,
    ).map((t) => t.index);
    const local = Float64Array.from(shortlist, (i) => neighbourSimilarity(ctx, i, NEIGHBOURS));
    const { mean, sd } = meanSd(local);
    let floor = Infinity;
    shortlist.forEach((i, s) => {
      const z = (local[s] - mean) / sd;
      neighbours[i] = local[s];
      scores[i] += weights.neighbours * z;
      floor = Math.min(floor, z);
    });
    if (floor < Infinity) {
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(neighbours[i])) scores[i] += weights.neighbours * floor;
      }
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
  const { scores, taste, centroid, value, neighbours } = gemScores(
    ctx,
    options.priceWeight ?? 1,
    DEFAULT_GEM_WEIGHTS,
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
  return picked.map((i, r) => {
    const c = ctx.pool[i];
    const { shelf, similarity } = nearestShelf(ctx, i);
    const fit = sharedTokens(ctx, c, 3);
    const facts = valueFacts(c);
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
      },
      why: `fits your ${ctx.shelves[shelf]} shelf (similarity ${similarity.toFixed(2)})` +
        (fit.length ? `: ${fit.join(", ")}` : "") + (facts ? `; ${facts}` : ""),
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
    score: (ctx, options = {}) => gemScores(ctx, options.priceWeight ?? 1).scores,
  },
};
