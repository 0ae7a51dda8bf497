/**
 * Reasons in collectors' words: one per set ("9 of 10 Moving Shadow 12"s from 1994; the last one
 * is $14.00") and one per missing record ("1994 12\", MSHADOW 045; cheapest copy $14.00, 6 for
 * sale (2 pressings checked)").
 *
 * @module
 */

import { formatPrice } from "../score/why.ts";
import type { SetEntry } from "./fold.ts";
import { formatNoun } from "./format.ts";
import type { EntryPrice } from "./price.ts";
import type { SetKind } from "./types.ts";

/** A set's figures, as its reason needs them. */
export interface SetFacts {
  kind: SetKind;
  name: string;
  format: string;
  entries: readonly SetEntry[];
  owned: number;
  total: number;
  missing: number;
  inWantlist: number;
  priced: number;
  cost: number;
  noCopyForSale: number;
  unpriced: number;
  currency: string;
  /** Albums whose pressings could not be checked for the format. */
  unchecked: number;
  /** Whether the listing was read only in part (budget, pages). */
  partial: boolean;
  byPressing: boolean;
}

/** "from 1994", "from 1991–1996", or "" when no year is known. */
export function yearSpan(years: readonly (number | null)[]): string {
  const known = years.filter((y): y is number => y !== null && y > 0);
  if (known.length === 0) return "";
  const lo = Math.min(...known), hi = Math.max(...known);
  return lo === hi ? `from ${lo}` : `from ${lo}–${hi}`;
}

/** What the set's records are called: `Moving Shadow 12"s`, `Photek LPs`, `pressings of X`. */
function setNoun(f: SetFacts): string {
  if (f.kind === "master") return `pressings of ${f.name}`;
  const noun = formatNoun(f.entries.map((e) => e.format));
  // A label's catalogue is releases; an artist's discography, counted by master, albums.
  const base = noun !== "records"
    ? noun
    : f.kind === "artist" && !f.byPressing
    ? "albums"
    : "releases";
  const onFormat = base === "releases" || base === "albums"
    ? f.format.toLowerCase() === "any" ? "" : ` on ${f.format === "Vinyl" ? "vinyl" : f.format}`
    : "";
  return `${f.name} ${base}${onFormat}`;
}

/** The reason for one set. */
export function setWhy(f: SetFacts): string {
  const span = yearSpan(f.entries.map((e) => e.year));
  const what = `${setNoun(f)}${span ? ` ${span}` : ""}`;
  const notes: string[] = [];
  if (f.partial) notes.push("listing read in part");
  if (f.unchecked > 0) {
    notes.push(`${f.unchecked} album${f.unchecked === 1 ? "" : "s"} not checked for format`);
  }
  const tail = notes.length ? ` (${notes.join("; ")})` : "";
  if (f.total === 0) return `nothing of ${what} found${tail}`;
  if (f.missing === 0) return `all ${f.total} ${what}: complete${tail}`;
  const head = `${f.owned} of ${f.total} ${what}`;
  const money = (n: number) => formatPrice(n, f.currency);
  let path: string;
  if (f.missing === 1) {
    path = f.priced === 1
      ? `the last one is ${money(f.cost)}`
      : f.noCopyForSale === 1
      ? "the last one has no copy for sale"
      : "the last one is not priced yet";
  } else {
    const parts: string[] = [];
    if (f.priced === f.missing) parts.push(`the ${f.missing} missing cost ${money(f.cost)}`);
    else if (f.priced > 0) {
      parts.push(`${f.priced} of the ${f.missing} missing cost ${money(f.cost)}`);
    }
    if (f.noCopyForSale > 0) {
      parts.push(`${f.noCopyForSale} ha${f.noCopyForSale === 1 ? "s" : "ve"} no copy for sale`);
    }
    if (f.unpriced > 0) parts.push(`${f.unpriced} not priced yet`);
    path = parts.join(", ");
  }
  const wants = f.inWantlist > 0
    ? ` (${f.inWantlist === f.missing && f.missing > 1 ? "all" : f.inWantlist} on your wantlist)`
    : "";
  return `${head}; ${path}${wants}${tail}`;
}

/** The reason for one missing record. */
export function missingWhy(
  e: SetEntry,
  price: EntryPrice | undefined,
  currency: string,
): string {
  const facts = [e.year ? String(e.year) : null, e.format, e.label, e.catno]
    .filter((x): x is string => x !== null && x !== "");
  const what = facts.join(", ");
  let market: string;
  if (!price || price.pressingsPriced === 0) {
    market = "not priced yet (price budget spent; a larger --price-budget prices it)";
  } else {
    const checked = e.candidates.length > 1 || price.pressingsPriced > 1
      ? ` (${price.pressingsPriced} of ${e.candidates.length} pressings checked)`
      : "";
    market = price.lowestPrice === null
      ? `no copy for sale${checked}`
      : `cheapest copy ${formatPrice(price.lowestPrice, currency)}, ${price.numForSale} for sale` +
        checked;
  }
  const want = e.inWantlist ? "; on your wantlist" : "";
  const check = e.formatChecked ? "" : "; format not checked";
  return `${what ? `${what}; ` : ""}${market}${want}${check}`;
}
