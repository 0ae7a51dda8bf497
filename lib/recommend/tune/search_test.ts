import { assert, assertEquals } from "../../testing/assert.ts";
import { buildContext } from "../context.ts";
import { DEFAULT_GEM_WEIGHTS } from "../kinds/gem_weights.ts";
import { innerFold } from "./folds.ts";
import { beats, foldObjectives, knobs, searchBlend } from "./search.ts";
import { foldColumns, handBlend } from "./simulate.ts";
import { tasteWorld } from "./testing.ts";

function folds() {
  const { collection, pool } = tasteWorld(4, 90, 400);
  const ctx = buildContext(collection, pool, { dims: 16, kMax: 4 });
  return [0, 1].map((f) => foldColumns(innerFold(ctx, f)!));
}

Deno.test("a step is kept only when the mean rises by the margin and no fold falls", () => {
  assert(beats([0.6, 0.6], [0.5, 0.5], 0.01));
  assert(!beats([0.9, 0.49], [0.5, 0.5], 0.01), "one fold fell");
  assert(!beats([0.505, 0.505], [0.5, 0.5], 0.01), "within the margin");
});

Deno.test("the search never ends below where it started, and turns every knob", () => {
  const fit = folds();
  const start = handBlend(DEFAULT_GEM_WEIGHTS);
  const result = searchBlend(fit, start, Infinity);
  assert(result.complete);
  const before = foldObjectives(fit, start);
  const after = foldObjectives(fit, result.blend);
  assert(after.every((v, k) => v >= before[k] - 0.01), `${after} vs ${before}`);
  const names = knobs().map((k) => k.name);
  assert(names.includes("neighbours") && names.includes("field:genre"));
  assert(!names.includes("value"), "the price sensitivity is the collector's, not tuned");
  assert(result.evaluations >= knobs().length, `${result.evaluations} settings`);
});

Deno.test("past its deadline the search returns the best so far", () => {
  const fit = folds();
  const start = handBlend(DEFAULT_GEM_WEIGHTS);
  const result = searchBlend(fit, start, 0, () => 1);
  assertEquals(result.complete, false);
  assertEquals(result.blend.weights, start.weights);
});
