/**
 * Charts of money over time: the collection's value after each enrichment pass (with the
 * forecast and its interval when one is shown), and the movers between two passes.
 *
 * @example
 * ```ts
 * const history = await db.all<ValueHistoryChartRow>("SELECT * FROM value_history");
 * await writeChart(valueOverTime(history), "data/out/charts", "value_over_time");
 * await writeChart(movers(await db.all("SELECT * FROM price_moves")), "data/out/charts", "movers");
 * ```
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { type ChartOptions, emptyChart, formatMoney, frame, plural, shorten } from "./common.ts";
import type { Figure } from "./render.ts";

/** One row of `value_history`. */
export interface ValueHistoryChartRow {
  currency: string;
  as_of: Date | string;
  total_value: number;
  median_price?: number | null;
  releases_priced?: number | null;
}

/** The collection forecast to draw after the last point (a `forecasts` row, scope collection). */
export interface ValueForecastMark {
  currency: string;
  horizon_days: number;
  forecast: number | null;
  lower: number | null;
  upper: number | null;
  shown: boolean;
  message?: string | null;
}

/** One row of `price_moves`. */
export interface MoveChartRow {
  release_id: number;
  artist?: string | null;
  title?: string | null;
  kind: string;
  currency: string;
  change_pct: number | null;
  price_then: number | null;
  price_now: number | null;
}

/** Options for {@link valueOverTime}. */
export interface ValueOverTimeOptions extends ChartOptions {
  /** Which currency to draw (default: the one with most passes). */
  currency?: string;
  forecast?: ValueForecastMark;
}

/**
 * The collection's value (sum of lowest prices, copies counted) after each enrichment pass, one
 * currency; with a shown forecast, a dashed segment to it and its interval as a band.
 */
export function valueOverTime(
  rows: readonly ValueHistoryChartRow[],
  options: ValueOverTimeOptions = {},
): Figure {
  const title = options.title ?? "Collection value over time";
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.currency, (counts.get(r.currency) ?? 0) + 1);
  const currency = options.currency ??
    [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  const points = rows.filter((r) => r.currency === currency)
    .map((r) => ({
      at: new Date(r.as_of),
      value: r.total_value,
      priced: r.releases_priced ?? null,
    }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  if (points.length < 2) {
    return emptyChart(
      title,
      points.length === 0
        ? "No value history yet: run deno task enrich, then deno task trends."
        : "One enrichment pass so far: enrich again later (e.g. weekly) to see the value move.",
      options,
    );
  }
  const { document, width } = frame(options);
  const f = options.forecast;
  const last = points[points.length - 1];
  const future = f && f.shown && f.forecast !== null && f.currency === currency
    ? {
      at: new Date(last.at.getTime() + f.horizon_days * 86_400_000),
      value: f.forecast,
      lower: f.lower ?? f.forecast,
      upper: f.upper ?? f.forecast,
    }
    : null;
  const money = (v: number) => formatMoney(v, currency);
  return Plot.plot({
    document,
    width,
    height: 320,
    marginLeft: 70,
    title,
    subtitle: `Sum of lowest prices in ${currency}, copies counted, after each of ` +
      `${plural(points.length, "enrichment pass", "enrichment passes")}` +
      (future ? `; dashed: the ${f!.horizon_days}-day forecast and its 90% interval.` : "."),
    caption: f && !f.shown && f.message ? `No forecast: ${f.message}.` : undefined,
    x: { type: "utc", label: null },
    y: { label: `↑ Value (${currency})`, tickFormat: money, grid: true, zero: false },
    marks: [
      future
        ? Plot.areaY([
          { at: last.at, lower: last.value, upper: last.value },
          { at: future.at, lower: future.lower, upper: future.upper },
        ], { x: "at", y1: "lower", y2: "upper", fill: "#4269d0", fillOpacity: 0.15 })
        : null,
      future
        ? Plot.line([last, future], {
          x: "at",
          y: "value",
          stroke: "#4269d0",
          strokeDasharray: "5,4",
        })
        : null,
      Plot.line(points, {
        x: "at",
        y: "value",
        stroke: "#4269d0",
        strokeWidth: 2,
        marker: "circle",
      }),
      Plot.text([last], {
        x: "at",
        y: "value",
        text: (d: { value: number }) => money(d.value),
        dy: -10,
        fontSize: 11,
      }),
    ],
  });
}

/** Options for {@link movers}. */
export interface MoversOptions extends ChartOptions {
  /** How many movers to show, the largest |change| first (default 15). */
  top?: number;
}

/** The releases whose lowest price moved most between two passes, as diverging bars (%). */
export function movers(rows: readonly MoveChartRow[], options: MoversOptions = {}): Figure {
  const title = options.title ?? "Biggest price moves";
  const moved = rows.filter((r) => r.change_pct !== null && Number.isFinite(r.change_pct))
    .sort((a, b) =>
      Math.abs(b.change_pct!) - Math.abs(a.change_pct!) || a.release_id - b.release_id
    )
    .slice(0, options.top ?? 15);
  if (moved.length === 0) {
    return emptyChart(
      title,
      rows.length === 0
        ? "No price moved above the threshold between the last two passes."
        : "Only listings that came or went: no price to compare.",
      options,
    );
  }
  const { document, width } = frame(options);
  const data = moved.map((r) => ({
    label: shorten(`${r.artist || "Unknown artist"} – ${r.title || "Untitled"}`, 38) +
      ` (${formatMoney(r.price_then!, r.currency)} → ${formatMoney(r.price_now!, r.currency)})`,
    pct: r.change_pct! * 100,
  }));
  const gone = rows.filter((r) => r.kind === "gone").length;
  const back = rows.filter((r) => r.kind === "back").length;
  return Plot.plot({
    document,
    width,
    height: 40 + data.length * 22,
    marginLeft: Math.min(360, 20 + Math.max(...data.map((d) => d.label.length)) * 6),
    title,
    subtitle: `Change of the lowest price between the last two enrichment passes; the ` +
      `${data.length} largest of ${plural(rows.length, "move")}.`,
    caption: gone || back
      ? `Also ${plural(gone, "release")} with no copy for sale any more and ${
        plural(back, "release")
      } for sale again.`
      : undefined,
    x: { label: "Change of lowest price (%) →", grid: true },
    y: { label: null, domain: data.map((d) => d.label) },
    color: { type: "ordinal", domain: [false, true], range: ["#d62728", "#3ca951"] },
    marks: [
      Plot.barX(data, { x: "pct", y: "label", fill: (d: { pct: number }) => d.pct > 0 }),
      Plot.ruleX([0]),
    ],
  });
}
