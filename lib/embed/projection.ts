/**
 * Reducing sparse TF-IDF vectors to d dense dimensions with a truncated SVD, computed by the
 * randomized range finder (Halko, Martinsson & Tropp 2011): a seeded Gaussian sketch, a few power
 * iterations, then an exact eigen-decomposition of a small k×k matrix. SVD keeps what styles,
 * labels and artists co-occur with, so two labels that share a scene land near each other even
 * when no release carries both — a random projection would keep none of that.
 *
 * @module
 */

import type { SparseVector } from "./tfidf.ts";
import { seededRandom } from "../stats/mod.ts";

export { seededRandom } from "../stats/mod.ts";

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/**
 * Orthonormalise the k columns of a row-major n×k matrix in place (modified Gram–Schmidt). The
 * columns are copied out to contiguous arrays first: the same operations in the same order, but
 * reading memory in sequence instead of with a stride of k (at a 30,000-token vocabulary that
 * is most of the fit's time). Each subtraction is fused with the next dot product, and columns go
 * two at a time: the second's projections on the columns before the first run in the same pass
 * as the first's, two independent sums the processor overlaps. Every column still sees the same
 * operations in the same order, so the result is bit for bit the plain algorithm's.
 */
export function orthonormalize(m: Float64Array, n: number, k: number): void {
  const columns = Array.from({ length: k }, (_, j) => {
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) column[i] = m[i * k + j];
    return column;
  });
  const normalize = (c: Float64Array, squares: number) => {
    const norm = Math.sqrt(squares) || 1;
    for (let i = 0; i < n; i++) c[i] /= norm;
  };
  // Column j alone: its projections on the columns before it, each fused with the next dot
  // product (the last with its squared norm).
  const single = (j: number) => {
    const cj = columns[j];
    let dot = 0;
    if (j === 0) {
      for (let i = 0; i < n; i++) dot += cj[i] ** 2;
      return normalize(cj, dot);
    }
    const c0 = columns[0];
    for (let i = 0; i < n; i++) dot += cj[i] * c0[i];
    for (let p = 0; p < j; p++) {
      const cp = columns[p];
      let next = 0;
      if (p + 1 < j) {
        const cn = columns[p + 1];
        for (let i = 0; i < n; i++) {
          cj[i] -= dot * cp[i];
          next += cj[i] * cn[i];
        }
      } else {
        for (let i = 0; i < n; i++) {
          cj[i] -= dot * cp[i];
          next += cj[i] ** 2;
        }
      }
      dot = next;
    }
    normalize(cj, dot);
  };
  // Columns j and j + 1 together (j ≥ 1): both projected on columns 0 … j − 1 in shared passes,
  // then j is normalised, and j + 1 projected on it.
  const pair = (j: number) => {
    const a = columns[j];
    const b = columns[j + 1];
    const c0 = columns[0];
    let da = 0;
    let db = 0;
    for (let i = 0; i < n; i++) {
      da += a[i] * c0[i];
      db += b[i] * c0[i];
    }
    for (let p = 0; p < j - 1; p++) {
      const cp = columns[p];
      const cn = columns[p + 1];
      let na = 0;
      let nb = 0;
      for (let i = 0; i < n; i++) {
        a[i] -= da * cp[i];
        b[i] -= db * cp[i];
        na += a[i] * cn[i];
        nb += b[i] * cn[i];
      }
      da = na;
      db = nb;
    }
    const last = columns[j - 1];
    let squares = 0;
    for (let i = 0; i < n; i++) {
      a[i] -= da * last[i];
      b[i] -= db * last[i];
      squares += a[i] ** 2;
    }
    normalize(a, squares);
    let dot = 0;
    for (let i = 0; i < n; i++) dot += b[i] * a[i];
    squares = 0;
    for (let i = 0; i < n; i++) {
      b[i] -= dot * a[i];
      squares += b[i] ** 2;
    }
    normalize(b, squares);
  };
  for (let j = 0; j < k;) {
    if (j === 0 || j + 1 >= k) single(j++);
    else (pair(j), j += 2);
  }
  for (let j = 0; j < k; j++) {
    const cj = columns[j];
    for (let i = 0; i < n; i++) m[i * k + j] = cj[i];
  }
}

/**
 * X · M (X sparse n×V, M dense V×k → n×k) or, with `transpose`, Xᵀ · M (M dense n×k → V×k, the
 * `outRows` V): each nonzero of X adds its value times a row of M into a row of the result.
 */
function sparseTimes(
  rows: SparseVector[],
  m: Float64Array,
  k: number,
  transpose: boolean,
  outRows: number,
): Float64Array {
  const out = new Float64Array(outRows * k);
  for (let i = 0; i < rows.length; i++) {
    const { ids, values } = rows[i];
    const o = i * k;
    for (let z = 0; z < ids.length; z++) {
      const t = ids[z] * k;
      const v = values[z];
      const to = transpose ? t : o;
      const from = transpose ? o : t;
      for (let j = 0; j < k; j++) out[to + j] += v * m[from + j];
    }
  }
  return out;
}

/** Y = X · M (X sparse n×V, M dense V×k) → n×k. */
function times(rows: SparseVector[], m: Float64Array, k: number): Float64Array {
  return sparseTimes(rows, m, k, false, rows.length);
}

/** Z = Xᵀ · Y (X sparse n×V, Y dense n×k) → V×k. */
function transposeTimes(
  rows: SparseVector[],
  y: Float64Array,
  k: number,
  vocabulary: number,
): Float64Array {
  return sparseTimes(rows, y, k, true, vocabulary);
}

/** Eigen-decomposition of a symmetric k×k matrix by cyclic Jacobi rotations. */
export function symmetricEigen(
  a: Float64Array,
  k: number,
): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += m[p * k + q] ** 2;
    if (off < 1e-20) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = m[p * k + q];
        if (Math.abs(apq) < 1e-30) continue;
        const theta = (m[q * k + q] - m[p * k + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const mrp = m[r * k + p];
          const mrq = m[r * k + q];
          m[r * k + p] = c * mrp - s * mrq;
          m[r * k + q] = s * mrp + c * mrq;
        }
        for (let r = 0; r < k; r++) {
          const mpr = m[p * k + r];
          const mqr = m[q * k + r];
          m[p * k + r] = c * mpr - s * mqr;
          m[q * k + r] = s * mpr + c * mqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p];
          const vrq = v[r * k + q];
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = m[i * k + i];
  return { values, vectors: v };
}

/**
 * Fit a V×d projection (row-major Float32Array) from sparse rows: the top-d right singular
 * vectors of the row matrix, by a randomized SVD with `oversample` extra directions and
 * `powerIterations` passes.
 */
export function fitProjection(
  rows: SparseVector[],
  vocabulary: number,
  options: { dims: number; seed: number; oversample?: number; powerIterations?: number },
): Float32Array {
  const d = Math.min(options.dims, vocabulary);
  const k = Math.min(vocabulary, d + (options.oversample ?? 10));
  const rng = seededRandom(options.seed);
  const omega = new Float64Array(vocabulary * k);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(rng);
  let y = times(rows, omega, k);
  for (let it = 0; it < (options.powerIterations ?? 2); it++) {
    orthonormalize(y, rows.length, k);
    const z = transposeTimes(rows, y, k, vocabulary);
    orthonormalize(z, vocabulary, k);
    y = times(rows, z, k);
  }
  orthonormalize(y, rows.length, k);
  const bt = transposeTimes(rows, y, k, vocabulary); // Bᵀ = Xᵀ Q, V×k
  const c = new Float64Array(k * k);
  for (let t = 0; t < vocabulary; t++) {
    for (let a = 0; a < k; a++) {
      const x = bt[t * k + a];
      if (x === 0) continue;
      for (let b = a; b < k; b++) c[a * k + b] += x * bt[t * k + b];
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) c[a * k + b] = c[b * k + a];
  const { values, vectors } = symmetricEigen(c, k);
  const order = [...values.keys()].sort((a, b) => values[b] - values[a]).slice(0, d);
  // Right singular vectors: V = Bᵀ U Σ⁻¹.
  const projection = new Float32Array(vocabulary * options.dims);
  // Each kept eigenvector as a contiguous column, and its σ: read in sequence for every token.
  const kept = order.map((col) => {
    const u = new Float64Array(k);
    for (let a = 0; a < k; a++) u[a] = vectors[a * k + col];
    return { u, sigma: Math.sqrt(Math.max(values[col], 1e-12)) };
  });
  for (let t = 0; t < vocabulary; t++) {
    const row = t * k;
    for (let j = 0; j < kept.length; j++) {
      const { u, sigma } = kept[j];
      let sum = 0;
      for (let a = 0; a < k; a++) sum += bt[row + a] * u[a];
      projection[t * options.dims + j] = sum / sigma;
    }
  }
  return projection;
}

/** Project one sparse vector to `dims` dimensions and L2-normalise into `out` at `offset`. */
export function projectInto(
  v: SparseVector,
  projection: Float32Array,
  dims: number,
  out: Float32Array,
  offset: number,
): void {
  for (let z = 0; z < v.ids.length; z++) {
    const base = v.ids[z] * dims;
    const x = v.values[z];
    for (let j = 0; j < dims; j++) out[offset + j] += x * projection[base + j];
  }
  let norm = 0;
  for (let j = 0; j < dims; j++) norm += out[offset + j] ** 2;
  norm = Math.sqrt(norm);
  if (norm > 0) { for (let j = 0; j < dims; j++) out[offset + j] /= norm; }
}
