/**
 * What a recommender is: one kind of list (gems, missing links, deep cuts, …) ranked from the
 * shared {@link RecommendContext}. Every kind is one module under `kinds/` and is registered in
 * `kinds/mod.ts` (`RECOMMENDERS`); the recommend stage, the `recommendations` table and its
 * order, the evaluation harness, the taste map and the report all go through that list.
 *
 * @module
 */

import type { RecommendContext } from "./context.ts";

/** One recommendation: a pool record on one list, with the reason it is there. */
export interface Recommendation {
  /** The list it is on: the {@link Recommender.name} of the recommender that made it. */
  kind: string;
  rank: number;
  poolIndex: number;
  score: number;
  components: Record<string, number>;
  why: string;
}

/** Which list a recommendation belongs to (a registered {@link Recommender.name}). */
export type RecommendationKind = string;

/** Options every recommender takes. */
export interface ListOptions {
  top?: number;
  priceWeight?: number;
  /** Only records with a known lowest price at or under this. */
  budget?: number;
  /** MMR trade-off: 1 = pure score, lower = more variety (gems 0.9, missing links 0.8). */
  diversity?: number;
  /** Recommend records whose lowest price looks like a damaged or mislisted copy (default no). */
  keepSuspectPrices?: boolean;
  /** Pool indexes not to recommend (e.g. already in another list). */
  exclude?: ReadonlySet<number>;
}

/** One kind of recommendation list. */
export interface Recommender {
  /** The kind id in the `recommendations` table (`gem`); lower case, digits and `_`. */
  name: string;
  /** The list's title (`Taste-aligned gems`). */
  label: string;
  /** One sentence a collector reads under the title. */
  description: string;
  /** How a count of its picks reads in the stage's summary: `20 gems`. */
  plural: string;
  /**
   * Set for a list that exists only with some input (a listening history): what that input is.
   * The stage's summary line leaves such a list out while it is empty.
   */
  needs?: string;
  /** The list, best first, ranks from 1 (records in `options.exclude` are never picked). */
  rank(ctx: RecommendContext, options?: ListOptions): Recommendation[];
  /**
   * Pool records this list could serve only once their market data is known (deep cuts need
   * have and want; catalogue candidates have none), best first, at most `options.top`: the
   * recommend stage prices them with the shortlist.
   */
  toPrice?(ctx: RecommendContext, options?: ListOptions): number[];
  /**
   * Set when the evaluation harness measures this recommender (`deno task evaluate`): its name
   * there, and a score for every pool record (higher is better) that orders what the served
   * list leaves out, so the whole pool is ranked.
   */
  evaluation?: {
    name: string;
    score(ctx: RecommendContext, options?: ListOptions): Float64Array;
  };
}
