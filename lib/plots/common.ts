/**
 * What the chart functions share: their options, the "no data" chart, record labels, currency
 * formatting, log-scale ticks that never crowd, and static label placement that keeps outlier
 * labels from overlapping each other.
 *
 * @example
 * ```ts
 * recordLabel({ artist_display: "Miles Davis", title: "Kind Of Blue" }); // "Miles Davis – Kind Of Blue"
 * logTicks(0.3, 80); // [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]
 * formatMoney(12.5, "EUR"); // "€12.50"
 * ```
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { defaultDocument, type Figure, type PlotDocument, textWidth } from "./render.ts";

/** Options every chart function accepts. */
export interface ChartOptions {
  /** Document to build the DOM with: the page's in a browser; headless (linkedom) otherwise. */
  document?: PlotDocument;
  /** Width in pixels (default 720). */
  width?: number;
  /** Override the title. */
  title?: string;
}

/** Default chart width: readable in a report column and in a notebook. */
const CHART_WIDTH = 720;

/**
 * Colours for categories (shelves, records): Plot's "observable10" followed by six more distinct
 * hues, so a dozen lines do not repeat a colour.
 */
export const CATEGORY_COLOURS = [
  "#4269d0",
  "#efb118",
  "#ff725c",
  "#6cc5b0",
  "#3ca951",
  "#ff8ab7",
  "#a463f2",
  "#97bbf5",
  "#9c6b4e",
  "#9498a0",
  "#17becf",
  "#bcbd22",
  "#1f3a93",
  "#b2182b",
  "#1b7837",
  "#e08214",
] as const;

/** Plot's default font size, used to size margins and label spacing. */
export const FONT_SIZE = 10;

/** The document and width a chart is built with. */
export function frame(options: ChartOptions): { document: PlotDocument; width: number } {
  return { document: options.document ?? defaultDocument(), width: options.width ?? CHART_WIDTH };
}

/** The note of every placeholder {@link emptyChart} drew, by figure (the DOM stays clean). */
const PLACEHOLDER_NOTES = new WeakMap<object, string>();

/**
 * Why `figure` is only a placeholder ({@link emptyChart}'s note), or null for a chart with data.
 * Writers use it to report the chart as skipped instead of "written".
 */
export function placeholderNote(figure: object): string | null {
  return PLACEHOLDER_NOTES.get(figure) ?? null;
}

/**
 * A chart with nothing to draw: the title, and a note saying why, in place of axes. Returned
 * instead of throwing so a report or a notebook still renders.
 */
export function emptyChart(
  title: string,
  note: string,
  options: ChartOptions = {},
): Figure {
  const { document, width } = frame(options);
  const figure = Plot.plot({
    document,
    width,
    height: 160,
    title: options.title ?? title,
    x: { axis: null },
    y: { axis: null },
    marks: [
      Plot.frame({ stroke: "#ccc", strokeDasharray: "4,3" }),
      Plot.text([note], {
        text: (d: string) => d,
        frameAnchor: "middle",
        fontSize: 13,
        fill: "#666",
      }),
    ],
  });
  PLACEHOLDER_NOTES.set(figure, note);
  return figure;
}

/** Shorten `text` to at most `max` characters, ending in an ellipsis when cut. */
export function shorten(text: string, max = 40): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join("").trimEnd() + "…";
}

/** "Artist – Title" for a release, shortened for a chart label. */
export function recordLabel(
  row: { artist_display?: string | null; artist?: string | null; title?: string | null },
  max = 40,
): string {
  const artist = row.artist_display || row.artist || "Unknown artist";
  return shorten(`${artist} – ${row.title || "Untitled"}`, max);
}

/** A finite number, or null (nulls, NaN and non-numbers are missing, never zero). */
export function known(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** The currencies prices are quoted in, and how to name them on an axis. */
export interface CurrencyInfo {
  /** The single currency, or undefined when there are none or several. */
  code?: string;
  /** For an axis label: "USD", or "USD/EUR (mixed)". */
  label: string;
  mixed: boolean;
}

/** Which currencies the priced rows use (an explicit `override` wins). */
export function currencyOf(
  rows: readonly { currency?: string | null }[],
  override?: string,
): CurrencyInfo {
  if (override) return { code: override, label: override, mixed: false };
  const codes = [...new Set(rows.map((r) => r.currency).filter((c): c is string => !!c))].sort();
  if (codes.length === 0) return { label: "price", mixed: false };
  if (codes.length === 1) return { code: codes[0], label: codes[0], mixed: false };
  return { label: `${codes.join("/")} (mixed)`, mixed: true };
}

/** Format a price for an axis tick or label: "$0.50", "$12", "€1,200". */
export function formatMoney(value: number, currency?: string): string {
  const digits = value > 0 && value < 10 && !Number.isInteger(value) ? 2 : 0;
  if (currency) {
    try {
      return new Intl.NumberFormat("en", {
        style: "currency",
        currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(value);
    } catch {
      // Not an ISO code: fall through to a plain number with the code after it.
    }
  }
  const number = new Intl.NumberFormat("en", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
  return currency ? `${number} ${currency}` : number;
}

/** Format a count for a log axis: 1, 10, 100, 1k, 10k. */
export function formatCount(value: number): string {
  return new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 }).format(
    value,
  );
}

/**
 * Tick values for a log axis over [min, max]: powers of ten, with 2 and 5 in between when the
 * range spans three decades or fewer (so labels never crowd).
 */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > 0)) return [];
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(max) - 1e-9));
  const steps = hi - lo <= 3 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) {
    for (const s of steps) {
      const v = Number((s * 10 ** e).toPrecision(12));
      if (v <= 10 ** hi) ticks.push(v);
    }
  }
  return ticks;
}

/**
 * The domain of a log axis around [min, max]: snapped outwards to the nearest {@link logTicks}
 * tick (so both ends are labelled), or to whole decades with `wholeDecades` (histogram bins).
 */
export function logDomain(
  min: number,
  max: number,
  options: { wholeDecades?: boolean } = {},
): [number, number] {
  const ticks = logTicks(min, max);
  if (options.wholeDecades || ticks.length === 0) return [ticks[0], ticks[ticks.length - 1]];
  const lo = [...ticks].reverse().find((t) => t <= min * (1 + 1e-9)) ?? ticks[0];
  const hi = ticks.find((t) => t >= max * (1 - 1e-9)) ?? ticks[ticks.length - 1];
  return lo < hi ? [lo, hi] : [ticks[0], ticks[ticks.length - 1]];
}

/**
 * A labelled log axis with grid lines at exactly `ticks` (within `domain`). Plot's own log axis
 * blanks some tick labels (d3 thins 3–9× labels when a decade is crowded); these marks label every
 * tick given, and {@link logTicks} never gives too many.
 */
export function logAxis(
  dim: "x" | "y",
  domain: readonly number[],
  format: (value: number) => string,
  label: string,
): Plot.Markish[] {
  const [a, b] = [Math.min(...domain), Math.max(...domain)];
  const ticks = logTicks(a, b).filter((t) => t >= a * (1 - 1e-9) && t <= b * (1 + 1e-9));
  const text = (v: number) => format(v);
  return dim === "x"
    ? [
      Plot.gridX(ticks),
      Plot.axisX(ticks, { text, label, labelAnchor: "right", labelArrow: "none" }),
    ]
    : [Plot.gridY(ticks), Plot.axisY(ticks, { text, label, labelArrow: "none" })];
}

/**
 * Round a count axis maximum up to the next half step of its decade (24 → 25, 84 → 85,
 * 244 → 250), so the tallest bar ends under a labelled grid line.
 */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(value)) / 2;
  return Math.max(1, Math.ceil(value / step - 1e-9) * step);
}

/**
 * Ticks for a count axis from 0 to `max`: whole numbers only, at a 1-2-5 step that gives at most
 * `count` intervals. A "d" tick format on Plot's default ticks labels 0, 0.2, 0.4… as "0 0 0 1 1";
 * counts are whole, so their ticks are too.
 */
export function countTicks(max: number, count = 8): number[] {
  if (!(max > 0)) return [0];
  let step = 1;
  for (let e = 0; max / step > count; e++) {
    step = [1, 2, 5].map((s) => s * 10 ** e).find((s) => max / s <= count) ?? 10 ** (e + 1);
  }
  const ticks: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) ticks.push(v);
  return ticks;
}

/** A share as a whole percentage, "<1%" for small non-zero shares. */
export function percent(share: number): string {
  return share > 0 && share < 0.005 ? "<1%" : `${Math.round(share * 100)}%`;
}

/** Left margin that fits the longest of `labels` at the default font size. */
export function marginFor(labels: readonly string[], min = 40, max = 280): number {
  const widest = Math.max(0, ...labels.map((l) => textWidth(l, FONT_SIZE)));
  return Math.round(Math.min(max, Math.max(min, widest + 14)));
}

/** A point to label, in pixels, with its text. */
export interface LabelRequest {
  px: number;
  py: number;
  text: string;
}

/** Where a label ended up: its anchor point, the text position and which side it reads from. */
export interface PlacedLabel extends LabelRequest {
  lx: number;
  ly: number;
  anchor: "start" | "end";
}

/** A point a label must not cover (a star, a marker), in pixels. */
export interface LabelObstacle {
  px: number;
  py: number;
}

/** Half the side of the box an obstacle keeps clear (a 5-px star, plus a pixel of air). */
const OBSTACLE_HALF = 7;

/**
 * Place static labels beside their points without overlapping each other: each label goes to
 * the side of its point with room for it, then slides vertically (down, or up if that runs out of
 * room) past labels it would collide with. `area` is the plot's pixel box. With `obstacles`
 * (points that must stay visible, such as every star of a map), a label also keeps clear of
 * each of them, and takes whichever side of its point needs the shorter slide.
 */
export function placeLabels(
  requests: readonly LabelRequest[],
  area: { left: number; right: number; top: number; bottom: number },
  fontSize = FONT_SIZE,
  obstacles: readonly LabelObstacle[] = [],
): PlacedLabel[] {
  const lineHeight = fontSize * 1.3;
  const gap = 9;
  const placed: (PlacedLabel & { x0: number; x1: number })[] = [];
  const order = [...requests.keys()].sort((a, b) => requests[a].py - requests[b].py);
  const out: PlacedLabel[] = new Array(requests.length);
  const points = requests.map((r) => ({ x0: r.px - 5, x1: r.px + 5, ly: r.py }));
  const top = area.top + fontSize / 2;
  const bottom = area.bottom - fontSize / 2;
  const fits = (ly: number) => ly >= top && ly <= bottom;
  for (const i of order) {
    const r = requests[i];
    const w = textWidth(r.text, fontSize);
    const roomRight = area.right - (r.px + gap);
    const roomLeft = r.px - gap - area.left;
    const preferred: "start" | "end" = roomRight >= w || roomRight >= roomLeft ? "start" : "end";
    // Where a label on `anchor`'s side ends up, sliding `direction` past whatever it covers.
    const trial = (anchor: "start" | "end") => {
      const lx = anchor === "start" ? r.px + gap : r.px - gap;
      const x0 = anchor === "start" ? lx : lx - w;
      const x1 = anchor === "start" ? lx + w : lx;
      // A label must not cover another label, nor another labelled point (a 10-px box), nor
      // an obstacle; each clash says where the label may go next in `direction`.
      const next = (ly: number, direction: 1 | -1): number | null => {
        const label = placed.find((p) =>
          p.x0 < x1 && x0 < p.x1 && Math.abs(p.ly - ly) < lineHeight
        );
        if (label) return label.ly + direction * lineHeight;
        const point = points.find((p, j) =>
          j !== i && p.x0 < x1 && x0 < p.x1 && Math.abs(p.ly - ly) < (lineHeight + 10) / 2
        );
        if (point) return point.ly + direction * lineHeight;
        const half = fontSize * 0.65 + OBSTACLE_HALF;
        const obstacle = obstacles.find((o) =>
          !(o.px === r.px && o.py === r.py) && o.px + OBSTACLE_HALF > x0 - 2 &&
          o.px - OBSTACLE_HALF < x1 + 2 && Math.abs(o.py - ly) < half
        );
        if (obstacle) return obstacle.py + direction * (half + 0.5);
        return null;
      };
      const slide = (direction: 1 | -1) => {
        let ly = r.py;
        for (let guard = 0; guard < requests.length + obstacles.length + 1; guard++) {
          const to = next(ly, direction);
          if (to === null) return ly;
          ly = to;
        }
        return ly;
      };
      const down = slide(1);
      const up = slide(-1);
      let ly = fits(down) && (!fits(up) || down - r.py <= r.py - up) ? down : fits(up) ? up : down;
      ly = Math.min(bottom, Math.max(top, ly));
      return { lx, ly, x0, x1, anchor };
    };
    let best = trial(preferred);
    const other = preferred === "start" ? "end" : "start";
    const otherRoom = other === "start" ? roomRight : roomLeft;
    if (obstacles.length > 0 && best.ly !== r.py && otherRoom >= w) {
      const alt = trial(other);
      if (Math.abs(alt.ly - r.py) < Math.abs(best.ly - r.py)) best = alt;
    }
    const label = { ...r, lx: best.lx, ly: best.ly, anchor: best.anchor };
    placed.push({ ...label, x0: best.x0, x1: best.x1 });
    out[i] = label;
  }
  return out;
}

/** A scale's pixel mapping, as `figure.scale(name)` returns it. */
export interface PixelScale {
  apply(value: unknown): number;
  invert?(pixel: number): unknown;
  range?: readonly number[];
  domain?: readonly unknown[];
}

/**
 * Marks drawing `labels` (placed in pixels) back in data space: a ring around each labelled
 * point, a thin leader line when its label had to move, and the text on a translucent white box
 * so it stays legible over dense dots.
 */
function labelMarks(
  labels: readonly PlacedLabel[],
  x: PixelScale,
  y: PixelScale,
  options: { ring?: boolean } = {},
) {
  const data = labels.map((l) => {
    const w = textWidth(l.text, FONT_SIZE);
    const left = l.anchor === "start" ? l.lx - 2 : l.lx - w - 2;
    return {
      ...l,
      x1: x.invert!(l.px),
      y1: y.invert!(l.py),
      x2: x.invert!(l.anchor === "start" ? l.lx - 2 : l.lx + 2),
      y2: y.invert!(l.ly),
      bx1: x.invert!(left),
      bx2: x.invert!(left + w + 4),
      by1: y.invert!(l.ly - FONT_SIZE * 0.65),
      by2: y.invert!(l.ly + FONT_SIZE * 0.65),
    };
  });
  const moved = data.filter((d) => Math.abs(d.ly - d.py) > 3);
  const text = (anchor: "start" | "end") =>
    Plot.text(data.filter((d) => d.anchor === anchor), {
      x: "x2",
      y: "y2",
      text: "text",
      textAnchor: anchor,
      fontSize: FONT_SIZE,
      fill: "#111",
    });
  return [
    Plot.dot(options.ring === false ? [] : data, {
      x: "x1",
      y: "y1",
      r: 6,
      stroke: "#111",
      strokeWidth: 1.2,
      fill: "none",
    }),
    Plot.link(moved, { x1: "x1", y1: "y1", x2: "x2", y2: "y2", stroke: "#555", strokeWidth: 0.8 }),
    Plot.rect(data, {
      x1: "bx1",
      x2: "bx2",
      y1: "by1",
      y2: "by2",
      fill: "white",
      fillOpacity: 0.82,
      rx: 2,
    }),
    text("start"),
    text("end"),
  ];
}

/** The plot area of a figure in pixels, from its x and y scales' ranges. */
function plotArea(x: PixelScale, y: PixelScale) {
  const [x0, x1] = x.range as [number, number];
  const [y0, y1] = y.range as [number, number];
  return {
    left: Math.min(x0, x1),
    right: Math.max(x0, x1),
    top: Math.min(y0, y1),
    bottom: Math.max(y0, y1),
  };
}

/** "1 release", "3 releases". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

/** Scale domains pinned from a first rendering, so adding labels cannot rescale the chart. */
export interface PinnedDomains {
  x?: readonly unknown[];
  y?: readonly unknown[];
}

/**
 * Draw a chart with static, non-overlapping labels in two passes: build it once to learn where
 * its scales put things, place the labels in pixels ({@link placeLabels}), then build it again
 * with the label marks and the first pass's domains pinned. `build` receives the extra marks and
 * the domains to pin; `requests` says which points to label, in pixels.
 */
export function withLabels(
  build: (extra: Plot.Markish[], pinned: PinnedDomains) => Figure,
  requests: (x: PixelScale, y: PixelScale) => LabelRequest[],
  options: {
    /** The box labels may use, in pixels (default: the plot area). */
    area?: (x: PixelScale, y: PixelScale) => {
      left: number;
      right: number;
      top: number;
      bottom: number;
    };
    /** Ring the labelled points (default true; lines' end labels need none). */
    ring?: boolean;
    /** Points no label may cover, in pixels (see {@link placeLabels}). */
    obstacles?: (x: PixelScale, y: PixelScale) => LabelObstacle[];
  } = {},
): Figure {
  const first = build([], {});
  const x = first.scale("x") as unknown as PixelScale | undefined;
  const y = first.scale("y") as unknown as PixelScale | undefined;
  if (!x?.invert || !y?.invert) return first;
  const wanted = requests(x, y);
  if (wanted.length === 0) return first;
  const placed = placeLabels(
    wanted,
    (options.area ?? plotArea)(x, y),
    FONT_SIZE,
    options.obstacles?.(x, y) ?? [],
  );
  return build(labelMarks(placed, x, y, { ring: options.ring }), { x: x.domain, y: y.domain });
}
