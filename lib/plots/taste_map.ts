/**
 * The taste map: every record in the collection as a dot on a 2-D projection of its taste
 * embedding, coloured by the shelf (cluster) it belongs to, with the pool's recommendations
 * overlaid as stars and the first few labelled. Near means similar styles, labels and artists;
 * the axes themselves carry no units, so none are drawn.
 *
 * @example
 * ```ts
 * const points = await loadTasteMapPoints(db); // see taste_points.ts
 * if (points) await writeChart(tasteMap(points), "data/out/charts", "taste_map");
 * ```
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import {
  CATEGORY_COLOURS,
  type ChartOptions,
  emptyChart,
  frame,
  plural,
  shorten,
  withLabels,
} from "./common.ts";
import type { Figure } from "./render.ts";
import type { TasteMapPoint } from "./rows.ts";

/** Options for {@link tasteMap}. */
export interface TasteMapOptions extends ChartOptions {
  /** How many recommendations to label, in input order (default 6). */
  labelRecommendations?: number;
  /** How the points were projected, for the caption. */
  projection?: string;
}

/**
 * Draw the taste map. Points with a non-finite coordinate are dropped (and counted in the
 * caption); clusters are listed in the legend with their sizes, largest first.
 */
export function tasteMap(points: readonly TasteMapPoint[], options: TasteMapOptions = {}): Figure {
  const title = options.title ?? "Your taste map";
  const drawn = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const collection = drawn.filter((p) => p.kind === "collection");
  const picks = drawn.filter((p) => p.kind === "recommendation");
  if (collection.length === 0 && picks.length === 0) {
    return emptyChart(title, "No embedded records yet: run `deno task embed`.", options);
  }
  const { document, width } = frame(options);
  const sizes = new Map<string, number>();
  for (const p of collection) sizes.set(String(p.cluster), (sizes.get(String(p.cluster)) ?? 0) + 1);
  for (const p of picks) if (!sizes.has(String(p.cluster))) sizes.set(String(p.cluster), 0);
  const clusters = [...sizes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  // The legend names each shelf with its size; the colour channel uses the same names.
  const legendName = new Map(
    clusters.map(([c, n]) => [c, shorten(`${c} (${n})`, 40)]),
  );
  const colourOf = (p: TasteMapPoint) => legendName.get(String(p.cluster))!;
  const labelled = picks.slice(0, options.labelRecommendations ?? 6);
  const dropped = points.length - drawn.length;
  const notes = [
    options.projection ??
      "Near means similar styles, labels and artists; the axes themselves carry no units.",
    dropped > 0 ? `${plural(dropped, "point")} without coordinates not shown.` : "",
  ].filter(Boolean);
  return withLabels(
    (extra, pinned) =>
      Plot.plot({
        document,
        width,
        height: Math.round(width * 0.72),
        margin: 16,
        title,
        subtitle: `${plural(collection.length, "record")} on ${
          plural(clusters.filter(([, n]) => n > 0).length, "shelf", "shelves")
        } (dots)` +
          (picks.length
            ? `, ${plural(picks.length, "recommendation")} (★, first ${labelled.length} labelled).`
            : "."),
        caption: notes.join(" "),
        x: { axis: null, domain: pinned.x, inset: 10 },
        y: { axis: null, domain: pinned.y, inset: 10 },
        color: {
          domain: clusters.map(([c]) =>
            legendName.get(c)!
          ),
          range: [...CATEGORY_COLOURS],
          legend: true,
        },
        marks: [
          Plot.frame({ stroke: "#ddd" }),
          Plot.dot(collection, { x: "x", y: "y", fill: colourOf, r: 3, fillOpacity: 0.7 }),
          ...extra,
          // Stars last, over the labels' white boxes, and outlined dark: every recommendation
          // stays visible, whatever its shelf's colour (placement keeps labels off them too).
          Plot.dot(picks, {
            x: "x",
            y: "y",
            fill: colourOf,
            symbol: "star",
            r: 5,
            stroke: "#111",
            strokeWidth: 0.9,
          }),
        ],
      }),
    (x, y) =>
      labelled.map((p) => ({ px: x.apply(p.x), py: y.apply(p.y), text: shorten(p.label, 36) })),
    { obstacles: (x, y) => picks.map((p) => ({ px: x.apply(p.x), py: y.apply(p.y) })) },
  );
}
