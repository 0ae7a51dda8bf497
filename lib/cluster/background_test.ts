import { assertEquals } from "../testing/assert.ts";
import { seededRandom } from "../embed/projection.ts";
import { sharedScan } from "../embed/shared_scan.ts";
import { rowDot } from "../embed/similarity.ts";
import { clusterInBackground } from "./background.ts";
import { chooseClusters } from "./kmeans.ts";

/** n unit vectors around `k` random directions (dims wide). */
function vectorsAround(k: number, n: number, dims: number, seed: number): Float32Array {
  const rng = seededRandom(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: dims }, () => rng() - 0.5));
  const out = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    const c = centres[i % k];
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      const x = c[d] + (rng() - 0.5) * 0.4;
      out[i * dims + d] = x;
      norm += x * x;
    }
    for (let d = 0; d < dims; d++) out[i * dims + d] /= Math.sqrt(norm);
  }
  return out;
}

Deno.test("clustering on the helper thread gives chooseClusters' shelves, bit for bit", () => {
  for (const [k, n, dims, seed] of [[5, 5000, 64, 3], [3, 1200, 10, 8], [1, 40, 8, 2]]) {
    const vectors = vectorsAround(k, n, dims, seed);
    const options = { kMax: 8, seed: 42 };
    const pending = clusterInBackground(vectors, dims, options);
    const expected = chooseClusters(vectors, dims, options); // meanwhile, on this thread
    assertEquals(pending.result(), expected, `${n}×${dims}`);
    assertEquals(pending.by, "helper");
    assertEquals(pending.result(), expected, "a second call gives the same result");
  }
});

Deno.test("jobs queue on the one helper and each gets its own result", () => {
  const a = vectorsAround(4, 2000, 16, 5);
  const b = vectorsAround(2, 900, 16, 6);
  const pa = clusterInBackground(a, 16, { kMax: 6, seed: 1 });
  const pb = clusterInBackground(b, 16, { kMax: 6, seed: 1 });
  assertEquals(pb.result(), chooseClusters(b, 16, { kMax: 6, seed: 1 }));
  assertEquals(pa.result(), chooseClusters(a, 16, { kMax: 6, seed: 1 }));
  assertEquals([pa.by, pb.by], ["helper", "helper"]);
});

Deno.test("the helper goes on from the clustering to its share of a scan, with its centroids", () => {
  const dims = 16;
  const vectors = vectorsAround(3, 1500, dims, 9);
  const rows = new Float32Array(new SharedArrayBuffer(50_000 * dims * 4));
  rows.set(vectorsAround(4, 50_000, dims, 10));
  const scan = sharedScan(rows, dims, 8);
  const options = { kMax: 8, seed: 42 };
  const pending = clusterInBackground(vectors, dims, options, scan);
  const clustering = pending.result();
  assertEquals(clustering, chooseClusters(vectors, dims, options));
  assertEquals(pending.by, "helper");
  // Nothing else claims the scan's chunks: the helper scans them all without being asked again.
  const control = new Int32Array(scan.control);
  const chunks = control.length - 2;
  const deadline = performance.now() + 30_000;
  while (Atomics.load(control, 1) < chunks && performance.now() < deadline) {
    Atomics.wait(control, 1, Atomics.load(control, 1), 50);
  }
  assertEquals(Atomics.load(control, 1), chunks, "the helper scanned every chunk");
  const k = clustering.k;
  const sims = new Float32Array(scan.sims, 0, 50_000 * k);
  for (const i of [0, 8191, 8192, 49_999]) {
    for (let c = 0; c < k; c++) {
      assertEquals(sims[i * k + c], Math.fround(rowDot(rows, i, clustering.centroids, c, dims)));
    }
  }
});
