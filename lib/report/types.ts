/**
 * The shapes the report embeds in the page as JSON and the browser script reads back: one
 * {@link ReportRecord} per release in the collection, one {@link ReportPick} per recommendation.
 * Kept free of imports beyond lib/score so the browser bundle stays small.
 *
 * @module
 */

import type { RankableRecord, RankingName, RankingRules } from "../score/ranking.ts";

/** One release in the collection, as the page shows, filters and re-ranks it. */
export interface ReportRecord extends RankableRecord {
  /** The artist as a collector reads it (no Discogs "(2)" suffix). */
  artistDisplay: string;
  title: string;
  label: string | null;
  format: string | null;
  /** Release year; null when Discogs does not know it. */
  year: number | null;
  copies: number;
  genres: string[];
  styles: string[];
  currency: string | null;
  /** Cover thumbnail URL (remote, shown only on request) or a data: URI; null when none. */
  thumbnail: string | null;
  /** Why the record ranks where it does, per ranking (from the `scores` table). */
  why: Record<RankingName, string>;
}

/**
 * One kind of recommendation (a list), as the recommend stage registered it in the
 * `recommendation_kinds` table: the page shows the lists in this order.
 */
export interface ReportKind {
  /** The kind id in the `recommendations` table (`gem`). */
  kind: string;
  title: string;
  blurb: string;
}

/** One kind of recommendation: a {@link ReportKind.kind}. */
export type PickKind = string;

/** One recommendation (a record not in the collection). */
export interface ReportPick {
  kind: PickKind;
  rank: number;
  /** Stable key of the pool record (the crate uses it). */
  key: string;
  releaseId: number | null;
  artist: string;
  title: string;
  year: number | null;
  label: string | null;
  styles: string[];
  want: number | null;
  have: number | null;
  lowestPrice: number | null;
  /** Copies for sale when Discogs was asked (0 = none for sale), else null. */
  numForSale: number | null;
  currency: string | null;
  why: string;
  /** The list's own score (the crate's "Fill to budget" weighs picks by it). */
  score?: number | null;
  /** Discogs release page, when known. */
  url: string | null;
  thumbnail: string | null;
}

/** Settings the browser script needs besides the rows. */
export interface ReportConfig {
  /** The weight the `scores` table was computed with: the slider's starting point. */
  priceWeight: number;
  priceWeightRange: { min: number; max: number; step: number };
  /** Regex source of the spreadsheet formula triggers (lib/export FORMULA_TRIGGER_PATTERN). */
  formulaTrigger: string;
  /** How many records each ranking shows before "show more". */
  pageSize: number;
  /** The ranking rules the `scores` table was computed with (default when absent); the slider re-ranks under them. */
  rules?: RankingRules;
}

/** Everything embedded in the page as JSON. */
export interface ReportPayload {
  config: ReportConfig;
  records: ReportRecord[];
  /** Null when the recommend stage has not run. */
  recommendations: ReportPick[] | null;
  /** The lists, in the order shown: every kind of the recommendations, none dropped. */
  kinds: ReportKind[];
}
