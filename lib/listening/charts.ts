/**
 * Charts of what you play (for the listening notebook): plays per month by source, and the
 * most-played albums split by whether a pressing is on your shelves.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { type ChartOptions, FONT_SIZE, frame } from "../plots/common.ts";
import type { Figure } from "../plots/render.ts";

/** Plays in one month from one source. */
export interface MonthlyPlays {
  month: string;
  source: string;
  plays: number;
}

/** Plays per month, stacked by source. */
export function playsOverTime(rows: readonly MonthlyPlays[], options: ChartOptions = {}): Figure {
  const { document, width } = frame(options);
  return Plot.plot({
    document,
    width,
    title: options.title ?? "Plays per month",
    style: { fontSize: `${FONT_SIZE}px` },
    x: { label: "month", type: "band", tickRotate: -45 },
    y: { label: "plays", grid: true },
    color: { legend: true },
    marks: [
      Plot.barY(rows, { x: "month", y: "plays", fill: "source", tip: false }),
      Plot.ruleY([0]),
    ],
  });
}

/** One played album for {@link topAlbumsChart}. */
export interface AlbumPlays {
  album: string;
  weighted: number;
  shelf: string;
}

/** The most-played albums, horizontal bars coloured by owned / not owned / unmatched. */
export function topAlbumsChart(rows: readonly AlbumPlays[], options: ChartOptions = {}): Figure {
  const { document, width } = frame(options);
  return Plot.plot({
    document,
    width,
    marginLeft: 260,
    title: options.title ?? "Most-played albums, owned or not",
    style: { fontSize: `${FONT_SIZE}px` },
    x: { label: "weighted plays", grid: true },
    y: { label: null, domain: rows.map((r) => r.album) },
    color: { legend: true, domain: ["owned", "not owned", "not matched"] },
    marks: [Plot.barX(rows, { y: "album", x: "weighted", fill: "shelf" }), Plot.ruleX([0])],
  });
}
