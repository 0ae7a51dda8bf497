import { assert, assertEquals } from "../testing/assert.ts";
import { seededRandom } from "./projection.ts";
import { dotRows, rowDot } from "./similarity.ts";
import { wasmDots } from "./wasm_dots.ts";

function matrix(rows: number, dims: number, seed: number): Float32Array {
  const rng = seededRandom(seed);
  return Float32Array.from({ length: rows * dims }, () => rng() * 2 - 1);
}

Deno.test("the SIMD kernel's dot products are rowDot's bit for bit, odd and even shapes", () => {
  assert(wasmDots() !== null, "this runtime has WebAssembly SIMD");
  // 260 dimensions: past the unrolled widths, the kernel with a loop over them.
  for (
    const [n, m, dims] of [[1, 1, 4], [7, 5, 64], [2500, 3, 64], [3, 8, 8], [5, 2, 12], [3, 3, 260]]
  ) {
    const a = matrix(n, dims, n + dims);
    const b = matrix(m, dims, m * 7 + 1);
    const got = new Float64Array(n * m);
    dotRows(a, b, dims, (i0, block) => got.set(block, i0 * m));
    const want = Float64Array.from(
      { length: n * m },
      (_, x) => rowDot(a, Math.floor(x / m), b, x % m, dims),
    );
    assertEquals(got, want, `${n} × ${m} × ${dims}`);
  }
});

Deno.test("dotRows falls back to the plain loop at a width that is not 4·m", () => {
  const a = matrix(1500, 10, 3);
  const b = matrix(3, 10, 4);
  const got: number[] = [];
  dotRows(a, b, 10, (_, block) => got.push(...block));
  assertEquals(got.length, 4500);
  assertEquals(got[4499], rowDot(a, 1499, b, 2, 10));
  assertEquals(got[0], rowDot(a, 0, b, 0, 10));
});

Deno.test("the kernel's shelf scan is rowDot rounded to float32, with each row's best", () => {
  const kernel = wasmDots();
  assert(kernel !== null, "this runtime has WebAssembly SIMD");
  // Up to 16 centroids each count gets a scan of its own (17: the pairwise one; 260 wide: looped).
  const shapes = [[1, 1, 4], [7, 5, 64], [1500, 8, 64], [9, 2, 12], [4, 3, 8], [5, 17, 64], [
    4,
    3,
    260,
  ]];
  for (const [n, k, dims] of shapes) {
    const a = matrix(n, dims, n + 3 * dims);
    const b = matrix(k, dims, k * 5 + 2);
    const { sims, best } = kernel.scan(a, Float64Array.from(b), dims);
    const want = Float32Array.from(
      { length: n * k },
      (_, x) => rowDot(a, Math.floor(x / k), b, x % k, dims),
    );
    assertEquals(sims, want, `${n} × ${k} × ${dims}`);
    const wantBest = Float64Array.from(
      { length: n },
      (_, i) => Math.max(...want.subarray(i * k, (i + 1) * k)),
    );
    assertEquals(best, wantBest, `best of ${n} × ${k} × ${dims}`);
  }
});
