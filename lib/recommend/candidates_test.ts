import { assert, assertEquals } from "../testing/assert.ts";
import { asPoolRow, poolShares } from "./candidates.ts";
import { rec, resetIds } from "./testing.ts";

Deno.test("asPoolRow keeps each fact on the share of pool rows that carry it, the same in every fold", () => {
  resetIds();
  const rich = (i: number) =>
    rec(`A${i}`, "Metalheadz", ["Jungle"], "Electronic", 1995, {
      artists: [`A${i}`, "B"],
      labels: ["Metalheadz", "Razors Edge"],
      masterId: 100 + i,
      catno: `METH ${i}`,
      credits: [{ name: "E. Priest", role: "Remix" }],
    });
  const owned = Array.from({ length: 400 }, (_, i) => rich(i));
  // An API pool: catalogue numbers and masters, no credits.
  const api = asPoolRow(owned[0]);
  assertEquals([api.artists, api.labels, api.credits], [["A0"], ["Metalheadz"], []]);
  assertEquals([api.masterId, api.catno, api.have], [100, "METH 0", 100]);
  // A pool file with neither: nothing survives, market data does.
  const file = poolShares([rec("P", "L", ["Dub"], "Reggae", 1980)]);
  assertEquals(file, { masterId: 0, catno: 0, credits: 0, market: 1 });
  const bare = asPoolRow(owned[1], file);
  assertEquals([bare.masterId, bare.catno, bare.credits, bare.have], [null, null, [], 100]);
  // A pool where a quarter of the rows have a catalogue number and none have market data.
  const pool = Array.from({ length: 8 }, (_, i) =>
    rec("P", "L", ["Dub"], "Reggae", 1980, {
      catno: i < 2 ? "X 1" : null,
      have: null,
      want: null,
    }));
  const shares = poolShares(pool);
  assertEquals([shares.catno, shares.market], [0.25, 0]);
  const kept = owned.filter((c) => asPoolRow(c, shares).catno !== null).length;
  assert(kept > 70 && kept < 130, `${kept} of 400 keep their catalogue number`);
  assertEquals(
    owned.map((c) => asPoolRow(c, shares).catno),
    owned.map((c) => asPoolRow(c, shares).catno),
  );
  assertEquals(owned.every((c) => asPoolRow(c, shares).have === null), true);
});
