import { assert, assertEquals, assertNotMatch } from "../../testing/assert.ts";
import type { Candidate } from "../candidates.ts";
import { buildContext } from "../context.ts";
import { recommendGems } from "../kinds/gems.ts";
import { rec, resetIds } from "../testing.ts";
import { GEM_SIGNALS } from "./mod.ts";

/** A jungle collector with a catalogue series, and a pool where one record continues it. */
function world(signalWeights?: Record<string, number>) {
  resetIds();
  const collection: Candidate[] = [];
  for (let i = 0; i < 12; i++) {
    collection.push(rec(`Junglist ${i % 4}`, "Metalheadz", ["Jungle"], "Electronic", 1995, {
      catno: `METH ${String(i + 1).padStart(3, "0")}`,
    }));
  }
  const pool: Candidate[] = [];
  for (let i = 0; i < 10; i++) {
    pool.push(rec(`Other ${i}`, "Metalheadz", ["Jungle"], "Electronic", 1995, {
      catno: `METH ${500 + i * 50}`,
      have: 100 + i * 30,
      want: 90 - i * 5,
    }));
  }
  // Its worst value of the lot, and the nearest catalogue number by far.
  pool.push(rec("Next In Line", "Metalheadz", ["Jungle"], "Electronic", 1995, {
    catno: "METH 013",
    have: 400,
    want: 20,
    lowestPrice: 40,
  }));
  return buildContext(collection, pool, { dims: 16, kMax: 2, signalWeights });
}

Deno.test("a registered signal with weight changes the gem ranking and is named only where it lifted", () => {
  assert(GEM_SIGNALS.some((s) => s.name === "series"));
  const off = recommendGems(world(), { top: 11 });
  const next = (list: typeof off) => list.findIndex((r) => r.poolIndex === 10);
  assert(next(off) > 0, `off, the series record is not first: ${next(off)}`);
  assertEquals(off[next(off)].components.series, undefined, "a signal at 0 is not computed");
  for (const r of off) assertNotMatch(r.why, /next to your/, "weight 0: never named");

  const on = recommendGems(world({ series: 3 }), { top: 11 });
  assertEquals(next(on), 0, on.map((r) => r.why).join("\n"));
  assertEquals(on[0].components.series > 0, true);
  assert(on[0].why.includes("METH 013 on Metalheadz, next to your METH 012"), on[0].why);
  // The far-off numbers score below the pool's mean: the signal pulled them down, so it is
  // not given as a reason for them.
  for (const r of on.slice(1)) assertNotMatch(r.why, /next to your/, r.why);
});
