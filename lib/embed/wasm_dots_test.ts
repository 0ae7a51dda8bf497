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
  for (const [n, m, dims] of [[1, 1, 4], [7, 5, 64], [2500, 3, 64], [3, 8, 8], [5, 2, 12]]) {
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
