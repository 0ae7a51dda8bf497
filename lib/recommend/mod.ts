/**
 * Recommendations from a collection and a candidate pool, each with a reason a person can read:
 *
 * - **Taste-aligned gems**: taste fit (token lift, see `taste.ts`) plus similarity to the nearest
 *   taste centroid (the collection clustered into shelves, so an eclectic collector is not
 *   averaged into mush) plus the value score under the price-sensitivity weight; diversified with
 *   MMR and at most two records per artist.
 * - **Missing links**: records between the two most distant shelves — high similarity to both.
 * - **Deep cuts**: pool records by artists you already collect that few own and many want.
 *
 * @module
 */

import { chooseClusters, type Clustering } from "../cluster/kmeans.ts";
import { normalizeName, PLACEHOLDER_NAMES } from "../embed/features.ts";
import {
  embed,
  type EmbedderModel,
  fitEmbedder,
  tokenFields,
  type TokenRows,
  tokenRows,
} from "../embed/model.ts";
import { dotAll, rowDot } from "../embed/similarity.ts";
import { valueScore } from "../score/formulas.ts";
import { formatCount, formatPrice } from "../score/why.ts";
import type { Candidate } from "./candidates.ts";
import { describeToken, shelfName } from "./explain.ts";
import {
  fitTasteFromTokens,
  liftVector,
  tasteFit,
  type TasteProfile,
  tasteScores,
  unseenTokenLift,
} from "./taste.ts";

export { asPoolRow, type Candidate } from "./candidates.ts";

/** Which list a recommendation belongs to. */
export type RecommendationKind = "gem" | "missing_link" | "deep_cut";

/** One recommendation. */
export interface Recommendation {
  kind: RecommendationKind;
  rank: number;
  poolIndex: number;
  score: number;
  components: Record<string, number>;
  why: string;
}

/** Everything the recommenders share for one collection and pool. */
export interface RecommendContext {
  collection: readonly Candidate[];
  pool: readonly Candidate[];
  dims: number;
  collectionVectors: Float32Array;
  poolVectors: Float32Array;
  clustering: Clustering;
  shelves: string[];
  taste: TasteProfile;
  /** Pool × clusters cosine similarities. */
  centroidSims: Float32Array;
  /** The pool's token ids, for taste fit on typed arrays. */
  poolTokens: TokenRows;
  /** Taste lift of every vocabulary token, and each token's field. */
  tokenLift: Float32Array;
  tokenField: Uint8Array;
  unseenLift: number;
}

/** Options for {@link buildContext}. */
export interface ContextOptions {
  model?: EmbedderModel;
  /** Precomputed vectors (e.g. from the `embeddings` table, any embedder); else the model embeds. */
  vectors?: { collection: Float32Array; pool: Float32Array; dims: number };
  /** The pool's token rows, precomputed with its embeddings (they do not depend on the collection). */
  poolTokens?: TokenRows;
  dims?: number;
  seed?: number;
  kMax?: number;
}

/** Embed, cluster and profile a collection against a pool. */
export function buildContext(
  collection: readonly Candidate[],
  pool: readonly Candidate[],
  options: ContextOptions = {},
): RecommendContext {
  const model = options.model ??
    fitEmbedder([...collection, ...pool], { dims: options.dims ?? 64, seed: options.seed ?? 42 });
  const dims = options.vectors?.dims ?? model.dims;
  const collectionVectors = options.vectors?.collection ?? embed(model, collection);
  const poolVectors = options.vectors?.pool ?? embed(model, pool);
  const clustering = chooseClusters(collectionVectors, dims, {
    kMax: options.kMax ?? 8,
    seed: options.seed ?? 42,
  });
  const shelves = [...Array(clustering.k).keys()].map((k) =>
    shelfName(collection.filter((_, i) => clustering.assignments[i] === k))
  );
  const poolTokens = options.poolTokens ?? tokenRows(model, pool);
  const taste = fitTasteFromTokens(collection, model.tfidf.vocabulary, poolTokens);
  return {
    collection,
    pool,
    dims,
    collectionVectors,
    poolVectors,
    clustering,
    shelves,
    taste,
    centroidSims: dotAll(poolVectors, clustering.centroids, dims),
    poolTokens,
    tokenLift: liftVector(taste, model.tfidf.vocabulary),
    tokenField: tokenFields(model),
    unseenLift: unseenTokenLift(taste),
  };
}

function zScores(values: Float64Array): Float64Array {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length || 1;
  let variance = 0;
  for (const v of values) variance += (v - mean) ** 2;
  const sd = Math.sqrt(variance / (values.length || 1)) || 1;
  return values.map((v) => (v - mean) / sd);
}

function nearestShelf(ctx: RecommendContext, i: number): { shelf: number; similarity: number } {
  const k = ctx.clustering.k;
  let shelf = 0;
  for (let c = 1; c < k; c++) {
    if (ctx.centroidSims[i * k + c] > ctx.centroidSims[i * k + shelf]) shelf = c;
  }
  return { shelf, similarity: ctx.centroidSims[i * k + shelf] };
}

/** Weights of the gem score's parts (defaults chosen on the evaluation harness). */
export interface GemWeights {
  taste: number;
  centroid: number;
  value: number;
}

/** Default gem weights: taste fit leads, shelf similarity refines, value tips the balance. */
export const DEFAULT_GEM_WEIGHTS: GemWeights = { taste: 1, centroid: 0.3, value: 0.15 };

/** The gem score of every pool record (higher is better), and its parts. */
export function gemScores(
  ctx: RecommendContext,
  priceWeight = 1,
  weights: GemWeights = DEFAULT_GEM_WEIGHTS,
): { scores: Float64Array; taste: Float64Array; centroid: Float64Array; value: Float64Array } {
  const n = ctx.pool.length;
  // Taste fit on typed arrays: the same sums as tasteFit, without per-record string work.
  const taste = tasteScores(ctx.tokenLift, ctx.tokenField, ctx.poolTokens, ctx.unseenLift);
  const centroid = new Float64Array(n);
  const value = new Float64Array(n);
  // One reused facts object: a million spread copies per query would dominate its time.
  const facts = {
    want: null as number | null,
    have: null as number | null,
    lowestPrice: null as number | null,
    numForSale: null,
  };
  ctx.pool.forEach((c, i) => {
    centroid[i] = nearestShelf(ctx, i).similarity;
    facts.want = c.want;
    facts.have = c.have;
    facts.lowestPrice = c.lowestPrice;
    // The floor keeps a want of 0 (value 0) from becoming -Infinity and poisoning the z-scores.
    value[i] = Math.log(valueScore(facts, priceWeight) + 1e-6);
  });
  const [zt, zc, zv] = [zScores(taste), zScores(centroid), zScores(value)];
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    scores[i] = weights.taste * zt[i] + weights.centroid * zc[i] + weights.value * zv[i];
  }
  return { scores, taste, centroid, value };
}

/** Options for the recommendation lists. */
export interface ListOptions {
  top?: number;
  priceWeight?: number;
  /** Only records with a known lowest price at or under this. */
  budget?: number;
  /** MMR trade-off: 1 = pure score, lower = more variety. */
  diversity?: number;
  /** Pool indexes not to recommend (e.g. already in another list). */
  exclude?: ReadonlySet<number>;
}

function withinBudget(c: Candidate, budget?: number): boolean {
  return budget === undefined || (c.lowestPrice !== null && c.lowestPrice <= budget);
}

function eligible(ctx: RecommendContext, i: number, options: ListOptions): boolean {
  return withinBudget(ctx.pool[i], options.budget) && !options.exclude?.has(i);
}

function valueFacts(c: Candidate): string {
  const parts: string[] = [];
  if (c.want !== null && c.have !== null) {
    parts.push(`${formatCount(c.want)} want / ${formatCount(c.have)} have`);
  }
  if (c.lowestPrice !== null) parts.push(`from ${formatPrice(c.lowestPrice, c.currency)}`);
  return parts.join(", ");
}

/**
 * Greedy maximal marginal relevance: pick the best remaining candidate by
 * `λ·score − (1−λ)·max similarity to what is already picked`, at most `perArtist` per artist.
 */
function diversify(
  ctx: RecommendContext,
  ranked: number[],
  relevance: (i: number) => number,
  top: number,
  lambda: number,
  perArtist = 2,
): number[] {
  const chosen: number[] = [];
  const artists = new Map<string, number>();
  const pool = ranked.slice(0, Math.max(top * 8, 100));
  const lo = Math.min(...pool.map(relevance));
  const hi = Math.max(...pool.map(relevance));
  const norm = (i: number) => (hi > lo ? (relevance(i) - lo) / (hi - lo) : 1);
  while (chosen.length < top && pool.length > 0) {
    let bestAt = -1;
    let best = -Infinity;
    for (let p = 0; p < pool.length; p++) {
      const i = pool[p];
      const artist = normalizeName(ctx.pool[i].artist);
      if ((artists.get(artist) ?? 0) >= perArtist) continue;
      let redundancy = 0;
      for (const j of chosen) {
        redundancy = Math.max(redundancy, rowDot(ctx.poolVectors, i, ctx.poolVectors, j, ctx.dims));
      }
      const mmr = lambda * norm(i) - (1 - lambda) * redundancy;
      if (mmr > best) (best = mmr), (bestAt = p);
    }
    if (bestAt < 0) break;
    const [i] = pool.splice(bestAt, 1);
    chosen.push(i);
    const artist = normalizeName(ctx.pool[i].artist);
    artists.set(artist, (artists.get(artist) ?? 0) + 1);
  }
  return chosen;
}

/** Taste-aligned gems, diversified, with reasons. */
export function recommendGems(ctx: RecommendContext, options: ListOptions = {}): Recommendation[] {
  const top = options.top ?? 20;
  const { scores, taste, centroid, value } = gemScores(ctx, options.priceWeight ?? 1);
  const ranked = [...scores.keys()].filter((i) => eligible(ctx, i, options))
    .sort((a, b) => scores[b] - scores[a] || a - b);
  const picked = diversify(ctx, ranked, (i) => scores[i], top, options.diversity ?? 0.8);
  return picked.map((i, r) => {
    const c = ctx.pool[i];
    const { shelf, similarity } = nearestShelf(ctx, i);
    const fit = tasteFit(ctx.taste, c).matches.slice(0, 3).map((m) => describeToken(m.token));
    const facts = valueFacts(c);
    return {
      kind: "gem",
      rank: r + 1,
      poolIndex: i,
      score: scores[i],
      components: { taste: taste[i], shelf_similarity: centroid[i], log_value: value[i] },
      why: `fits your ${ctx.shelves[shelf]} shelf (similarity ${similarity.toFixed(2)})` +
        (fit.length ? `: ${fit.join(", ")}` : "") + (facts ? `; ${facts}` : ""),
    };
  });
}

/** Missing links: records between the most distant pairs of shelves. */
export function recommendMissingLinks(
  ctx: RecommendContext,
  options: ListOptions = {},
): Recommendation[] {
  const top = options.top ?? 20;
  const k = ctx.clustering.k;
  if (k < 2) return [];
  const pairs: { a: number; b: number; distance: number }[] = [];
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      pairs.push({
        a,
        b,
        distance: 1 - rowDot(ctx.clustering.centroids, a, ctx.clustering.centroids, b, ctx.dims),
      });
    }
  }
  pairs.sort((x, y) => y.distance - x.distance);
  const chosenPairs = pairs.slice(0, Math.min(3, pairs.length));
  const perPair = Math.ceil(top / chosenPairs.length);
  const out: Recommendation[] = [];
  const seen = new Set<number>();
  for (const { a, b, distance } of chosenPairs) {
    // A bridge is close to both shelves: maximise the smaller of the two similarities.
    const bridge = (i: number) =>
      Math.min(ctx.centroidSims[i * k + a], ctx.centroidSims[i * k + b]);
    const ranked = [...ctx.pool.keys()].filter((i) => !seen.has(i) && eligible(ctx, i, options))
      .sort((x, y) => bridge(y) - bridge(x) || x - y);
    for (const i of diversify(ctx, ranked, bridge, perPair, options.diversity ?? 0.8)) {
      seen.add(i);
      const c = ctx.pool[i];
      const shared = tasteFit(ctx.taste, c).matches.slice(0, 2).map((m) => describeToken(m.token));
      out.push({
        kind: "missing_link",
        rank: 0,
        poolIndex: i,
        score: bridge(i),
        components: {
          similarity_a: ctx.centroidSims[i * k + a],
          similarity_b: ctx.centroidSims[i * k + b],
          shelf_distance: distance,
        },
        why: `links your ${ctx.shelves[a]} and your ${ctx.shelves[b]} shelves ` +
          `(similarity ${ctx.centroidSims[i * k + a].toFixed(2)} and ${
            ctx.centroidSims[i * k + b].toFixed(2)
          })` +
          (shared.length ? `: ${shared.join(", ")}` : ""),
      });
    }
  }
  return out.sort((x, y) => y.score - x.score).slice(0, top).map((r, i) => ({ ...r, rank: i + 1 }));
}

/** Deep cuts: pool records by artists in the collection, rarely owned and relatively wanted. */
export function recommendDeepCuts(
  ctx: RecommendContext,
  options: ListOptions = {},
): Recommendation[] {
  const top = options.top ?? 20;
  const owned = new Map<string, number>();
  for (const c of ctx.collection) {
    for (const a of c.artists) {
      const name = normalizeName(a);
      if (name && !PLACEHOLDER_NAMES.has(name)) owned.set(name, (owned.get(name) ?? 0) + 1);
    }
  }
  const scored: { i: number; score: number; artist: string; count: number }[] = [];
  ctx.pool.forEach((c, i) => {
    if (c.have === null || c.want === null || !eligible(ctx, i, options)) return;
    const match = c.artists.map(normalizeName).find((a) => owned.has(a));
    if (!match) return;
    // Rare (few have it) and wanted relative to how many have it.
    const score = ((c.want + 1) / (c.have + 1)) / Math.log2(c.have + 2);
    scored.push({ i, score, artist: match, count: owned.get(match)! });
  });
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  const perArtist = new Map<string, number>();
  const out: Recommendation[] = [];
  for (const s of scored) {
    if (out.length >= top) break;
    if ((perArtist.get(s.artist) ?? 0) >= 2) continue;
    perArtist.set(s.artist, (perArtist.get(s.artist) ?? 0) + 1);
    const c = ctx.pool[s.i];
    out.push({
      kind: "deep_cut",
      rank: out.length + 1,
      poolIndex: s.i,
      score: s.score,
      components: {
        want_have_ratio: (c.want! + 1) / (c.have! + 1),
        have: c.have!,
        owned_by_artist: s.count,
      },
      why:
        `by ${c.artists[0] ?? c.artist} (you own ${s.count}): only ${
          formatCount(c.have!)
        } have it, ` +
        `${formatCount(c.want!)} want it` +
        (c.lowestPrice !== null ? `, from ${formatPrice(c.lowestPrice, c.currency)}` : ""),
    });
  }
  return out;
}
