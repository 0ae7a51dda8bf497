/**
 * How much the rankings depend on the price-sensitivity weight: re-rank a collection at a sweep
 * of weights with the score stage's own {@link computeScores}, then compare each ranking with the
 * one at a base weight (top-k overlap, Kendall's tau), find the records that stay in the top k at
 * every weight, and see what the top k costs at each weight so a collector can pick a weight for
 * a budget.
 *
 * Only Crate Picks (`value`) and Smart Buys (`smartBuy`) depend on the weight; Essentials and Deep
 * Cuts ignore price, so their sweeps are flat.
 *
 * @example
 * ```ts
 * const records = scoreInputsFromRows(await db.all("SELECT * FROM scores"));
 * const sweep = sweepRanks(records, weightRange());
 * sensitivityTable(sweep, { baseWeight: 1, k: 10 }); // overlap and tau per weight
 * robustPicks(sweep, 10); // in the top 10 at every weight
 * ```
 *
 * @module
 */

import {
  computeScores,
  DEFAULT_RULES,
  type RankingRules,
  type ScoredRecord,
  type ScoreInput,
} from "./ranking.ts";
import { PRICE_WEIGHT } from "./formulas.ts";
import { median } from "../stats/mod.ts";

/** The four rankings, by their key in `ScoredRecord.ranks`. */
export type RankingKey = keyof ScoredRecord["ranks"];

/** One ranking at one weight: release ids, best first (rankable records only). */
export interface RankedAtWeight {
  weight: number;
  order: number[];
}

/** A ranking computed at every weight of a sweep, plus the records it ranked. */
export interface WeightSweep {
  ranking: RankingKey;
  weights: number[];
  byWeight: RankedAtWeight[];
  records: ScoreInput[];
}

/** Weights from `min` to `max` in `step`s (default: the slider, 0.5 to 10 by 0.5). */
export function weightRange(
  min: number = PRICE_WEIGHT.min,
  max: number = PRICE_WEIGHT.max,
  step: number = PRICE_WEIGHT.step,
): number[] {
  if (!(step > 0) || !(max >= min)) throw new RangeError(`bad weight range ${min}..${max}/${step}`);
  const out: number[] = [];
  for (let i = 0; min + i * step <= max + 1e-9; i++) out.push(Number((min + i * step).toFixed(6)));
  return out;
}

/** Rank `records` under `ranking` at every weight (with `computeScores`, as the stage does). */
export function sweepRanks(
  records: readonly ScoreInput[],
  weights: readonly number[] = weightRange(),
  ranking: RankingKey = "value",
  rules: Readonly<RankingRules> = DEFAULT_RULES,
): WeightSweep {
  const byWeight = weights.map((weight) => {
    const ranked = computeScores(records, weight, rules)
      .filter((s) => s.ranks[ranking] !== null)
      .sort((a, b) => a.ranks[ranking]! - b.ranks[ranking]!);
    return { weight, order: ranked.map((s) => s.releaseId) };
  });
  return { ranking, weights: [...weights], byWeight, records: [...records] };
}

/**
 * Share of the top `k` of ranking `a` that is also in the top `k` of ranking `b` (1 = the same
 * records, in any order). Rankings are id lists, best first.
 */
export function topKOverlap(a: readonly number[], b: readonly number[], k: number): number {
  const topA = a.slice(0, k);
  const topB = new Set(b.slice(0, k));
  const size = Math.min(k, topA.length, topB.size);
  if (size === 0) return 1;
  return topA.filter((id) => topB.has(id)).length / size;
}

/**
 * Kendall's tau between two rankings (id lists, best first) over the records both contain:
 * 1 = same order, −1 = reversed, 0 = unrelated. Rankings have no ties, so tau-a and tau-b agree.
 * Fewer than two shared records give 1 (nothing disagrees).
 */
export function kendallTau(a: readonly number[], b: readonly number[]): number {
  const inB = new Map(b.map((id, i) => [id, i]));
  const positions = a.filter((id) => inB.has(id)).map((id) => inB.get(id)!);
  const n = positions.length;
  if (n < 2) return 1;
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (positions[i] < positions[j]) concordant++;
      else discordant++;
    }
  }
  return (concordant - discordant) / (n * (n - 1) / 2);
}

/** How the ranking at one weight compares with the ranking at the base weight. */
export interface SensitivityRow {
  weight: number;
  /** Share of the base weight's top k still in the top k. */
  top_k_overlap: number;
  /** Kendall's tau of the whole ranking against the base weight's. */
  kendall_tau: number;
  /** Records in this top k that are not in the base weight's top k. */
  entered_top_k: number;
  /** Release id at rank 1. */
  top_pick: number | null;
}

/** Compare every weight of `sweep` with `baseWeight` (default 1): overlap of the top k and tau. */
export function sensitivityTable(
  sweep: WeightSweep,
  options: { baseWeight?: number; k?: number } = {},
): SensitivityRow[] {
  const k = options.k ?? 10;
  const base = atWeight(sweep, options.baseWeight ?? PRICE_WEIGHT.default);
  const baseTop = new Set(base.order.slice(0, k));
  return sweep.byWeight.map(({ weight, order }) => ({
    weight,
    top_k_overlap: topKOverlap(base.order, order, k),
    kendall_tau: kendallTau(base.order, order),
    entered_top_k: order.slice(0, k).filter((id) => !baseTop.has(id)).length,
    top_pick: order[0] ?? null,
  }));
}

/** The ranking of a sweep at `weight` (an error names the weights swept when it is not one). */
export function atWeight(sweep: WeightSweep, weight: number): RankedAtWeight {
  const found = sweep.byWeight.find((r) => Math.abs(r.weight - weight) < 1e-9);
  if (!found) {
    throw new RangeError(`weight ${weight} is not in the sweep (${sweep.weights.join(", ")})`);
  }
  return found;
}

/** A record's rank across a sweep. */
export interface RankSpan {
  release_id: number;
  best_rank: number;
  worst_rank: number;
  /** Weights at which it is in the top k. */
  weights_in_top_k: number;
}

/** Rank of each record at every weight: `ranks[w][id]`. */
function rankMaps(sweep: WeightSweep): Map<number, number>[] {
  return sweep.byWeight.map(({ order }) => new Map(order.map((id, i) => [id, i + 1])));
}

/**
 * Records in the top `k` at every weight of the sweep — picks that do not depend on how much
 * price matters to you — best worst-rank first.
 */
export function robustPicks(sweep: WeightSweep, k = 10): RankSpan[] {
  return rankSpans(sweep, k).filter((s) => s.weights_in_top_k === sweep.weights.length);
}

/** Best and worst rank of every record that makes the top `k` at some weight. */
export function rankSpans(sweep: WeightSweep, k = 10): RankSpan[] {
  const maps = rankMaps(sweep);
  const ids = new Set(sweep.byWeight.flatMap(({ order }) => order.slice(0, k)));
  const spans: RankSpan[] = [];
  for (const id of ids) {
    const ranks = maps.map((m) => m.get(id)).filter((r): r is number => r !== undefined);
    spans.push({
      release_id: id,
      best_rank: Math.min(...ranks),
      worst_rank: Math.max(...ranks),
      weights_in_top_k: ranks.filter((r) => r <= k).length,
    });
  }
  return spans.sort((a, b) =>
    b.weights_in_top_k - a.weights_in_top_k || a.worst_rank - b.worst_rank ||
    a.best_rank - b.best_rank || a.release_id - b.release_id
  );
}

/** What the top k costs at one weight. */
export interface BudgetRow {
  weight: number;
  /** Records of the top k with a known lowest price. */
  priced: number;
  median_price: number | null;
  max_price: number | null;
  /** Sum of the known lowest prices: buying the whole top k. */
  total_price: number;
}

/** The price of the top `k` at every weight of the sweep (known lowest prices only). */
export function budgetTable(sweep: WeightSweep, k = 10): BudgetRow[] {
  const price = new Map(sweep.records.map((r) => [r.releaseId, r.lowestPrice]));
  return sweep.byWeight.map(({ weight, order }) => {
    const prices = order.slice(0, k).map((id) => price.get(id))
      .filter((p): p is number => typeof p === "number" && Number.isFinite(p));
    return {
      weight,
      priced: prices.length,
      median_price: prices.length ? median(prices) : null,
      max_price: prices.length ? Math.max(...prices) : null,
      total_price: prices.reduce((s, p) => s + p, 0),
    };
  });
}

/**
 * The lowest weight at which the top k fits `budget` — every known price in it at or under the
 * budget (`per: "record"`, default) or the whole top k together (`per: "list"`). The lowest such
 * weight keeps demand counting most. `null` when no weight in the sweep gets there.
 */
export function weightForBudget(
  rows: readonly BudgetRow[],
  budget: number,
  per: "record" | "list" = "record",
): number | null {
  const fits = (r: BudgetRow) =>
    per === "list" ? r.total_price <= budget : (r.max_price ?? 0) <= budget;
  const found = [...rows].sort((a, b) => a.weight - b.weight).find(fits);
  return found ? found.weight : null;
}
