/**
 * A seeded synthetic price history: there is no public dataset of Discogs lowest prices over
 * time, so the tests and the bench make one. Each release's log price follows a trend, wanders
 * (a random walk), takes the odd jump (a reissue, a review) and is observed with listing noise
 * (the cheapest copy is one seller's whim); listings appear and disappear (no copy for sale → no
 * price), and snapshots come at irregular times (weekly-ish, with jitter and skipped weeks).
 * Figures measured on it are synthetic, and say so.
 *
 * @example
 * ```ts
 * const { snapshots, copies, truth } = syntheticHistory({ releases: 100, snapshots: 20, seed: 7 });
 * const points = syntheticSeries({ seed: 1, snapshots: 30, trendPerYear: 0.5 }).points;
 * ```
 *
 * @module
 */

import type { Snapshot } from "./history.ts";
import type { SeriesPoint } from "./forecast.ts";
import { seededRandom } from "../stats/mod.ts";

/** The seeded generator of lib/stats (mulberry32): the same seed, the same history. */
export const rng: (seed: number) => () => number = seededRandom;

/** A standard normal draw from `random` (Box–Muller). */
export function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** How one synthetic series behaves. */
export interface SeriesOptions {
  seed: number;
  /** Snapshots taken (before listings that vanish are dropped). */
  snapshots: number;
  /** Starting price (default 12). */
  start?: number;
  /** Trend of log price per year (0.5 ≈ +65% a year; default 0). */
  trendPerYear?: number;
  /** Random-walk volatility of log price per √year (default 0.2). */
  volatilityPerYear?: number;
  /** Listing noise: sd of log price around the latent value (default 0.05). */
  noise?: number;
  /** Chance of a jump at a snapshot (default 0.03) and its sd in log price (default 0.3). */
  jumpChance?: number;
  jumpSize?: number;
  /** Chance that no copy is for sale at a snapshot (default 0.05). */
  goneChance?: number;
  /** Days between snapshots on average (default 7), jitter ± days (default 2), skip chance. */
  everyDays?: number;
  jitterDays?: number;
  skipChance?: number;
}

/** A synthetic series: the priced points, the unpriced snapshot times, and the truth. */
export interface SyntheticSeries {
  points: SeriesPoint[];
  /** Times of snapshots with no copy for sale. */
  unpriced: number[];
  /** The latent (noise-free) price at any time ≥ the last snapshot, continuing the trend only. */
  expectedAt: (t: number) => number;
  trendPerDay: number;
}

/** One synthetic series (see {@link SeriesOptions}); times in days from 0. */
export function syntheticSeries(options: SeriesOptions): SyntheticSeries {
  const random = rng(options.seed);
  const trend = (options.trendPerYear ?? 0) / 365;
  const vol = (options.volatilityPerYear ?? 0.2) / Math.sqrt(365);
  const noise = options.noise ?? 0.05;
  const every = options.everyDays ?? 7;
  const jitter = options.jitterDays ?? 2;
  let x = Math.log(options.start ?? 12);
  let t = 0;
  const points: SeriesPoint[] = [];
  const unpriced: number[] = [];
  let taken = 0;
  let lastT = 0;
  while (taken < options.snapshots) {
    const step = every + (random() * 2 - 1) * jitter;
    const dt = taken === 0 ? 0 : Math.max(0.5, step);
    t += dt;
    x += trend * dt + vol * Math.sqrt(dt) * normal(random);
    if (random() < (options.jumpChance ?? 0.03)) x += (options.jumpSize ?? 0.3) * normal(random);
    if (taken > 0 && random() < (options.skipChance ?? 0.1)) continue;
    taken++;
    lastT = t;
    if (random() < (options.goneChance ?? 0.05)) {
      unpriced.push(round2(t));
      continue;
    }
    const price = Math.max(0.5, Math.exp(x + noise * normal(random)));
    points.push({ t: round2(t), price: Math.round(price * 100) / 100 });
  }
  const x0 = x;
  return {
    points,
    unpriced,
    expectedAt: (at: number) => Math.exp(x0 + trend * (at - lastT)),
    trendPerDay: trend,
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Options for {@link syntheticHistory}. */
export interface HistoryOptions {
  releases: number;
  /** Snapshots per release (one enrichment pass each; default 20). */
  snapshots?: number;
  seed?: number;
  currency?: string;
  /** First snapshot time (default 2026-01-05). */
  startAt?: Date;
  /** Trend per year is drawn from N(0, this) per release (default 0.35). */
  trendSpread?: number;
}

/** A whole collection's synthetic `price_history`, its copies, and each release's true trend. */
export interface SyntheticHistory {
  snapshots: Snapshot[];
  copies: Map<number, number>;
  truth: Map<number, { trendPerYear: number }>;
}

/**
 * A synthetic `price_history` for a collection of `releases`: enrichment passes at irregular
 * times (each pass fetches every release within a few minutes), per-release trends, walks,
 * jumps, noise and vanishing listings as {@link syntheticSeries} draws them.
 */
export function syntheticHistory(options: HistoryOptions): SyntheticHistory {
  const seed = options.seed ?? 42;
  const random = rng(seed);
  const n = options.snapshots ?? 20;
  const start = (options.startAt ?? new Date("2026-01-05T03:00:00Z")).getTime();
  const currency = options.currency ?? "USD";
  // Pass times shared by every release (a pass is one cron run), irregular and sometimes skipped.
  const passes: number[] = [];
  let t = 0;
  while (passes.length < n) {
    passes.push(t);
    t += 7 + (random() * 2 - 1) * 2 + (random() < 0.1 ? 7 : 0);
  }
  const snapshots: Snapshot[] = [];
  const copies = new Map<number, number>();
  const truth = new Map<number, { trendPerYear: number }>();
  for (let r = 0; r < options.releases; r++) {
    const id = 1_000_000 + r;
    const trendPerYear = (options.trendSpread ?? 0.35) * normal(random);
    truth.set(id, { trendPerYear });
    copies.set(id, random() < 0.05 ? 2 : 1);
    const start0 = Math.exp(Math.log(12) + 0.8 * normal(random));
    const series = rng(seed * 7919 + r);
    let x = Math.log(start0);
    let forSale = 1 + Math.floor(series() * 8);
    for (let i = 0; i < n; i++) {
      const dt = i === 0 ? 0 : passes[i] - passes[i - 1];
      x += (trendPerYear / 365) * dt + (0.2 / Math.sqrt(365)) * Math.sqrt(dt) * normal(series);
      if (series() < 0.03) x += 0.3 * normal(series);
      // Listings come and go: a copy sells, another is listed.
      forSale = Math.max(0, forSale + (series() < 0.5 ? -1 : 1) * (series() < 0.6 ? 1 : 0));
      if (forSale === 0 && series() < 0.5) forSale = 1;
      const at = new Date(start + passes[i] * 86_400_000 + r * 1000);
      const price = forSale === 0
        ? null
        : Math.round(Math.max(0.5, Math.exp(x + 0.05 * normal(series))) * 100) / 100;
      snapshots.push({
        release_id: id,
        fetched_at: at,
        currency,
        lowest_price: price,
        num_for_sale: forSale,
        have: 100 + r % 50,
        want: 50 + Math.round(i * trendPerYear * 5),
      });
    }
  }
  return { snapshots, copies, truth };
}
