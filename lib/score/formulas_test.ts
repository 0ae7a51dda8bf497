import { assert, assertAlmostEquals, assertEquals } from "../testing/assert.ts";
import {
  artistMeanWants,
  deepCutScore,
  demandValueScore,
  essentialScore,
  imputedInputs,
  isRankable,
  type MarketFacts,
  priceExponent,
  rankDescending,
  smartBuyScore,
  valueScore,
  valueScoreUnder,
} from "./formulas.ts";

const kindOfBlue: MarketFacts = { want: 1616, have: 2893, lowestPrice: 18.08, numForSale: 23 };

Deno.test("value score discounts demand by price under the weight", () => {
  assertAlmostEquals(valueScore(kindOfBlue, 1), (1616 / 2894) / (18.08 + 1), 1e-15);
  assertAlmostEquals(valueScore(kindOfBlue, 2.5), (1616 / 2894) / (18.08 * 2.5 + 1), 1e-15);
  assert(
    valueScore(kindOfBlue, 10) < valueScore(kindOfBlue, 0.5),
    "a higher weight penalises price more",
  );
});

Deno.test("smart buy divides value by copies for sale + 1", () => {
  assertAlmostEquals(smartBuyScore(kindOfBlue, 1), valueScore(kindOfBlue, 1) / 24, 1e-15);
});

Deno.test("missing inputs take the prototype's defaults and are reported", () => {
  const unknown: MarketFacts = { want: null, have: null, lowestPrice: null, numForSale: null };
  assertAlmostEquals(valueScore(unknown, 1), (1 / 2) * (1 / 31), 1e-15);
  assertAlmostEquals(smartBuyScore(unknown, 1), (1 / 2) * (1 / 31) / 11, 1e-15);
  assertEquals(essentialScore(unknown), 1);
  assertEquals(imputedInputs(unknown), ["want", "have", "lowestPrice", "numForSale"]);
  assertEquals(imputedInputs(kindOfBlue), []);
});

Deno.test("a record needs two of price, want and have to be ranked", () => {
  assert(isRankable({ want: 5, have: 3, lowestPrice: null, numForSale: null }));
  assert(!isRankable({ want: 5, have: null, lowestPrice: null, numForSale: 4 }));
});

Deno.test("zero counts do not divide by zero", () => {
  const zero: MarketFacts = { want: 0, have: 0, lowestPrice: 1, numForSale: 0 };
  assertEquals(essentialScore(zero), 0);
  assertEquals(deepCutScore(zero, 10), 10);
});

Deno.test("deep cut uses the artist's mean want, skipping unknown wants", () => {
  const rows = [
    { artist: "A", want: 100 },
    { artist: "A", want: null },
    { artist: "A", want: 50 },
    { artist: "B", want: null },
  ];
  const means = artistMeanWants(rows, (r) => r.artist, (r) => r.want);
  assertEquals(means.get("A"), 75);
  assertEquals(means.get("B"), null);
  assertEquals(
    deepCutScore({ want: 50, have: 10, lowestPrice: 1, numForSale: 1 }, 75),
    75 / 50 / 10,
  );
  assertEquals(deepCutScore(kindOfBlue, null), null);
});

Deno.test("ranks are dense positions by descending score, ties by key, ineligible get null", () => {
  const rows = [
    { id: 3, s: 0.5, ok: true },
    { id: 1, s: 0.9, ok: true },
    { id: 2, s: 0.5, ok: true },
    { id: 4, s: 0.99, ok: false },
    { id: 5, s: null, ok: true },
  ];
  const ranks = rankDescending(rows, (r) => r.s, (r) => r.ok, (r) => r.id);
  assertEquals(ranks, [3, 1, 2, null, null]);
});

Deno.test("demand model: value = demand × price^−w/2, so the weight trades demand for price", () => {
  const dear = { want: 400, have: 99, lowestPrice: 40, numForSale: 3 };
  const cheap = { want: 100, have: 99, lowestPrice: 4, numForSale: 3 };
  assertEquals(priceExponent(2), 1);
  assertAlmostEquals(demandValueScore(dear, 2), 4 / 40, 1e-15, "weight 2 = demand per dollar");
  assertAlmostEquals(demandValueScore(dear, 1), 4 / Math.sqrt(40), 1e-15);
  // Four times the demand at ten times the price: ahead at a low weight, behind at a high one.
  assert(demandValueScore(dear, 0.5) > demandValueScore(cheap, 0.5));
  assert(demandValueScore(dear, 10) < demandValueScore(cheap, 10));
  // Under the prototype the cheap one is ahead at every weight of the slider.
  for (const w of [0.5, 1, 10]) assert(valueScore(dear, w) < valueScore(cheap, w));
  // The order does not depend on the currency's unit (prices × 150, as in yen).
  const yen = (f: MarketFacts) => ({ ...f, lowestPrice: f.lowestPrice! * 150 });
  assertAlmostEquals(
    demandValueScore(yen(dear), 3) / demandValueScore(yen(cheap), 3),
    demandValueScore(dear, 3) / demandValueScore(cheap, 3),
    1e-12,
  );
  assertEquals(valueScoreUnder("prototype", dear, 2), valueScore(dear, 2));
  assertAlmostEquals(
    smartBuyScore(dear, 2, "demand"),
    demandValueScore(dear, 2) / 4,
    1e-15,
  );
  assert(Number.isFinite(demandValueScore({ ...cheap, lowestPrice: 0 }, 10)), "zero price");
});
