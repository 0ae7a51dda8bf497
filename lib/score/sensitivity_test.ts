import { assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { type ScoreInput, scoreInputsFromRows } from "./mod.ts";
import {
  atWeight,
  budgetTable,
  kendallTau,
  rankSpans,
  robustPicks,
  sensitivityTable,
  sweepRanks,
  topKOverlap,
  weightForBudget,
  weightRange,
} from "./sensitivity.ts";

/** These figures are the prototype's price model and ranking (the default model is tested in
 * formulas_test.ts and on the sample in tests/ranking_rules_test.ts). */
const PROTOTYPE = { prototypeRanking: true } as const;

const record = (
  releaseId: number,
  want: number,
  have: number,
  lowestPrice: number | null,
): ScoreInput => ({
  releaseId,
  artist: `artist ${releaseId}`,
  currency: "USD",
  want,
  have,
  lowestPrice,
  numForSale: 5,
});

// 1: very wanted and expensive; 2: wanted and cheap; 3: less wanted, very cheap; 4: dull.
// Value ranks: w 0.5 and 1 → 1, 2, 3, 4; w 10 → 3, 2, 1, 4.
const CRATE = [
  record(1, 3000, 100, 40),
  record(2, 400, 100, 5),
  record(3, 90, 100, 0.5),
  record(4, 10, 100, 10),
];

Deno.test("weightRange covers the slider in half steps", () => {
  const weights = weightRange();
  assertEquals(weights.length, 20);
  assertEquals(weights[0], 0.5);
  assertEquals(weights.at(-1), 10);
  assertEquals(weightRange(1, 2, 0.25), [1, 1.25, 1.5, 1.75, 2]);
  assertThrows(() => weightRange(1, 2, 0), RangeError);
});

Deno.test("kendallTau: same order 1, reversed −1, one swap of four 2/3, shared records only", () => {
  assertEquals(kendallTau([1, 2, 3, 4], [1, 2, 3, 4]), 1);
  assertEquals(kendallTau([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  assertAlmostEquals(kendallTau([1, 2, 3, 4], [2, 1, 3, 4]), 4 / 6);
  assertEquals(kendallTau([1, 2, 9], [7, 1, 2]), 1);
  assertEquals(kendallTau([1], [1]), 1);
});

Deno.test("topKOverlap counts shared records of the two top ks, in any order", () => {
  assertEquals(topKOverlap([1, 2, 3, 4], [3, 2, 1, 4], 3), 1);
  assertEquals(topKOverlap([1, 2, 3, 4], [4, 5, 1, 2], 2), 0);
  assertEquals(topKOverlap([1, 2, 3, 4], [4, 5, 1, 2], 4), 0.75);
  assertEquals(topKOverlap([1, 2], [2, 1], 10), 1);
});

Deno.test("sweepRanks: higher weights favour cheaper records; ranks match computeScores", () => {
  const sweep = sweepRanks(CRATE, [0.5, 1, 10], "value", PROTOTYPE);
  assertEquals(atWeight(sweep, 0.5).order, [1, 2, 3, 4]);
  assertEquals(atWeight(sweep, 10).order, [3, 2, 1, 4]);
  assertEquals(atWeight(sweep, 1).order.length, 4);
  assertThrows(() => atWeight(sweep, 3), RangeError, "not in the sweep");
  // Essentials ignore price: the same order at every weight.
  const essentials = sweepRanks(CRATE, [0.5, 10], "essential", PROTOTYPE);
  assertEquals(essentials.byWeight[0].order, essentials.byWeight[1].order);
});

Deno.test("sensitivityTable compares every weight with the base weight", () => {
  const sweep = sweepRanks(CRATE, [0.5, 1, 10], "value", PROTOTYPE);
  const rows = sensitivityTable(sweep, { baseWeight: 1, k: 2 });
  const base = rows.find((r) => r.weight === 1)!;
  assertEquals(base.top_k_overlap, 1);
  assertEquals(base.kendall_tau, 1);
  assertEquals(base.entered_top_k, 0);
  const heavy = rows.find((r) => r.weight === 10)!;
  assertEquals(heavy.top_pick, 3);
  assertEquals(heavy.top_k_overlap, 0.5);
  assertEquals(heavy.entered_top_k, 1);
  assertAlmostEquals(heavy.kendall_tau, 0); // 3 of 6 pairs swapped
});

Deno.test("robustPicks keeps records in the top k at every weight", () => {
  const sweep = sweepRanks(CRATE, [0.5, 1, 10], "value", PROTOTYPE);
  const spans = rankSpans(sweep, 2);
  assertEquals(spans[0].release_id, 2);
  assertEquals(robustPicks(sweep, 2).map((s) => s.release_id), [2]);
  assertEquals(robustPicks(sweep, 4).length, 4);
});

Deno.test("budgetTable and weightForBudget: the lowest weight whose top k fits the budget", () => {
  const sweep = sweepRanks(CRATE, [0.5, 1, 10], "value", PROTOTYPE);
  const rows = budgetTable(sweep, 2);
  assertEquals(rows.map((r) => r.weight), [0.5, 1, 10]);
  assertEquals(rows[2].max_price, 5);
  assertEquals(rows[2].median_price, 2.75);
  assertEquals(rows[2].total_price, 5.5);
  assertEquals(weightForBudget(rows, 6), 10);
  assertEquals(weightForBudget(rows, 1000), 0.5);
  assertEquals(weightForBudget(rows, 1), null);
  assertEquals(weightForBudget(rows, 6, "list"), 10);
});

Deno.test("scoreInputsFromRows maps scores table columns", () => {
  const [input] = scoreInputsFromRows([{
    release_id: 7,
    artist: "A (2)",
    artist_display: "A",
    currency: "EUR",
    want: 3,
    have: null,
    lowest_price: 2,
    num_for_sale: 1,
  }]);
  assertEquals(input, {
    releaseId: 7,
    artist: "A (2)",
    artistDisplay: "A",
    currency: "EUR",
    want: 3,
    have: null,
    lowestPrice: 2,
    numForSale: 1,
    format: null,
  });
});
