import { assertEquals } from "../../testing/assert.ts";
import { rec, resetIds } from "../testing.ts";
import { twinsSignal } from "./twins.ts";
import { bareContext } from "./testing.ts";

Deno.test("twins: the column is the twin support, the reason names the closest twins", () => {
  resetIds();
  const pool = [
    rec("A", "L", ["Dub"], "Reggae", 1980, {
      twinSupport: 1.4,
      twinOwners: ["alice", "bob", "carol"],
    }),
    rec("B", "L", ["Dub"], "Reggae", 1980),
  ];
  const ctx = bareContext([], pool);
  assertEquals([...twinsSignal.column(ctx)], [1.4, 0]);
  assertEquals(
    twinsSignal.reason!(ctx, 0),
    "owned by alice, bob and 1 more, collections like yours",
  );
  assertEquals(twinsSignal.reason!(ctx, 1), null);
});
