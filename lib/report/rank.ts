/**
 * Re-ranking a collection in the page: the same orchestration as `computeScores` in
 * lib/score/mod.ts (rankable rows only, artist mean want over the rankable rows, ties broken on
 * release id), built only on the pure formulas of lib/score/formulas.ts so it can be bundled
 * into the report's browser script. The slider calls {@link rerank} on every move.
 *
 * @example
 * ```ts
 * const { order } = rerank(records, 2.5);
 * order.value[0]; // index of the top Crate Pick at price weight 2.5
 * ```
 *
 * @module
 */

import {
  artistMeanWants,
  type CrateScores,
  crateScores,
  isRankable,
  type MarketFacts,
  rankDescending,
} from "../score/formulas.ts";

/** The four rankings, keyed as in `CrateScores`. */
export type RankingName = keyof CrateScores;

/** The rankings in the order the report shows them, with the names collectors know. */
export const RANKINGS: readonly { name: RankingName; title: string; blurb: string }[] = [
  {
    name: "value",
    title: "Crate Picks",
    blurb: "Most wanted per copy out there, discounted by price.",
  },
  {
    name: "smartBuy",
    title: "Smart Buys",
    blurb: "Crate Picks that are also scarce on the marketplace.",
  },
  {
    name: "essential",
    title: "Collector's Essentials",
    blurb: "Wanted by many, owned by few (want/have ratio, price ignored).",
  },
  {
    name: "deepCut",
    title: "Deep Cuts",
    blurb: "Less wanted than the artist usually is in your crate, and rarely owned.",
  },
] as const;

/** What re-ranking needs of one record: its market facts, release id and raw artist name. */
export interface RankableRecord extends MarketFacts {
  releaseId: number;
  /** Raw Discogs artist name (with any "(2)" suffix): the key of the artist's mean want. */
  artist: string;
}

/** Scores and rankings of a collection under one price weight. */
export interface Reranking {
  priceWeight: number;
  /** Scores of each record, by record index. */
  scores: CrateScores[];
  /** 1-based rank of each record per ranking (null when not ranked), by record index. */
  ranks: Record<RankingName, (number | null)[]>;
  /** Record indices per ranking, best first (ranked records only). */
  order: Record<RankingName, number[]>;
}

/**
 * Score and rank `records` under `priceWeight`, exactly as `computeScores` does for the
 * `scores` table (tested against it in rank_test.ts).
 */
export function rerank(records: readonly RankableRecord[], priceWeight: number): Reranking {
  const rankable = records.map(isRankable);
  // As in computeScores: the prototype averages want over the rows it ranks.
  const means = artistMeanWants(
    records.filter((_, i) => rankable[i]),
    (r) => r.artist,
    (r) => r.want,
  );
  const scores = records.map((r) => crateScores(r, priceWeight, means.get(r.artist) ?? null));
  const indices = records.map((_, i) => i);
  const rankOf = (name: RankingName) =>
    rankDescending(
      indices,
      (i) => scores[i][name],
      (i) => rankable[i],
      (i) => records[i].releaseId,
    );
  const ranks = {
    value: rankOf("value"),
    smartBuy: rankOf("smartBuy"),
    essential: rankOf("essential"),
    deepCut: rankOf("deepCut"),
  };
  const orderOf = (rank: (number | null)[]) => {
    const order: number[] = [];
    rank.forEach((r, i) => {
      if (r !== null) order[r - 1] = i;
    });
    return order;
  };
  return {
    priceWeight,
    scores,
    ranks,
    order: {
      value: orderOf(ranks.value),
      smartBuy: orderOf(ranks.smartBuy),
      essential: orderOf(ranks.essential),
      deepCut: orderOf(ranks.deepCut),
    },
  };
}
