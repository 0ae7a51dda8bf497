import { assert, assertEquals } from "../../testing/assert.ts";
import { buildContext } from "../context.ts";
import { gemScores } from "../kinds/gems.ts";
import { DEFAULT_GEM_WEIGHTS, type GemWeights } from "../kinds/gem_weights.ts";
import { cappedArtist, diversify } from "../lists.ts";
import { rowDot } from "../../embed/similarity.ts";
import type { RecommendContext } from "../context.ts";
import { topK } from "../../embed/similarity.ts";
import { innerFold } from "./folds.ts";
import { foldColumns, foldScores, ranksAmong, scoreFold } from "./simulate.ts";
import { tasteWorld } from "./testing.ts";

function fold() {
  const { collection, pool } = tasteWorld(3, 90, 400);
  const ctx = buildContext(collection, pool, { dims: 16, kMax: 4 });
  return foldColumns(innerFold(ctx, 0)!);
}

Deno.test("the simulated gem score is gemScores' on the fold's context, under any blend", () => {
  const columns = fold();
  const blends: GemWeights[] = [
    DEFAULT_GEM_WEIGHTS,
    { taste: 1, centroid: 0.5, value: 0, neighbours: 1.2 },
    { taste: 0.7, centroid: 0, value: 0.3, neighbours: 0, fields: [2, 0, 1, 1, 0.5, 0, 1, 0] },
    { taste: 1, centroid: 0.1, value: 0.1, neighbours: 0.4, fields: [0.5, 2.5, 1, 1, 1, 1, 0, 1] },
  ];
  for (const weights of blends) {
    const want = gemScores(columns.fold.ctx, 1, weights, { shortlist: 60 }).scores;
    const got = foldScores(columns, weights, 60);
    assertEquals(got.length, want.length);
    got.forEach((s, i) => {
      assert(
        Math.abs(s - want[i]) <= 1e-9 * Math.max(1, Math.abs(want[i])),
        `${i}: ${s} ≠ ${want[i]}`,
      );
    });
  }
});

/**
 * Greedy MMR as written first: every candidate's redundancy recomputed against every pick. The
 * reference `diversify` (one redundancy update per pick) must pick exactly as.
 */
function plainDiversify(
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
  const artistOf = (i: number) => cappedArtist(ctx, i);
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

Deno.test("the fast diversify picks what the plain MMR picks", () => {
  const columns = fold();
  const ctx = columns.fold.ctx;
  const scores = foldScores(columns, DEFAULT_GEM_WEIGHTS);
  const ranked = topK(scores, 150).map((t) => t.index);
  for (const lambda of [0.5, 0.8, 0.9, 1]) {
    for (const top of [5, 20]) {
      assertEquals(
        diversify(ctx, ranked, (i) => scores[i], top, lambda, 2, columns.artists),
        plainDiversify(ctx, ranked, (i) => scores[i], top, lambda),
        `λ ${lambda}, top ${top}`,
      );
    }
  }
});

Deno.test("a fold's score reads recall and MRR off the inner-hidden records", () => {
  const columns = fold();
  const s = scoreFold(columns, { weights: DEFAULT_GEM_WEIGHTS, diversity: 0.9 });
  assert(s.recall > 0 && s.recall <= 1, `recall ${s.recall}`);
  assert(s.mrr > 0 && s.mrr <= 1, `MRR ${s.mrr}`);
  // Taste turned upside down ranks the collector's own records last.
  const worst = scoreFold(columns, {
    weights: { taste: -1, centroid: -1, value: 0, neighbours: 0 },
    diversity: 0.9,
  });
  assert(worst.recall < s.recall, `${worst.recall} < ${s.recall}`);
});

Deno.test("ranksAmong gives each target's place in topK's list of the entries not excluded", () => {
  let seed = 3;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (const levels of [4, 1e9]) {
    for (const n of [1, 30, 2000]) {
      const scores = Float64Array.from({ length: n }, () => Math.floor(rnd() * levels) / levels);
      if (n > 10) (scores[2] = NaN, scores[4] = -Infinity);
      const excluded = Uint8Array.from({ length: n }, () => (rnd() < 0.1 ? 1 : 0));
      const targets = Int32Array.from(
        new Set(Array.from({ length: Math.ceil(n / 10) }, () => Math.floor(rnd() * n))),
      );
      if (n > 10) targets[0] = 2; // a NaN target has no rank
      const listed = topK(scores, n, (i) => excluded[i] === 1).map((t) => t.index);
      const want = [...targets].map((t) => listed.indexOf(t)).filter((r) => r >= 0)
        .sort((a, b) => a - b);
      assertEquals(ranksAmong(scores, targets, excluded), want, `levels ${levels} n ${n}`);
    }
  }
  assertEquals(ranksAmong(new Float64Array([1, 2]), new Int32Array([]), new Uint8Array(2)), []);
});
