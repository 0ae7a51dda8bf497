/**
 * Suspect prices: a lowest price implausibly low for the record, most often a damaged copy, a
 * placeholder ("make an offer" at $0.01) or a mislisting. Left in, they lead every price-aware
 * ranking (on the bundled sample 8 of Crate Picks' top 10 were $0.01–$0.15, while only 9 of 309
 * priced releases are under $0.50 and the next price is $2.58).
 *
 * The rule, per currency: a lowest price is suspect when it is below
 *
 *     max(floor(currency), q10 / 4)
 *
 * - `floor` is about half a US dollar in the record's currency ({@link SUSPECT_PRICE_FLOOR}): no
 *   real vinyl sells that low once Discogs' fees are paid, whatever the collection.
 * - `q10` is the 10th percentile of the lowest prices in that currency, over the reference
 *   records (the collection), or over the records of the same format (12", LP, 7", …) when that
 *   format has at least {@link MIN_REFERENCE} priced records and is cheaper: a 7" single is not
 *   suspect for costing less than an LP. The format never raises the bar: a smaller group's
 *   quantile is noisier, and a cheap copy of a dear format (a budget reissue LP) is real. The
 *   10th percentile is robust: a few junk prices do not
 *   move it. A quarter of it is well below the cheapest genuine copies (on the sample q10 is
 *   $5.3 and the cheapest honest copies sit at $2.58–$4, about half of it), while junk prices
 *   sit an order of magnitude lower. With fewer than {@link MIN_REFERENCE} priced records in the
 *   currency only the floor applies.
 *
 * @example
 * ```ts
 * const rule = suspectPriceRule(collection);
 * rule({ lowestPrice: 0.08, currency: "USD", format: '12"' });
 * // "lowest $0.08 looks like a damaged or mislisted copy (under $1.32, …)"
 * ```
 *
 * @module
 */

import { formatPrice } from "./why.ts";

/** What the rule reads of a record. */
export interface PricedRecord {
  lowestPrice: number | null;
  currency?: string | null;
  /** Discogs format description (`12", W/Lbl`); its first part is the format group. */
  format?: string | null;
}

/**
 * About US$0.50 in each currency Discogs prices in (rounded, late-2026 rates): the price below
 * which a record is suspect whatever the collection. Unknown currencies have no floor.
 */
export const SUSPECT_PRICE_FLOOR: Readonly<Record<string, number>> = {
  USD: 0.5,
  GBP: 0.4,
  EUR: 0.45,
  CAD: 0.7,
  AUD: 0.75,
  JPY: 75,
  CHF: 0.45,
  MXN: 9,
  BRL: 2.5,
  NZD: 0.85,
  SEK: 5,
  ZAR: 9,
};

/** The low quantile the rule reads, and how far below it a price must be to be suspect. */
export const SUSPECT_QUANTILE = 0.1;
/** A suspect price is below the low quantile divided by this. */
export const SUSPECT_DIVISOR = 4;
/** Priced records a currency (or a format) needs before its quantile is trusted. */
export const MIN_REFERENCE = 20;

/** The format group of a Discogs format description: `2xLP, Album` → `LP`, `12", EP` → `12"`. */
export function formatGroup(format: string | null | undefined): string | null {
  const first = (format ?? "").split(/[,+]/)[0].trim().replace(/^\d+\s*x\s*/i, "");
  return first ? first.toUpperCase() : null;
}

/** Linear-interpolated quantile of sorted values (DuckDB's `quantile_cont`). */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

function lowQuantile(prices: number[]): number | null {
  if (prices.length < MIN_REFERENCE) return null;
  return quantile(prices.sort((a, b) => a - b), SUSPECT_QUANTILE);
}

const currencyOf = (r: PricedRecord) => r.currency ?? "USD";
const priced = (r: PricedRecord): r is PricedRecord & { lowestPrice: number } =>
  r.lowestPrice !== null && Number.isFinite(r.lowestPrice) && r.lowestPrice >= 0;

function push(groups: Map<string, number[]>, key: string, value: number) {
  const list = groups.get(key);
  if (list) list.push(value);
  else groups.set(key, [value]);
}

/** The threshold a price is compared with, and what it was derived from (for the reason). */
export interface SuspectThreshold {
  threshold: number;
  basis: string;
}

/**
 * The rule fitted on `reference` (the collection's priced records): a function giving a
 * record's reason when its lowest price is suspect, `null` when it is plausible or unknown.
 */
export function suspectPriceRule(
  reference: readonly PricedRecord[],
): (record: PricedRecord) => string | null {
  const byCurrency = new Map<string, number[]>();
  const byFormat = new Map<string, number[]>();
  for (const r of reference) {
    if (!priced(r)) continue;
    const currency = currencyOf(r);
    push(byCurrency, currency, r.lowestPrice);
    push(byFormat, `${currency}\t${formatGroup(r.format)}`, r.lowestPrice);
  }
  const currencyQ = new Map([...byCurrency].map(([c, prices]) => [c, lowQuantile(prices)]));
  const formatQ = new Map([...byFormat].map(([k, prices]) => [k, lowQuantile(prices)]));
  return (record) => {
    if (!priced(record)) return null;
    const { threshold, basis } = thresholdFor(record, currencyQ, formatQ);
    if (record.lowestPrice >= threshold) return null;
    const currency = currencyOf(record);
    return `lowest ${
      formatPrice(record.lowestPrice, currency)
    } looks like a damaged or mislisted copy (under ${formatPrice(threshold, currency)}, ${basis})`;
  };
}

function thresholdFor(
  record: PricedRecord,
  currencyQ: Map<string, number | null>,
  formatQ: Map<string, number | null>,
): SuspectThreshold {
  const currency = currencyOf(record);
  const floor = SUSPECT_PRICE_FLOOR[currency] ?? 0;
  const group = formatGroup(record.format);
  const all = currencyQ.get(currency) ?? null;
  const format = formatQ.get(`${currency}\t${group}`) ?? null;
  // The format only ever lowers the bar: a quantile over a smaller group is noisier, and cheap
  // copies of a dear format (a budget reissue LP) are real.
  const q = format !== null && (all === null || format < all) ? format : all;
  const scope = q !== null && q === format && q !== all ? `${group} records` : "records";
  const low = q === null ? 0 : q / SUSPECT_DIVISOR;
  if (low > floor) {
    return {
      threshold: low,
      basis: `a quarter of the 10th-percentile price of your ${currency} ${scope}`,
    };
  }
  return { threshold: floor, basis: "no real copy sells that low" };
}

/** Each record's suspect-price reason (null when plausible), the rule fitted on the records. */
export function suspectPrices(records: readonly PricedRecord[]): (string | null)[] {
  const rule = suspectPriceRule(records);
  return records.map(rule);
}
