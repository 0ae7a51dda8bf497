/**
 * The four rankings of the `scores` table as notebook tables: filter the crate by genre, style,
 * year and price, then take the top of a ranking with its reasons.
 *
 * @example
 * ```ts
 * const dub = filterScores(scores, { style: "Dub", maxPrice: 20 });
 * rankingTable(dub, "smart_buy", 10);
 * ```
 *
 * @module
 */

import { recordLabel } from "../plots/common.ts";
import {
  computeScores,
  formatPrice,
  scoreColumns,
  type ScoreInputRow,
  scoreInputsFromRows,
} from "../score/mod.ts";
import { RANKINGS } from "../score/summary.ts";
import { type Frame, frame } from "./frames.ts";

/** A ranking's key in the `scores` table (`<key>_rank`, `<key>_score`, `<key>_why`). */
export type RankingName = (typeof RANKINGS)[number]["key"];

/** The rankings, in the collector's words. */
export { RANKINGS };

/** The `scores` columns these helpers read. */
export interface CrateRow {
  release_id: number;
  artist: string | null;
  artist_display?: string | null;
  title: string | null;
  year?: number | null;
  genres?: string[] | null;
  styles?: string[] | null;
  lowest_price: number | null;
  currency: string | null;
  imputed?: string[] | null;
  [column: string]: unknown;
}

/** Filters for {@link filterScores}; each one left out does not filter. */
export interface CrateFilter {
  /** A genre the record carries (case-insensitive), e.g. "Reggae". */
  genre?: string;
  /** A style the record carries (case-insensitive), e.g. "Dub". */
  style?: string;
  /** Released in or after this year (records with an unknown year are left out). */
  yearFrom?: number;
  /** Released in or before this year (records with an unknown year are left out). */
  yearTo?: number;
  /** Known lowest price at or under this (records with no price are left out). */
  maxPrice?: number;
  /** Only records with complete market data (nothing imputed). */
  completeDataOnly?: boolean;
}

const has = (list: readonly string[] | null | undefined, wanted: string) =>
  (list ?? []).some((v) => v.toLowerCase() === wanted.toLowerCase());

/** The rows that pass every given filter. */
export function filterScores<T extends CrateRow>(rows: readonly T[], filter: CrateFilter): T[] {
  const known = (y: number | null | undefined): y is number => typeof y === "number" && y > 0;
  return rows.filter((r) =>
    (filter.genre === undefined || has(r.genres, filter.genre)) &&
    (filter.style === undefined || has(r.styles, filter.style)) &&
    (filter.yearFrom === undefined || (known(r.year) && r.year >= filter.yearFrom)) &&
    (filter.yearTo === undefined || (known(r.year) && r.year <= filter.yearTo)) &&
    (filter.maxPrice === undefined ||
      (r.lowest_price !== null && r.lowest_price <= filter.maxPrice)) &&
    (!filter.completeDataOnly || (r.imputed ?? []).length === 0)
  );
}

/** The ranked rows of `ranking` among `rows`, best first, at most `top`. */
export function topOf<T extends CrateRow>(
  rows: readonly T[],
  ranking: RankingName,
  top = 10,
): T[] {
  const rankOf = (r: T) => r[`${ranking}_rank`] as number | null | undefined;
  return rows.filter((r) => typeof rankOf(r) === "number")
    .sort((a, b) => rankOf(a)! - rankOf(b)! || a.release_id - b.release_id)
    .slice(0, top);
}

/** "Artist – Title (year)". */
export function recordName(r: CrateRow): string {
  return `${recordLabel(r, Infinity)}${r.year ? ` (${r.year})` : ""}`;
}

/**
 * The top of a ranking as a table: position among the rows given, rank in the whole crate,
 * record, lowest price, score and the reason.
 */
export function rankingTable(rows: readonly CrateRow[], ranking: RankingName, top = 10): Frame {
  return frame(topOf(rows, ranking, top), {
    "#": (_r, i) => i + 1,
    "Rank in crate": `${ranking}_rank`,
    "Record": (r) => recordName(r),
    "Lowest price": (r) =>
      r.lowest_price === null ? "none for sale" : formatPrice(r.lowest_price, r.currency),
    "Score": `${ranking}_score`,
    "Why": `${ranking}_why`,
  });
}

/** The title of a ranking ("Smart Buys (value + scarcity)"). */
export function rankingTitle(ranking: RankingName): string {
  return RANKINGS.find((r) => r.key === ranking)!.title;
}

/**
 * The rows re-scored at another price weight with the score stage's own `computeScores`: every
 * `<ranking>_score`, `_rank` and `_why` and `price_weight` replaced, nothing else touched.
 */
export function rescore<T extends CrateRow & ScoreInputRow>(
  rows: readonly T[],
  priceWeight: number,
): T[] {
  const scored = computeScores(scoreInputsFromRows(rows), priceWeight);
  return rows.map((row, i) => {
    const s = scored[i];
    return {
      ...row,
      price_weight: priceWeight,
      ...scoreColumns(s),
    };
  });
}
