/**
 * Clustering a collection's embeddings into taste centroids (spherical k-means, seeded
 * k-means++), with k chosen from the data: the silhouette of each k from `kMin` to `kMax`, less a
 * small penalty per extra cluster, so a focused collection gets one or two centroids and an
 * eclectic one gets several instead of an average of everything.
 *
 * @module
 */

import { seededRandom } from "../embed/projection.ts";

/** A clustering of n unit vectors of `dims` dimensions. */
export interface Clustering {
  k: number;
  dims: number;
  /** Row-major k × dims unit vectors. */
  centroids: Float32Array;
  assignments: Int32Array;
  sizes: number[];
}

function dot(a: Float32Array, ai: number, b: Float32Array, bi: number, dims: number): number {
  let s = 0;
  for (let j = 0; j < dims; j++) s += a[ai + j] * b[bi + j];
  return s;
}

function normalizeRows(m: Float32Array, rows: number, dims: number): void {
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let j = 0; j < dims; j++) norm += m[r * dims + j] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < dims; j++) m[r * dims + j] /= norm;
  }
}

/** Spherical k-means with k-means++ seeding. */
export function kmeans(
  vectors: Float32Array,
  dims: number,
  k: number,
  seed = 42,
  iterations = 50,
): Clustering {
  const n = vectors.length / dims;
  k = Math.max(1, Math.min(k, n));
  const rng = seededRandom(seed);
  const centroids = new Float32Array(k * dims);
  const first = Math.floor(rng() * n);
  centroids.set(vectors.subarray(first * dims, first * dims + dims), 0);
  const best = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = 1 - dot(vectors, i * dims, centroids, (c - 1) * dims, dims);
      best[i] = Math.min(best[i], Math.max(0, d));
      total += best[i] ** 2;
    }
    let pick = rng() * total;
    let chosen = n - 1;
    for (let i = 0; i < n; i++) {
      pick -= best[i] ** 2;
      if (pick <= 0) {
        chosen = i;
        break;
      }
    }
    centroids.set(vectors.subarray(chosen * dims, chosen * dims + dims), c * dims);
  }
  const assignments = new Int32Array(n);
  for (let it = 0; it < iterations; it++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let bestC = 0;
      let bestSim = -Infinity;
      for (let c = 0; c < k; c++) {
        const s = dot(vectors, i * dims, centroids, c * dims, dims);
        if (s > bestSim) (bestSim = s), (bestC = c);
      }
      if (assignments[i] !== bestC || it === 0) changed++;
      assignments[i] = bestC;
    }
    centroids.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignments[i];
      for (let j = 0; j < dims; j++) centroids[c * dims + j] += vectors[i * dims + j];
    }
    normalizeRows(centroids, k, dims);
    if (changed === 0) break;
  }
  const sizes = new Array(k).fill(0);
  for (const a of assignments) sizes[a]++;
  return { k, dims, centroids, assignments, sizes };
}

/** Mean silhouette (cosine distance) over at most `sample` points. */
export function silhouette(
  vectors: Float32Array,
  dims: number,
  clustering: Clustering,
  sample = 300,
  seed = 7,
): number {
  const n = vectors.length / dims;
  if (clustering.k < 2) return 0;
  const rng = seededRandom(seed);
  const idx = n <= sample
    ? [...Array(n).keys()]
    : Array.from({ length: sample }, () => Math.floor(rng() * n));
  let total = 0;
  for (const i of idx) {
    const sums = new Float64Array(clustering.k);
    const counts = new Float64Array(clustering.k);
    for (const j of idx) {
      if (i === j) continue;
      const c = clustering.assignments[j];
      sums[c] += 1 - dot(vectors, i * dims, vectors, j * dims, dims);
      counts[c]++;
    }
    const own = clustering.assignments[i];
    const a = counts[own] ? sums[own] / counts[own] : 0;
    let b = Infinity;
    for (let c = 0; c < clustering.k; c++) {
      if (c !== own && counts[c]) b = Math.min(b, sums[c] / counts[c]);
    }
    total += b === Infinity ? 0 : (b - a) / Math.max(a, b, 1e-12);
  }
  return total / idx.length;
}

/**
 * Cluster with k chosen from the data: the best silhouette minus `penalty` per cluster beyond
 * the first; k = 1 unless a split is clearly better than one taste.
 */
export function chooseClusters(
  vectors: Float32Array,
  dims: number,
  options: {
    kMin?: number;
    kMax?: number;
    seed?: number;
    penalty?: number;
    minGain?: number;
    sample?: number;
  } = {},
): Clustering {
  const n = vectors.length / dims;
  const seed = options.seed ?? 42;
  // Choosing k on a seeded sample keeps a 5,000-record collection fast; the chosen k then
  // clusters every record.
  const sampleSize = options.sample ?? 1000;
  let probe = vectors;
  if (n > sampleSize) {
    const rng = seededRandom(seed + 2);
    const idx = [...Array(n).keys()];
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    probe = new Float32Array(sampleSize * dims);
    idx.slice(0, sampleSize).forEach((row, i) =>
      probe.set(vectors.subarray(row * dims, row * dims + dims), i * dims)
    );
  }
  const probeN = probe.length / dims;
  const kMax = Math.min(options.kMax ?? 8, Math.max(1, Math.floor(probeN / 5)));
  // Silhouette keeps creeping up with k on real collections; the penalty keeps shelves distinct.
  const penalty = options.penalty ?? 0.02;
  let bestK = Math.max(1, options.kMin ?? 1);
  let bestScore = options.minGain ?? 0.05;
  for (let k = Math.max(2, options.kMin ?? 2); k <= kMax; k++) {
    const c = kmeans(probe, dims, k, seed);
    if (c.sizes.some((s) => s === 0)) continue;
    const score = silhouette(probe, dims, c) - penalty * (k - 1);
    if (score > bestScore) (bestScore = score), (bestK = k);
  }
  return kmeans(vectors, dims, bestK, seed);
}
