/**
 * The collection summary at the top of the report: how many records, what they are worth on the
 * marketplace (sum and median of lowest prices, per currency, with how many had no price), the
 * top genres and styles, and the years they span.
 *
 * @example
 * ```ts
 * const summary = collectionSummary(records);
 * summary.value[0]; // { currency: "USD", total: 2150.4, median: 6.5, priced: 309 }
 * ```
 *
 * @module
 */

import { cents, groupByCurrency } from "./prices.ts";
import type { ReportRecord } from "./types.ts";
import { median } from "../stats/mod.ts";

/** Marketplace value of the priced records in one currency. */
export interface CollectionValue {
  currency: string | null;
  /** Sum of lowest prices, each counted once per copy owned. */
  total: number;
  /** Median lowest price of a release. */
  median: number;
  /** Releases with a lowest price in this currency. */
  priced: number;
}

/** A tag (genre or style) and how many releases carry it. */
export interface TagCount {
  name: string;
  count: number;
}

/** The numbers the summary section shows. */
export interface CollectionSummary {
  /** Distinct releases. */
  releases: number;
  /** Copies on the shelf (a release owned twice counts twice). */
  copies: number;
  /** Releases with no known lowest price: none for sale, or no Discogs data yet. */
  unpriced: number;
  /** One entry per currency, most releases first. */
  value: CollectionValue[];
  /** Every genre, most common first (ties alphabetical). */
  genres: TagCount[];
  /** Every style, most common first (ties alphabetical). */
  styles: TagCount[];
  /** First and last known release year, or null when no year is known. */
  years: { first: number; last: number } | null;
}

function countTags(lists: readonly (readonly string[])[]): TagCount[] {
  const counts = new Map<string, number>();
  for (const list of lists) {
    for (const tag of new Set(list)) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  }
  return [...counts].map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** Summarise the collection for the report's first section. */
export function collectionSummary(records: readonly ReportRecord[]): CollectionSummary {
  const { unpriced, groups } = groupByCurrency(records);
  const value = groups.map(({ currency, items }) => ({
    currency,
    total: cents(items.reduce((sum, r) => sum + r.lowestPrice * Math.max(1, r.copies), 0)),
    median: median(items.map((r) => r.lowestPrice)),
    priced: items.length,
  }));
  const years = records.map((r) => r.year).filter((y): y is number => !!y && y > 0);
  return {
    releases: records.length,
    copies: records.reduce((n, r) => n + Math.max(1, r.copies), 0),
    unpriced,
    value,
    genres: countTags(records.map((r) => r.genres)),
    styles: countTags(records.map((r) => r.styles)),
    years: years.length ? { first: Math.min(...years), last: Math.max(...years) } : null,
  };
}
