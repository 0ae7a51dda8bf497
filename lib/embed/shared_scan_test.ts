import { assertEquals } from "../testing/assert.ts";
import { helperThread, waitForHelper } from "../parallel/helper.ts";
import { seededRandom } from "./projection.ts";
import { finishSharedScan, scanChunks, sharedScan } from "./shared_scan.ts";
import { rowDot } from "./similarity.ts";

/** `length` floats in a SharedArrayBuffer. */
function sharedMatrix(length: number, seed: number): Float32Array {
  const rng = seededRandom(seed);
  const out = new Float32Array(new SharedArrayBuffer(length * 4));
  for (let i = 0; i < length; i++) out[i] = rng() - 0.5;
  return out;
}

/** What one thread's plain loop gives: float32 cosines and each row's largest. */
function expected(rows: Float32Array, centroids: Float32Array, dims: number) {
  const n = rows.length / dims;
  const k = centroids.length / dims;
  const sims = Float32Array.from(
    { length: n * k },
    (_, x) => rowDot(rows, Math.floor(x / k), centroids, x % k, dims),
  );
  const best = Float64Array.from(
    { length: n },
    (_, i) => Math.max(...sims.subarray(i * k, (i + 1) * k)),
  );
  return { sims, best };
}

Deno.test("a scan shared with the helper thread gives one thread's results, bit for bit", () => {
  const dims = 64;
  const rows = sharedMatrix(40_000 * dims, 1); // several claimable chunks
  const centroids = sharedMatrix(5 * dims, 2).slice();
  const scan = sharedScan(rows, dims, 8);
  helperThread()?.postMessage({ ...scan, centroids });
  assertEquals(finishSharedScan(scan, centroids, waitForHelper), expected(rows, centroids, dims));
});

Deno.test("chunks another thread claimed but never computed are computed by the finisher", () => {
  const dims = 12; // not 4·m: the plain loop
  const rows = sharedMatrix(20_000 * dims, 3);
  const centroids = sharedMatrix(3 * dims, 4).slice();
  const scan = sharedScan(rows, dims, 3);
  const control = new Int32Array(scan.control);
  // A thread that claimed the first chunk and failed: counted as done, never flagged.
  Atomics.add(control, 0, 1);
  Atomics.add(control, 1, 1);
  assertEquals(finishSharedScan(scan, centroids, () => true), expected(rows, centroids, dims));
});

Deno.test("a scan refuses more centroids than it has room for", () => {
  const scan = sharedScan(sharedMatrix(8 * 4, 5), 4, 1);
  let message = "";
  try {
    scanChunks(scan, new Float32Array(8));
  } catch (e) {
    message = (e as Error).message;
  }
  assertEquals(message, "2 centroids over 1");
});
