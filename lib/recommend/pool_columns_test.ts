import { IMPUTED_DEFAULTS } from "../score/formulas.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import type { Candidate } from "./candidates.ts";
import { poolMarket } from "./pool_columns.ts";
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
