import { assertEquals } from "../../testing/assert.ts";
import { rec, resetIds } from "../testing.ts";
import { masterSignal } from "./master.ts";
import { bareContext } from "./testing.ts";

Deno.test("master: only other pressings of albums you own score", () => {
  resetIds();
  const collection = [
    rec("Augustus Pablo", "Clocktower", ["Dub"], "Reggae", 1976, { masterId: 7 }),
  ];
  const pool = [
    rec("Augustus Pablo", "Rockers", ["Dub"], "Reggae", 1980, { masterId: 7 }),
    rec("Augustus Pablo", "Rockers", ["Dub"], "Reggae", 1980, { masterId: 8 }),
    rec("Augustus Pablo", "Rockers", ["Dub"], "Reggae", 1980),
  ];
  const ctx = bareContext(collection, pool);
  assertEquals([...masterSignal.column(ctx)], [1, 0, 0]);
  assertEquals(
    masterSignal.reason!(ctx, 0),
    "another pressing of Augustus Pablo — T1, which you own",
  );
  assertEquals(masterSignal.reason!(ctx, 1), null);
});
