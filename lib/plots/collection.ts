/**
 * Charts of what is on the shelf: what the records sell for, which genres and styles dominate,
 * and when they were released. Each takes `scores` rows and returns a Plot figure (see
 * `render.ts` for SVG/PNG output and notebooks).
 *
 * @example
 * ```ts
 * const rows = await db.all<ScoreRow>("SELECT * FROM scores");
 * const figure = priceDistribution(rows);
 * await writeChart(figure, "data/out/charts", "price_distribution");
 * ```
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import {
  type ChartOptions,
  countTicks,
  currencyOf,
  emptyChart,
  FONT_SIZE,
  formatMoney,
  frame,
  known,
  logAxis,
  logDomain,
  marginFor,
  niceCeil,
  percent,
  plural,
  shorten,
} from "./common.ts";
import { median } from "../stats/mod.ts";
import type { Figure } from "./render.ts";
import type { ScoreRow } from "./rows.ts";

/** Options for {@link priceDistribution}. */
export interface PriceDistributionOptions extends ChartOptions {
  /** Currency code for the axis (default: the rows' own, if they agree). */
  currency?: string;
}

const BAR_FILL = "#4269d0";

/**
 * How the collection's lowest marketplace prices are spread: a histogram on a log price axis
 * (prices run from cents to hundreds), with the median marked. Releases with no copy for sale are
 * left out and counted in the caption — a missing price is not a price of zero.
 */
export function priceDistribution(
  rows: readonly ScoreRow[],
  options: PriceDistributionOptions = {},
): Figure {
  const title = options.title ?? "What your records sell for";
  const priced = rows.filter((r) => (known(r.lowest_price) ?? 0) > 0);
  if (priced.length === 0) {
    return emptyChart(title, "No release has a copy for sale yet: nothing to plot.", options);
  }
  const { document, width } = frame(options);
  const currency = currencyOf(priced, options.currency);
  const prices = priced.map((r) => r.lowest_price as number);
  const maxPrice = Math.max(...prices);
  let [lo, hi] = logDomain(Math.min(...prices), maxPrice, { wholeDecades: true });
  // Bins hold [from, to): a price on the top decade itself (€100 in 1–100) needs a bin above it,
  // or binX drops it.
  if (hi <= maxPrice) hi *= 10;
  // Four bins per decade: fine enough to see shape, coarse enough that bars hold several records.
  const thresholds: number[] = [];
  for (let e = Math.log10(lo); e <= Math.log10(hi) + 1e-9; e += 0.25) {
    thresholds.push(Number((10 ** e).toPrecision(6)));
  }
  const perBin = new Map<number, number>();
  for (const p of prices) {
    const bin = thresholds.findLastIndex((t) => t <= p);
    perBin.set(bin, (perBin.get(bin) ?? 0) + 1);
  }
  const yMax = niceCeil(Math.max(...perBin.values()));
  const mid = median(prices);
  const missing = rows.length - priced.length;
  const notes = [
    missing > 0 ? `${plural(missing, "release")} with no copy for sale not shown.` : "",
    currency.mixed ? "Prices are in several currencies and compared as they are." : "",
  ].filter(Boolean);
  return Plot.plot({
    document,
    width,
    height: 340,
    marginTop: 30,
    marginLeft: 44,
    marginBottom: 40,
    title,
    subtitle: `Lowest Discogs marketplace price of ${plural(priced.length, "release")}; ` +
      `median ${formatMoney(mid, currency.code)}.`,
    caption: notes.length ? notes.join(" ") : undefined,
    x: { type: "log", domain: [lo, hi] },
    y: {
      label: "↑ Releases",
      grid: true,
      domain: [0, yMax],
      ticks: countTicks(yMax),
      tickFormat: "d",
    },
    marks: [
      ...logAxis(
        "x",
        [lo, hi],
        (v) => formatMoney(v, currency.code),
        `Lowest price (${currency.label}, log scale) →`,
      ),
      Plot.rectY(
        priced,
        Plot.binX<Plot.RectYOptions>({ y: "count" }, {
          x: "lowest_price",
          thresholds,
          fill: BAR_FILL,
          inset: 0.5,
        }),
      ),
      Plot.ruleY([0]),
      Plot.ruleX([mid], { stroke: "#d62728", strokeDasharray: "4,3" }),
      // Above the frame, so the note never sits on a bar.
      Plot.text([mid], {
        x: (d: number) => d,
        frameAnchor: "top",
        lineAnchor: "bottom",
        text: (d: number) => `median ${formatMoney(d, currency.code)}`,
        dy: -4,
        fill: "#d62728",
        fontSize: FONT_SIZE,
      }),
    ],
  });
}

/** Options for {@link topGenres} and {@link topStyles}. */
export interface TopTagsOptions extends ChartOptions {
  /** How many bars (default 12 genres, 15 styles). */
  top?: number;
}

/** Count releases per tag (a release counts once per distinct tag), most common first. */
export function countTags(
  rows: readonly ScoreRow[],
  pick: (row: ScoreRow) => readonly (string | null)[] | null | undefined,
): { name: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const row of rows) {
    for (const tag of new Set(pick(row) ?? [])) {
      if (tag) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    }
  }
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function topTags(
  rows: readonly ScoreRow[],
  kind: "genre" | "style",
  options: TopTagsOptions,
): Figure {
  const title = options.title ?? (kind === "genre" ? "Top genres" : "Top styles");
  const tagsOf = (r: ScoreRow) => (kind === "genre" ? r.genres : r.styles);
  const all = countTags(rows, tagsOf);
  if (all.length === 0) {
    return emptyChart(title, `No release has a ${kind} yet: run enrich to fetch them.`, options);
  }
  const { document, width } = frame(options);
  const top = all.slice(0, options.top ?? (kind === "genre" ? 12 : 15)).map((t) => ({
    ...t,
    name: shorten(t.name, 36),
    share: t.count / rows.length,
  }));
  const hidden = all.length - top.length;
  const untagged = rows.filter((r) => (tagsOf(r) ?? []).length === 0).length;
  const notes = [
    hidden > 0 ? `${plural(hidden, `more ${kind}`)} not shown.` : "",
    untagged > 0 ? `${plural(untagged, "release")} without a ${kind}.` : "",
  ].filter(Boolean);
  return Plot.plot({
    document,
    width,
    height: 26 * top.length + 60,
    marginLeft: marginFor(top.map((t) => t.name)),
    marginRight: 70,
    title,
    subtitle: `Releases tagged with each ${kind} on Discogs, out of ${
      plural(rows.length, "release")
    } (a release can carry several).`,
    caption: notes.length ? notes.join(" ") : undefined,
    x: {
      label: "Releases →",
      grid: true,
      tickFormat: "d",
      axis: "top",
      domain: [0, niceCeil(top[0].count)],
      ticks: countTicks(niceCeil(top[0].count)),
    },
    y: { label: null, domain: top.map((t) => t.name) },
    marks: [
      Plot.barX(top, { x: "count", y: "name", fill: BAR_FILL }),
      Plot.ruleX([0]),
      Plot.text(top, {
        x: "count",
        y: "name",
        text: (t: { count: number; share: number }) => `${t.count} (${percent(t.share)})`,
        textAnchor: "start",
        dx: 4,
        fill: "#333",
      }),
    ],
  });
}

/** The collection's most common genres, as sorted horizontal bars with counts and shares. */
export function topGenres(rows: readonly ScoreRow[], options: TopTagsOptions = {}): Figure {
  return topTags(rows, "genre", options);
}

/** The collection's most common styles, as sorted horizontal bars with counts and shares. */
export function topStyles(rows: readonly ScoreRow[], options: TopTagsOptions = {}): Figure {
  return topTags(rows, "style", options);
}

/**
 * Releases per year of release, one bar a year. Years Discogs does not know (null or 0 in the
 * export) are left out and counted in the caption.
 */
export function releasesByYear(rows: readonly ScoreRow[], options: ChartOptions = {}): Figure {
  const title = options.title ?? "Releases by year";
  const dated = rows.filter((r) => (known(r.year) ?? 0) > 0);
  if (dated.length === 0) {
    return emptyChart(title, "No release has a known year: nothing to plot.", options);
  }
  const { document, width } = frame(options);
  const years = dated.map((r) => r.year as number);
  const first = Math.min(...years);
  const last = Math.max(...years);
  const missing = rows.length - dated.length;
  // Decade ticks, or yearly/5-yearly ones for a narrow span, so labels never touch.
  const span = last - first;
  const step = span <= 12 ? 1 : span <= 30 ? 5 : span <= 80 ? 10 : 20;
  const ticks: number[] = [];
  for (let y = Math.ceil(first / step) * step; y <= last; y += step) ticks.push(y);
  const counts = new Map<number, number>();
  for (const y of years) counts.set(y, (counts.get(y) ?? 0) + 1);
  const perYear = [...counts].map(([year, count]) => ({ year, count }));
  return Plot.plot({
    document,
    width,
    height: 300,
    marginLeft: 44,
    marginBottom: 40,
    title,
    subtitle: `${plural(dated.length, "release")} from ${first} to ${last}.`,
    caption: missing > 0
      ? `${plural(missing, "release")} with no known year not shown.`
      : undefined,
    x: {
      label: "Year of release →",
      labelAnchor: "right",
      tickFormat: "d",
      ticks,
      domain: [first - 0.5, last + 0.5],
    },
    y: {
      label: "↑ Releases",
      grid: true,
      tickFormat: "d",
      domain: [0, niceCeil(Math.max(...counts.values()))],
      ticks: countTicks(niceCeil(Math.max(...counts.values()))),
    },
    marks: [
      Plot.rectY(perYear, {
        x1: (d: { year: number }) => d.year - 0.45,
        x2: (d: { year: number }) => d.year + 0.45,
        y: "count",
        fill: BAR_FILL,
      }),
      Plot.ruleY([0]),
    ],
  });
}
