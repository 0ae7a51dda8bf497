/**
 * Recommendations from a collection and a candidate pool, each with a reason a person can read:
 *
 * - **Taste-aligned gems**: taste fit (token lift, see `taste.ts`) plus similarity to the nearest
 *   taste centroid (the collection clustered into shelves, so an eclectic collector is not
 *   averaged into mush) plus the value score under the price-sensitivity weight; the shortlist is
 *   then re-ranked with a local neighbour term (mean cosine to the closest few records owned) and
 *   diversified with MMR and at most two records per artist.
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
import { rowDot, topK } from "../embed/similarity.ts";
import { valueScore } from "../score/formulas.ts";
import { formatCount, formatPrice } from "../score/why.ts";
import type { Candidate } from "./candidates.ts";
import { describeToken, shelfNames } from "./explain.ts";
import {
  fitTasteFromTokens,
  GEM_TASTE_FIELD_WEIGHTS,
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
  const shelves = shelfNames(collection, clustering.assignments, clustering.k);
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
    centroidSims: dotRows(poolVectors, clustering.centroids, dims),
    poolTokens,
    tokenLift: liftVector(taste, model.tfidf.vocabulary),
    tokenField: tokenFields(model),
    unseenLift: unseenTokenLift(taste),
  };
}

/** Mean and standard deviation (1 when flat), for z-scores without allocating. */
function meanSd(values: ArrayLike<number>): { mean: number; sd: number } {
  const n = values.length || 1;
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < values.length; i++) variance += (values[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(variance / n) || 1 };
}

/**
 * Every row of `matrix` (n × dims) against each of the `k` rows of `against`, as `dotAll` does,
 * with `rowDot`'s four running sums (about a third faster on a million rows).
 */
function dotRows(matrix: Float32Array, against: Float32Array, dims: number): Float32Array {
  const n = matrix.length / dims;
  const k = against.length / dims;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) out[i * k + c] = rowDot(matrix, i, against, c, dims);
  }
  return out;
}

/** The shelf pool record `i` is most similar to, and that similarity. */
export function nearestShelf(
  ctx: RecommendContext,
  i: number,
): { shelf: number; similarity: number } {
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
  const taste = tasteScores(ctx.tokenLift, ctx.tokenField, ctx.poolTokens, ctx.unseenLift, 7, {
    fieldWeights: GEM_TASTE_FIELD_WEIGHTS,
    imputeMissing: true,
  });
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
    value[i] = Math.log(valueScore(facts, priceWeight) + 1e-6);
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

/** Options for the recommendation lists. */
export interface ListOptions {
  top?: number;
  priceWeight?: number;
  /** Only records with a known lowest price at or under this. */
  budget?: number;
  /** MMR trade-off: 1 = pure score, lower = more variety (gems 0.9, missing links 0.8). */
  diversity?: number;
  /** Pool indexes not to recommend (e.g. already in another list). */
  exclude?: ReadonlySet<number>;
}

/**
 * The strongest tokens a record shares with the collection, in words. Only tokens the collection
 * really has: a rare artist the collector never bought can still have a positive lift (one copy
 * in a big catalogue weighs less than the smoothing), and "artist you collect" must be true.
 */
function sharedTokens(ctx: RecommendContext, c: Candidate, n: number): string[] {
  return tasteFit(ctx.taste, c).matches.filter((m) => (ctx.taste.collection.get(m.token) ?? 0) > 0)
    .slice(0, n).map((m) => describeToken(m.token));
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
 * `λ·score − (1−λ)·max similarity to what is already picked`, at most `perArtist` per artist
 * ("Various" and other placeholder names are no one artist: compilations are not capped).
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
  const artistOf = (i: number) => {
    const name = normalizeName(ctx.pool[i].artist);
    return PLACEHOLDER_NAMES.has(name) ? null : name;
  };
  while (chosen.length < top && pool.length > 0) {
    let bestAt = -1;
    let best = -Infinity;
    for (let p = 0; p < pool.length; p++) {
      const i = pool[p];
      const artist = artistOf(i);
      if (artist !== null && (artists.get(artist) ?? 0) >= perArtist) continue;
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
    const artist = artistOf(i);
    if (artist !== null) artists.set(artist, (artists.get(artist) ?? 0) + 1);
  }
  return chosen;
}

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
      kind: "gem",
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

/**
 * A bridge must sit at least this close to each of its two shelves, relative to how close the
 * shelf's own records sit to it ({@link shelfCohesion}): below it a "link" shares nothing but the
 * format, and a shorter honest list is better than padding.
 */
export const MIN_BRIDGE_CLOSENESS = 0.3;

/**
 * Shelves whose centroids are at least this similar are two views of one taste (e.g. Jungle and
 * Drum n Bass), not corners to link.
 */
export const MAX_LINKED_SHELF_COSINE = 0.5;

/** What a shelf's records are made of: their artists, labels and styles (normalised names). */
interface ShelfVocabulary {
  artists: Set<string>;
  labels: Set<string>;
  styles: Set<string>;
}

function shelfVocabularies(ctx: RecommendContext): ShelfVocabulary[] {
  const shelves = Array.from({ length: ctx.clustering.k }, () => ({
    artists: new Set<string>(),
    labels: new Set<string>(),
    styles: new Set<string>(),
  }));
  ctx.collection.forEach((c, i) => {
    const shelf = shelves[ctx.clustering.assignments[i]];
    for (const a of c.artists) {
      if (!PLACEHOLDER_NAMES.has(normalizeName(a))) shelf.artists.add(normalizeName(a));
    }
    for (const l of c.labels) shelf.labels.add(normalizeName(l));
    for (const st of c.styles) shelf.styles.add(normalizeName(st));
  });
  return shelves;
}

/**
 * What a record has in common with one shelf, in the record's own spelling, most telling first:
 * an artist on that shelf, then a label, then styles (at most two in all).
 */
function sharedWithShelf(
  shelf: ShelfVocabulary,
  c: Candidate,
  alreadyNamed: ReadonlySet<string> = new Set(),
): string[] {
  const found = [
    ...c.artists.filter((a) => shelf.artists.has(normalizeName(a))).map((a) => `${a} (artist)`),
    ...c.labels.filter((l) => shelf.labels.has(normalizeName(l))).map((l) => `${l} (label)`),
    ...c.styles.filter((st) => shelf.styles.has(normalizeName(st))),
  ];
  const unique = [...new Set(found)];
  const fresh = unique.filter((t) => !alreadyNamed.has(t));
  return (fresh.length ? fresh : unique).slice(0, 2);
}

/** "A", "A and B". */
function listed(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : items[0];
}

/**
 * How tightly each shelf holds together: the median cosine of its records to its centroid. An
 * eclectic shelf (psychedelic rock next to indie) is loose, a one-style shelf tight; a pool
 * record's similarity to a shelf is judged on that shelf's own scale.
 */
export function shelfCohesion(ctx: RecommendContext): Float32Array {
  const { k, assignments, centroids } = ctx.clustering;
  const sims: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < ctx.collection.length; i++) {
    const shelf = assignments[i];
    sims[shelf].push(rowDot(ctx.collectionVectors, i, centroids, shelf, ctx.dims));
  }
  return Float32Array.from(sims, (list) => {
    if (list.length === 0) return 1;
    list.sort((x, y) => x - y);
    return Math.max(list[list.length >> 1], 1e-6);
  });
}

/**
 * How close pool record `i` sits to shelf `shelf` on that shelf's own scale: its similarity to
 * the centroid divided by the shelf's cohesion (1 = as close as the shelf's typical record).
 */
export function shelfCloseness(
  ctx: RecommendContext,
  cohesion: Float32Array,
  i: number,
  shelf: number,
): number {
  return ctx.centroidSims[i * ctx.clustering.k + shelf] / cohesion[shelf];
}

/**
 * Missing links: for the most distant pairs of shelves, the pool records closest to both — the
 * smaller of the two similarities, each on its shelf's scale, is maximised — with at least
 * {@link MIN_BRIDGE_CLOSENESS} to each side. Pairs are taken most distant first, a third of the
 * list each, until the list is full or no pair has a real bridge left.
 */
export function recommendMissingLinks(
  ctx: RecommendContext,
  options: ListOptions = {},
): Recommendation[] {
  const top = options.top ?? 20;
  const k = ctx.clustering.k;
  if (k < 2) return [];
  const cohesion = shelfCohesion(ctx);
  const sides = shelfVocabularies(ctx);
  const pairs: { a: number; b: number; distance: number }[] = [];
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const cosine = rowDot(ctx.clustering.centroids, a, ctx.clustering.centroids, b, ctx.dims);
      if (cosine < MAX_LINKED_SHELF_COSINE) pairs.push({ a, b, distance: 1 - cosine });
    }
  }
  pairs.sort((x, y) => y.distance - x.distance || x.a - y.a || x.b - y.b);
  const perPair = Math.ceil(top / Math.min(3, Math.max(1, pairs.length)));
  const out: Recommendation[] = [];
  const seen = new Set<number>();
  for (const { a, b, distance } of pairs) {
    if (out.length >= top) break;
    // A bridge is close to both shelves: maximise the smaller of the two (relative) closenesses.
    const bridge = (i: number) =>
      Math.min(shelfCloseness(ctx, cohesion, i, a), shelfCloseness(ctx, cohesion, i, b));
    const ranked = [...ctx.pool.keys()]
      .filter((i) => !seen.has(i) && eligible(ctx, i, options) && bridge(i) >= MIN_BRIDGE_CLOSENESS)
      .sort((x, y) => bridge(y) - bridge(x) || x - y);
    if (ranked.length === 0) continue;
    const take = Math.min(perPair, top - out.length);
    for (const i of diversify(ctx, ranked, bridge, take, options.diversity ?? 0.8)) {
      seen.add(i);
      const c = ctx.pool[i];
      // What ties it to each side, naming on the second side what the first did not.
      const fromA = sharedWithShelf(sides[a], c);
      const fromB = sharedWithShelf(sides[b], c, new Set(fromA));
      const ties = fromA.length && fromB.length
        ? `${listed(fromA)} on the ${ctx.shelves[a]} side, ${listed(fromB)} on the ${
          ctx.shelves[b]
        } side`
        : sharedTokens(ctx, c, 2).join(", ");
      out.push({
        kind: "missing_link",
        rank: 0,
        poolIndex: i,
        score: bridge(i),
        components: {
          similarity_a: ctx.centroidSims[i * k + a],
          similarity_b: ctx.centroidSims[i * k + b],
          closeness_a: shelfCloseness(ctx, cohesion, i, a),
          closeness_b: shelfCloseness(ctx, cohesion, i, b),
          shelf_distance: distance,
        },
        why: `links your ${ctx.shelves[a]} and your ${ctx.shelves[b]} shelves ` +
          `(similarity ${ctx.centroidSims[i * k + a].toFixed(2)} and ${
            ctx.centroidSims[i * k + b].toFixed(2)
          })` +
          (ties ? `: ${ties}` : ""),
      });
    }
  }
  return out.sort((x, y) => y.score - x.score || x.poolIndex - y.poolIndex)
    .map((r, i) => ({ ...r, rank: i + 1 }));
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
