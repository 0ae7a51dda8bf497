/**
 * The shelf-similarity scan: every pool record against each shelf centroid (n × k cosines), the
 * scan that dominates building a context over a million releases, and each record's best shelf,
 * taken while the scan's blocks are still in cache rather than in a second pass over n × k.
 *
 * (Handing half of the scan to the helper thread was tried: Deno's `node:worker_threads` delivered
 * a message holding the pool's shared vectors seconds late, after this thread had done the whole
 * scan, so the scan stays on one thread.)
 *
 * @module
 */

import { dotRows } from "../embed/similarity.ts";

// The best shelf similarity of each row, kept with the n × k similarities it was taken from.
const BEST = new WeakMap<Float32Array, Float64Array>();

/** best[i] = the largest of row i's k similarities, for rows i0 ≤ i < i1. */
function bestOfRows(sims: Float32Array, k: number, i0: number, i1: number, best: Float64Array) {
  for (let i = i0; i < i1; i++) {
    const at = i * k;
    let b = sims[at];
    for (let c = 1; c < k; c++) {
      const s = sims[at + c];
      b = s > b ? s : b; // the same choice as an if, with fewer mispredicted branches
    }
    best[i] = b;
  }
}

/**
 * Every row of `vectors` (n × dims) against each of the `k` centroids: n × k cosines, row-major.
 * `rowDot`'s sums (its four running sums), computed by `dotRows` — on WebAssembly SIMD where
 * there is one.
 */
export function shelfSimilarities(
  vectors: Float32Array,
  centroids: Float32Array,
  dims: number,
): Float32Array {
  const n = vectors.length / dims;
  const k = centroids.length / dims;
  const out = new Float32Array(n * k);
  const best = new Float64Array(n);
  // Float64 → float32 rounds as storing each rowDot into the array did.
  dotRows(vectors, centroids, dims, (i0, block) => {
    out.set(block, i0 * k);
    bestOfRows(out, k, i0, i0 + block.length / k, best);
  });
  BEST.set(out, best);
  return out;
}

/**
 * Each record's similarity to its nearest shelf, from n × k {@link shelfSimilarities}: taken
 * during the scan when these are its result, else computed here (and kept). Read it, do not write
 * to it.
 */
export function bestShelfSimilarities(sims: Float32Array, k: number): Float64Array {
  const n = k > 0 ? sims.length / k : 0;
  let best = BEST.get(sims);
  if (!best || best.length !== n) {
    best = new Float64Array(n);
    if (k > 0) bestOfRows(sims, k, 0, n, best);
    BEST.set(sims, best);
  }
  return best;
}
