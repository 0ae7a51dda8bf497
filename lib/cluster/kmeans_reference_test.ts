/**
 * The clustering with interleaved sums and the silhouette's cosines computed once against the
 * plain implementation it replaced (kept here as the reference): the same shelves, bit for bit.
 */

import { assertEquals } from "../testing/assert.ts";
import { seededRandom } from "../embed/projection.ts";
import { chooseClusters, type Clustering, kmeans, silhouette } from "./kmeans.ts";

// ---- The reference: lib/cluster/kmeans.ts as it was. ----

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

function refKmeans(
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

function refSilhouette(
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

function refChooseClusters(
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
    const c = refKmeans(probe, dims, k, seed);
    if (c.sizes.some((s) => s === 0)) continue;
    const score = refSilhouette(probe, dims, c) - penalty * (k - 1);
    if (score > bestScore) (bestScore = score), (bestK = k);
  }
  return refKmeans(vectors, dims, bestK, seed);
}

// ---- The comparison. ----

/** Unit vectors around `k` directions, with noise, in `dims` dimensions. */
function vectorsAround(k: number, n: number, dims: number, seed: number): Float32Array {
  const rng = seededRandom(seed);
  const centers = Array.from({ length: k }, () => Array.from({ length: dims }, () => rng() - 0.5));
  const out = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    const c = centers[Math.floor(rng() * k)];
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += (out[i * dims + d] = c[d] + 0.6 * (rng() - 0.5)) ** 2;
    for (let d = 0; d < dims; d++) out[i * dims + d] /= Math.sqrt(norm);
  }
  return out;
}

Deno.test("k-means and the choice of k are the plain implementation's, bit for bit", () => {
  for (const [k, n, dims, seed] of [[5, 5000, 64, 3], [3, 1200, 10, 8], [7, 900, 13, 21]]) {
    const vectors = vectorsAround(k, n, dims, seed);
    for (const kk of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const fast: Clustering = kmeans(vectors, dims, kk, 42);
      assertEquals(fast, refKmeans(vectors, dims, kk, 42), `k=${kk}`);
      assertEquals(silhouette(vectors, dims, fast), refSilhouette(vectors, dims, fast));
    }
    assertEquals(chooseClusters(vectors, dims), refChooseClusters(vectors, dims), `${n}×${dims}`);
  }
});
