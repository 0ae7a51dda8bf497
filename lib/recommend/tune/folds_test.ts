import { assert, assertEquals } from "../../testing/assert.ts";
import { asPoolRow } from "../candidates.ts";
import { buildContext } from "../context.ts";
import { innerFold } from "./folds.ts";
import { neighbourSimilarities } from "../kinds/gems.ts";
import { tasteWorld } from "./testing.ts";

Deno.test("an inner fold hides a fifth of the visible collection among the pool, as pool rows", () => {
  const { collection, pool } = tasteWorld(2, 90, 400);
  const ctx = buildContext(collection, pool, { dims: 16, kMax: 4 });
  const f = innerFold(ctx, 0)!;
  assertEquals(f.hiddenCount, 18);
  assertEquals(f.ctx.collection.length, 72);
  assertEquals(f.ctx.pool.length, 418);
  assertEquals([...f.hidden].reduce((s, v) => s + v, 0), 18);
  const owned = new Set(collection.map((c) => c.key));
  const visible = new Set(f.ctx.collection.map((c) => c.key));
  f.ctx.pool.forEach((c, i) => {
    assertEquals(f.hidden[i] === 1, owned.has(c.key), c.key);
    if (f.hidden[i]) {
      assert(!visible.has(c.key), "a hidden record is not also visible");
      assertEquals(c, asPoolRow(collection[f.hiddenOf[i - 400]]));
    }
  });
  // Every part the score reads is rebuilt to the fold's sizes.
  assertEquals(f.ctx.poolVectors.length, 418 * 16);
  assertEquals(f.ctx.collectionVectors.length, 72 * 16);
  assertEquals(f.ctx.poolTokens.offsets.length, 419);
  assertEquals(f.ctx.centroidSims.length, 418 * ctx.clustering.k);
  assertEquals(f.ctx.taste.collectionSize, 72);
  // Seeded: the same fold twice, another fold hides others.
  assertEquals(innerFold(ctx, 0)!.hiddenOf, f.hiddenOf);
  assert(innerFold(ctx, 1)!.hiddenOf.join() !== f.hiddenOf.join());
});

Deno.test("an inner fold samples the pool's negatives down to its cap", () => {
  const { collection, pool } = tasteWorld(2, 90, 400);
  const ctx = buildContext(collection, pool, { dims: 16, kMax: 4 });
  const f = innerFold(ctx, 0, { maxNegatives: 100 })!;
  assertEquals(f.ctx.pool.length, 118);
  assert(Math.abs(f.scale - 118 / 400) < 1e-12);
  const keys = new Set(pool.map((c) => c.key));
  assertEquals(f.ctx.pool.slice(0, 100).filter((c) => keys.has(c.key)).length, 100);
});

Deno.test("no inner fold without a model or with too few records", () => {
  const { collection, pool } = tasteWorld(2, 90, 100);
  const ctx = buildContext(collection, pool, { dims: 16, kMax: 4 });
  assertEquals(innerFold({ ...ctx, model: undefined }, 0), null);
  assertEquals(innerFold({ ...ctx, collection: ctx.collection.slice(0, 5) }, 0), null);
});

Deno.test("a fold's neighbour similarities off the parent's kept lists are its own scan's, bit for bit", () => {
  for (
    const [records, hiddenShare, maxNegatives] of [[90, 0.2, 20_000], [14, 0.2, 50], [
      60,
      0.85,
      300,
    ]]
  ) {
    const { collection, pool } = tasteWorld(3, records, 400);
    const ctx = buildContext(collection, pool, { dims: 16, kMax: 4 });
    for (const fold of [0, 1]) {
      const f = innerFold(ctx, fold, { hiddenShare, maxNegatives })!;
      const every = [...f.ctx.pool.keys()];
      // The same context as a new object is not linked to the parent: it scans for itself.
      const scanned = neighbourSimilarities({ ...f.ctx }, every, new Map());
      // Twice through the link: the second reads what the first kept.
      assertEquals(neighbourSimilarities(f.ctx, every, new Map()), scanned, `${records} records`);
      assertEquals(neighbourSimilarities(f.ctx, every.reverse(), new Map()), scanned.reverse());
    }
  }
});
