/**
 * One-line reasons a collector can read ("1,616 want / 2,893 have, lowest $18.08"), built from
 * the same facts the scores use, saying plainly when a figure was missing and assumed.
 *
 * @module
 */

import { IMPUTED_DEFAULTS, type MarketFacts } from "./formulas.ts";

/** `1616` → `1,616` (plain string work: Intl is ~10× slower and this runs per record). */
export function formatCount(n: number): string {
  const [whole, fraction] = String(Math.abs(n)).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ",");
  return (n < 0 ? "-" : "") + grouped + (fraction ? `.${fraction}` : "");
}

// Building an Intl.NumberFormat costs far more than formatting with one: keep one per currency.
const priceFormats = new Map<string, Intl.NumberFormat | null>();

function priceFormat(currency: string): Intl.NumberFormat | null {
  if (!priceFormats.has(currency)) {
    try {
      priceFormats.set(currency, new Intl.NumberFormat("en-US", { style: "currency", currency }));
    } catch {
      priceFormats.set(currency, null);
    }
  }
  return priceFormats.get(currency)!;
}

/** A price in its currency, e.g. `$18.08`, `€7.50`; plain number when the code is unknown. */
export function formatPrice(amount: number, currency: string | null): string {
  const format = priceFormat(currency ?? "USD");
  return format ? format.format(amount) : `${amount.toFixed(2)} ${currency ?? ""}`.trim();
}

function demand(f: MarketFacts): string {
  const want = f.want === null
    ? `want unknown (counted as ${IMPUTED_DEFAULTS.want})`
    : `${formatCount(f.want)} want`;
  const have = f.have === null
    ? `have unknown (counted as ${IMPUTED_DEFAULTS.have})`
    : `${formatCount(f.have)} have`;
  return `${want} / ${have}`;
}

function lowest(f: MarketFacts, currency: string | null): string {
  return f.lowestPrice === null
    ? `no price (counted as ${formatPrice(IMPUTED_DEFAULTS.lowestPrice, currency)})`
    : `lowest ${formatPrice(f.lowestPrice, currency)}`;
}

/** Why a record ranks as a Crate Pick: demand against price. */
export function valueWhy(f: MarketFacts, currency: string | null): string {
  return `${demand(f)}, ${lowest(f, currency)}`;
}

/** Why a record ranks as a Smart Buy: value plus scarcity on the market. */
export function smartBuyWhy(f: MarketFacts, currency: string | null): string {
  const supply = f.numForSale === null
    ? `for-sale count unknown (counted as ${IMPUTED_DEFAULTS.numForSale})`
    : f.numForSale === 0
    ? "none for sale"
    : `only ${formatCount(f.numForSale)} for sale`;
  return `${valueWhy(f, currency)}, ${supply}`;
}

/** Why a record is a Collector's Essential: how many want it per owner. */
export function essentialWhy(f: MarketFacts, essential: number): string {
  return `${demand(f)}: ${essential.toFixed(2)} want per have`;
}

/** Why a record is a Deep Cut: less wanted than the artist usually is, and rarely owned. */
export function deepCutWhy(f: MarketFacts, artistMeanWant: number | null, artist: string): string {
  if (artistMeanWant === null) return `no want figures for ${artist}`;
  const want = f.want === null ? "want unknown" : `${formatCount(f.want)} want`;
  const have = f.have === null ? "have unknown" : `${formatCount(f.have)} have`;
  return `${want} vs ${
    formatCount(Math.round(artistMeanWant))
  } mean want for ${artist} in your crate, ${have}`;
}
