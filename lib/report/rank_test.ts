import { assertEquals } from "../testing/assert.ts";
import { computeScores, type ScoreInput } from "../score/mod.ts";
import { seededRandom } from "../embed/projection.ts";
import { rerank } from "./rank.ts";

/** A made-up collection with the awkward cases: missing facts, shared artists, ties. */
function collection(n: number): ScoreInput[] {
  const random = seededRandom(7);
  const maybe = (v: number) => (random() < 0.15 ? null : v);
  return Array.from({ length: n }, (_, i) => ({
    releaseId: 1000 + ((i * 7919) % n),
    artist: `Artist ${Math.floor(random() * n / 4)}`,
    want: maybe(Math.floor(random() * 3000)),
    have: maybe(Math.floor(random() * 3000)),
    lowestPrice: maybe(Math.round(random() * 8000) / 100),
    numForSale: maybe(Math.floor(random() * 60)),
    currency: "USD",
  }));
}

Deno.test("re-ranking in the page gives the score stage's scores and ranks at every weight", () => {
  const records = collection(400);
  for (const weight of [0.5, 1, 2.5, 5, 10]) {
    const expected = computeScores(records, weight);
    const actual = rerank(records, weight);
    assertEquals(actual.scores, expected.map((s) => s.scores), `scores at ${weight}`);
    assertEquals(actual.ranks.value, expected.map((s) => s.ranks.value));
    assertEquals(actual.ranks.smartBuy, expected.map((s) => s.ranks.smartBuy));
    assertEquals(actual.ranks.essential, expected.map((s) => s.ranks.essential));
    assertEquals(actual.ranks.deepCut, expected.map((s) => s.ranks.deepCut));
    // The order lists the ranked records best first.
    const ranked = expected.filter((s) => s.ranks.value !== null).length;
    assertEquals(actual.order.value.length, ranked);
    actual.order.value.forEach((index, position) =>
      assertEquals(expected[index].ranks.value, position + 1)
    );
  }
});
