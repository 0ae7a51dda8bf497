/**
 * Knobs of the gem recommender, measured: run `recommendGems` under variants (price weight,
 * budget, diversity) and describe each list — what it costs, how varied it is, how many shelves
 * it covers, how much of the default list it keeps — for notebooks. (The evaluation harness on a
 * workspace is `evaluateWorkspace` in evaluate.ts.)
 *
 * @example
 * ```ts
 * compareGemVariants(ctx, [{ name: "default" }, { name: "cheap", priceWeight: 5 }]);
 * ```
 *
 * @module
 */

import { rowDot } from "../embed/similarity.ts";
import { normalizeName } from "../embed/features.ts";
import { median } from "../stats/mod.ts";
import { nearestShelf, type RecommendContext } from "./context.ts";
import { GEM_DIVERSITY, recommendGems } from "./kinds/gems.ts";

/** One setting of the gem recommender's knobs. */
export interface GemVariant {
  name: string;
  priceWeight?: number;
  budget?: number;
  /** MMR trade-off: 1 = pure score, lower = more variety (default: the served list's). */
  diversity?: number;
}

/** What a list of picks looks like. */
export interface ListDescription {
  picks: number;
  /** Picks with a known lowest price, and their median. */
  priced: number;
  median_price: number | null;
  /** Known lowest prices summed: the cost of buying the list. */
  total_price: number;
  artists: number;
  /** Shelves the picks are nearest to. */
  shelves: number;
  /** 1 − mean pairwise cosine of the picks (higher = more varied). */
  diversity: number;
  mean_want: number | null;
}

/** Describe a list of picks (pool indexes into `ctx.pool`). */
export function describeList(ctx: RecommendContext, picks: readonly number[]): ListDescription {
  const records = picks.map((i) => ctx.pool[i]);
  const prices = records.map((c) => c.lowestPrice).filter((p): p is number => p !== null);
  const wants = records.map((c) => c.want).filter((w): w is number => w !== null);
  const shelves = new Set(picks.map((i) => nearestShelf(ctx, i).shelf));
  let pairs = 0;
  let similarity = 0;
  for (let a = 0; a < picks.length; a++) {
    for (let b = a + 1; b < picks.length; b++) {
      similarity += rowDot(ctx.poolVectors, picks[a], ctx.poolVectors, picks[b], ctx.dims);
      pairs++;
    }
  }
  return {
    picks: picks.length,
    priced: prices.length,
    median_price: prices.length ? median(prices) : null,
    total_price: prices.reduce((s, p) => s + p, 0),
    artists: new Set(records.map((c) => normalizeName(c.artist))).size,
    shelves: shelves.size,
    diversity: pairs ? 1 - similarity / pairs : 0,
    mean_want: wants.length ? wants.reduce((s, w) => s + w, 0) / wants.length : null,
  };
}

/** A variant's list and its description, against the first variant's list. */
export interface VariantRow extends ListDescription {
  variant: string;
  price_weight: number;
  budget: number | null;
  diversity_knob: number;
  /** Share of the first variant's picks this list keeps. */
  overlap_with_first: number;
}

/** Run every variant and describe its list (the first variant is the reference). */
export function compareGemVariants(
  ctx: RecommendContext,
  variants: readonly GemVariant[],
  top = 20,
): VariantRow[] {
  const lists = variants.map(({ priceWeight, budget, diversity }) =>
    recommendGems(ctx, { top, priceWeight, budget, diversity }).map((r) => r.poolIndex)
  );
  const first = new Set(lists[0] ?? []);
  return variants.map((v, n) => {
    const picks = lists[n];
    return {
      variant: v.name,
      price_weight: v.priceWeight ?? 1,
      budget: v.budget ?? null,
      diversity_knob: v.diversity ?? GEM_DIVERSITY,
      ...describeList(ctx, picks),
      overlap_with_first: picks.length
        ? picks.filter((i) => first.has(i)).length / picks.length
        : 0,
    };
  });
}
