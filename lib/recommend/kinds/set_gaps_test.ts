import type { Candidate, SetGap } from "../candidates.ts";
import { buildContext } from "../context.ts";
import { rec, resetIds } from "../testing.ts";
import { assert, assertEquals, assertStringIncludes } from "../../testing/assert.ts";
import { RECOMMENDERS } from "./mod.ts";
import { recommendSetGaps, setGaps } from "./set_gaps.ts";
import { recommendAll } from "../served.ts";

const gap = (over: Partial<SetGap>): SetGap => ({
  kind: "label",
  id: 1,
  name: "Moving Shadow",
  what: 'Moving Shadow 12"s from 1994',
  owned: 9,
  total: 10,
  pct: 90,
  missing: 1,
  inWantlist: false,
  albums: [],
  ...over,
});

function world() {
  resetIds();
  const collection: Candidate[] = [];
  for (let i = 0; i < 12; i++) {
    collection.push(rec(`Junglist ${i % 4}`, "Moving Shadow", ["Jungle"], "Electronic", 1994));
    collection.push(rec(`Roots ${i % 4}`, "Studio One", ["Dub"], "Reggae", 1978));
  }
  const pool: Candidate[] = [];
  for (let i = 0; i < 10; i++) {
    pool.push(rec(`Junglist ${i % 4}`, "Moving Shadow", ["Jungle"], "Electronic", 1994, {
      lowestPrice: 10 + i,
    }));
    pool.push(rec(`Dubwise ${i}`, "Dub Label", ["Dub"], "Reggae", 1999));
  }
  return { collection, pool };
}

Deno.test("set gaps: nearest set first, then cheapest, two per set, reasons naming the set", () => {
  const { collection, pool } = world();
  // The label set, 9 of 10: its last record. An artist set, 7 of 10: three records, the
  // cheapest two served. A record missing from both tells the nearer one.
  pool[0].setGaps = [gap({})];
  const artist = gap({
    kind: "artist",
    id: 7,
    name: "Dubwise",
    what: "Dubwise albums on vinyl",
    owned: 7,
    missing: 3,
    pct: 70,
  });
  pool[1].setGaps = [artist];
  pool[3].setGaps = [{ ...artist, inWantlist: true }];
  pool[5].setGaps = [artist];
  pool[1].lowestPrice = 30;
  pool[3].lowestPrice = 12;
  pool[5].lowestPrice = 14;
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  const picks = recommendSetGaps(ctx, { top: 10 });
  assertEquals(picks.map((p) => p.poolIndex), [0, 3, 5]);
  assertEquals(picks.map((p) => p.rank), [1, 2, 3]);
  assert(picks[0].score > picks[1].score);
  assertEquals(
    picks[0].why,
    'the last of 10 Moving Shadow 12"s from 1994 you are missing; $10.00',
  );
  assertStringIncludes(
    picks[1].why,
    "one of the 3 Dubwise albums on vinyl you are missing (you own 7 of 10); on your wantlist",
  );
  assertStringIncludes(picks[2].why, "$14.00");
  assertEquals(picks.every((p) => p.kind === "set_gap"), true);
  // The budget and the exclusions hold as for every list.
  assertEquals(recommendSetGaps(ctx, { top: 10, budget: 13 }).map((p) => p.poolIndex), [0, 3]);
  assertEquals(
    recommendSetGaps(ctx, { top: 10, exclude: new Set([0]) }).map((p) => p.poolIndex),
    [3, 5],
  );
});

Deno.test("set gaps: without sets the list is empty and the other lists are as before", () => {
  const { collection, pool } = world();
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  assertEquals(recommendSetGaps(ctx, { top: 10 }), []);
  const withKind = recommendAll(ctx, { top: 5 });
  const without = recommendAll(ctx, { top: 5 }, RECOMMENDERS.filter((r) => r !== setGaps));
  assert(without.length > 0);
  assertEquals(withKind, without);
});

Deno.test("set gaps: one pressing per album, the one that finishes more sets telling so", () => {
  const { collection, pool } = world();
  const albums = ["work:omni trio|renegade snares"];
  const artist = gap({ kind: "artist", id: 7, name: "Omni Trio", pct: 80, albums });
  // The label's pressing fills the artist's album too; the artist's cheapest pressing only that.
  pool[0].setGaps = [gap({ albums }), artist];
  pool[2].setGaps = [artist];
  pool[2].lowestPrice = 1;
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  const picks = recommendSetGaps(ctx, { top: 10 });
  assertEquals(picks.map((p) => p.poolIndex), [0]);
  assertStringIncludes(picks[0].why, "; also missing from Omni Trio");
});
