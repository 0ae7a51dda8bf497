import { assert, assertAlmostEquals, assertEquals } from "../testing/assert.ts";
import {
  diversityOf,
  FoldSums,
  hiddenCountOf,
  hiddenFolds,
  rankingMetrics,
  recallK,
} from "./metrics.ts";

const hiddenIn = (ids: number[]) => {
  const set = new Set(ids);
  return (i: number) => set.has(i);
};

Deno.test("rankingMetrics: a short ranking worked by hand", () => {
  // Hidden: 7 (position 1), 3 (position 3), 9 (never ranked). Ranking 7, 1, 3, 2.
  const m = rankingMetrics([7, 1, 3, 2], hiddenIn([7, 3, 9]), 3);
  assertEquals(m.hitAt10, 1);
  assertEquals(m.hitAt50, 1);
  assertAlmostEquals(m.recallAt50, 2 / 3, 1e-12);
  assertAlmostEquals(m.recallAtHidden, 2 / 3, 1e-12);
  // DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal = 1 + 1/log2(3) + 1/log2(4) = 2.1309…
  assertAlmostEquals(m.ndcgAt50, 1.5 / (1 + 1 / Math.log2(3) + 0.5), 1e-12);
  // MRR = (1/1 + 1/3) / 3
  assertAlmostEquals(m.mrr, (1 + 1 / 3) / 3, 1e-12);
});

Deno.test("rankingMetrics: a hidden record at position 11 is a miss for hit@10 only", () => {
  const ranking = [...Array(100).keys()].map((i) => i + 1000);
  ranking[10] = 5;
  const m = rankingMetrics(ranking, hiddenIn([5]), 1);
  assertEquals(m.hitAt10, 0);
  assertEquals(m.hitAt50, 1);
  assertEquals(m.recallAt50, 1);
  assertAlmostEquals(m.ndcgAt50, 1 / Math.log2(12), 1e-12);
  assertAlmostEquals(m.mrr, 1 / 11, 1e-12);
});

Deno.test("rankingMetrics: recall@k≥hidden counts past 50 when more than 50 are hidden", () => {
  // 63 hidden, ranked at positions 1–30 and 51–83: recall@50 30/63, recall@63 42/63.
  const hidden = [...Array(63).keys()];
  const others = [...Array(20).keys()].map((i) => 100 + i);
  const ranking = [...hidden.slice(0, 30), ...others, ...hidden.slice(30)];
  const m = rankingMetrics(ranking, hiddenIn(hidden), 63);
  assertEquals(recallK(63), 63);
  assertAlmostEquals(m.recallAt50, 30 / 63, 1e-12);
  assertAlmostEquals(m.recallAtHidden, (30 + 13) / 63, 1e-12);
  // The ideal top 50 is all hidden; 30 of 50 are, at the first 30 positions.
  let dcg = 0, ideal = 0;
  for (let p = 0; p < 50; p++) {
    ideal += 1 / Math.log2(p + 2);
    if (p < 30) dcg += 1 / Math.log2(p + 2);
  }
  assertAlmostEquals(m.ndcgAt50, dcg / ideal, 1e-12);
  assert(m.ndcgAt50 < 1 && m.ndcgAt50 > 0.6);
});

Deno.test("rankingMetrics: nothing hidden found is all zeros, a perfect ranking is all ones", () => {
  const none = rankingMetrics([1, 2, 3], hiddenIn([9]), 1);
  assertEquals(none, {
    hitAt10: 0,
    hitAt50: 0,
    recallAt50: 0,
    recallAtHidden: 0,
    ndcgAt50: 0,
    mrr: 0,
  });
  const perfect = rankingMetrics([4, 5, 1, 2], hiddenIn([4, 5]), 2);
  assertEquals(perfect.ndcgAt50, 1);
  assertEquals(perfect.recallAt50, 1);
  assertAlmostEquals(perfect.mrr, (1 + 1 / 2) / 2, 1e-12);
});

Deno.test("hiddenFolds: seeded, the same for the same seed, different folds differ", () => {
  const a = hiddenFolds(100, 20, 3, 42);
  const b = hiddenFolds(100, 20, 3, 42);
  assertEquals(a.map((s) => [...s]), b.map((s) => [...s]));
  for (const s of a) assertEquals(s.size, 20);
  assert([...a[0]].some((i) => !a[1].has(i)), "folds 0 and 1 hide the same records");
  assert([...hiddenFolds(100, 20, 1, 7)[0]].some((i) => !a[0].has(i)), "seed ignored");
  assertEquals(hiddenCountOf(315), 63);
  assertEquals(hiddenCountOf(3), 1);
});

Deno.test("diversityOf: identical vectors 0, orthogonal ones 1", () => {
  const v = new Float32Array([1, 0, 1, 0, 0, 1]);
  assertAlmostEquals(diversityOf(v, 2, [0, 1]), 0, 1e-6);
  assertAlmostEquals(diversityOf(v, 2, [0, 2]), 1, 1e-6);
  assertAlmostEquals(diversityOf(v, 2, [0, 1, 2]), 1 - 1 / 3, 1e-6);
  assertEquals(diversityOf(v, 2, [0]), 0);
});

Deno.test("FoldSums: fold means, and coverage over every candidate offered", () => {
  const sums = new FoldSums();
  sums.offer(["a", "b", "c", "d"]);
  const m = (r: number) => ({
    hitAt10: 1,
    hitAt50: 1,
    recallAt50: r,
    recallAtHidden: r,
    ndcgAt50: r,
    mrr: r / 2,
  });
  sums.add("x", m(0.5), 0.2, ["a"]);
  sums.add("x", m(1), 0.4, ["a", "b"]);
  const [[label, s]] = sums.summary();
  assertEquals(label, "x");
  assertEquals(s.folds, 2);
  assertAlmostEquals(s.recallAt50, 0.75, 1e-12);
  assertAlmostEquals(s.mrr, 0.375, 1e-12);
  assertAlmostEquals(s.diversity, 0.3, 1e-12);
  assertEquals(s.coverage, 0.5);
});
