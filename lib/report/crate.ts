/**
 * The virtual crate a collector fills in the page: its price totals and its CSV export. Pure, so
 * the browser script bundles it and Deno tests it. CSV cells that a spreadsheet would run as a
 * formula are neutralised with the same rule as lib/export (the pattern is passed in from
 * `FORMULA_TRIGGER_PATTERN` so there is one rule).
 *
 * @module
 */

import { cents, groupByCurrency } from "./prices.ts";

/** One record in the crate. */
export interface CrateItem {
  /** "collection" for a record you own, "recommendation" for a pick from the pool. */
  source: "collection" | "recommendation";
  releaseId: number | null;
  artist: string;
  title: string;
  year: number | null;
  label: string | null;
  lowestPrice: number | null;
  currency: string | null;
  url: string | null;
}

/** Price totals of one currency in the crate. */
export interface CurrencyTotal {
  currency: string | null;
  total: number;
  average: number;
  priced: number;
}

/** What the crate adds up to. */
export interface CrateTotals {
  count: number;
  /** Items with no lowest price (left out of totals and averages). */
  unpriced: number;
  /** One entry per currency, most items first; prices in different currencies are not summed. */
  byCurrency: CurrencyTotal[];
}

/** Total and average lowest price of the crate, per currency. */
export function crateTotals(items: readonly CrateItem[]): CrateTotals {
  const { unpriced, groups } = groupByCurrency(items);
  const byCurrency = groups.map(({ currency, items }) => {
    const total = items.reduce((sum, item) => sum + item.lowestPrice, 0);
    return {
      currency,
      total: cents(total),
      average: cents(total / items.length),
      priced: items.length,
    };
  });
  return { count: items.length, unpriced, byCurrency };
}

/** The crate CSV's columns, in order. */
export const CRATE_CSV_COLUMNS = [
  "source",
  "release_id",
  "artist",
  "title",
  "year",
  "label",
  "lowest_price",
  "currency",
  "discogs_url",
] as const;

/** One CSV cell: neutralised when it would start a formula, quoted when it must be. */
export function csvCell(value: string | number | null, formulaTrigger: RegExp): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && formulaTrigger.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The crate as CSV text with a header row (RFC 4180, CRLF line ends). `formulaTrigger` is
 * `new RegExp(FORMULA_TRIGGER_PATTERN)` from lib/export/tables.ts.
 */
export function crateCsv(items: readonly CrateItem[], formulaTrigger: RegExp): string {
  const rows = items.map((i) =>
    [
      i.source,
      i.releaseId,
      i.artist,
      i.title,
      i.year,
      i.label,
      i.lowestPrice,
      i.currency,
      i.url,
    ].map((v) => csvCell(v, formulaTrigger)).join(",")
  );
  return [CRATE_CSV_COLUMNS.join(","), ...rows].join("\r\n") + "\r\n";
}
