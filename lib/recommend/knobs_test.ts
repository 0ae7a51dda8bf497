import { assert, assertEquals } from "../testing/assert.ts";
import type { Candidate } from "./candidates.ts";
import { evaluateWorkspace } from "./evaluate.ts";
import { compareGemVariants, describeList } from "./knobs.ts";
import { buildContext, recommendGems } from "./mod.ts";
import { rec as candidate, resetIds } from "./testing.ts";

/** A 1995 release at `price`: Metalheadz (Electronic) when jungle, else Studio One (Reggae). */
function rec(
  artist: string,
  styles: string[],
  price: number | null,
  extra: Partial<Candidate> = {},
): Candidate {
  const jungle = styles[0] === "Jungle";
  return candidate(
    artist,
    jungle ? "Metalheadz" : "Studio One",
    styles,
    jungle ? "Electronic" : "Reggae",
    1995,
    { lowestPrice: price, ...extra },
  );
}

function world() {
  resetIds();
  const collection: Candidate[] = [];
  for (let i = 0; i < 10; i++) {
    collection.push(rec(`Junglist ${i % 4}`, ["Jungle", "Drum n Bass"], 10));
    collection.push(rec(`Roots ${i % 4}`, ["Roots Reggae", "Dub"], 10));
  }
  const pool: Candidate[] = [];
  for (let i = 0; i < 30; i++) {
    pool.push(rec(`Pool Jungle ${i}`, ["Jungle"], 1 + i));
    pool.push(rec(`Pool Roots ${i}`, ["Roots Reggae"], i % 5 === 0 ? null : 2 + i));
    pool.push(rec(`Trancer ${i}`, ["Trance"], 5));
  }
  return { collection, pool };
}

Deno.test("describeList: prices, artists, shelves and diversity of a list", () => {
  const { collection, pool } = world();
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  // Pool rows 0, 1, 2, 3: Pool Jungle 0 ($1), Pool Roots 0 (no price), Trancer 0 ($5), Pool Jungle 1 ($2).
  const d = describeList(ctx, [0, 1, 2, 3]);
  assertEquals(d.picks, 4);
  assertEquals(d.priced, 3);
  assertEquals(d.median_price, 2);
  assertEquals(d.total_price, 1 + 5 + 2);
  assertEquals(d.artists, 4);
  assert(d.shelves >= 1 && d.shelves <= ctx.clustering.k);
  assert(d.diversity > 0 && d.diversity <= 2);
  assertEquals(describeList(ctx, []).median_price, null);
});

Deno.test("compareGemVariants: the reference keeps all of itself; a budget makes the list cheaper", () => {
  const { collection, pool } = world();
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  const rows = compareGemVariants(ctx, [
    { name: "default" },
    { name: "budget 8", budget: 8 },
    { name: "variety", diversity: 0.3 },
  ], 10);
  assertEquals(rows.map((r) => r.variant), ["default", "budget 8", "variety"]);
  assertEquals(rows[0].overlap_with_first, 1);
  assertEquals(rows[1].budget, 8);
  const budgetList = recommendGems(ctx, { top: 10, budget: 8 });
  assert(budgetList.every((g) => pool[g.poolIndex].lowestPrice! <= 8));
  assertEquals(rows[1].picks, budgetList.length);
  assert(rows[1].total_price <= rows[0].total_price);
});

Deno.test("evaluateWorkspace leaves the collection's own releases out of the candidates", () => {
  const { collection, pool } = world();
  const rows = evaluateWorkspace(collection, [...pool, collection[0]], { folds: 1, seed: 1 });
  assertEquals(rows[0].collection, "your collection");
  assertEquals(rows.length, 5);
  assertEquals(rows[0].candidates, pool.length + rows[0].hidden_per_fold);
});
