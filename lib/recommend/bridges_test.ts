import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import {
  BRIDGE_RULES,
  bridgeBalance,
  compareBridgeRules,
  linkablePairs,
  rankBridges,
  ruleAgreement,
  shelfPairs,
  shelves,
  sideBySide,
} from "./bridges.ts";
import type { Candidate } from "./candidates.ts";
import { buildContext, MIN_BRIDGE_CLOSENESS, recommendMissingLinks } from "./mod.ts";
import { rec, resetIds } from "./testing.ts";

/** Two shelves (jungle, roots reggae); the pool has members of each and records of both. */
function world() {
  resetIds();
  const collection: Candidate[] = [];
  for (let i = 0; i < 12; i++) {
    collection.push(
      rec(`Junglist ${i % 4}`, "Metalheadz", ["Jungle", "Drum n Bass"], "Electronic", 1995),
    );
    collection.push(rec(`Roots ${i % 4}`, "Studio One", ["Roots Reggae", "Dub"], "Reggae", 1978));
  }
  const pool: Candidate[] = [];
  for (let i = 0; i < 6; i++) {
    pool.push(rec(`Junglist ${i % 3}`, "Metalheadz", ["Jungle"], "Electronic", 1996));
    pool.push(rec(`Roots ${i % 3}`, "Studio One", ["Roots Reggae"], "Reggae", 1977));
  }
  for (let i = 0; i < 3; i++) {
    pool.push(
      rec(`Ragga Jungle ${i}`, "Metalheadz", ["Jungle", "Dub", "Roots Reggae"], "Reggae", 1994, {
        lowestPrice: 3 + i * 10,
      }),
    );
  }
  for (let i = 0; i < 20; i++) {
    pool.push(rec(`Trancer ${i}`, `Trance ${i % 5}`, ["Trance"], "Electronic", 2003));
  }
  return { collection, pool };
}

Deno.test("bridging rules: max-min, harmonic, product and mean on two similarities", () => {
  assertEquals(BRIDGE_RULES["max-min"](0.8, 0.2), 0.2);
  assertAlmostEquals(BRIDGE_RULES.harmonic(0.8, 0.2), 0.32);
  assertAlmostEquals(BRIDGE_RULES.product(0.8, 0.2), 0.16);
  assertAlmostEquals(BRIDGE_RULES.mean(0.8, 0.2), 0.5);
  assertEquals(BRIDGE_RULES.harmonic(-0.1, 0.9), 0);
  assertEquals(BRIDGE_RULES.product(-0.5, -0.5), 0);
});

Deno.test("shelves and shelf pairs describe the clustering", () => {
  const { collection, pool } = world();
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  assertEquals(ctx.clustering.k, 2);
  const list = shelves(ctx, 2);
  assertEquals(list.map((s) => s.records), [12, 12]);
  assertEquals(list[0].examples.length, 2);
  const [pair] = shelfPairs(ctx);
  assertEquals([pair.a, pair.b], [0, 1]);
  assert(pair.distance > 0.5, `distance ${pair.distance}`);
});

Deno.test("rankBridges: records of both shelves win under max-min, as the served list", () => {
  const { collection, pool } = world();
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  const [pair] = shelfPairs(ctx);
  const bridges = rankBridges(ctx, pair, "max-min", { top: 3 });
  assertEquals(bridges.map((b) => b.rank), [1, 2, 3]);
  assert(bridges.every((b) => b.artist.startsWith("Ragga Jungle")), JSON.stringify(bridges));
  assert(bridges.every((b, i) => i === 0 || bridges[i - 1].score >= b.score));
  assert(bridges.every((b) => b.score === Math.min(b.similarity_a, b.similarity_b)));
  const served = recommendMissingLinks(ctx, { top: 3 }).map((r) => r.poolIndex).sort();
  const relative = rankBridges(ctx, pair, "max-min", { top: 3, relative: true });
  assertEquals(relative.map((b) => b.pool_index).sort(), served, "the served rule's scale");
  // A budget keeps only records with a known price at or under it; one per artist caps repeats.
  assert(rankBridges(ctx, pair, "max-min", { budget: 5 }).every((b) => b.lowest_price! <= 5));
  const capped = rankBridges(ctx, pair, "mean", { top: 20, perArtist: 1 });
  assertEquals(new Set(capped.map((b) => b.artist)).size, capped.length);
  assertThrows(() => rankBridges(ctx, { a: 0, b: 0 }, "max-min"), RangeError);
});

Deno.test("comparing rules: side by side, agreement and balance", () => {
  const { collection, pool } = world();
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  const [pair] = shelfPairs(ctx);
  const lists = compareBridgeRules(ctx, pair, ["max-min", "mean"], { top: 4 });
  assertEquals(Object.keys(lists), ["max-min", "mean"]);
  const rows = sideBySide(lists);
  assertEquals(rows.length, 4);
  assertEquals(Object.keys(rows[0]), ["Rank", "max-min", "mean"]);
  assert(String(rows[0]["max-min"]).startsWith("Ragga Jungle"));
  const agreement = ruleAgreement(lists);
  assertEquals(agreement[0]["max-min"], 1);
  assertEquals(agreement[0].mean, agreement[1]["max-min"]);
  const [maxMin, mean] = bridgeBalance(lists);
  assert(maxMin.weaker_side >= mean.weaker_side, "max-min maximises the weaker side");
  assert(maxMin.gap <= mean.gap + 1e-9);
});

Deno.test("linkablePairs: which pairs the served rule can link, and how well", () => {
  const { collection, pool } = world();
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  const [pair] = linkablePairs(ctx);
  assert(pair.linkable, JSON.stringify(pair));
  assertEquals(pair.bridges, 3, "the three Ragga Jungle records");
  assert(pair.best_closeness >= MIN_BRIDGE_CLOSENESS);
  const none = buildContext(collection, pool.filter((c) => !c.artist.startsWith("Ragga")), {
    dims: 8,
    kMax: 4,
  });
  const [apart] = linkablePairs(none);
  assertEquals([apart.linkable, apart.bridges], [false, 0]);
  assert(apart.best_closeness < MIN_BRIDGE_CLOSENESS);
});
