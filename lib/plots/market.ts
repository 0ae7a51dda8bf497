/**
 * Charts of the market around the collection: value score against price (the Crate Picks stand
 * out top left), the want/have map (what the crowd wants more than it owns), and price history
 * per release once enrich has taken more than one snapshot.
 *
 * @example
 * ```ts
 * const scores = await db.all<ScoreRow>("SELECT * FROM scores");
 * inline(valueVsPrice(scores)); // in a notebook cell
 * const history = await db.all<PriceHistoryRow>("SELECT * FROM price_history");
 * await writeChart(priceHistory(history, { names }), "data/out/charts", "price_history");
 * ```
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import {
  CATEGORY_COLOURS,
  type ChartOptions,
  currencyOf,
  emptyChart,
  formatCount,
  formatMoney,
  frame,
  known,
  logAxis,
  logDomain,
  marginFor,
  plural,
  recordLabel,
  shorten,
  withLabels,
} from "./common.ts";
import type { Figure } from "./render.ts";
import type { PriceHistoryRow, ScoreRow } from "./rows.ts";

/** Options for {@link valueVsPrice}. */
export interface ValueVsPriceOptions extends ChartOptions {
  currency?: string;
  /** How many of the best-value records to label (default 5). */
  labelTop?: number;
}

const POINT = "#4269d0";
const HIGHLIGHT = "#d62728";

/** Order by a rank when there is one, else by a score descending; release id breaks ties. */
function best<T extends ScoreRow>(
  rows: readonly T[],
  rank: (r: T) => number | null | undefined,
  score: (r: T) => number,
): T[] {
  return [...rows].sort((a, b) =>
    (known(rank(a)) ?? Infinity) - (known(rank(b)) ?? Infinity) ||
    score(b) - score(a) ||
    a.release_id - b.release_id
  );
}

/**
 * Every priced record's value score (Crate Picks) against its lowest price, both on log axes,
 * with the top records by value labelled. Records with no copy for sale are left out rather
 * than drawn at a price of zero.
 */
export function valueVsPrice(
  rows: readonly ScoreRow[],
  options: ValueVsPriceOptions = {},
): Figure {
  const title = options.title ?? "Value score vs lowest price";
  const points = rows.filter((r) =>
    (known(r.lowest_price) ?? 0) > 0 && (known(r.value_score) ?? 0) > 0
  );
  if (points.length === 0) {
    return emptyChart(title, "No release has both a price and a value score yet.", options);
  }
  const { document, width } = frame(options);
  const currency = currencyOf(points, options.currency);
  const top = best(points, (r) => r.value_rank, (r) => r.value_score as number)
    .slice(0, options.labelTop ?? 5);
  const topIds = new Set(top.map((r) => r.release_id));
  const prices = points.map((r) => r.lowest_price as number);
  const values = points.map((r) => r.value_score as number);
  const [x0, x1] = logDomain(Math.min(...prices), Math.max(...prices));
  const [y0, y1] = logDomain(Math.min(...values), Math.max(...values));
  const weight = rows.map((r) => known(r.price_weight)).find((w) => w !== null);
  const unpriced = rows.filter((r) => !((known(r.lowest_price) ?? 0) > 0)).length;
  // Priced but not scored (e.g. rows filtered before scoring): not "no copy for sale".
  const unscored = rows.length - points.length - unpriced;
  const label = (r: ScoreRow) =>
    `${known(r.value_rank) ? `#${r.value_rank} ` : ""}${recordLabel(r, 34)}`;
  return withLabels(
    (extra, pinned) =>
      Plot.plot({
        document,
        width,
        height: 440,
        marginLeft: 56,
        marginBottom: 40,
        title,
        subtitle: `Crate Picks value — want ÷ (have + 1), discounted by price` +
          `${weight !== null && weight !== undefined ? ` at price weight ${weight}` : ""}` +
          ` — for ${plural(points.length, "priced release")}; the top ${top.length} labelled.`,
        caption: [
          unpriced > 0 ? `${plural(unpriced, "release")} with no copy for sale not shown.` : "",
          unscored > 0
            ? `${plural(unscored, "priced release")} with no value score not shown.`
            : "",
          currency.mixed ? "Prices are in several currencies and compared as they are." : "",
        ].filter(Boolean).join(" ") || undefined,
        x: { type: "log", domain: pinned.x ?? [x0, x1], inset: 8 },
        y: { type: "log", domain: pinned.y ?? [y0, y1], inset: 8 },
        marks: [
          ...logAxis(
            "x",
            [x0, x1],
            (v) => formatMoney(v, currency.code),
            `Lowest price (${currency.label}, log scale) →`,
          ),
          ...logAxis("y", [y0, y1], (v) => String(v), "↑ Value score (log scale)"),
          Plot.dot(points.filter((r) => !topIds.has(r.release_id)), {
            x: "lowest_price",
            y: "value_score",
            r: 3,
            fill: POINT,
            fillOpacity: 0.55,
          }),
          Plot.dot(top, {
            x: "lowest_price",
            y: "value_score",
            r: 4.5,
            fill: HIGHLIGHT,
            stroke: "white",
          }),
          ...extra,
        ],
      }),
    (x, y) =>
      top.map((r) => ({ px: x.apply(r.lowest_price), py: y.apply(r.value_score), text: label(r) })),
  );
}

/** Options for {@link wantHaveMap}. */
export interface WantHaveOptions extends ChartOptions {
  /** How many of the most wanted-per-owner records to label (default 5). */
  labelTop?: number;
}

const MORE_WANT = "more wanted than owned";
const MORE_HAVE = "owned more than wanted";

/**
 * Have (owners) against want (wantlists) on log axes, one dot per release, with the line where
 * they are equal: above it the crowd wants a record more than it owns it. The top records by
 * want per have (Collector's Essentials) are labelled. Releases with a missing or zero count
 * cannot sit on a log axis and are counted in the caption instead.
 */
export function wantHaveMap(rows: readonly ScoreRow[], options: WantHaveOptions = {}): Figure {
  const title = options.title ?? "Want vs have";
  const points = rows.filter((r) => (known(r.want) ?? 0) > 0 && (known(r.have) ?? 0) > 0);
  if (points.length === 0) {
    return emptyChart(title, "No release has both want and have counts yet.", options);
  }
  const { document, width } = frame(options);
  const ratio = (r: ScoreRow) => (r.want as number) / (r.have as number);
  const top = best(points, (r) => r.essential_rank, ratio).slice(0, options.labelTop ?? 5);
  const counts = points.flatMap((r) => [r.want as number, r.have as number]);
  // One domain for both axes, so the diagonal is the 45° want = have line.
  const [lo, hi] = logDomain(Math.min(...counts), Math.max(...counts));
  const missing = rows.length - points.length;
  const above = points.filter((r) => ratio(r) > 1).length;
  const label = (r: ScoreRow) => `${recordLabel(r, 32)} (${ratio(r).toFixed(1)}×)`;
  return withLabels(
    (extra, pinned) =>
      Plot.plot({
        document,
        width,
        height: 520,
        marginLeft: 50,
        marginBottom: 40,
        title,
        subtitle: `Discogs owners (have) and wantlists (want) of ${
          plural(points.length, "release")
        }: ${above} wanted more than owned. Most wanted per owner labelled.`,
        caption: missing > 0
          ? `${plural(missing, "release")} with a missing or zero want or have not shown.`
          : undefined,
        x: { type: "log", domain: pinned.x ?? [lo, hi], inset: 8 },
        y: { type: "log", domain: pinned.y ?? [lo, hi], inset: 8 },
        color: {
          domain: [MORE_WANT, MORE_HAVE],
          range: [HIGHLIGHT, POINT],
          legend: true,
        },
        marks: [
          ...logAxis("x", [lo, hi], formatCount, "Have: users who own it (log scale) →"),
          ...logAxis("y", [lo, hi], formatCount, "↑ Want: users who want it (log scale)"),
          Plot.line([[lo, lo], [hi, hi]], { stroke: "#888", strokeDasharray: "5,4" }),
          Plot.text([[hi, hi]], {
            text: () => "want = have",
            textAnchor: "end",
            dx: -6,
            dy: 12,
            fill: "#666",
            // The diagonal's on-screen angle: plot-area height over width (margins as set above).
            rotate: -Math.atan2(520 - 20 - 40, width - 50 - 20) * 180 / Math.PI,
          }),
          Plot.dot(points, {
            x: "have",
            y: "want",
            r: 3,
            fill: (r: ScoreRow) => (ratio(r) > 1 ? MORE_WANT : MORE_HAVE),
            fillOpacity: 0.6,
          }),
          ...extra,
        ],
      }),
    (x, y) => top.map((r) => ({ px: x.apply(r.have), py: y.apply(r.want), text: label(r) })),
  );
}

/** Options for {@link priceHistory}. */
export interface PriceHistoryOptions extends ChartOptions {
  currency?: string;
  /** Names to show per release id ("Artist – Title"); the id is shown otherwise. */
  names?: ReadonlyMap<number, string> | Readonly<Record<number, string>>;
  /** How many releases to draw, the biggest movers first (default 8). */
  top?: number;
  /** Draw exactly these releases instead of the biggest movers. */
  releaseIds?: readonly number[];
}

function nameOf(options: PriceHistoryOptions, id: number): string {
  const names = options.names;
  const name = names instanceof Map
    ? names.get(id)
    : (names as Record<number, string> | undefined)?.[id];
  return shorten(name ?? `release ${id}`, 34);
}

/** How one release's lowest price moved over its snapshots (in time order). */
export interface PriceMove {
  /** Snapshots with a price (a copy for sale). */
  priced: number;
  /** |log(last / first)| of the priced snapshots, -1 with fewer than two. */
  change: number;
  /** log(max / min) of the priced snapshots: 0 when the price never moved. */
  range: number;
}

/** {@link PriceMove} of a release's snapshot prices (null or ≤ 0: nothing for sale). */
export function priceMove(prices: readonly (number | null)[]): PriceMove {
  const priced = prices.filter((p): p is number => p !== null && p > 0);
  if (priced.length < 2) return { priced: priced.length, change: -1, range: 0 };
  return {
    priced: priced.length,
    change: Math.abs(Math.log(priced[priced.length - 1] / priced[0])),
    range: Math.log(Math.max(...priced) / Math.min(...priced)),
  };
}

/**
 * Lowest price over time, one line per release, for the releases whose price moved most
 * between their first and last snapshot (or the `releaseIds` asked for). A release whose price
 * never changed is left out: its flat line says nothing. A snapshot with no
 * copy for sale is a gap in the line, not a drop to zero.
 */
export function priceHistory(
  rows: readonly PriceHistoryRow[],
  options: PriceHistoryOptions = {},
): Figure {
  const title = options.title ?? "Price history";
  const byRelease = new Map<number, { at: Date; price: number | null }[]>();
  for (const r of rows) {
    const at = r.fetched_at instanceof Date ? r.fetched_at : new Date(r.fetched_at);
    if (Number.isNaN(at.getTime())) continue;
    const price = known(r.lowest_price);
    const list = byRelease.get(r.release_id) ?? [];
    list.push({ at, price: price !== null && price > 0 ? price : null });
    byRelease.set(r.release_id, list);
  }
  const moves = [...byRelease].map(([id, snaps]) => {
    snaps.sort((a, b) => a.at.getTime() - b.at.getTime());
    return { id, snaps, ...priceMove(snaps.map((s) => s.price)) };
  });
  const wanted = options.releaseIds ? new Set(options.releaseIds) : undefined;
  // An asked-for release with no priced snapshot has nothing to draw (and no end to label);
  // otherwise only a price that really moved is a line worth drawing: a flat line is no news.
  const chosen = moves
    .filter((m) => (wanted ? wanted.has(m.id) && m.priced >= 1 : m.range > 0))
    .sort((a, b) => b.change - a.change || b.range - a.range || a.id - b.id)
    .slice(0, wanted ? undefined : options.top ?? 8);
  if (chosen.length === 0) {
    const note = rows.length === 0
      ? "No price snapshots yet: run enrich to record them."
      : wanted
      ? "None of the releases asked for has a priced snapshot yet."
      : moves.some((m) => m.priced >= 2)
      ? "No lowest price has moved between snapshots yet: enrich again later to see prices move."
      : "Only one priced snapshot per release so far: enrich again later to see prices move.";
    return emptyChart(title, note, options);
  }
  const { document, width } = frame(options);
  const names = chosen.map((m) => nameOf(options, m.id));
  const data = chosen.flatMap((m, i) =>
    m.snaps.map((s) => ({ id: m.id, name: names[i], at: s.at, price: s.price }))
  );
  const priced = data.filter((d) => d.price !== null);
  const chosenIds = new Set(chosen.map((m) => m.id));
  const currency = currencyOf(
    rows.filter((r) => chosenIds.has(r.release_id)),
    options.currency,
  );
  const prices = priced.map((d) => d.price as number);
  const min = Math.min(...prices);
  const max = Math.max(...prices);
  // A log axis only pays off when prices span more than a decade.
  const logScale = max / min > 10;
  const last = chosen.map((m, i) => {
    const s = m.snaps.findLast((s) => s.price !== null)!;
    return { name: names[i], at: s.at, price: s.price as number };
  });
  return withLabels(
    (extra, pinned) =>
      Plot.plot({
        document,
        width,
        height: 380,
        marginLeft: 56,
        marginRight: Math.min(260, marginFor(names) + 10),
        title,
        subtitle: wanted
          ? `Lowest marketplace price per snapshot of ${plural(chosen.length, "release")}.`
          : `Lowest marketplace price per snapshot: the ${
            plural(chosen.length, "release")
          } whose price moved most.`,
        caption: currency.mixed
          ? "Prices are in several currencies and compared as they are."
          : undefined,
        x: { type: "utc", domain: pinned.x, label: "Snapshot →", labelAnchor: "right" },
        y: logScale ? { type: "log", domain: pinned.y ?? logDomain(min, max) } : {
          domain: pinned.y,
          nice: true,
          zero: false,
          tickFormat: (v: number) => formatMoney(v, currency.code),
          label: `↑ Lowest price (${currency.label})`,
          grid: true,
        },
        color: { domain: names, range: [...CATEGORY_COLOURS] },
        marks: [
          ...(logScale
            ? logAxis(
              "y",
              logDomain(min, max),
              (v) => formatMoney(v, currency.code),
              `↑ Lowest price (${currency.label}, log scale)`,
            )
            : []),
          // A null price breaks the line: no copy for sale is a gap, not a drop to zero.
          Plot.line(data, { x: "at", y: "price", z: "name", stroke: "name", strokeWidth: 1.8 }),
          Plot.dot(priced, { x: "at", y: "price", fill: "name", r: 2.5 }),
          ...extra,
        ],
      }),
    (x, y) => last.map((l) => ({ px: x.apply(l.at), py: y.apply(l.price), text: l.name })),
    {
      area: (x, y) => ({
        left: Math.min(...x.range!),
        right: width - 4,
        top: Math.min(...y.range!),
        bottom: Math.max(...y.range!),
      }),
      ring: false,
    },
  );
}
