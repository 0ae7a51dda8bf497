/**
 * Inner folds: the self-tuning's own small evaluation harness, run inside one context. A share
 * of the *visible* collection (`ctx.collection`, all a recommender is given) is hidden among a
 * sample of the pool, reduced to pool rows like the harness's hidden records, and everything the
 * gem score reads is rebuilt from the rest: the taste profile, the shelves' centroids, the
 * neighbour scan's owned vectors. Nothing but the context is read, so the outer harness's
 * hidden records can only ever be among the sampled pool, as unlabelled candidates.
 *
 * @module
 */

import { embed, type TokenRows, tokenRows } from "../../embed/model.ts";
import { seededRandom } from "../../embed/projection.ts";
import { asPoolRow, type Candidate } from "../candidates.ts";
import type { RecommendContext } from "../context.ts";
import { linkNeighbours } from "../neighbour_link.ts";
import { shelfSimilarities } from "../shelves.ts";
import { fitTasteFromTokens, liftVector, unseenTokenLift } from "../taste.ts";

/** One inner fold: a context over the rest of the collection and which of its pool was hidden. */
export interface InnerFold {
  /** The context the fold ranks from (collection: the visible records not hidden). */
  ctx: RecommendContext;
  /** 1 at the inner pool indices that are hidden collection records. */
  hidden: Uint8Array;
  hiddenCount: number;
  /** `ctx.collection` indices of the hidden records (for the leak test and the report). */
  hiddenOf: number[];
  /** Inner pool size ÷ the outer candidates (≤ 1 when the pool's negatives were sampled). */
  scale: number;
}

/** Options for {@link innerFold}. */
export interface InnerFoldOptions {
  seed?: number;
  /** Share of the collection hidden (default 0.2, as the harness). */
  hiddenShare?: number;
  /**
   * Pool indices left out of the fold: records so close to the collection they are likely the
   * collector's own, unlisted (in the harness, its hidden records) — as negatives they would
   * teach the blend to rank owned-like records down.
   */
  setAside?: ReadonlySet<number>;
  /** At most this many pool records stand in as negatives (default 20,000). */
  maxNegatives?: number;
}

/** Rows `rows` of a compressed token matrix, then all of `more`. */
function concatRows(a: TokenRows, rows: ArrayLike<number> | null, more: TokenRows): TokenRows {
  const picked = rows ?? { length: a.offsets.length - 1 } as ArrayLike<number>;
  const count = picked.length;
  const at = (r: number) => (rows ? rows[r] : r);
  let total = more.ids.length;
  for (let r = 0; r < count; r++) total += a.offsets[at(r) + 1] - a.offsets[at(r)];
  const n = count + more.offsets.length - 1;
  const offsets = new Int32Array(n + 1);
  const ids = new Int32Array(total);
  const unseenFields = new Uint32Array(n);
  let z = 0;
  for (let r = 0; r < count; r++) {
    const i = at(r);
    ids.set(a.ids.subarray(a.offsets[i], a.offsets[i + 1]), z);
    z += a.offsets[i + 1] - a.offsets[i];
    offsets[r + 1] = z;
    unseenFields[r] = a.unseenFields[i];
  }
  for (let r = 0; r < more.offsets.length - 1; r++) {
    ids.set(more.ids.subarray(more.offsets[r], more.offsets[r + 1]), z);
    z += more.offsets[r + 1] - more.offsets[r];
    offsets[count + r + 1] = z;
    unseenFields[count + r] = more.unseenFields[r];
  }
  return { offsets, ids, unseenFields };
}

/** Rows `rows` of a row-major matrix `dims` wide. */
function pickRows(m: Float32Array, rows: ArrayLike<number>, dims: number): Float32Array {
  const out = new Float32Array(rows.length * dims);
  for (let r = 0; r < rows.length; r++) {
    out.set(m.subarray(rows[r] * dims, (rows[r] + 1) * dims), r * dims);
  }
  return out;
}

/** A seeded shuffle of 0…n−1. */
function shuffled(n: number, rng: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * Inner fold `fold` of `ctx`, or null when the context cannot be rebuilt (no TF-IDF model on
 * it, or fewer than 2 records on either side). The shelves keep their members; each centroid is
 * re-averaged over its members left visible, so a hidden record does not pull its shelf to it.
 */
export function innerFold(
  ctx: RecommendContext,
  fold: number,
  options: InnerFoldOptions = {},
): InnerFold | null {
  const model = ctx.model;
  const collection = ctx.collection;
  const hiddenCount = Math.round(collection.length * (options.hiddenShare ?? 0.2));
  if (!model || hiddenCount < 2 || collection.length - hiddenCount < 2) return null;
  const seed = options.seed ?? 42;
  const order = shuffled(collection.length, seededRandom(seed * 7919 + fold + 1));
  const hiddenOf = [...order.subarray(0, hiddenCount)].sort((a, b) => a - b);
  const visibleOf = [...order.subarray(hiddenCount)].sort((a, b) => a - b);
  const maxNegatives = options.maxNegatives ?? 20_000;
  const poolSize = ctx.pool.length;
  const aside = options.setAside;
  const kept = aside?.size ? Int32Array.from(ctx.pool.keys()).filter((i) => !aside.has(i)) : null;
  const usable = kept ? kept.length : poolSize;
  // The same negatives for every fold of a seed: folds differ in what they hide, not in the pool.
  const negatives = usable <= maxNegatives
    ? kept
    : shuffled(usable, seededRandom(seed * 104729 + 3)).subarray(0, maxNegatives).sort()
      .map((r) => (kept ? kept[r] : r));
  const negativeCount = negatives ? negatives.length : poolSize;
  const hiddenRows: Candidate[] = hiddenOf.map((i) => asPoolRow(collection[i]));
  const dims = ctx.dims;
  const hiddenTokens = tokenRows(model, hiddenRows);
  // A hidden record as a pool row, embedded as the harness embeds its hidden records; with
  // stored vectors of another embedder, its own stored vector.
  const hiddenVectors = ctx.modelVectors !== false
    ? embed(model, hiddenRows)
    : pickRows(ctx.collectionVectors, hiddenOf, dims);
  const poolVectors = new Float32Array((negativeCount + hiddenCount) * dims);
  poolVectors.set(negatives ? pickRows(ctx.poolVectors, negatives, dims) : ctx.poolVectors);
  poolVectors.set(hiddenVectors, negativeCount * dims);
  const pool: Candidate[] = negatives ? Array.from(negatives, (i) => ctx.pool[i]) : [...ctx.pool];
  pool.push(...hiddenRows);
  const visible = visibleOf.map((i) => collection[i]);
  const collectionVectors = pickRows(ctx.collectionVectors, visibleOf, dims);
  // Taste lift against the whole pool plus the hidden rows (as the harness's pool holds them),
  // or the market when the context has one.
  const taste = fitTasteFromTokens(
    visible,
    model.tfidf.vocabulary,
    concatRows(ctx.poolTokens, null, hiddenTokens),
    ctx.market,
  );
  const k = ctx.clustering.k;
  const centroids = new Float32Array(k * dims);
  const sizes = new Array(k).fill(0);
  const assignments = Int32Array.from(visibleOf, (i) => ctx.clustering.assignments[i]);
  assignments.forEach((c, r) => {
    sizes[c]++;
    for (let d = 0; d < dims; d++) centroids[c * dims + d] += collectionVectors[r * dims + d];
  });
  for (let c = 0; c < k; c++) {
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += centroids[c * dims + d] ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) {
      // A shelf whose members are all hidden keeps its centroid (it was fitted without the fold
      // knowing which those are; nothing visible is left to re-average).
      centroids.set(ctx.clustering.centroids.subarray(c * dims, (c + 1) * dims), c * dims);
    } else for (let d = 0; d < dims; d++) centroids[c * dims + d] /= norm;
  }
  const inner: RecommendContext = {
    collection: visible,
    pool,
    dims,
    collectionVectors,
    poolVectors,
    clustering: { k, dims, centroids, assignments, sizes },
    shelves: ctx.shelves,
    taste,
    centroidSims: shelfSimilarities(poolVectors, centroids, dims),
    poolTokens: concatRows(ctx.poolTokens, negatives, hiddenTokens),
    tokenLift: liftVector(taste, model.tfidf.vocabulary),
    tokenField: ctx.tokenField,
    unseenLift: unseenTokenLift(taste),
    ...(ctx.played ? { played: ctx.played } : {}),
    model,
    modelVectors: ctx.modelVectors,
    ...(ctx.market ? { market: ctx.market } : {}),
  };
  const hidden = new Uint8Array(pool.length);
  hidden.fill(1, negativeCount);
  // The negatives are the context's own pool records, and the visible collection its own
  // records: their neighbour similarities come off lists kept with the context, one scan for
  // all folds (the hidden records, new pool rows here, are scanned for here).
  const poolOf = new Int32Array(pool.length).fill(-1);
  for (let r = 0; r < negativeCount; r++) poolOf[r] = negatives ? negatives[r] : r;
  const hiddenMask = new Uint8Array(collection.length);
  for (const i of hiddenOf) hiddenMask[i] = 1;
  linkNeighbours(inner, { parent: ctx, pool: poolOf, hidden: hiddenMask });
  return { ctx: inner, hidden, hiddenCount, hiddenOf, scale: pool.length / (poolSize || 1) };
}
