import { assertAlmostEquals, assertEquals } from "../../testing/assert.ts";
import { rec, resetIds } from "../testing.ts";
import { labelFamilySignal } from "./label_family.ts";
import { relationsOf } from "./relations.ts";
import { bareContext } from "./testing.ts";

Deno.test("label family: sister labels of what you own score, the label itself does not", () => {
  resetIds();
  const relations = relationsOf([
    { name: "Metalheadz", parent_name: null },
    { name: "Razors Edge", parent_name: "Metalheadz" },
    { name: "Platinum (2)", parent_name: "Metalheadz" },
    { name: "Studio One", parent_name: null },
  ], []);
  const on = (label: string) => rec("A", label, ["Jungle"], "Electronic", 1995);
  const collection = [on("Metalheadz"), on("Metalheadz"), on("Razors Edge")];
  const pool = [on("Platinum"), on("Razors Edge"), on("Metalheadz"), on("Studio One")];
  const ctx = bareContext(collection, pool, relations);
  const column = labelFamilySignal.column(ctx);
  assertAlmostEquals(column[0], Math.log(4), 1e-12, "3 records on its sisters");
  assertAlmostEquals(column[1], Math.log(3), 1e-12, "2 on Metalheadz, its parent");
  assertAlmostEquals(column[2], Math.log(2), 1e-12, "1 on Razors Edge, its sub-label");
  assertEquals(column[3], 0);
  assertEquals(
    labelFamilySignal.reason!(ctx, 0),
    "on Platinum, of the Metalheadz family like 3 records you own",
  );
  assertEquals([...labelFamilySignal.column(bareContext(collection, pool))], [0, 0, 0, 0]);
});
