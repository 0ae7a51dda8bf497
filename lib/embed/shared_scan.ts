/**
 * The shelf-similarity scan split between threads: rows (float32, n × dims) in a
 * `SharedArrayBuffer`, scanned against k centroids in chunks that any thread claims from a shared
 * counter, each writing its chunks' n × k similarities (float32) and best similarity per row
 * (float64) into shared result buffers. A chunk's results do not depend on which thread computed
 * it, so two threads give what one does, bit for bit: the kernel's `scan` (`wasm_dots.ts`), or
 * `rowDot` rounded to float32 where there is no kernel.
 *
 * The thread that needs the results calls {@link finishSharedScan}: it scans what is left, then
 * waits for the chunks another thread claimed, and computes any that thread did not (it failed,
 * or died and the wait gave up on it).
 *
 * @example
 * ```ts
 * const scan = sharedScan(sharedPoolVectors, 64, 8); // post `scan` to a helper with centroids
 * const { sims, best } = finishSharedScan(scan, centroids, waitForHelper);
 * ```
 *
 * @module
 */

import { rowDot } from "./similarity.ts";
import { wasmDots } from "./wasm_dots.ts";

/** Rows a thread claims at a time: 8,192 rows of 64 floats are 2 MiB of the pool. */
const CLAIM_ROWS = 8192;

/** Rows per kernel call: 1,024 rows of 64 floats (256 KiB) stay in cache between copy and scan. */
const KERNEL_ROWS = 1024;

/** control[0]: next chunk to claim; control[1]: chunks done; then one done flag per chunk. */
const NEXT = 0;
const DONE = 1;
const FLAGS = 2;

/** A shared scan: what a helper thread is handed (all of it structured-clones cheaply). */
export interface SharedScan {
  kind: "scan";
  /** The rows, float32 n × dims from byte `rowsAt` of `rows`. */
  rows: SharedArrayBuffer;
  rowsAt: number;
  n: number;
  dims: number;
  /** Room for n × `capacity` float32 similarities (row-major, k per row). */
  sims: SharedArrayBuffer;
  capacity: number;
  /** n float64: each row's best similarity. */
  best: SharedArrayBuffer;
  control: SharedArrayBuffer;
  /** The centroids (k × dims), when the job is handed over with them known. */
  centroids?: Float32Array;
}

/**
 * A scan of `rows` (float32 n × dims, backed by a `SharedArrayBuffer`) against at most `capacity`
 * centroids, nothing claimed yet.
 */
export function sharedScan(rows: Float32Array, dims: number, capacity: number): SharedScan {
  if (!(rows.buffer instanceof SharedArrayBuffer)) {
    throw new TypeError("a shared scan needs rows in a SharedArrayBuffer");
  }
  const n = rows.length / dims;
  const chunks = Math.ceil(n / CLAIM_ROWS);
  return {
    kind: "scan",
    rows: rows.buffer,
    rowsAt: rows.byteOffset,
    n,
    dims,
    sims: new SharedArrayBuffer(n * capacity * 4),
    capacity,
    best: new SharedArrayBuffer(n * 8),
    control: new SharedArrayBuffer((FLAGS + chunks) * 4),
  };
}

/** The rows of chunk `c` of `scan` against `wide` (k × dims, float64), into the result buffers. */
function scanChunk(scan: SharedScan, c: number, centroids: Float32Array, wide: Float64Array) {
  const { n, dims } = scan;
  const k = centroids.length / dims;
  const rows = new Float32Array(scan.rows, scan.rowsAt, n * dims);
  const sims = new Float32Array(scan.sims, 0, n * k);
  const best = new Float64Array(scan.best, 0, n);
  const end = Math.min(n, (c + 1) * CLAIM_ROWS);
  const kernel = dims % 4 === 0 && dims > 0 ? wasmDots() : null;
  for (let i0 = c * CLAIM_ROWS; i0 < end; i0 += KERNEL_ROWS) {
    const i1 = Math.min(end, i0 + KERNEL_ROWS);
    if (kernel) {
      const out = kernel.scan(rows.subarray(i0 * dims, i1 * dims), wide, dims);
      sims.set(out.sims, i0 * k);
      best.set(out.best, i0);
      continue;
    }
    for (let i = i0; i < i1; i++) {
      for (let j = 0; j < k; j++) sims[i * k + j] = rowDot(rows, i, centroids, j, dims);
      let b = sims[i * k];
      for (let j = 1; j < k; j++) b = sims[i * k + j] > b ? sims[i * k + j] : b;
      best[i] = b;
    }
  }
}

/**
 * Claim chunks of `scan` and scan them against `centroids` (k × dims, k ≤ capacity) until none
 * are left: what each thread taking part runs. Each chunk claimed counts as done and wakes
 * waiters, failed or not; only one computed gets its flag (the finishing thread redoes the rest).
 */
export function scanChunks(scan: SharedScan, centroids: Float32Array): void {
  if (centroids.length / scan.dims > scan.capacity) {
    throw new RangeError(`${centroids.length / scan.dims} centroids over ${scan.capacity}`);
  }
  const control = new Int32Array(scan.control);
  const chunks = control.length - FLAGS;
  const wide = Float64Array.from(centroids);
  while (true) {
    const c = Atomics.add(control, NEXT, 1);
    if (c >= chunks) return;
    try {
      scanChunk(scan, c, centroids, wide);
      Atomics.store(control, FLAGS + c, 1);
    } finally {
      Atomics.add(control, DONE, 1);
      Atomics.notify(control, DONE);
    }
  }
}

/**
 * The scan's results for `centroids`, on this thread: scan the chunks left, wait (through `wait`,
 * e.g. `waitForHelper`) for those another thread claimed, and compute any it did not finish.
 * `sims` is n × k (float32, row-major) and `best` each row's largest.
 */
export function finishSharedScan(
  scan: SharedScan,
  centroids: Float32Array,
  wait: (done: () => boolean, signal: Int32Array, index: number) => boolean,
): { sims: Float32Array; best: Float64Array } {
  scanChunks(scan, centroids);
  const control = new Int32Array(scan.control);
  const chunks = control.length - FLAGS;
  // Chunks another thread claimed but did not compute (it failed, or the wait gave up on it).
  wait(() => Atomics.load(control, DONE) >= chunks, control, DONE);
  const wide = Float64Array.from(centroids);
  for (let c = 0; c < chunks; c++) {
    if (Atomics.load(control, FLAGS + c) === 0) scanChunk(scan, c, centroids, wide);
  }
  const k = centroids.length / scan.dims;
  return {
    sims: new Float32Array(scan.sims, 0, scan.n * k),
    best: new Float64Array(scan.best, 0, scan.n),
  };
}
