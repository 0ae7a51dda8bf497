/**
 * Exact dot products on WebAssembly SIMD, for the scans that dominate a query over a big pool
 * (every pool record against every shelf; a shortlist against every owned record).
 *
 * "Exact" means bit for bit what {@link rowDot} returns: the products of two float32 values are
 * exact in float64, and the kernel keeps rowDot's four running sums (dimension d goes to sum
 * d mod 4) as two float64x2 lanes, adds them in rowDot's order and never fuses a multiply with an
 * add. So a ranking computed here cannot differ from the plain loop; it is only faster, because
 * two lanes work at once and two rows of the right-hand matrix share each load of the left row.
 * The shelf scan's kernel also rounds its results to float32 and takes each row's best, and is
 * assembled for the width and the number of centroids at hand (every loop but the one over rows
 * unrolled, all centroids' sums in flight at once: about twice the pairwise kernel's speed).
 *
 * The module is a few hundred bytes assembled here (no toolchain, nothing downloaded). Where
 * WebAssembly SIMD is missing, or the width is not a multiple of 4, {@link wasmDots} returns null
 * and callers keep their plain loops.
 *
 * @example
 * ```ts
 * const kernel = wasmDots();
 * const out = kernel ? kernel.dots(poolRows, centroids, 64) : null; // rows × k, float64
 * const scan = kernel?.scan(poolRows, centroids, 64); // float32 sims and each row's best
 * ```
 *
 * @module
 */

// Opcodes used below (core and the 0xfd SIMD prefix).
const I32 = 0x7f;
const V128 = 0x7b;
const F32 = 0x7d;
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
  f32Load: 0x2a,
  f32Store: 0x38,
  f32DemoteF64: 0xb6,
  f64PromoteF32: 0xbb,
  f32Gt: 0x5e,
  select: 0x1b,
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
 * ((s0 + s1) + s2) + s3 of a row's four running sums, held as the lanes of the f64x2 locals `lo`
 * (s0, s1) and `hi` (s2, s3): `rowDot`'s order, so every kernel adds them as the plain loop does.
 */
function laneSum(lo: number, hi: number): number[] {
  return [
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
}

/**
 * `dots(a, rows, b, brows, dims, out, scratch)`: for each float32 row i of `a` (rows × dims) and
 * each float64 row j of `b` (brows × dims), out[i·brows + j] (float64) = rowDot(a_i, b_j). dims
 * is a multiple of 4 and at least 4; `scratch` holds dims float64 (row i widened once).
 *
 * `scan(a, rows, b, brows, dims, out, scratch, best)` (the shelf scan): the same sums rounded to
 * float32 into `out` (as storing them in a Float32Array rounds), and best[i] (float64) = the
 * largest of row i's float32 results, taken as `bestOfRows` takes it (the first, then each later
 * one that is greater).
 */
function kernelBody(scan: boolean, unrolled: number | null): number[] {
  // Params 0..7 (`best` only read by scan), then locals.
  const [a, rows, b, brows, dims, out, scratch, bestAt] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [i, j, p, arow, b0, b1, width, o, c] = [8, 9, 10, 11, 12, 13, 14, 15, 16];
  const [x0, x1, acc0, acc1, acc2, acc3, v] = [17, 18, 19, 20, 21, 22, 23];
  const [top, s] = [24, 25];
  const outBytes = scan ? 4 : 8;
  // Address `base` + p: in the loop p is a local; unrolled (a fixed width) it is the constant
  // `at`, folded into the loads' offsets.
  const addr = (base: number) => unrolled ? get(base) : [...get(base), ...get(p), OP.i32Add];
  // acc += x · load(row + p + offset)
  const madd = (acc: number, x: number, row: number, offset: number, at: number) => [
    ...get(acc),
    ...get(x),
    ...addr(row),
    ...vload(offset + at),
    ...f64x2Mul,
    ...f64x2Add,
    ...set(acc),
  ];
  const loadX = (at: number) => [
    ...addr(scratch),
    ...vload(at),
    ...set(x0),
    ...addr(scratch),
    ...vload(16 + at),
    ...set(x1),
  ];
  const storeOut = (lo: number, hi: number) => [
    ...get(out),
    ...get(o),
    OP.i32Add,
    ...laneSum(lo, hi),
    ...(scan ? [OP.f32DemoteF64, OP.f32Store, 2, 0] : [OP.f64Store, 3, 0]),
    ...get(o),
    ...i32(outBytes),
    OP.i32Add,
    ...set(o),
  ];
  // scan: best[i] = row i's largest float32 result (o has just passed the row's brows results).
  const f32At = (index: number[]) => [...get(out), ...index, ...i32(2), 0x74, OP.i32Add];
  const rowBest = [
    // top = out[i·brows]; c = 1
    ...f32At([...get(i), ...get(brows), OP.i32Mul]),
    OP.f32Load,
    2,
    0,
    ...set(top),
    ...i32(1),
    ...set(c),
    OP.block,
    0x40,
    OP.loop,
    0x40,
    ...get(c),
    ...get(brows),
    OP.i32GeU,
    OP.brIf,
    1,
    // s = out[i·brows + c]; top = s > top ? s : top
    ...f32At([...get(i), ...get(brows), OP.i32Mul, ...get(c), OP.i32Add]),
    OP.f32Load,
    2,
    0,
    OP.localTee,
    s,
    ...get(top),
    ...get(s),
    ...get(top),
    OP.f32Gt,
    OP.select,
    ...set(top),
    ...get(c),
    ...i32(1),
    OP.i32Add,
    ...set(c),
    OP.br,
    0,
    OP.end,
    OP.end,
    // best[i] = top, widened
    ...get(bestAt),
    ...get(i),
    ...i32(3),
    0x74, // i32.shl
    OP.i32Add,
    ...get(top),
    OP.f64PromoteF32,
    OP.f64Store,
    3,
    0,
  ];
  // body(at) for every 4 dims (p, counted in float64 bytes, steps by 32): a loop, or unrolled
  // with p the constant `at` of each step.
  const dLoop = (body: (at: number) => number[]) =>
    unrolled ? Array.from({ length: unrolled / 4 }, (_, step) => body(step * 32)).flat() : [
      ...i32(0),
      ...set(p),
      OP.loop,
      0x40,
      ...body(0),
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
    ...dLoop((at) => [
      // p counts float64 bytes (32 per 4 dims); float32 bytes are half
      ...(unrolled ? get(arow) : [...get(arow), ...get(p), ...i32(1), 0x76, OP.i32Add]),
      ...vload(at / 2),
      ...set(v),
      ...addr(scratch),
      ...get(v),
      ...promoteLow,
      ...vstore(at),
      ...addr(scratch),
      ...get(v),
      ...get(v),
      ...swapHalves,
      ...promoteLow,
      ...vstore(16 + at),
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
    ...dLoop((at) => [
      ...loadX(at),
      ...madd(acc0, x0, b0, 0, at),
      ...madd(acc1, x1, b0, 16, at),
      ...madd(acc2, x0, b1, 0, at),
      ...madd(acc3, x1, b1, 16, at),
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
    ...dLoop((at) => [...loadX(at), ...madd(acc0, x0, b0, 0, at), ...madd(acc1, x1, b0, 16, at)]),
    ...storeOut(acc0, acc1),
    OP.end,
    ...(scan ? rowBest : []),
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
  const locals = vec([[...uleb(9), I32], [...uleb(7), V128], [...uleb(2), F32]]);
  const body = [...locals, ...code, OP.end];
  return [...uleb(body.length), ...body];
}

/**
 * `scan` for a fixed width and a fixed number of centroids `k` (see {@link kernelBody}; the same
 * sums in the same order): every loop but the one over rows unrolled, and the centroids taken
 * together — up to {@link GROUP} at a time, two float64x2 sums each — so each row is read once
 * and 2·k independent sums keep both pipelines busy, where the pairwise kernel's four sums wait
 * on each other's additions.
 */
function fixedScanBody(dims: number, k: number): number[] {
  const [a, rows, b, , , out, , bestAt] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [i, arow, o] = [8, 9, 10];
  const [v, x0, x1] = [11, 12, 13];
  const groups = Math.ceil(k / GROUP);
  const size = Math.ceil(k / groups);
  const acc = (c: number, half: number) => 14 + 2 * c + half;
  const [top, s] = [14 + 2 * size, 15 + 2 * size];
  const code: number[] = [
    ...i32(0),
    ...set(i),
    OP.loop,
    0x40,
    // arow = a + i · dims · 4; o = out + i · k · 4
    ...get(a),
    ...get(i),
    ...i32(dims * 4),
    OP.i32Mul,
    OP.i32Add,
    ...set(arow),
    ...get(out),
    ...get(i),
    ...i32(k * 4),
    OP.i32Mul,
    OP.i32Add,
    ...set(o),
  ];
  for (let c0 = 0; c0 < k; c0 += size) {
    const c1 = Math.min(k, c0 + size);
    for (let c = c0; c < c1; c++) {
      code.push(...zero, ...set(acc(c - c0, 0)), ...zero, ...set(acc(c - c0, 1)));
    }
    for (let step = 0; step < dims / 4; step++) {
      // x0, x1: dims 4·step … 4·step + 3 of the row, widened
      code.push(...get(arow), ...vload(step * 16), ...set(v));
      code.push(
        ...get(v),
        ...promoteLow,
        ...set(x0),
        ...get(v),
        ...get(v),
        ...swapHalves,
        ...promoteLow,
        ...set(x1),
      );
      for (let c = c0; c < c1; c++) {
        for (const [half, x] of [[0, x0], [1, x1]]) {
          const lane = acc(c - c0, half);
          code.push(
            ...get(lane),
            ...get(x),
            ...get(b),
            ...vload(c * dims * 8 + step * 32 + half * 16),
            ...f64x2Mul,
            ...f64x2Add,
            ...set(lane),
          );
        }
      }
    }
    for (let c = c0; c < c1; c++) {
      const [lo, hi] = [acc(c - c0, 0), acc(c - c0, 1)];
      code.push(
        ...get(o),
        ...laneSum(lo, hi),
        OP.f32DemoteF64,
        OP.f32Store,
        2,
        ...uleb(c * 4),
      );
    }
  }
  // best[i]: the row's first result, then each later one that is greater
  code.push(...get(o), OP.f32Load, 2, 0, ...set(top));
  for (let c = 1; c < k; c++) {
    code.push(
      ...get(o),
      OP.f32Load,
      2,
      ...uleb(c * 4),
      OP.localTee,
      s,
      ...get(top),
      ...get(s),
      ...get(top),
      OP.f32Gt,
      OP.select,
      ...set(top),
    );
  }
  code.push(
    ...get(bestAt),
    ...get(i),
    ...i32(3),
    0x74, // i32.shl
    OP.i32Add,
    ...get(top),
    OP.f64PromoteF32,
    OP.f64Store,
    3,
    0,
    // next row
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
  );
  const locals = vec([[...uleb(3), I32], [...uleb(3 + 2 * size), V128], [...uleb(2), F32]]);
  const body = [...locals, ...code, OP.end];
  return [...uleb(body.length), ...body];
}

/** Centroids a fixed scan takes at a time: 12 float64x2 sums and the row fit in 16 registers. */
const GROUP = 6;

/** Centroid counts up to this get a scan of their own ({@link fixedScanBody}). */
const MAX_FIXED_K = 16;

/** Widths up to this get kernels with the loop over dimensions unrolled (constant offsets). */
const UNROLL_DIMS = 256;

/**
 * The module; with `dims`, its kernels are unrolled for that width only, and with `k` too, its
 * scan is the one for k centroids ({@link fixedScanBody}).
 */
function moduleBytes(dims: number | null = null, k: number | null = null): Uint8Array<ArrayBuffer> {
  const type = [0x60, ...vec(new Array(8).fill([I32])), 0];
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
    ...section(3, vec([[0], [0]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(
      7,
      vec([[...name("memory"), 0x02, 0], [...name("dots"), 0x00, 0], [...name("scan"), 0x00, 1]]),
    ),
    ...section(
      10,
      vec([
        kernelBody(false, dims),
        dims !== null && k !== null ? fixedScanBody(dims, k) : kernelBody(true, dims),
      ]),
    ),
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
  /**
   * The shelf scan of `a`'s rows against `b`'s: `sims[i · bRows + j]` = rowDot(a, i, b, j)
   * rounded to float32, and `best[i]` the largest of row i's. Views into the kernel's memory,
   * valid until the next call.
   */
  scan(
    a: Float32Array,
    b: Float64Array,
    dims: number,
  ): { sims: Float32Array; best: Float64Array };
}

let cached: WasmDots | null | undefined;

/**
 * One instance of the module (`dims`: unrolled for that width; null: any width; `k`: its scan
 * for that many centroids only).
 */
function instantiate(unrolled: number | null, k: number | null = null): WasmDots {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(unrolled, k)));
  const memory = instance.exports.memory as WebAssembly.Memory;
  const dots = instance.exports.dots as (...args: number[]) => void;
  const scan = instance.exports.scan as (...args: number[]) => void;
  // Layout: b (float64), scratch (float64 row), out, best (float64, scan only), a (float32).
  const place = (a: Float32Array, b: Float64Array, dims: number, outBytes: number) => {
    if (dims % 4 !== 0 || dims < 4) throw new RangeError(`width ${dims} is not 4·m`);
    if (unrolled !== null && dims !== unrolled) {
      throw new RangeError(`width ${dims}, not ${unrolled}`);
    }
    const rows = a.length / dims;
    const bRows = b.length / dims;
    const bAt = 0;
    const scratchAt = bAt + b.byteLength;
    const outAt = scratchAt + dims * 8;
    const bestAt = outAt + Math.ceil((rows * bRows * outBytes) / 8) * 8;
    const aAt = bestAt + (outBytes === 4 ? rows * 8 : 0);
    const need = aAt + a.byteLength;
    if (need > memory.buffer.byteLength) {
      memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
    }
    const buf = memory.buffer;
    new Float64Array(buf, bAt, b.length).set(b);
    new Float32Array(buf, aAt, a.length).set(a);
    return { rows, bRows, args: [aAt, rows, bAt, bRows, dims, outAt, scratchAt, bestAt], buf };
  };
  return {
    dots(a, b, dims) {
      const { rows, bRows, args, buf } = place(a, b, dims, 8);
      if (rows > 0 && bRows > 0) dots(...args);
      return new Float64Array(buf, args[5], rows * bRows);
    },
    scan(a, b, dims) {
      const { rows, bRows, args, buf } = place(a, b, dims, 4);
      if (rows > 0 && bRows > 0) scan(...args);
      return {
        sims: new Float32Array(buf, args[5], rows * bRows),
        best: new Float64Array(buf, args[7], bRows > 0 ? rows : 0),
      };
    },
  };
}

/**
 * The kernel, or null when this runtime has no WebAssembly SIMD. Each width up to
 * {@link UNROLL_DIMS} gets its own instance with the loop over dimensions unrolled (about half
 * the time of the loop at 64 dimensions; the same sums in the same order).
 */
export function wasmDots(): WasmDots | null {
  if (cached !== undefined) return cached;
  try {
    const generic = instantiate(null);
    const byShape = new Map<string, WasmDots>();
    const kernelFor = (dims: number, k: number | null) => {
      if (dims % 4 !== 0 || dims < 4 || dims > UNROLL_DIMS) return generic;
      if (k !== null && (k < 1 || k > MAX_FIXED_K || !Number.isInteger(k))) k = null;
      const shape = `${dims}×${k}`;
      let kernel = byShape.get(shape);
      if (!kernel) byShape.set(shape, kernel = instantiate(dims, k));
      return kernel;
    };
    cached = {
      dots: (a, b, dims) => kernelFor(dims, null).dots(a, b, dims),
      scan: (a, b, dims) => kernelFor(dims, b.length / dims).scan(a, b, dims),
    };
  } catch {
    cached = null;
  }
  return cached;
}
