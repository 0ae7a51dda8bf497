import { seededRandom } from "../embed/projection.ts";
import { rowDot } from "../embed/similarity.ts";
import { assertEquals } from "../testing/assert.ts";
import {
  beginShelfScan,
  bestShelfSimilarities,
  sharedRows,
  shelfSimilarities,
} from "./shelf_scan.ts";

function randomRows(length: number, seed: number): Float32Array {
  const rng = seededRandom(seed);
  return Float32Array.from({ length }, () => rng() - 0.5);
}

Deno.test("the shelf scan gives every rowDot, and each row's best shelf taken during it", () => {
  const dims = 8;
  const n = 5_000; // several of dotRows' blocks
  const vectors = randomRows(n * dims, 3);
  const centroids = randomRows(5 * dims, 4);
  const sims = shelfSimilarities(vectors, centroids, dims);
  for (const i of [0, 1, 1023, 1024, 4096, n - 1]) {
    for (let c = 0; c < 5; c++) {
      assertEquals(sims[i * 5 + c], Math.fround(rowDot(vectors, i, centroids, c, dims)));
    }
  }
  const best = bestShelfSimilarities(sims, 5);
  for (const i of [0, 7, 1024, n - 1]) {
    assertEquals(best[i], Math.max(...sims.subarray(i * 5, i * 5 + 5)));
  }
  // Similarities from elsewhere get their best shelf computed on asking.
  assertEquals(bestShelfSimilarities(Float32Array.from(sims), 5), best);
});

Deno.test("a shelf scan begun before the shelves are known gives shelfSimilarities' result", () => {
  const dims = 64;
  const n = 30_000;
  const vectors = randomRows(n * dims, 5);
  const centroids = randomRows(4 * dims, 6);
  const scan = beginShelfScan(vectors, dims, 8);
  assertEquals(sharedRows(vectors), sharedRows(vectors), "one shared copy per matrix");
  const sims = scan.finish(centroids);
  assertEquals(sims, shelfSimilarities(vectors, centroids, dims));
  assertEquals(bestShelfSimilarities(sims, 4), bestShelfSimilarities(Float32Array.from(sims), 4));
  // More centroids than it has room for: scanned on this thread instead.
  const many = randomRows(9 * dims, 7);
  assertEquals(
    beginShelfScan(vectors, dims, 8).finish(many),
    shelfSimilarities(vectors, many, dims),
  );
});
