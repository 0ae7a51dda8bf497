/**
 * Fast similarity over row-major Float32Array matrices of unit vectors: dot products and top-k
 * selection with a small binary heap, no per-row allocation (the "typed-array scan").
 * {@link dotRows} computes many dot products at once on WebAssembly SIMD (`wasm_dots.ts`),
 * bit for bit equal to {@link rowDot}.
 *
 * @module
 */

import { wasmDots } from "./wasm_dots.ts";

/**
 * Indices and scores of the `k` best of `scores` — higher first, and of equal scores the lower
 * index first — in that order. NaN scores and those `skip` refuses are passed over.
 *
 * @example
 * ```ts
 * topK(new Float64Array([0.2, 0.9, 0.5, 0.9]), 3);
 * // [{ index: 1, score: 0.9 }, { index: 3, score: 0.9 }, { index: 2, score: 0.5 }]
 * ```
 */
export function topK(
  scores: Float32Array | Float64Array,
  k: number,
  skip?: (i: number) => boolean,
): { index: number; score: number }[] {
  // A heap of the best so far with the worst on top: the lowest score, and of equal ones the
  // highest index, so the one a newcomer pushes out is always the one a full sort would drop.
  // Both sifts move a hole instead of swapping pairs, and the heap is emptied worst first into
  // the answer instead of sorting it (1.3–2× faster at 9,000 scores).
  const heapIdx = new Int32Array(Math.max(0, k));
  const heapVal = new Float64Array(Math.max(0, k));
  let size = 0;
  // Whether (va, ia) is worse than (vb, ib).
  const worse = (va: number, ia: number, vb: number, ib: number) =>
    va < vb || (va === vb && ia > ib);
  const siftDown = (s: number, i: number) => {
    let c = 0;
    while (true) {
      const l = 2 * c + 1;
      if (l >= size) break;
      const r = l + 1;
      const m = r < size && worse(heapVal[r], heapIdx[r], heapVal[l], heapIdx[l]) ? r : l;
      if (!worse(heapVal[m], heapIdx[m], s, i)) break;
      heapVal[c] = heapVal[m];
      heapIdx[c] = heapIdx[m];
      c = m;
    }
    heapVal[c] = s;
    heapIdx[c] = i;
  };
  const n = scores.length;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (s !== s || (skip !== undefined && skip(i))) continue; // s !== s: NaN
    if (size < k) {
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!worse(s, i, heapVal[p], heapIdx[p])) break;
        heapVal[c] = heapVal[p];
        heapIdx[c] = heapIdx[p];
        c = p;
      }
      heapVal[c] = s;
      heapIdx[c] = i;
    } else if (size > 0 && s > heapVal[0]) {
      // A later index with an equal score is worse than every one kept: only a higher one enters.
      siftDown(s, i);
    }
  }
  const out = new Array<{ index: number; score: number }>(size);
  for (let at = size - 1; at >= 0; at--) {
    out[at] = { index: heapIdx[0], score: heapVal[0] };
    size--;
    if (size > 0) siftDown(heapVal[size], heapIdx[size]);
  }
  return out;
}

/** For every row of `matrix` (n × dims), its dot product with each of the `k` rows of `against`. */
export function dotAll(matrix: Float32Array, against: Float32Array, dims: number): Float32Array {
  const n = matrix.length / dims;
  const k = against.length / dims;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const base = i * dims;
    for (let c = 0; c < k; c++) {
      let s = 0;
      const cb = c * dims;
      for (let j = 0; j < dims; j++) s += matrix[base + j] * against[cb + j];
      out[i * k + c] = s;
    }
  }
  return out;
}

/** Cosine of rows i and j of two unit-vector matrices. */
export function rowDot(
  a: Float32Array,
  i: number,
  b: Float32Array,
  j: number,
  dims: number,
): number {
  // Four running sums: independent additions pipeline, about a third faster on long scans.
  const ai = i * dims;
  const bj = j * dims;
  const tail = dims - (dims % 4);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let d = 0; d < tail; d += 4) {
    s0 += a[ai + d] * b[bj + d];
    s1 += a[ai + d + 1] * b[bj + d + 1];
    s2 += a[ai + d + 2] * b[bj + d + 2];
    s3 += a[ai + d + 3] * b[bj + d + 3];
  }
  for (let d = tail; d < dims; d++) s0 += a[ai + d] * b[bj + d];
  return s0 + s1 + s2 + s3;
}

/**
 * Rows of `a` per kernel call: 1,024 rows of 64 floats (256 KiB) stay in cache between the copy
 * into the kernel's memory and the scan, and many short calls let the engine compile the kernel
 * fully early in a long scan.
 */
const DOT_ROWS_CHUNK = 1024;

/**
 * `rowDot(a, i, b, j)` for every row i of `a` (n × dims) and row j of `b` (m × dims), as n × m
 * float64 (row-major), passed to `each(i0, block)` a block of rows at a time: `block` holds rows
 * i0… of the result and is only valid during the call. Bit for bit what `rowDot` gives, on
 * WebAssembly SIMD when the runtime has it and `dims` is a multiple of 4 (about three times the
 * plain loop's speed), else with the plain loop. Put the smaller matrix in `b`: it is read once
 * per row of `a`.
 */
export function dotRows(
  a: Float32Array,
  b: Float32Array,
  dims: number,
  each: (i0: number, block: Float64Array) => void,
): void {
  const n = a.length / dims;
  const m = b.length / dims;
  const kernel = dims % 4 === 0 && dims > 0 ? wasmDots() : null;
  if (kernel) {
    const wide = Float64Array.from(b);
    for (let i0 = 0; i0 < n; i0 += DOT_ROWS_CHUNK) {
      const i1 = Math.min(n, i0 + DOT_ROWS_CHUNK);
      each(i0, kernel.dots(a.subarray(i0 * dims, i1 * dims), wide, dims));
    }
    return;
  }
  const block = new Float64Array(Math.min(n, DOT_ROWS_CHUNK) * m);
  for (let i0 = 0; i0 < n; i0 += DOT_ROWS_CHUNK) {
    const i1 = Math.min(n, i0 + DOT_ROWS_CHUNK);
    for (let i = i0; i < i1; i++) {
      for (let j = 0; j < m; j++) block[(i - i0) * m + j] = rowDot(a, i, b, j, dims);
    }
    each(i0, block.subarray(0, (i1 - i0) * m));
  }
}
