/**
 * The learned blend's fit itself: projected full-batch gradient descent of the pairwise logistic
 * loss over pair differences (`learn.ts` makes them), on this thread or on the helper thread
 * (`lib/parallel/helper.ts`) while this one runs the tuned blend's search. The same code on
 * either thread, so the same weights bit for bit; without a helper, or when it fails, the
 * waiting thread fits for itself. Kept apart from `learn.ts` so the helper loads only this.
 *
 * @example
 * ```ts
 * const pending = fitPairsInBackground(diffs, 18, { steps: 300, l2: 0.01 });
 * const tuned = searchBlend(…); // meanwhile, on this thread
 * const { beta, loss } = pending.result();
 * ```
 *
 * @module
 */

import { helperThread, waitForHelper } from "../../parallel/helper.ts";

/** How the descent runs. */
export interface PairFitOptions {
  /** Gradient steps. */
  steps: number;
  /** L2 penalty on the weights. */
  l2: number;
}

/** The fitted weights (non-negative) and the mean pairwise loss at the last step. */
export interface PairFit {
  beta: Float64Array;
  loss: number;
}

/** Below this many pair-steps the fit is a few milliseconds: not worth a thread. */
export const BACKGROUND_PAIR_STEPS = 500_000;

/**
 * Fit β ≥ 0 minimising the mean of log(1 + e^−β·x) over the pair differences `diffs` (pair
 * after pair, `d` values each) plus `l2`·|β|², from β = 0.1, by `steps` projected gradient steps
 * of rate 0.5.
 */
export function fitPairs(diffs: Float64Array, d: number, options: PairFitOptions): PairFit {
  const pairs = diffs.length / d;
  const beta = new Float64Array(d).fill(0.1);
  const grad = new Float64Array(d);
  let loss = 0;
  const rate = 0.5;
  for (let step = 0; step < options.steps; step++) {
    grad.fill(0);
    // The loss is only reported, so it is only worked out on the last step.
    const last = step === options.steps - 1;
    for (let base = 0; base < diffs.length; base += d) {
      let s = 0;
      for (let j = 0; j < d; j++) s += beta[j] * diffs[base + j];
      // log(1 + e^−s), stable for large |s|; its derivative is −σ(−s).
      if (last) loss += s > 0 ? Math.log1p(Math.exp(-s)) : -s + Math.log1p(Math.exp(s));
      const g = -1 / (1 + Math.exp(s));
      for (let j = 0; j < d; j++) grad[j] += g * diffs[base + j];
    }
    for (let j = 0; j < d; j++) {
      const next = beta[j] - rate * (grad[j] / pairs + 2 * options.l2 * beta[j]);
      beta[j] = next > 0 ? next : 0; // projected: weights stay non-negative
    }
  }
  return { beta, loss: loss / pairs };
}

/** A fit as the helper receives it: the differences and room for β and the loss, shared. */
export interface PairsJob {
  kind: "pairs";
  shared: SharedArrayBuffer;
  d: number;
  pairs: number;
  options: PairFitOptions;
}

/** Job states in the header's first slot. */
const STATE = { pending: 0, done: 1, failed: 2 } as const;

/** The views of a job's buffer: header (state), β (d), loss, the differences (pairs × d). */
function jobLayout(shared: SharedArrayBuffer, d: number, pairs: number) {
  return {
    header: new Int32Array(shared, 0, 2),
    beta: new Float64Array(shared, 8, d),
    loss: new Float64Array(shared, 8 + d * 8, 1),
    diffs: new Float64Array(shared, 16 + d * 8, pairs * d),
  };
}

/** Run a fit job (on the helper thread) and wake the thread waiting for it. */
export function runPairsJob(job: PairsJob): void {
  const layout = jobLayout(job.shared, job.d, job.pairs);
  try {
    const fit = fitPairs(layout.diffs, job.d, job.options);
    layout.beta.set(fit.beta);
    layout.loss[0] = fit.loss;
    Atomics.store(layout.header, 0, STATE.done);
  } catch {
    Atomics.store(layout.header, 0, STATE.failed); // the waiting thread fits for itself
  }
  Atomics.notify(layout.header, 0);
}

/** A fit under way; {@link PendingPairFit.result} waits for it. */
export interface PendingPairFit {
  result(): PairFit;
  /** Which thread fitted, once `result` has returned. */
  readonly by: "helper" | "this thread" | null;
}

/**
 * Start `fitPairs(diffs, d, options)` on the helper thread when it is worth one (at least
 * {@link BACKGROUND_PAIR_STEPS} pair-steps), else fit when asked. `diffs` is copied.
 */
export function fitPairsInBackground(
  diffs: Float64Array,
  d: number,
  options: PairFitOptions,
): PendingPairFit {
  const pairs = diffs.length / d;
  let done: PairFit | null = null;
  let by: PendingPairFit["by"] = null;
  const here = (): PairFit => {
    by = "this thread";
    return (done = fitPairs(diffs, d, options));
  };
  const helper = pairs * options.steps >= BACKGROUND_PAIR_STEPS ? helperThread() : null;
  let layout: ReturnType<typeof jobLayout> | null = null;
  if (helper) {
    const shared = new SharedArrayBuffer(16 + (d + pairs * d) * 8);
    layout = jobLayout(shared, d, pairs);
    layout.diffs.set(diffs);
    try {
      const job: PairsJob = { kind: "pairs", shared, d, pairs, options };
      helper.postMessage(job);
    } catch {
      layout = null;
    }
  }
  return {
    get by() {
      return by;
    },
    result() {
      if (done) return done;
      if (!layout) return here();
      const header = layout.header;
      const finished = waitForHelper(() => Atomics.load(header, 0) !== STATE.pending, header, 0);
      if (!finished || Atomics.load(header, 0) !== STATE.done) return here();
      by = "helper";
      return (done = { beta: Float64Array.from(layout.beta), loss: layout.loss[0] });
    },
  };
}
