import { assertEquals } from "../testing/assert.ts";
import { normalizeName, PLACEHOLDER_NAMES } from "../embed/features.ts";
import { rowDot } from "../embed/similarity.ts";
import { seededRandom } from "../stats/mod.ts";
import type { RecommendContext } from "./context.ts";
import { diversify } from "./lists.ts";
import { rec, resetIds } from "./testing.ts";

/**
 * The greedy MMR as written before the lazy heap: every candidate scored against every pick. The
 * lazy one must give exactly its lists.
 */
function referenceDiversify(
  ctx: RecommendContext,
  ranked: readonly number[],
  relevance: (i: number) => number,
  top: number,
  lambda: number,
  perArtist = 2,
): number[] {
  const cappedArtist = (i: number) => {
    const name = normalizeName(ctx.pool[i].artist);
    return PLACEHOLDER_NAMES.has(name) ? null : name;
  };
  const pool = ranked.slice(0, Math.max(top * 8, 100));
  const m = pool.length;
  if (m === 0) return [];
  const rel = pool.map(relevance);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of rel) (lo = Math.min(lo, v), hi = Math.max(hi, v));
  const norm = rel.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 1));
  const artist = pool.map(cappedArtist);
  const redundancy = new Float64Array(m);
  const taken = new Uint8Array(m);
  const perArtistCount = new Map<string, number>();
  const chosen: number[] = [];
  while (chosen.length < top) {
    let bestAt = -1;
    let best = -Infinity;
    for (let p = 0; p < m; p++) {
      if (taken[p]) continue;
      const a = artist[p];
      if (a !== null && (perArtistCount.get(a) ?? 0) >= perArtist) continue;
      const mmr = lambda * norm[p] - (1 - lambda) * redundancy[p];
      if (mmr > best) (best = mmr, bestAt = p);
    }
    if (bestAt < 0) break;
    taken[bestAt] = 1;
    chosen.push(pool[bestAt]);
    const a = artist[bestAt];
    if (a !== null) perArtistCount.set(a, (perArtistCount.get(a) ?? 0) + 1);
    const v = ctx.poolVectors;
    const j = pool[bestAt];
    for (let p = 0; p < m; p++) {
      if (taken[p]) continue;
      const c = rowDot(v, pool[p], v, j, ctx.dims);
      if (c > redundancy[p]) redundancy[p] = c;
    }
  }
  return chosen;
}

/** A pool of `n` records over `artists` artists (one of them "Various"), unit vectors in `dims`. */
function context(n: number, dims: number, artists: number, seed: number): RecommendContext {
  resetIds();
  const rng = seededRandom(seed);
  const pool = Array.from(
    { length: n },
    (_, i) =>
      rec(i % 11 === 0 ? "Various" : `Artist ${Math.floor(rng() * artists)}`, "L", [], "", 1990),
  );
  const vectors = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    // Every fifth record repeats an earlier one's vector: exact ties in redundancy.
    if (i % 5 === 4) {
      vectors.copyWithin(i * dims, (i - 3) * dims, (i - 2) * dims);
      continue;
    }
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      // Mostly positive, some negative: cosines on both sides of 0.
      const x = rng() - 0.3;
      vectors[i * dims + d] = x;
      norm += x * x;
    }
    for (let d = 0; d < dims; d++) vectors[i * dims + d] /= Math.sqrt(norm);
  }
  return { pool, poolVectors: vectors, dims } as unknown as RecommendContext;
}

Deno.test("diversify (lazy greedy MMR) picks exactly what scoring every candidate against every pick picks", () => {
  let cases = 0;
  for (const seed of [1, 2, 3, 4]) {
    const ctx = context(700, 16, seed * 20, seed);
    const rng = seededRandom(100 + seed);
    // Relevance with ties (rounded), a NaN and a -Infinity.
    const scores = Float64Array.from({ length: 700 }, () => Math.round(rng() * 50) / 50);
    scores[7] = NaN;
    scores[8] = -Infinity;
    const ranked = [...scores.keys()].sort((a, b) => scores[b] - scores[a] || a - b);
    ranked.push(...ranked.splice(0, 3)); // not quite in score order: the window is what it is given
    for (const lambda of [0, 0.3, 0.7, 0.85, 1]) {
      for (const [top, perArtist] of [[50, 2], [20, 1], [10, 3], [200, 2], [1, 2]]) {
        const relevance = (i: number) => scores[i];
        const want = referenceDiversify(ctx, ranked, relevance, top, lambda, perArtist);
        assertEquals(
          diversify(ctx, ranked, relevance, top, lambda, perArtist),
          want,
          `seed ${seed} λ ${lambda} top ${top} cap ${perArtist}`,
        );
        // With the fold's memo of artists, twice.
        const memo = new Map<number, string | null>();
        diversify(ctx, ranked, relevance, top, lambda, perArtist, memo);
        assertEquals(diversify(ctx, ranked, relevance, top, lambda, perArtist, memo), want);
        cases++;
      }
    }
  }
  assertEquals(cases, 100);
  // Equal relevance everywhere (every norm 1), an empty window, a window shorter than top.
  const ctx = context(30, 8, 5, 9);
  const flat = () => 0.5;
  const ids = [...Array(30).keys()];
  assertEquals(diversify(ctx, ids, flat, 10, 0.8), referenceDiversify(ctx, ids, flat, 10, 0.8));
  assertEquals(diversify(ctx, [], flat, 10, 0.8), []);
  assertEquals(
    diversify(ctx, ids.slice(0, 4), flat, 10, 0.5),
    referenceDiversify(ctx, ids.slice(0, 4), flat, 10, 0.5),
  );
});
