import { IMPUTED_DEFAULTS } from "../score/formulas.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import type { Candidate } from "./candidates.ts";
import { poolMarket, valueColumn } from "./pool_columns.ts";
import { rec } from "./testing.ts";

// A record with no market facts but those given (rec's defaults have them all).
const record = (market: Partial<Candidate>): Candidate =>
  rec("A", "L", [], "Electronic", 2000, { have: null, want: null, lowestPrice: null, ...market });

Deno.test("a pool's market columns: demand per copy, price, missing facts imputed, kept", () => {
  const pool = [
    record({ have: 9, want: 30, lowestPrice: 12.5 }),
    record({ have: null, want: 4, lowestPrice: null }),
    record({}),
  ];
  const market = poolMarket(pool);
  assertEquals(Array.from(market.demand), [30 / 10, 4 / (IMPUTED_DEFAULTS.have + 1), 1 / 2]);
  assertEquals(Array.from(market.price), [12.5, 30, 30]);
  assertEquals(Array.from(market.noMarket), [0, 0, 1]);
  assert(poolMarket(pool) === market, "read once per pool");
  assert(poolMarket([...pool]) !== market, "another array is another pool");
});

Deno.test("the value term: kept per pool under the default price weight, afresh under others", () => {
  const pool = [
    record({ have: 9, want: 30, lowestPrice: 12.5 }),
    record({ have: 3, want: 1, lowestPrice: 40 }),
    record({}),
  ];
  const at = (w: number) =>
    [0, 1].map((i) =>
      Math.log(30 / 10 * (1 / (12.5 * w + 1)) + 1e-6) * (1 - i) +
      i * Math.log(1 / 4 * (1 / (40 * w + 1)) + 1e-6)
    );
  const one = valueColumn(pool);
  const [a, b] = at(1);
  // The record with no market facts gets the mean of the known ones.
  assertEquals(Array.from(one.values), [a, b, (a + b) / 2]);
  assertEquals(one.mean, (a + b + (a + b) / 2) / 3);
  assert(valueColumn(pool, 1) === one, "kept under the default weight");
  const three = valueColumn(pool, 3);
  assert(valueColumn(pool, 3) !== three, "computed afresh under another");
  assertEquals(Array.from(three.values).slice(0, 2), at(3));
});
