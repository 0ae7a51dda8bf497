import { assert, assertEquals } from "../testing/assert.ts";
import { seededRandom } from "../embed/projection.ts";
import { chooseClusters, kmeans } from "./kmeans.ts";

/** Unit vectors around `k` random directions in `dims` dimensions. */
function planted(k: number, perCluster: number, dims: number, noise: number, seed = 1) {
  const rng = seededRandom(seed);
  const centers = Array.from({ length: k }, () => Array.from({ length: dims }, () => rng() - 0.5));
  const vectors = new Float32Array(k * perCluster * dims);
  const truth: number[] = [];
  for (let c = 0; c < k; c++) {
    for (let p = 0; p < perCluster; p++) {
      const row = truth.length;
      let norm = 0;
      for (let d = 0; d < dims; d++) {
        const v = centers[c][d] + noise * (rng() - 0.5);
        vectors[row * dims + d] = v;
        norm += v * v;
      }
      for (let d = 0; d < dims; d++) vectors[row * dims + d] /= Math.sqrt(norm);
      truth.push(c);
    }
  }
  return { vectors, truth };
}

Deno.test("k-means recovers planted clusters", () => {
  const { vectors, truth } = planted(3, 40, 16, 0.2);
  const c = kmeans(vectors, 16, 3, 5);
  // Same partition up to relabelling: points of one planted cluster share one assignment.
  for (let k = 0; k < 3; k++) {
    const labels = new Set(truth.flatMap((t, i) => (t === k ? [c.assignments[i]] : [])));
    assertEquals(labels.size, 1);
  }
  assertEquals(c.sizes.sort(), [40, 40, 40]);
});

Deno.test("k is chosen from the data: the planted number for distinct tastes, one for a single taste", () => {
  const four = planted(4, 30, 16, 0.2, 3);
  assertEquals(chooseClusters(four.vectors, 16, { kMax: 8 }).k, 4);
  const one = planted(1, 100, 16, 0.3, 4);
  assert(chooseClusters(one.vectors, 16, { kMax: 8 }).k <= 2);
});
