/**
 * Fast similarity over row-major Float32Array matrices of unit vectors: dot products and top-k
 * selection with a small binary heap, no per-row allocation (the "typed-array scan").
 *
 * @module
 */

/** Indices and scores of the `k` largest values of `scores`, best first. */
export function topK(
  scores: Float32Array | Float64Array,
  k: number,
  skip?: (i: number) => boolean,
): { index: number; score: number }[] {
  const heapIdx = new Int32Array(k);
  const heapVal = new Float64Array(k);
  let size = 0;
  const down = (i: number) => {
    while (true) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && heapVal[l] < heapVal[m]) m = l;
      if (r < size && heapVal[r] < heapVal[m]) m = r;
      if (m === i) return;
      [heapVal[i], heapVal[m]] = [heapVal[m], heapVal[i]];
      [heapIdx[i], heapIdx[m]] = [heapIdx[m], heapIdx[i]];
      i = m;
    }
  };
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (Number.isNaN(s) || (skip && skip(i))) continue;
    if (size < k) {
      heapVal[size] = s;
      heapIdx[size] = i;
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (heapVal[p] <= heapVal[c]) break;
        [heapVal[p], heapVal[c]] = [heapVal[c], heapVal[p]];
        [heapIdx[p], heapIdx[c]] = [heapIdx[c], heapIdx[p]];
        c = p;
      }
    } else if (s > heapVal[0]) {
      heapVal[0] = s;
      heapIdx[0] = i;
      down(0);
    }
  }
  return Array.from({ length: size }, (_, i) => ({ index: heapIdx[i], score: heapVal[i] }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
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
