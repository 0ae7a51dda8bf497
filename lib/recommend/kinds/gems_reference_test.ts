/**
 * The fast gem query (kept columns, SIMD dot products, the neighbour memo) against the plain
 * implementation it replaced, kept here as the reference: on a seeded 20,000-record pool, under
 * several price weights, budgets and weights, in the order a slider would ask, the top 100 must
 * be the same records in the same order and every score equal within 1e-9 relative.
 */

import { rowDot } from "../../embed/similarity.ts";
import { seededRandom } from "../../embed/projection.ts";
import { embed, fitEmbedder, TOKEN_FIELDS, tokenFields } from "../../embed/model.ts";
import { valueScore } from "../../score/formulas.ts";
import { assert, assertEquals } from "../../testing/assert.ts";
import type { Candidate } from "../candidates.ts";
import { buildContext, type RecommendContext } from "../context.ts";
import { hasNoMarketData, meanSd } from "../lists.ts";
import { shelfSimilarities } from "../shelves.ts";
import {
  fitTasteFromTokens,
  GEM_TASTE_FIELD_WEIGHTS,
  liftVector,
  type TasteScoreOptions,
  tasteScores,
  tokenLift,
} from "../taste.ts";
import { DEFAULT_GEM_WEIGHTS, gemScores, type GemWeights, NEIGHBOURS, SHORTLIST } from "./gems.ts";

// ---- The reference: the plain implementation as it was before the fast path. ----

function refTopK(
  scores: Float32Array | Float64Array,
  k: number,
  skip?: (i: number) => boolean,
): { index: number; score: number }[] {
  const heapIdx = new Int32Array(k);
  const heapVal = new Float64Array(k);
  let size = 0;
  const down = (i: number) => {
    while (true) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && heapVal[l] < heapVal[m]) m = l;
      if (r < size && heapVal[r] < heapVal[m]) m = r;
      if (m === i) return;
      [heapVal[i], heapVal[m]] = [heapVal[m], heapVal[i]];
      [heapIdx[i], heapIdx[m]] = [heapIdx[m], heapIdx[i]];
      i = m;
    }
  };
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (Number.isNaN(s) || (skip && skip(i))) continue;
    if (size < k) {
      heapVal[size] = s;
      heapIdx[size] = i;
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (heapVal[p] <= heapVal[c]) break;
        [heapVal[p], heapVal[c]] = [heapVal[c], heapVal[p]];
        [heapIdx[p], heapIdx[c]] = [heapIdx[c], heapIdx[p]];
        c = p;
      }
    } else if (s > heapVal[0]) {
      heapVal[0] = s;
      heapIdx[0] = i;
      down(0);
    }
  }
  return Array.from({ length: size }, (_, i) => ({ index: heapIdx[i], score: heapVal[i] }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
}

function refShelfSimilarities(v: Float32Array, centroids: Float32Array, dims: number) {
  const n = v.length / dims;
  const k = centroids.length / dims;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) out[i * k + c] = rowDot(v, i, centroids, c, dims);
  }
  return out;
}

function refTasteScores(
  lift: Float32Array,
  fields: Uint8Array,
  rows: { offsets: Int32Array; ids: Int32Array; unseenFields: Uint32Array },
  unseenLift: number,
  fieldCount: number,
  options: TasteScoreOptions,
): Float64Array {
  const n = rows.offsets.length - 1;
  const out = new Float64Array(n);
  const best = new Float64Array(fieldCount);
  const weight = Float64Array.from(
    { length: fieldCount },
    (_, f) => options.fieldWeights?.[f] ?? 1,
  );
  const fieldSum = new Float64Array(fieldCount);
  const fieldCountPresent = new Float64Array(fieldCount);
  const missing = options.imputeMissing ? new Uint32Array(n) : null;
  for (let i = 0; i < n; i++) {
    best.fill(-Infinity);
    for (let z = rows.offsets[i]; z < rows.offsets[i + 1]; z++) {
      const id = rows.ids[z];
      const f = fields[id];
      if (lift[id] > best[f]) best[f] = lift[id];
    }
    const unseen = rows.unseenFields[i];
    let score = 0;
    let lacks = 0;
    for (let f = 0; f < fieldCount; f++) {
      if ((unseen >>> f) & 1 && unseenLift > best[f]) best[f] = unseenLift;
      if (best[f] > -Infinity) {
        score += weight[f] * best[f];
        fieldSum[f] += best[f];
        fieldCountPresent[f]++;
      } else lacks |= 2 ** f;
    }
    if (missing) missing[i] = lacks;
    out[i] = score;
  }
  if (missing) {
    const mean = fieldSum.map((s, f) => (fieldCountPresent[f] ? s / fieldCountPresent[f] : 0));
    for (let i = 0; i < n; i++) {
      const lacks = missing[i];
      if (!lacks) continue;
      let fill = 0;
      for (let f = 0; f < fieldCount; f++) if ((lacks >>> f) & 1) fill += weight[f] * mean[f];
      out[i] += fill;
    }
  }
  return out;
}

function refNeighbourSimilarity(ctx: RecommendContext, i: number, k: number): number {
  const dims = ctx.dims;
  const m = ctx.collectionVectors.length / dims;
  const top = new Float64Array(k).fill(-Infinity);
  for (let j = 0; j < m; j++) {
    const s = rowDot(ctx.poolVectors, i, ctx.collectionVectors, j, dims);
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

/** The gem score as it was: every part recomputed per query, one record at a time. */
function refGemScores(
  ctx: RecommendContext,
  priceWeight: number,
  weights: GemWeights,
  options: { eligible?: (i: number) => boolean; shortlist?: number },
) {
  const n = ctx.pool.length;
  const k = ctx.clustering.k;
  const taste = refTasteScores(
    ctx.tokenLift,
    ctx.tokenField,
    ctx.poolTokens,
    ctx.unseenLift,
    TOKEN_FIELDS.length,
    { fieldWeights: GEM_TASTE_FIELD_WEIGHTS, imputeMissing: true },
  );
  const centroid = new Float64Array(n);
  const value = new Float64Array(n);
  const sims = ctx.centroidSims;
  for (let i = 0; i < n; i++) {
    let best = sims[i * k];
    for (let c = 1; c < k; c++) if (sims[i * k + c] > best) best = sims[i * k + c];
    centroid[i] = best;
    const c = ctx.pool[i];
    const facts = { want: c.want, have: c.have, lowestPrice: c.lowestPrice, numForSale: null };
    value[i] = hasNoMarketData(c) ? NaN : Math.log(valueScore(facts, priceWeight) + 1e-6);
  }
  // A record nothing is known of gets the mean of the known values.
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
    const shortlist = refTopK(
      scores,
      Math.min(n, options.shortlist ?? SHORTLIST),
      eligible ? (i) => !eligible(i) : undefined,
    ).map((t) => t.index);
    const local = Float64Array.from(shortlist, (i) => refNeighbourSimilarity(ctx, i, NEIGHBOURS));
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

// ---- A seeded synthetic world. ----

function syntheticWorld(poolSize: number, collectionSize: number, seed: number) {
  const rng = seededRandom(seed);
  // Six scenes, each with its own styles, genre, labels and artists; the collector buys from
  // three of them (so there are shelves), the market sells all six.
  const scenes = Array.from({ length: 6 }, (_, s) => ({
    styles: Array.from({ length: 10 }, (_, i) => `Style ${s}-${i}`),
    genre: `Genre ${s}`,
    artists: Array.from({ length: 500 }, (_, i) => `Artist ${s}-${i}`),
    labels: Array.from({ length: 120 }, (_, i) => `Label ${s}-${i}`),
    decade: 1960 + 10 * s,
  }));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() ** 2 * xs.length)];
  const countries = ["UK", "US", "Jamaica", "Germany", "Japan"];
  let id = 0;
  const release = (scenesFrom: number): Candidate => {
    id++;
    const scene = scenes[Math.floor(rng() * scenesFrom)];
    const have = rng() < 0.05 ? null : Math.round(Math.exp(rng() * 8));
    const artist = rng() < 0.05 ? "Various" : pick(scene.artists);
    return {
      key: `s${id}`,
      releaseId: id,
      artist,
      title: `T${id}`,
      artists: [artist],
      labels: rng() < 0.08 ? [] : [pick(scene.labels)],
      genres: [scene.genre],
      styles: rng() < 0.1 ? [] : [pick(scene.styles), pick(scene.styles)],
      year: rng() < 0.05 ? null : scene.decade + Math.floor(rng() * 15),
      country: rng() < 0.2 ? null : pick(countries),
      formats: [rng() < 0.8 ? "Vinyl" : "CD"],
      have,
      want: rng() < 0.05 ? null : Math.round((have ?? 10) * rng() * 2),
      lowestPrice: rng() < 0.1 ? null : Math.round(Math.exp(rng() * 5) * 100) / 100,
      currency: "USD",
    };
  };
  const collection = Array.from({ length: collectionSize }, () => release(3));
  const pool = Array.from({ length: poolSize }, () => release(6));
  return { collection, pool };
}

/** The context with every column recomputed by the reference code. */
function referenceContext(
  ctx: RecommendContext,
  vocabulary: Map<string, number>,
  fields: Uint8Array,
) {
  const taste = fitTasteFromTokens(ctx.collection, vocabulary, ctx.poolTokens);
  const lift = new Float32Array(vocabulary.size);
  for (const [token, id] of vocabulary) lift[id] = tokenLift(taste, token);
  return {
    ...ctx,
    centroidSims: refShelfSimilarities(ctx.poolVectors, ctx.clustering.centroids, ctx.dims),
    tokenLift: lift,
    tokenField: fields,
  };
}

function assertSameRanking(
  fast: Float64Array,
  reference: Float64Array,
  what: string,
): void {
  const a = refTopK(fast, 100);
  const b = refTopK(reference, 100);
  assertEquals(a.map((t) => t.index), b.map((t) => t.index), `${what}: top 100`);
  for (let i = 0; i < reference.length; i++) {
    const scale = Math.max(1, Math.abs(reference[i]));
    assert(
      Math.abs(fast[i] - reference[i]) <= 1e-9 * scale,
      `${what}: record ${i} scores ${fast[i]}, reference ${reference[i]}`,
    );
  }
}

Deno.test("the fast gem query ranks a 20,000-record pool as the plain implementation", () => {
  const { collection, pool } = syntheticWorld(20_000, 600, 13);
  const model = fitEmbedder([...collection, ...pool], { dims: 64, seed: 42 });
  const ctx = buildContext(collection, pool, { model });
  const ref = referenceContext(ctx, model.tfidf.vocabulary, tokenFields(model));
  assert(ctx.poolTokens.unseenFields.some((u) => u !== 0), "some tokens are seen only once");
  assert(ctx.clustering.k > 1, "more than one shelf");
  assertEquals(ctx.centroidSims, ref.centroidSims, "shelf similarities bit for bit");
  assertEquals(ctx.tokenLift, ref.tokenLift, "token lifts");
  assertEquals(ctx.tokenField, ref.tokenField, "token fields");
  assertEquals(
    tasteScores(ctx.tokenLift, ctx.tokenField, ctx.poolTokens, ctx.unseenLift),
    refTasteScores(ctx.tokenLift, ctx.tokenField, ctx.poolTokens, ctx.unseenLift, 7, {}),
    "taste fit without imputation",
  );
  const cheap = (i: number) => (pool[i].lowestPrice ?? Infinity) <= 20;
  const heavy: GemWeights = { taste: 0.7, centroid: 0.4, value: 0.3, neighbours: 0.5 };
  // In the order a notebook or a slider asks: kept columns and neighbours are reused.
  const queries: [
    string,
    number,
    GemWeights,
    { eligible?: (i: number) => boolean; shortlist?: number },
  ][] = [
    ["weight 1", 1, DEFAULT_GEM_WEIGHTS, {}],
    ["weight 3", 3, DEFAULT_GEM_WEIGHTS, {}],
    ["weight 0.5, within $20, shortlist 400", 0.5, DEFAULT_GEM_WEIGHTS, {
      eligible: cheap,
      shortlist: 400,
    }],
    ["weight 10", 10, DEFAULT_GEM_WEIGHTS, {}],
    ["other weights", 2, heavy, {}],
    ["no neighbour term", 1, { ...DEFAULT_GEM_WEIGHTS, neighbours: 0 }, {}],
    ["weight 1 again", 1, DEFAULT_GEM_WEIGHTS, {}],
  ];
  for (const [what, priceWeight, weights, options] of queries) {
    const fast = gemScores(ctx, priceWeight, weights, options);
    const slow = refGemScores(ref, priceWeight, weights, options);
    assertSameRanking(fast.scores, slow.scores, what);
    assertEquals(fast.taste, slow.taste, `${what}: taste`);
    assertEquals(fast.centroid, slow.centroid, `${what}: shelf similarity`);
    assertEquals(fast.value, slow.value, `${what}: value`);
    assertEquals(fast.neighbours, slow.neighbours, `${what}: neighbours`);
  }
});

Deno.test("the fast gem query matches the plain one at a width the kernel does not take", () => {
  const { collection, pool } = syntheticWorld(3_000, 200, 29);
  const model = fitEmbedder([...collection, ...pool], { dims: 10, seed: 7 });
  const ctx = buildContext(collection, pool, {
    model,
    vectors: { collection: embed(model, collection), pool: embed(model, pool), dims: 10 },
  });
  const ref = referenceContext(ctx, model.tfidf.vocabulary, tokenFields(model));
  assertEquals(ctx.centroidSims, ref.centroidSims);
  for (const w of [1, 4]) {
    assertSameRanking(
      gemScores(ctx, w).scores,
      refGemScores(ref, w, DEFAULT_GEM_WEIGHTS, {}).scores,
      `weight ${w}`,
    );
  }
  // A context spread into a new object with another pool keeps nothing of the old one's columns.
  const half = {
    ...ctx,
    pool: pool.slice(0, 1500),
    poolVectors: ctx.poolVectors.subarray(0, 15_000),
  };
  const halfCtx = {
    ...half,
    centroidSims: shelfSimilarities(half.poolVectors, ctx.clustering.centroids, 10),
    poolTokens: {
      offsets: ctx.poolTokens.offsets.subarray(0, 1501),
      ids: ctx.poolTokens.ids,
      unseenFields: ctx.poolTokens.unseenFields.subarray(0, 1500),
    },
  };
  assertSameRanking(
    gemScores(halfCtx, 1).scores,
    refGemScores(halfCtx, 1, DEFAULT_GEM_WEIGHTS, {}).scores,
    "spread context",
  );
});

Deno.test("liftVector from catalogue counts equals the token-by-token lift", () => {
  const { collection, pool } = syntheticWorld(2_000, 300, 5);
  const model = fitEmbedder([...collection, ...pool], { dims: 16, seed: 1 });
  const ctx = buildContext(collection, pool, { model });
  const vocabulary = model.tfidf.vocabulary;
  const fast = liftVector(ctx.taste, vocabulary);
  const slow = new Float32Array(vocabulary.size);
  for (const [token, id] of vocabulary) slow[id] = tokenLift(ctx.taste, token);
  assertEquals(fast, slow);
  assert(fast.some((l) => l > 0) && fast.some((l) => l < 0));
});
