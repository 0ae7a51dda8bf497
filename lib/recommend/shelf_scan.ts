/**
 * The shelf-similarity scan: every pool record against each shelf centroid (n × k cosines), the
 * scan that dominates building a context over a million releases, and each record's best shelf,
 * taken by the scan kernel while each block is in cache rather than in a second pass over n × k.
 *
 * Over a big pool the scan is shared with the helper thread ({@link beginShelfScan}): the pool's
 * vectors sit in a `SharedArrayBuffer` ({@link sharedRows}, copied once per pool), the helper is
 * handed the scan with the clustering job and starts on it as soon as it has the centroids, and
 * this thread joins in once it has them too; both claim chunks of rows from a shared counter
 * (`lib/embed/shared_scan.ts`). The same results, bit for bit, whichever thread scans a chunk.
 *
 * @module
 */

import { finishSharedScan, type SharedScan, sharedScan } from "../embed/shared_scan.ts";
import { dotRows } from "../embed/similarity.ts";
import { wasmDots } from "../embed/wasm_dots.ts";
import { waitForHelper } from "../parallel/helper.ts";

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
  const kernel = dims % 4 === 0 && dims > 0 && k > 0 ? wasmDots() : null;
  if (kernel) {
    // The kernel rounds to float32 and takes each row's best itself.
    const wide = Float64Array.from(centroids);
    for (let i0 = 0; i0 < n; i0 += KERNEL_ROWS) {
      const i1 = Math.min(n, i0 + KERNEL_ROWS);
      const block = kernel.scan(vectors.subarray(i0 * dims, i1 * dims), wide, dims);
      out.set(block.sims, i0 * k);
      best.set(block.best, i0);
    }
  } else {
    // Float64 → float32 rounds as storing each rowDot into the array did.
    dotRows(vectors, centroids, dims, (i0, block) => {
      out.set(block, i0 * k);
      bestOfRows(out, k, i0, i0 + block.length / k, best);
    });
  }
  BEST.set(out, best);
  return out;
}

/** Rows per kernel call: 1,024 rows of 64 floats (256 KiB) stay in cache from copy to scan. */
const KERNEL_ROWS = 1024;

// Each pool matrix's copy in shared memory, kept with it.
const SHARED = new WeakMap<Float32Array, Float32Array>();

/**
 * `vectors` in a `SharedArrayBuffer`, which another thread can read: itself if it is in one, else
 * a copy made on the first call and kept with it (call it when the pool is loaded, as every
 * context over the pool shares it; or use the copy as the pool's vectors).
 */
export function sharedRows(vectors: Float32Array): Float32Array {
  if (vectors.buffer instanceof SharedArrayBuffer) return vectors;
  let shared = SHARED.get(vectors);
  if (!shared) {
    shared = new Float32Array(new SharedArrayBuffer(vectors.byteLength));
    shared.set(vectors);
    SHARED.set(vectors, shared);
  }
  return shared;
}

/** A shelf scan begun before its centroids are known ({@link beginShelfScan}). */
export interface ShelfScan {
  /** The scan to hand the helper thread with the clustering job. */
  job: SharedScan;
  /**
   * {@link shelfSimilarities} of the pool against `centroids`, with this thread scanning what the
   * helper has not claimed (all of it when the helper never starts).
   */
  finish(centroids: Float32Array): Float32Array;
}

/**
 * Begin the shelf scan of `vectors` (n × dims) against at most `capacity` centroids, to be shared
 * with the helper thread once clustering has found them.
 */
export function beginShelfScan(vectors: Float32Array, dims: number, capacity: number): ShelfScan {
  const job = sharedScan(sharedRows(vectors), dims, capacity);
  return {
    job,
    finish(centroids) {
      if (centroids.length / dims > capacity) return shelfSimilarities(vectors, centroids, dims);
      const { sims, best } = finishSharedScan(job, centroids, waitForHelper);
      BEST.set(sims, best);
      return sims;
    },
  };
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
