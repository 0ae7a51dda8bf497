import { assert, assertEquals } from "../../testing/assert.ts";
import type { Candidate } from "../candidates.ts";
import { rec, resetIds } from "../testing.ts";
import { marketPriorSignal, MIN_OWNED_MARKET } from "./market_prior.ts";
import { bareContext } from "./testing.ts";

/** A market of famous (have 5,000) and obscure (have 20) records, half and half. */
function market(): Candidate[] {
  const pool: Candidate[] = [];
  for (let i = 0; i < 100; i++) {
    const famous = i % 2 === 0;
    pool.push(rec(`P${i}`, "L", ["Dub"], "Reggae", 1980, {
      have: famous ? 5000 + i : 20 + (i % 7),
      want: famous ? 900 + i : 15 + (i % 5),
    }));
  }
  return pool;
}

Deno.test("market prior: a collector of obscure records lifts obscure candidates, not famous ones", () => {
  resetIds();
  const collection = Array.from(
    { length: 30 },
    (_, i) =>
      rec(`C${i}`, "L", ["Dub"], "Reggae", 1980, { have: 18 + (i % 9), want: 14 + (i % 4) }),
  );
  const pool = [...market(), rec("X", "L", ["Dub"], "Reggae", 1980, { have: null, want: null })];
  const ctx = bareContext(collection, pool);
  const column = marketPriorSignal.column(ctx);
  for (let i = 0; i < 100; i++) {
    if (i % 2 === 0) assert(column[i] < 0, `famous ${i}: ${column[i]}`);
    else assert(column[i] > 0, `obscure ${i}: ${column[i]}`);
  }
  assertEquals(column[100], 0, "no market data: no evidence");
  assertEquals(
    marketPriorSignal.reason!(ctx, 1),
    "21 have it and 16 want it, where your records sit",
  );
  assertEquals(marketPriorSignal.reason!(ctx, 0), null);
  assertEquals(marketPriorSignal.reason!(ctx, 100), null);
});

Deno.test("market prior: too few owned records with have and want say nothing", () => {
  resetIds();
  const collection = Array.from(
    { length: MIN_OWNED_MARKET - 1 },
    (_, i) => rec(`C${i}`, "L", ["Dub"], "Reggae", 1980, { have: 20, want: 15 }),
  );
  const column = marketPriorSignal.column(bareContext(collection, market()));
  assertEquals(column.every((v) => v === 0), true);
});
