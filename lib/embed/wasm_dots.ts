/**
 * Exact dot products on WebAssembly SIMD, for the scans that dominate a query over a big pool
 * (every pool record against every shelf; a shortlist against every owned record).
 *
 * "Exact" means bit for bit what {@link rowDot} returns: the products of two float32 values are
 * exact in float64, and the kernel keeps rowDot's four running sums (dimension d goes to sum
 * d mod 4) as two float64x2 lanes, adds them in rowDot's order and never fuses a multiply with an
 * add. So a ranking computed here cannot differ from the plain loop; it is only faster, because
 * two lanes work at once and two rows of the right-hand matrix share each load of the left row.
 *
 * The module is a few hundred bytes assembled here (no toolchain, nothing downloaded). Where
 * WebAssembly SIMD is missing, or the width is not a multiple of 4, {@link wasmDots} returns null
 * and callers keep their plain loops.
 *
 * @example
 * ```ts
 * const kernel = wasmDots();
 * const out = kernel ? kernel.dots(poolRows, centroids, 64) : null; // rows × k, float64
 * ```
 *
 * @module
 */

// Opcodes used below (core and the 0xfd SIMD prefix).
const I32 = 0x7f;
const V128 = 0x7b;
const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  f64Store: 0x39,
  i32GeU: 0x4f,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  f64Add: 0xa0,
} as const;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  while (true) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const simd = (op: number) => [0xfd, ...uleb(op)];
const get = (l: number) => [OP.localGet, ...uleb(l)];
const set = (l: number) => [OP.localSet, ...uleb(l)];
const i32 = (v: number) => [OP.i32Const, ...sleb(v)];
/** v128.load / v128.store at the address on the stack plus `offset` bytes. */
const vload = (offset = 0) => [...simd(0x00), 0, ...uleb(offset)];
const vstore = (offset = 0) => [...simd(0x0b), 0, ...uleb(offset)];
const f64x2Add = simd(240);
const f64x2Mul = simd(242);
const promoteLow = simd(0x5f);
const lane = (l: number) => [...simd(0x21), l];
/** Swap the two halves of a v128 (float32 lanes 2,3 come first). */
const swapHalves = [...simd(0x0d), 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
const zero = [...simd(0x0c), ...new Array(16).fill(0)];

const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (s: string) => [...uleb(s.length), ...new TextEncoder().encode(s)];

/**
 * `dots(a, rows, b, brows, dims, out, scratch)`: for each float32 row i of `a` (rows × dims) and
 * each float64 row j of `b` (brows × dims), out[i·brows + j] (float64) = rowDot(a_i, b_j). dims
 * is a multiple of 4 and at least 4; `scratch` holds dims float64 (row i widened once).
 */
function dotsBody(): number[] {
  // Params 0..6, then locals.
  const [a, rows, b, brows, dims, out, scratch] = [0, 1, 2, 3, 4, 5, 6];
  const [i, j, p, arow, b0, b1, width, o] = [7, 8, 9, 10, 11, 12, 13, 14];
  const [x0, x1, acc0, acc1, acc2, acc3, v] = [15, 16, 17, 18, 19, 20, 21];
  // ((s0 + s1) + s2) + s3, the sums being the lanes of accLo (lo, hi) then of accHi (lo, hi).
  const reduce = (lo: number, hi: number) => [
    ...get(lo),
    ...lane(0),
    ...get(lo),
    ...lane(1),
    OP.f64Add,
    ...get(hi),
    ...lane(0),
    OP.f64Add,
    ...get(hi),
    ...lane(1),
    OP.f64Add,
  ];
  // acc += x · load(row + p + offset)
  const madd = (acc: number, x: number, row: number, offset: number) => [
    ...get(acc),
    ...get(x),
    ...get(row),
    ...get(p),
    OP.i32Add,
    ...vload(offset),
    ...f64x2Mul,
    ...f64x2Add,
    ...set(acc),
  ];
  const loadX = [
    ...get(scratch),
    ...get(p),
    OP.i32Add,
    ...vload(0),
    ...set(x0),
    ...get(scratch),
    ...get(p),
    OP.i32Add,
    ...vload(16),
    ...set(x1),
  ];
  const storeOut = (lo: number, hi: number) => [
    ...get(out),
    ...get(o),
    OP.i32Add,
    ...reduce(lo, hi),
    OP.f64Store,
    3,
    0,
    ...get(o),
    ...i32(8),
    OP.i32Add,
    ...set(o),
  ];
  const dLoop = (body: number[]) => [
    ...i32(0),
    ...set(p),
    OP.loop,
    0x40,
    ...body,
    ...get(p),
    ...i32(32),
    OP.i32Add,
    OP.localTee,
    p,
    ...get(width),
    OP.i32LtU,
    OP.brIf,
    0,
    OP.end,
  ];
  const code = [
    // width = dims · 8 (bytes of a float64 row); o = 0
    ...get(dims),
    ...i32(8),
    OP.i32Mul,
    ...set(width),
    ...i32(0),
    ...set(o),
    ...i32(0),
    ...set(i),
    OP.loop,
    0x40, // rows
    // arow = a + i · dims · 4; widen it into scratch, 4 floats at a time
    ...get(a),
    ...get(i),
    ...get(dims),
    OP.i32Mul,
    ...i32(4),
    OP.i32Mul,
    OP.i32Add,
    ...set(arow),
    ...dLoop([
      ...get(arow),
      ...get(p),
      ...i32(1), // p counts float64 bytes (32 per 4 dims); float32 bytes are half
      0x76, // i32.shr_u
      OP.i32Add,
      ...vload(0),
      ...set(v),
      ...get(scratch),
      ...get(p),
      OP.i32Add,
      ...get(v),
      ...promoteLow,
      ...vstore(0),
      ...get(scratch),
      ...get(p),
      OP.i32Add,
      ...get(v),
      ...get(v),
      ...swapHalves,
      ...promoteLow,
      ...vstore(16),
    ]),
    // rows of b two at a time
    ...i32(0),
    ...set(j),
    OP.block,
    0x40,
    OP.loop,
    0x40,
    ...get(j),
    ...i32(1),
    OP.i32Add,
    ...get(brows),
    OP.i32GeU,
    OP.brIf,
    1,
    ...get(b),
    ...get(j),
    ...get(width),
    OP.i32Mul,
    OP.i32Add,
    OP.localTee,
    b0,
    ...get(width),
    OP.i32Add,
    ...set(b1),
    ...zero,
    ...set(acc0),
    ...zero,
    ...set(acc1),
    ...zero,
    ...set(acc2),
    ...zero,
    ...set(acc3),
    ...dLoop([
      ...loadX,
      ...madd(acc0, x0, b0, 0),
      ...madd(acc1, x1, b0, 16),
      ...madd(acc2, x0, b1, 0),
      ...madd(acc3, x1, b1, 16),
    ]),
    ...storeOut(acc0, acc1),
    ...storeOut(acc2, acc3),
    ...get(j),
    ...i32(2),
    OP.i32Add,
    ...set(j),
    OP.br,
    0,
    OP.end,
    OP.end,
    // the last row of b when brows is odd
    ...get(j),
    ...get(brows),
    OP.i32LtU,
    OP.if,
    0x40,
    ...get(b),
    ...get(j),
    ...get(width),
    OP.i32Mul,
    OP.i32Add,
    ...set(b0),
    ...zero,
    ...set(acc0),
    ...zero,
    ...set(acc1),
    ...dLoop([...loadX, ...madd(acc0, x0, b0, 0), ...madd(acc1, x1, b0, 16)]),
    ...storeOut(acc0, acc1),
    OP.end,
    // next row of a
    ...get(i),
    ...i32(1),
    OP.i32Add,
    OP.localTee,
    i,
    ...get(rows),
    OP.i32LtU,
    OP.brIf,
    0,
    OP.end,
  ];
  const locals = vec([[...uleb(8), I32], [...uleb(7), V128]]);
  const body = [...locals, ...code, OP.end];
  return [...uleb(body.length), ...body];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const type = [0x60, ...vec(new Array(7).fill([I32])), 0];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([type])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([[...name("memory"), 0x02, 0], [...name("dots"), 0x00, 0]])),
    ...section(10, vec([dotsBody()])),
  ]);
}

/** The kernel: dot products of float32 rows with float64 rows, exactly as `rowDot`. */
export interface WasmDots {
  /**
   * `out[i · bRows + j]` = rowDot(a, i, b, j) for every row i of `a` (float32, n × dims) and
   * row j of `b` (float64, bRows × dims). `out` is a view into the kernel's memory, valid until
   * the next call: copy what you keep.
   */
  dots(a: Float32Array, b: Float64Array, dims: number): Float64Array;
}

let cached: WasmDots | null | undefined;

/** The kernel, or null when this runtime has no WebAssembly SIMD. */
export function wasmDots(): WasmDots | null {
  if (cached !== undefined) return cached;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()));
    const memory = instance.exports.memory as WebAssembly.Memory;
    const fn = instance.exports.dots as (...args: number[]) => void;
    cached = {
      dots(a, b, dims) {
        if (dims % 4 !== 0 || dims < 4) throw new RangeError(`width ${dims} is not 4·m`);
        const rows = a.length / dims;
        const bRows = b.length / dims;
        // Layout: b (float64), scratch (float64 row), out (float64), a (float32).
        const bAt = 0;
        const scratchAt = bAt + b.byteLength;
        const outAt = scratchAt + dims * 8;
        const aAt = outAt + rows * bRows * 8;
        const need = aAt + a.byteLength;
        if (need > memory.buffer.byteLength) {
          memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
        }
        const buf = memory.buffer;
        new Float64Array(buf, bAt, b.length).set(b);
        new Float32Array(buf, aAt, a.length).set(a);
        if (rows > 0 && bRows > 0) fn(aAt, rows, bAt, bRows, dims, outAt, scratchAt);
        return new Float64Array(buf, outAt, rows * bRows);
      },
    };
  } catch {
    cached = null;
  }
  return cached;
}
