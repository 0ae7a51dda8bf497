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
      const ai = i * dims;
      let c = 0;
      // Four centroids per pass over the row: four independent sums (each in `dot`'s order)
      // instead of one long chain of dependent additions, compared in centroid order as before.
      for (; c + 3 < k; c += 4) {
        const b0 = c * dims;
        const b1 = b0 + dims;
        const b2 = b1 + dims;
        const b3 = b2 + dims;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let j = 0; j < dims; j++) {
          const x = vectors[ai + j];
          s0 += x * centroids[b0 + j];
          s1 += x * centroids[b1 + j];
          s2 += x * centroids[b2 + j];
          s3 += x * centroids[b3 + j];
        }
        if (s0 > bestSim) (bestSim = s0), (bestC = c);
        if (s1 > bestSim) (bestSim = s1), (bestC = c + 1);
        if (s2 > bestSim) (bestSim = s2), (bestC = c + 2);
        if (s3 > bestSim) (bestSim = s3), (bestC = c + 3);
      }
      for (; c + 1 < k; c += 2) {
        const b0 = c * dims;
        const b1 = b0 + dims;
        let s0 = 0;
        let s1 = 0;
        for (let j = 0; j < dims; j++) {
          const x = vectors[ai + j];
          s0 += x * centroids[b0 + j];
          s1 += x * centroids[b1 + j];
        }
        if (s0 > bestSim) (bestSim = s0), (bestC = c);
        if (s1 > bestSim) (bestSim = s1), (bestC = c + 1);
      }
      for (; c < k; c++) {
        const s = dot(vectors, ai, centroids, c * dims, dims);
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

/** The points a silhouette is measured on, and their pairwise cosines (|idx| × |idx|). */
interface SilhouetteSample {
  idx: number[];
  dots: Float64Array;
}

function silhouetteSample(
  vectors: Float32Array,
  dims: number,
  sample: number,
  seed: number,
): SilhouetteSample {
  const n = vectors.length / dims;
  const rng = seededRandom(seed);
  const idx = n <= sample
    ? [...Array(n).keys()]
    : Array.from({ length: sample }, () => Math.floor(rng() * n));
  const m = idx.length;
  const dots = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    const ai = idx[a] * dims;
    let b = 0;
    // Four partners per pass over the row (each sum in `dot`'s order).
    for (; b + 3 < m; b += 4) {
      const b0 = idx[b] * dims;
      const b1 = idx[b + 1] * dims;
      const b2 = idx[b + 2] * dims;
      const b3 = idx[b + 3] * dims;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < dims; j++) {
        const x = vectors[ai + j];
        s0 += x * vectors[b0 + j];
        s1 += x * vectors[b1 + j];
        s2 += x * vectors[b2 + j];
        s3 += x * vectors[b3 + j];
      }
      dots[a * m + b] = s0;
      dots[a * m + b + 1] = s1;
      dots[a * m + b + 2] = s2;
      dots[a * m + b + 3] = s3;
    }
    for (; b < m; b++) dots[a * m + b] = dot(vectors, ai, vectors, idx[b] * dims, dims);
  }
  return { idx, dots };
}

function silhouetteOf(points: SilhouetteSample, clustering: Clustering): number {
  if (clustering.k < 2) return 0;
  const { idx, dots } = points;
  const m = idx.length;
  let total = 0;
  for (let a = 0; a < m; a++) {
    const i = idx[a];
    const sums = new Float64Array(clustering.k);
    const counts = new Float64Array(clustering.k);
    for (let b = 0; b < m; b++) {
      const j = idx[b];
      if (i === j) continue;
      const c = clustering.assignments[j];
      sums[c] += 1 - dots[a * m + b];
      counts[c]++;
    }
    const own = clustering.assignments[i];
    const av = counts[own] ? sums[own] / counts[own] : 0;
    let bv = Infinity;
    for (let c = 0; c < clustering.k; c++) {
      if (c !== own && counts[c]) bv = Math.min(bv, sums[c] / counts[c]);
    }
    total += bv === Infinity ? 0 : (bv - av) / Math.max(av, bv, 1e-12);
  }
  return total / m;
}

/** Mean silhouette (cosine distance) over at most `sample` points. */
export function silhouette(
  vectors: Float32Array,
  dims: number,
  clustering: Clustering,
  sample = 300,
  seed = 7,
): number {
  if (clustering.k < 2) return 0;
  return silhouetteOf(silhouetteSample(vectors, dims, sample, seed), clustering);
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
  // The silhouette's points and their cosines are the same for every k: computed once.
  let points: SilhouetteSample | null = null;
  for (let k = Math.max(2, options.kMin ?? 2); k <= kMax; k++) {
    const c = kmeans(probe, dims, k, seed);
    if (c.sizes.some((s) => s === 0)) continue;
    points ??= silhouetteSample(probe, dims, 300, 7);
    const score = silhouetteOf(points, c) - penalty * (k - 1);
    if (score > bestScore) (bestScore = score), (bestK = k);
  }
  return kmeans(vectors, dims, bestK, seed);
}
