import { assert, assertEquals } from "../../testing/assert.ts";
import { seededRandom } from "../../stats/mod.ts";
import { BACKGROUND_PAIR_STEPS, fitPairs, fitPairsInBackground } from "./pairs.ts";

/** Pair differences where features 0 and 2 tell the hidden record apart and 1 is noise. */
function pairs(n: number, d: number, seed: number): Float64Array {
  const rng = seededRandom(seed);
  const diffs = new Float64Array(n * d);
  for (let p = 0; p < n; p++) {
    for (let j = 0; j < d; j++) {
      const signal = j === 0 ? 0.8 : j === 2 ? 0.3 : 0;
      diffs[p * d + j] = signal + (rng() - 0.5) * 2;
    }
  }
  return diffs;
}

Deno.test("fitPairs weighs the features that tell pairs apart, never below 0", () => {
  const fit = fitPairs(pairs(2000, 4, 1), 4, { steps: 300, l2: 0.01 });
  assert(fit.beta[0] > fit.beta[2] && fit.beta[2] > fit.beta[1], `${fit.beta}`);
  assert(fit.beta.every((b) => b >= 0));
  // Better than a coin (ln 2), and the loss of the weights it returns.
  assert(fit.loss < Math.log(2), `${fit.loss}`);
});

Deno.test("the learned blend's fit on the helper thread is this thread's, bit for bit", () => {
  const d = 18;
  const options = { steps: 300, l2: 0.01 };
  const big = pairs(Math.ceil(BACKGROUND_PAIR_STEPS / options.steps) + 10, d, 2);
  const pending = fitPairsInBackground(big, d, options);
  big.fill(0); // the job has its own copy
  const want = fitPairs(
    pairs(Math.ceil(BACKGROUND_PAIR_STEPS / options.steps) + 10, d, 2),
    d,
    options,
  );
  const got = pending.result();
  assertEquals(pending.by, "helper");
  assertEquals([...got.beta], [...want.beta]);
  assertEquals(got.loss, want.loss);
  // A small fit stays on this thread.
  const small = fitPairsInBackground(pairs(50, d, 3), d, options);
  assertEquals(small.result(), fitPairs(pairs(50, d, 3), d, options));
  assertEquals(small.by, "this thread");
});
