/**
 * Ranking a collection: records in, the four scores, ranks and reasons out. Pure — no I/O, no
 * import-time work, nothing beyond the formulas, the reasons and the error type — so this one
 * module serves the score stage ({@link computeScores} feeds the `scores` table), the notebooks,
 * the charts and the report's price slider, which bundles {@link rankCollection} into the page
 * (lib/report/client.ts). The slider and `deno task score` therefore run the same code.
 *
 * Default rules: only records with complete market data take ranks (records with an imputed
 * input are held out as "needs market data"), records whose lowest price looks like a damaged or
 * mislisted copy are held out ("suspect price", ./suspect.ts), and a deep cut needs at least two
 * records of the artist to compare with. `prototypeRanking` restores the prototype's ranking
 * exactly (every record with two of price, want and have ranks); the scores themselves are the
 * prototype's either way.
 *
 * @example
 * ```ts
 * const { order } = rankCollection(records, 2.5);
 * order.value[0]; // index of the top Crate Pick at price weight 2.5
 * ```
 *
 * @module
 */

import { InputError } from "../errors.ts";
import {
  artistMeanWants,
  type CrateScores,
  crateScores,
  type ImputableInput,
  imputedInputs,
  isRankable,
  type MarketFacts,
  PRICE_WEIGHT,
  type PriceModel,
  rankDescending,
} from "./formulas.ts";
import { suspectPrices } from "./suspect.ts";
import { deepCutWhy, essentialWhy, formatCount, smartBuyWhy, valueWhy } from "./why.ts";

/** The four rankings, keyed as in `CrateScores`. */
export type RankingName = keyof CrateScores;

/** The rankings in the order they are computed and shown. */
export const RANKING_NAMES: readonly RankingName[] = ["value", "smartBuy", "essential", "deepCut"];

/** What ranking needs of one record: its market facts, release id and raw artist name. */
export interface RankableRecord extends MarketFacts {
  releaseId: number;
  /** Raw Discogs artist name (with any "(2)" suffix): the key of the artist's mean want. */
  artist: string;
  /** Currency of the lowest price (USD when unknown), for the suspect-price rule. */
  currency?: string | null;
  /** Discogs format description (`12", W/Lbl`), for the suspect-price rule. */
  format?: string | null;
}

/** How records take ranks; {@link DEFAULT_RULES} unless told otherwise. */
export interface RankingRules {
  /**
   * Rank exactly as the prototype did: every record with two of price, want and have takes a
   * rank, imputed inputs, suspect prices and artists owned once included (`--prototype-ranking`).
   */
  prototypeRanking?: boolean;
  /** Keep records with a suspect lowest price in the rankings (`--keep-suspect-prices`). */
  keepSuspectPrices?: boolean;
  /**
   * How value weighs price (`--price-model`): `demand` by default, `prototype` by default
   * under `prototypeRanking`.
   */
  priceModel?: PriceModel;
}

/** The price model `rules` ask for. */
export function priceModelOf(rules: Readonly<RankingRules>): PriceModel {
  return rules.priceModel ?? (rules.prototypeRanking ? "prototype" : "demand");
}

/** The default rules: rank complete data only, suspect prices held out. */
export const DEFAULT_RULES: Readonly<RankingRules> = {
  prototypeRanking: false,
  keepSuspectPrices: false,
  priceModel: "demand",
};

/** Why a record takes no rank in the default view (null when it ranks). */
export type HeldOut = "needs market data" | "suspect price";

/** Records of one artist (with a known want) a deep cut needs to compare with. */
export const DEEP_CUT_MIN_ARTIST_RECORDS = 2;

/** Discogs' names for no one artist: compilations are nobody's deep cut. */
const NO_ARTIST = /^(various|various artists|unknown artist|no artist)$/i;

/** Scores and rankings of a collection under one price weight, by record index. */
export interface CollectionRanking {
  priceWeight: number;
  priceModel: PriceModel;
  /** Whether each record has enough market data to be ranked. */
  rankable: boolean[];
  /** The mean want of each record's artist over the rankable records (null when unknown). */
  artistMeanWants: (number | null)[];
  /** How many rankable records of each record's artist have a known want (the mean's base). */
  artistRecords: number[];
  /** Whether each record's market data is complete (nothing imputed). */
  complete: boolean[];
  /** Each record's suspect-price reason, null when its price is plausible or unknown. */
  suspect: (string | null)[];
  /** Why each record takes no rank under the rules (null when it ranks, or under the prototype). */
  heldOut: (HeldOut | null)[];
  /** Scores of each record. */
  scores: CrateScores[];
  /** 1-based rank of each record per ranking (null when not ranked). */
  ranks: Record<RankingName, (number | null)[]>;
  /** Record indices per ranking, best first (ranked records only). */
  order: Record<RankingName, number[]>;
}

/**
 * Score and rank `records` under `priceWeight`. As in the prototype, the artist mean want is
 * taken over the rankable records given (the collection); ranks cover rankable records only (at
 * least two of price, want, have known) and ties break on release id.
 */
export function rankCollection(
  records: readonly RankableRecord[],
  priceWeight: number,
  rules: Readonly<RankingRules> = DEFAULT_RULES,
): CollectionRanking {
  const rankable = records.map(isRankable);
  const rankableRecords = records.filter((_, i) => rankable[i]);
  // The prototype averages want over the rows it ranks, so unrankable rows do not count.
  const means = artistMeanWants(rankableRecords, (r) => r.artist, (r) => r.want);
  const counts = new Map<string, number>();
  for (const r of rankableRecords) {
    if (r.want !== null && Number.isFinite(r.want)) {
      counts.set(r.artist, (counts.get(r.artist) ?? 0) + 1);
    }
  }
  const meanWants = records.map((r) => means.get(r.artist) ?? null);
  const artistRecords = records.map((r) => counts.get(r.artist) ?? 0);
  const complete = records.map((r) => imputedInputs(r).length === 0);
  const suspect = suspectPrices(records);
  const heldOut = records.map((_, i): HeldOut | null =>
    rules.prototypeRanking
      ? null
      : !complete[i]
      ? "needs market data"
      : suspect[i] !== null && !rules.keepSuspectPrices
      ? "suspect price"
      : null
  );
  const ranksIn = (i: number) => rankable[i] && heldOut[i] === null;
  // A deep cut compares a record with its artist's other records: one record has none.
  const deepCutRanks = (i: number) =>
    ranksIn(i) && (rules.prototypeRanking ||
      (artistRecords[i] >= DEEP_CUT_MIN_ARTIST_RECORDS &&
        !NO_ARTIST.test(records[i].artist.trim())));
  const priceModel = priceModelOf(rules);
  const scores = records.map((r, i) => crateScores(r, priceWeight, meanWants[i], priceModel));
  const indices = records.map((_, i) => i);
  const ranks = {} as Record<RankingName, (number | null)[]>;
  const order = {} as Record<RankingName, number[]>;
  for (const name of RANKING_NAMES) {
    ranks[name] = rankDescending(
      indices,
      (i) => scores[i][name],
      name === "deepCut" ? deepCutRanks : ranksIn,
      (i) => records[i].releaseId,
    );
    const best: number[] = [];
    ranks[name].forEach((rank, i) => {
      if (rank !== null) best[rank - 1] = i;
    });
    order[name] = best;
  }
  return {
    priceWeight,
    priceModel,
    rankable,
    artistMeanWants: meanWants,
    artistRecords,
    complete,
    suspect,
    heldOut,
    scores,
    ranks,
    order,
  };
}

/** One record to score: identity plus market facts. */
export interface ScoreInput extends RankableRecord {
  /** The artist as a collector reads it (no Discogs "(2)" suffix); defaults to `artist`. */
  artistDisplay?: string;
  currency: string | null;
}

/** A row of the `scores` table (or the score stage's inputs), as far as scoring needs it. */
export interface ScoreInputRow {
  release_id: number;
  artist: string | null;
  artist_display?: string | null;
  currency: string | null;
  want: number | null;
  have: number | null;
  lowest_price: number | null;
  num_for_sale: number | null;
  format?: string | null;
}

/**
 * Score inputs from table rows (snake_case columns, as `Database.all` returns them): the one
 * mapping the stage, the charts, the notebooks and the report's tests all re-score with.
 */
export function scoreInputsFromRows(rows: readonly ScoreInputRow[]): ScoreInput[] {
  return rows.map((r) => ({
    releaseId: r.release_id,
    artist: r.artist ?? "",
    artistDisplay: r.artist_display ?? undefined,
    currency: r.currency,
    want: r.want,
    have: r.have,
    lowestPrice: r.lowest_price,
    numForSale: r.num_for_sale,
    format: r.format ?? null,
  }));
}

/** A scored record: scores, ranks (null when not rankable) and reasons. */
export interface ScoredRecord {
  releaseId: number;
  imputed: ImputableInput[];
  rankable: boolean;
  /** Why it takes no rank under the rules used (null when it ranks). */
  heldOut: HeldOut | null;
  /** Its suspect-price reason (null when the price is plausible or unknown). */
  suspectReason: string | null;
  artistMeanWant: number | null;
  scores: CrateScores;
  ranks: Record<RankingName, number | null>;
  why: Record<RankingName, string>;
}

/** A scored record's columns in the `scores` table (score, rank and reason of each ranking). */
export function scoreColumns(s: ScoredRecord) {
  return {
    value_score: s.scores.value,
    value_rank: s.ranks.value,
    value_why: s.why.value,
    smart_buy_score: s.scores.smartBuy,
    smart_buy_rank: s.ranks.smartBuy,
    smart_buy_why: s.why.smartBuy,
    essential_score: s.scores.essential,
    essential_rank: s.ranks.essential,
    essential_why: s.why.essential,
    deep_cut_score: s.scores.deepCut,
    deep_cut_rank: s.ranks.deepCut,
    deep_cut_why: s.why.deepCut,
  };
}

/** Check a price-sensitivity weight is within the prototype's slider range. */
export function checkPriceWeight(priceWeight: number): number {
  if (!(priceWeight >= PRICE_WEIGHT.min && priceWeight <= PRICE_WEIGHT.max)) {
    throw new InputError(
      `price weight ${priceWeight} is out of range: expected ${PRICE_WEIGHT.min} to ${PRICE_WEIGHT.max}`,
    );
  }
  return priceWeight;
}

/**
 * Score and rank `records` under `priceWeight` ({@link rankCollection}), with what each record
 * had imputed and why it ranks where it does: the rows of the `scores` table.
 */
export function computeScores(
  records: readonly ScoreInput[],
  priceWeight: number,
  rules: Readonly<RankingRules> = DEFAULT_RULES,
): ScoredRecord[] {
  checkPriceWeight(priceWeight);
  const ranking = rankCollection(records, priceWeight, rules);
  return records.map((record, i) => {
    const scores = ranking.scores[i];
    const artistMeanWant = ranking.artistMeanWants[i];
    const artist = record.artistDisplay ?? record.artist;
    const lone = !rules.prototypeRanking && artistMeanWant !== null &&
      ranking.artistRecords[i] < DEEP_CUT_MIN_ARTIST_RECORDS;
    const compilation = !rules.prototypeRanking && NO_ARTIST.test(record.artist.trim());
    return {
      releaseId: record.releaseId,
      imputed: imputedInputs(record),
      rankable: ranking.rankable[i],
      heldOut: ranking.heldOut[i],
      suspectReason: ranking.suspect[i],
      artistMeanWant,
      scores,
      ranks: {
        value: ranking.ranks.value[i],
        smartBuy: ranking.ranks.smartBuy[i],
        essential: ranking.ranks.essential[i],
        deepCut: ranking.ranks.deepCut[i],
      },
      why: {
        value: valueWhy(record, record.currency),
        smartBuy: smartBuyWhy(record, record.currency),
        essential: essentialWhy(record, scores.essential),
        deepCut: compilation
          ? "a compilation: no one artist to compare it with"
          : lone
          ? loneArtistWhy(record, artist)
          : deepCutWhy(record, artistMeanWant, artist),
      },
    };
  });
}

/** A deep cut's reason when the artist has one record with a want: nothing to compare with. */
function loneArtistWhy(record: MarketFacts, artist: string): string {
  const want = record.want === null ? "want unknown" : `${formatCount(record.want)} want`;
  return `${want}: the only record of ${artist} in your crate, nothing to compare it with`;
}
