import { assert, assertEquals } from "../../testing/assert.ts";
import { asPoolRow } from "../candidates.ts";
import { buildContext } from "../context.ts";
import { DEFAULT_GEM_WEIGHTS } from "../kinds/gem_weights.ts";
import { recommendGems } from "../kinds/gems.ts";
import { innerFold } from "./folds.ts";
import {
  blendFor,
  blendSummary,
  blendText,
  fitBlend,
  handServed,
  MIN_TUNING_RECORDS,
  useBlend,
} from "./mod.ts";
import { tasteWorld } from "./testing.ts";

/** The evaluation harness's split: a fifth hidden among the pool as pool rows. */
function outerFold() {
  const { collection, pool } = tasteWorld(6, 90, 400);
  const hidden = new Set(collection.filter((_, i) => i % 5 === 0).map((c) => c.key));
  const visible = collection.filter((c) => !hidden.has(c.key));
  const candidates = [
    ...pool,
    ...collection.filter((c) => hidden.has(c.key)).map((c) => asPoolRow(c)),
  ];
  return { visible, candidates, hidden, ctx: buildContext(visible, candidates, { dims: 16 }) };
}

const withoutTime = (b: ReturnType<typeof fitBlend>) => ({ ...b, seconds: 0 });

Deno.test("the inner folds hide only the visible collection, never the outer fold's hidden", () => {
  const { ctx, hidden, visible } = outerFold();
  const keys = new Set(visible.map((c) => c.key));
  for (let f = 0; f < 4; f++) {
    const fold = innerFold(ctx, f)!;
    const innerHidden = fold.ctx.pool.filter((_, i) => fold.hidden[i] === 1);
    assert(innerHidden.every((c) => keys.has(c.key)), "hidden from the visible collection");
    assert(innerHidden.every((c) => !hidden.has(c.key)), "none of the outer hidden");
    // The outer hidden are in the inner pool only as what they are to the fold: candidates.
    const outer = fold.ctx.pool.filter((c) => hidden.has(c.key));
    assert(outer.every((c) => !fold.hidden[fold.ctx.pool.indexOf(c)]));
    assert(fold.ctx.collection.every((c) => !hidden.has(c.key)));
  }
});

Deno.test("a blend is fitted from its context alone: no state carries from one fold to the next", () => {
  const a = outerFold();
  const { collection, pool } = tasteWorld(7, 90, 400);
  const other = buildContext(collection, pool, { dims: 16 });
  const alone = fitBlend(a.ctx, { budgetMs: Infinity });
  fitBlend(other, { budgetMs: Infinity });
  assertEquals(withoutTime(fitBlend(a.ctx, { budgetMs: Infinity })), withoutTime(alone));
  // Kept per context object: the same context gets the same blend, another its own.
  assertEquals(blendFor(a.ctx), blendFor(a.ctx));
  assert(blendFor({ ...a.ctx }) !== blendFor(a.ctx), "another context, another blend");
  assert(blendFor(a.ctx) === blendFor(a.ctx), "kept");
});

Deno.test("a collection too small to hide records from serves the hand blend", () => {
  const { collection, pool } = tasteWorld(2, MIN_TUNING_RECORDS - 1, 200);
  const ctx = buildContext(collection, pool, { dims: 16 });
  const blend = blendFor(ctx);
  assertEquals(blend.served, "hand");
  assertEquals(blend.weights, DEFAULT_GEM_WEIGHTS);
  assert(blend.reason.includes("too few"), blend.reason);
});

Deno.test("each blend can be forced, and the summary says which served with its weights", () => {
  const { ctx } = outerFold();
  for (const force of ["hand", "tuned", "learned"] as const) {
    const blend = fitBlend(ctx, { force, budgetMs: Infinity });
    assertEquals(blend.served, force);
    const summary = blendSummary(blend) as { served: string; weights: { fields: number[] } };
    assertEquals(summary.served, force);
    assertEquals(summary.weights.fields.length, 8);
    // Whatever serves, the price weight still moves the list and the list stays diversified.
    assertEquals(blend.weights.value, DEFAULT_GEM_WEIGHTS.value, `${force}: value`);
    assert(blend.diversity < 1, `${force}: MMR λ ${blend.diversity}`);
    assert(blendText(blend).startsWith(`served: ${force} blend`));
  }
  const auto = fitBlend(ctx, { budgetMs: Infinity });
  assert(["hand", "tuned", "learned"].includes(auto.served));
  assert(auto.inner.hand && auto.inner.tuned && auto.inner.learned, "all three scored");
});

Deno.test("a pick's reason names the largest parts of its score under the served blend", () => {
  const { ctx } = outerFold();
  for (const pick of recommendGems(ctx, { top: 10 })) {
    assert(/^(fits your .+ shelf|next to .+, which you own)/.test(pick.why), pick.why);
  }
  // Only the nearest owned records rank: every reason leads with one, and says no shelf.
  const near = { ...ctx };
  useBlend(near, {
    ...handServed("test"),
    weights: { taste: 0, centroid: 0, value: 0, neighbours: 1 },
  });
  for (const pick of recommendGems(near, { top: 10 })) {
    assert(/^next to .+ — .+, which you own \(similarity \d\.\d\d\)/.test(pick.why), pick.why);
  }
  // Only taste and shelves rank: no reason names a neighbour.
  const fit = { ...ctx };
  useBlend(fit, { ...handServed("test"), weights: { ...DEFAULT_GEM_WEIGHTS, neighbours: 0 } });
  for (const pick of recommendGems(fit, { top: 10 })) {
    assert(/^fits your .+ shelf/.test(pick.why) && !pick.why.includes("next to"), pick.why);
  }
});
