/**
 * Gem signal **market_prior**: have and want calibrated as a per-collection prior. Some
 * collectors buy the famous records, some the obscure: where a record sits on the market —
 * x = ln(1 + have), y = ln((want + 1) / (have + 1)) — is scored by how much denser the
 * collection's own records are there than the pool's, ln(density_collection / density_pool), both
 * Gaussian kernel densities (Scott's bandwidth) on a grid over the pool's standardised x and y.
 * A record without have or want scores 0 (no evidence), and so does every record when fewer than
 * {@link MIN_OWNED_MARKET} owned records have them.
 *
 * @module
 */

import type { Candidate } from "../candidates.ts";
import type { RecommendContext } from "../context.ts";
import type { GemSignal } from "./mod.ts";

/** Below this many owned records with have and want, the prior says nothing. */
export const MIN_OWNED_MARKET = 10;

/** Grid cells per axis, over ±{@link SPAN} standard deviations of the pool. */
const GRID = 48;
const SPAN = 4;

/** A record's market position, or null without have or want. */
export function marketPoint(c: Candidate): [number, number] | null {
  if (c.have === null || c.want === null || c.have === undefined || c.want === undefined) {
    return null;
  }
  return [Math.log1p(c.have), Math.log((c.want + 1) / (c.have + 1))];
}

function meanSdOf(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / (values.length || 1);
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length || 1);
  return { mean, sd: Math.sqrt(variance) || 1 };
}

/** A Gaussian kernel density of `points` (grid coordinates) on the grid, summing to 1. */
function density(points: readonly [number, number][]): Float64Array {
  const n = points.length;
  const grid = new Float64Array(GRID * GRID);
  for (const [x, y] of points) grid[x * GRID + y]++;
  // Scott's rule in two dimensions, per axis: σ · n^(-1/6), in cells.
  const sd = [0, 1].map((d) => meanSdOf(points.map((p) => p[d])).sd);
  const bandwidth = sd.map((s) => Math.max(0.75, s * n ** (-1 / 6)));
  const blur = (axis: 0 | 1, h: number) => {
    const radius = Math.ceil(3 * h);
    const kernel = Array.from(
      { length: 2 * radius + 1 },
      (_, k) => Math.exp(-((k - radius) ** 2) / (2 * h * h)),
    );
    const out = new Float64Array(grid.length);
    for (let x = 0; x < GRID; x++) {
      for (let y = 0; y < GRID; y++) {
        const v = grid[x * GRID + y];
        if (v === 0) continue;
        for (let k = -radius; k <= radius; k++) {
          const [tx, ty] = axis === 0 ? [x + k, y] : [x, y + k];
          if (tx < 0 || ty < 0 || tx >= GRID || ty >= GRID) continue;
          out[tx * GRID + ty] += v * kernel[k + radius];
        }
      }
    }
    grid.set(out);
  };
  blur(0, bandwidth[0]);
  blur(1, bandwidth[1]);
  let total = 0;
  for (const v of grid) total += v;
  for (let i = 0; i < grid.length; i++) grid[i] /= total || 1;
  return grid;
}

/** The prior of every pool record, and whether it is above the pool's (for the reason). */
function prior(ctx: RecommendContext): Float64Array {
  const pool = ctx.pool.map(marketPoint);
  const owned = ctx.collection.map(marketPoint).filter((p): p is [number, number] => p !== null);
  const out = new Float64Array(ctx.pool.length);
  const known = pool.filter((p): p is [number, number] => p !== null);
  if (owned.length < MIN_OWNED_MARKET || known.length === 0) return out;
  const axes = [0, 1].map((d) => meanSdOf(known.map((p) => p[d])));
  const cell = ([x, y]: [number, number]): [number, number] =>
    [x, y].map((v, d) => {
      const z = (v - axes[d].mean) / axes[d].sd;
      return Math.min(GRID - 1, Math.max(0, Math.floor(((z + SPAN) / (2 * SPAN)) * GRID)));
    }) as [number, number];
  const mine = density(owned.map(cell));
  const theirs = density(known.map(cell));
  // A floor of a thousandth of a uniform cell: where neither has records the ratio is ~1.
  const floor = 1e-3 / (GRID * GRID);
  pool.forEach((p, i) => {
    if (!p) return;
    const [x, y] = cell(p);
    out[i] = Math.log((mine[x * GRID + y] + floor) / (theirs[x * GRID + y] + floor));
  });
  return out;
}

const PRIORS = new WeakMap<RecommendContext, Float64Array>();

function priorOf(ctx: RecommendContext): Float64Array {
  let p = PRIORS.get(ctx);
  if (!p) PRIORS.set(ctx, p = prior(ctx));
  return p;
}

/** The collection's own taste for famous or obscure records. */
export const marketPriorSignal: GemSignal = {
  name: "market_prior",
  label: "as famous or obscure as what you buy",
  defaultWeight: 0,
  column: (ctx) => priorOf(ctx).slice(),
  reason(ctx, i) {
    const c = ctx.pool[i];
    if (priorOf(ctx)[i] <= 0 || c.have == null || c.want == null) return null;
    return `${c.have} have it and ${c.want} want it, where your records sit`;
  },
};
