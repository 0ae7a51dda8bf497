import { assert, assertAlmostEquals, assertEquals } from "../../testing/assert.ts";
import { rec, resetIds } from "../testing.ts";
import { creditsSignal } from "./credits.ts";
import { bareContext } from "./testing.ts";

Deno.test("credits: a remixer of two owned records scores ln 3, a sleeve designer nothing", () => {
  resetIds();
  const remix = (name: string, role = "Remix") => ({ credits: [{ name, role }] });
  const collection = [
    rec("A", "L", ["Jungle"], "Electronic", 1995, remix("E. Priest")),
    rec("B", "L", ["Jungle"], "Electronic", 1995, remix("E. Priest (2)")),
    rec("C", "L", ["Jungle"], "Electronic", 1995, remix("Sleeve Guy", "Design")),
  ];
  const pool = [
    rec("D", "M", ["Jungle"], "Electronic", 1995, remix("E. Priest")),
    rec("E", "M", ["Jungle"], "Electronic", 1995, remix("E. Priest", "Producer")),
    rec("F", "M", ["Jungle"], "Electronic", 1995, remix("Sleeve Guy", "Design")),
    rec("G", "M", ["Jungle"], "Electronic", 1995),
  ];
  const ctx = bareContext(collection, pool);
  const column = creditsSignal.column(ctx);
  assertAlmostEquals(column[0], Math.log(3), 1e-12);
  assertAlmostEquals(column[1], 0.8 * Math.log(3), 1e-12, "production counts 0.8");
  assertEquals([column[2], column[3]], [0, 0]);
  assertEquals(creditsSignal.reason!(ctx, 0), "remixed by E. Priest, like 2 records you own");
  assertEquals(creditsSignal.reason!(ctx, 3), null);
  assert(creditsSignal.reason!(ctx, 1)!.startsWith("produced by E. Priest"));
});
