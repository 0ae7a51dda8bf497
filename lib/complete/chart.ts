/**
 * The chart of Complete the Set: owned vs missing per set, nearest to complete first, as
 * horizontal stacked bars (owned in blue, missing in orange) with the % complete at the end of
 * each bar. Takes `set_completion` rows; returns a Plot figure (lib/plots/render.ts renders it
 * for files and notebooks).
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import {
  type ChartOptions,
  countTicks,
  emptyChart,
  frame,
  marginFor,
  niceCeil,
  plural,
  shorten,
} from "../plots/common.ts";
import type { Figure } from "../plots/render.ts";

/** What the chart needs of a `set_completion` row. */
export interface SetBar {
  set_name: string;
  set_kind: string;
  owned: number;
  missing: number;
  pct: number;
}

/** Options for {@link setCompletionChart}. */
export interface SetChartOptions extends ChartOptions {
  /** Sets shown at most (default 20), in the order given. */
  top?: number;
}

/** Owned vs missing entries per set, in the rows' order (nearest to complete first). */
export function setCompletionChart(
  rows: readonly SetBar[],
  options: SetChartOptions = {},
): Figure {
  const title = options.title ?? "How complete your sets are";
  const shown = rows.slice(0, options.top ?? 20);
  if (shown.length === 0) {
    return emptyChart(title, "No set worked out yet: run deno task complete.", options);
  }
  const { document, width } = frame(options);
  const label = (r: SetBar) =>
    `${shorten(r.set_name, 36)} (${r.set_kind === "master" ? "album" : r.set_kind})`;
  const labels = shown.map(label);
  const parts = shown.flatMap((r, i) => [
    { set: labels[i], part: "owned", n: r.owned, from: 0, to: r.owned },
    { set: labels[i], part: "missing", n: r.missing, from: r.owned, to: r.owned + r.missing },
  ]);
  const max = niceCeil(Math.max(...shown.map((r) => r.owned + r.missing)));
  return Plot.plot({
    document,
    width,
    height: 40 + 22 * shown.length,
    marginLeft: marginFor(labels),
    marginRight: 48,
    title,
    subtitle: `Owned and missing entries of ${plural(shown.length, "set")}, nearest to ` +
      `complete first${rows.length > shown.length ? ` (of ${rows.length})` : ""}.`,
    x: { label: "Entries →", grid: true, domain: [0, max], ticks: countTicks(max) },
    y: { label: null, domain: labels },
    color: { domain: ["owned", "missing"], range: ["#4269d0", "#efb118"], legend: true },
    marks: [
      Plot.barX(parts, { y: "set", x1: "from", x2: "to", fill: "part", inset: 0.5 }),
      Plot.text(shown, {
        y: (_r: SetBar, i: number) => labels[i],
        x: (r: SetBar) => r.owned + r.missing,
        text: (r: SetBar) => `${Math.round(r.pct)}%`,
        dx: 4,
        textAnchor: "start",
      }),
    ],
  });
}
