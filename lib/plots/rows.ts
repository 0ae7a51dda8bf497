/**
 * The rows the charts draw, shaped as the workspace tables come back from `Database.all` (plain
 * objects, snake_case columns). Only the columns a chart reads are required, so a notebook can
 * pass hand-made rows or a filtered query.
 *
 * @module
 */

/** One row of the `scores` table (one per release in the collection). */
export interface ScoreRow {
  release_id: number;
  artist: string | null;
  /** The artist as a collector reads it (no Discogs "(2)" suffix). */
  artist_display?: string | null;
  title: string | null;
  label?: string | null;
  format?: string | null;
  /** Release year; null or 0 when Discogs does not know it. */
  year?: number | null;
  copies?: number | null;
  genres?: string[] | null;
  styles?: string[] | null;
  want: number | null;
  have: number | null;
  /** Lowest marketplace price; null when nothing is for sale (never plotted as 0). */
  lowest_price: number | null;
  num_for_sale: number | null;
  currency: string | null;
  rankable?: boolean | null;
  price_weight?: number | null;
  value_score?: number | null;
  value_rank?: number | null;
  essential_score?: number | null;
  essential_rank?: number | null;
}

/** One row of the `price_history` table: a market snapshot of one release. */
export interface PriceHistoryRow {
  release_id: number;
  fetched_at: Date | string;
  currency: string | null;
  lowest_price: number | null;
  num_for_sale?: number | null;
  have?: number | null;
  want?: number | null;
}

/** One point of the taste map: a release already projected to 2-D. */
export interface TasteMapPoint {
  x: number;
  y: number;
  /** The taste cluster (shelf) the point belongs to: a name or a number. */
  cluster: string | number;
  /** "Artist – Title", shown for labelled points. */
  label: string;
  kind: "collection" | "recommendation";
}

/** One record's rank under one price weight, for the rank-shift chart. */
export interface RankShiftRow {
  label: string;
  weight: number;
  rank: number;
  /** Tells apart two records with the same label (two pressings of one album). */
  release_id?: number;
}
