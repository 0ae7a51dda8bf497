import { assert, assertEquals } from "../../testing/assert.ts";
import { buildContext } from "../context.ts";
import { DEFAULT_GEM_WEIGHTS } from "../kinds/gem_weights.ts";
import { innerFold } from "./folds.ts";
import { featureNames, learnWeights } from "./learn.ts";
import { foldColumns, scoreFolds } from "./simulate.ts";
import { tasteWorld } from "./testing.ts";

function folds() {
  const { collection, pool } = tasteWorld(5, 90, 400);
  const ctx = buildContext(collection, pool, { dims: 16, kMax: 4 });
  return [0, 1].map((f) => foldColumns(innerFold(ctx, f)!));
}

Deno.test("the learned blend weighs the gem score's parts, non-negative, taste 1, seeded", () => {
  const fit = folds();
  const learned = learnWeights(fit, DEFAULT_GEM_WEIGHTS, { seed: 3 })!;
  assert(learned, "fitted");
  assertEquals(learned.coefficients.length, featureNames().length);
  assert(learned.coefficients.every((b) => b >= 0), "non-negative");
  const w = learned.weights;
  assertEquals(w.taste, 1);
  assert([w.centroid, w.value, w.neighbours, ...w.fields!].every((v) => v >= 0));
  assertEquals(Math.max(...w.fields!), 1.5);
  assertEquals(w.value, DEFAULT_GEM_WEIGHTS.value, "the price sensitivity keeps the hand share");
  // Better than a coin on its own pairs, and the collector's own records come back.
  assert(learned.loss < Math.log(2), `loss ${learned.loss}`);
  const s = scoreFolds(fit, { weights: w, diversity: 0.9 });
  assert(s.recall > 0.3, `recall ${s.recall}`);
  assertEquals(learnWeights(fit, DEFAULT_GEM_WEIGHTS, { seed: 3 }), learned, "deterministic");
});

Deno.test("a stronger penalty shrinks the learned coefficients", () => {
  const fit = folds();
  const loose = learnWeights(fit, DEFAULT_GEM_WEIGHTS, { l2: 0.001 })!;
  const tight = learnWeights(fit, DEFAULT_GEM_WEIGHTS, { l2: 1 })!;
  const norm = (b: number[]) => Math.hypot(...b);
  assert(norm(tight.coefficients) < norm(loose.coefficients), "shrunk");
});
