/**
 * Turning a chart into something to look at, in three places: a notebook cell, an SVG file and a
 * PNG file. Chart functions return Plot's figure (an `<svg>`, or a `<figure>` when it carries a
 * title, subtitle, legend or caption). In a browser that element goes straight into the page; here,
 * headless, it is built on a linkedom document and flattened into one standalone SVG — headings,
 * legend swatches and caption become SVG text, so resvg (which knows nothing of HTML) and image
 * viewers draw the whole chart. Every string from the data reaches the SVG through DOM text nodes,
 * so the serializer escapes it.
 *
 * @example
 * ```ts
 * import { priceDistribution } from "./collection.ts";
 * const figure = priceDistribution(rows); // headless document unless a real one exists
 * await writeChart(figure, "data/out/charts", "price_distribution"); // .svg + .png
 * // In a Deno Jupyter notebook, the last expression of a cell:
 * inline(figure);
 * ```
 *
 * @module
 */

import type * as Plot from "@observablehq/plot";
import { Resvg } from "@resvg/resvg-js";
import { parseHTML } from "linkedom";
import { join } from "node:path";
import { writeAtomically, writeTextAtomically } from "../fs/atomic.ts";

/** What every chart function returns: Plot's figure, an `<svg>` or an HTML `<figure>`. */
export type Figure = ReturnType<typeof Plot.plot>;

/** The `document` Plot builds its DOM with (a browser's, or linkedom's when headless). */
export type PlotDocument = NonNullable<Plot.PlotOptions["document"]>;

/** The SVG namespace; without it on the root, resvg and browsers read the file as HTML. */
export const SVG_NS = "http://www.w3.org/2000/svg";

/** The font the PNGs are drawn with (Debian's fonts-dejavu-core); labels vanish without one. */
const PNG_FONT_FAMILY = "DejaVu Sans";

/** A fresh linkedom document for building charts without a browser (CLI, tests, notebooks). */
export function headlessDocument(): PlotDocument {
  const window = parseHTML("<!DOCTYPE html><html><head></head><body></body></html>") as unknown as {
    document: PlotDocument;
  };
  return window.document;
}

/** The browser's document when there is one, else a headless one. */
export function defaultDocument(): PlotDocument {
  const real = (globalThis as { document?: PlotDocument }).document;
  return real ?? headlessDocument();
}

// The DOM members used below. Deno's type environment has no DOM lib, so these are declared
// structurally; Plot's figures (browser or linkedom) have all of them.
interface Node {
  readonly tagName: string;
  readonly children: ArrayLike<Node>;
  readonly ownerDocument: { createElementNS(ns: string, name: string): Node };
  textContent: string | null;
  readonly outerHTML: string;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  cloneNode(deep: boolean): Node;
  append(...nodes: Node[]): void;
  prepend(...nodes: Node[]): void;
}

const asNode = (figure: Figure) => figure as unknown as Node;

// DejaVu Sans averages a little under 0.6 em per character; erring wide keeps wrapped headings
// inside the frame.
const CHAR_EM = 0.6;

/** Approximate rendered width of `text` in pixels at `fontSize` (for wrapping and margins). */
export function textWidth(text: string, fontSize: number): number {
  return [...text].length * fontSize * CHAR_EM;
}

/** Split `text` into lines no wider than `width` pixels at `fontSize`, breaking at spaces. */
export function wrapText(text: string, width: number, fontSize: number): string[] {
  const maxChars = Math.max(8, Math.floor(width / (fontSize * CHAR_EM)));
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if ([...candidate].length > maxChars && line) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Pixel width of a figure: the `width` of the chart itself (the widest `<svg>` directly inside a
 * `<figure>`, not a legend's 15-pixel swatch).
 */
export function figureWidth(figure: Figure): number {
  const node = asNode(figure);
  const charts = node.tagName.toLowerCase() === "svg"
    ? [node]
    : Array.from(node.children).filter((c) => c.tagName.toLowerCase() === "svg");
  const widths = charts.map((c) => Number(c.getAttribute("width"))).filter((w) => w > 0);
  return widths.length ? Math.max(...widths) : 640;
}

function findFirst(node: Node, tag: string): Node | undefined {
  for (const child of Array.from(node.children)) {
    if (child.tagName.toLowerCase() === tag) return child;
    const found = findFirst(child, tag);
    if (found) return found;
  }
  return undefined;
}

function isClass(node: Node, suffix: string): boolean {
  return (node.getAttribute("class") ?? "").split(/\s+/).some((c) => c.endsWith(suffix));
}

/** Text styles of the flattened headings, in the spirit of Plot's own figure CSS. */
const STYLES = {
  h2: { size: 17, weight: "bold", fill: "#111", gapAfter: 6 },
  h3: { size: 12, weight: "normal", fill: "#555", gapAfter: 8 },
  figcaption: { size: 11, weight: "normal", fill: "#555", gapAfter: 4 },
} as const;

/**
 * Flatten a figure into a standalone SVG document string (with `xmlns` and a white background).
 * A bare `<svg>` is serialized as is; a `<figure>` becomes one SVG with its title, subtitle,
 * legend swatches, chart(s) and caption stacked top to bottom.
 */
export function toSvgString(figure: Figure): string {
  const node = asNode(figure);
  const make = (name: string) => node.ownerDocument.createElementNS(SVG_NS, name);
  const width = figureWidth(figure);
  const root = make("svg");
  const body = make("g");
  let y = 0;
  const pad = 12;

  const textBlock = (text: string, style: (typeof STYLES)[keyof typeof STYLES]) => {
    const lines = wrapText(text, width - 2 * pad, style.size);
    const lineHeight = Math.round(style.size * 1.3);
    for (const line of lines) {
      const t = make("text");
      t.setAttribute("x", String(pad));
      t.setAttribute("y", String(y + style.size));
      t.setAttribute("font-size", String(style.size));
      t.setAttribute("font-weight", style.weight);
      t.setAttribute("fill", style.fill);
      t.textContent = line;
      body.append(t);
      y += lineHeight;
    }
    y += style.gapAfter;
  };

  const swatches = (div: Node) => {
    const size = 10;
    const gap = 18;
    let x = pad;
    let rowTop = y;
    for (const swatch of Array.from(div.children)) {
      if (swatch.tagName.toLowerCase() !== "span") continue;
      const mark = Array.from(swatch.children).find((c) => c.tagName.toLowerCase() === "svg");
      const label = (swatch.textContent ?? "").trim();
      const itemWidth = size + 6 + textWidth(label, size) + gap;
      if (x > pad && x + itemWidth > width - pad) {
        x = pad;
        rowTop += 18;
      }
      if (mark) {
        // Keep the swatch's own drawing (a filled rect, or a symbol path) and its paint.
        const g = make("g");
        g.setAttribute("transform", `translate(${x},${rowTop + 2}) scale(${size / 15})`);
        for (const attr of ["fill", "stroke", "stroke-width"]) {
          const v = mark.getAttribute(attr);
          if (v !== null) g.setAttribute(attr, v);
        }
        for (const child of Array.from(mark.children)) {
          if (child.tagName.toLowerCase() === "rect") {
            const r = make("rect");
            r.setAttribute("width", "15");
            r.setAttribute("height", "15");
            g.append(r);
          } else {
            g.append(child.cloneNode(true));
          }
        }
        // Symbol swatches draw around (0,0) in a 15×15 box with a viewBox offset.
        const viewBox = mark.getAttribute("viewBox");
        if (viewBox) {
          const [vx, vy] = viewBox.split(/[\s,]+/).map(Number);
          g.setAttribute(
            "transform",
            `translate(${x - vx * (size / 15)},${rowTop + 2 - vy * (size / 15)}) scale(${
              size / 15
            })`,
          );
        }
        body.append(g);
      }
      const t = make("text");
      t.setAttribute("x", String(x + size + 5));
      t.setAttribute("y", String(rowTop + size + 1));
      t.setAttribute("font-size", String(size + 1));
      t.setAttribute("fill", "#222");
      t.textContent = label;
      body.append(t);
      x += itemWidth;
    }
    y = rowTop + 24;
  };

  const chart = (svg: Node) => {
    const copy = svg.cloneNode(true);
    copy.setAttribute("x", "0");
    copy.setAttribute("y", String(y));
    body.append(copy);
    y += Number(svg.getAttribute("height") ?? 0) + 6;
  };

  if (node.tagName.toLowerCase() === "svg") {
    chart(node);
    y -= 6;
  } else {
    y = 8;
    for (const child of Array.from(node.children)) {
      const tag = child.tagName.toLowerCase();
      if (tag === "h2" || tag === "h3" || tag === "figcaption") {
        textBlock(child.textContent ?? "", STYLES[tag]);
      } else if (tag === "svg") {
        chart(child);
      } else if (tag === "div" && isClass(child, "-swatches")) {
        swatches(child);
      } else if (tag === "div") {
        const inner = findFirst(child, "svg");
        if (inner) chart(inner);
      }
    }
  }

  const height = Math.ceil(y);
  root.setAttribute("xmlns", SVG_NS);
  root.setAttribute("width", String(width));
  root.setAttribute("height", String(height));
  root.setAttribute("viewBox", `0 0 ${width} ${height}`);
  root.setAttribute("font-family", "system-ui, sans-serif");
  const background = make("rect");
  background.setAttribute("width", "100%");
  background.setAttribute("height", "100%");
  background.setAttribute("fill", "white");
  root.append(background, body);
  return root.outerHTML;
}

/** Options for {@link toPng}. */
export interface PngOptions {
  /** Output width in pixels (height follows); default: the SVG's own width. */
  width?: number;
}

/**
 * Rasterize an SVG string to PNG bytes with resvg, on white, with system fonts loaded and
 * DejaVu Sans standing in for generic and missing families (Plot asks for `system-ui`).
 */
export function toPng(svg: string, options: PngOptions = {}): Uint8Array {
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: options.width
      ? { mode: "width", value: Math.round(options.width) }
      : { mode: "original" },
    font: {
      loadSystemFonts: true,
      defaultFontFamily: PNG_FONT_FAMILY,
      sansSerifFamily: PNG_FONT_FAMILY,
    },
  });
  return resvg.render().asPng();
}

/** Paths {@link writeChart} wrote. */
export interface WrittenChart {
  svg: string;
  png: string;
}

/**
 * Write `figure` as `<dir>/<name>.svg` and `<dir>/<name>.png`, each atomically. The PNG is drawn
 * at `pngScale` times the chart width (default 2, sharp on high-density screens and in slides).
 */
export async function writeChart(
  figure: Figure,
  dir: string,
  name: string,
  options: { pngScale?: number } = {},
): Promise<WrittenChart> {
  const svg = toSvgString(figure);
  const png = toPng(svg, { width: figureWidth(figure) * (options.pngScale ?? 2) });
  const paths = { svg: join(dir, `${name}.svg`), png: join(dir, `${name}.png`) };
  await writeTextAtomically(paths.svg, svg);
  await writeAtomically(paths.png, (tmp) => Deno.writeFile(tmp, png));
  return paths;
}

/** Something a Deno Jupyter cell displays as an image when it is the cell's last expression. */
export interface Displayable {
  [key: symbol]: () => Record<string, string>;
}

/**
 * Show a figure inline in a Deno Jupyter notebook: `inline(priceDistribution(rows))` as the last
 * expression of a cell (or `Deno.jupyter.display(inline(figure))`). The flattened SVG is used so
 * the title and legend show even where the notebook strips HTML.
 */
export function inline(figure: Figure): Displayable {
  const svg = toSvgString(figure);
  const title = findFirst(asNode(figure), "h2")?.textContent ?? "chart";
  return {
    [Symbol.for("Jupyter.display")]: () => ({ "image/svg+xml": svg, "text/plain": title }),
  };
}

/** Width and height of PNG bytes, read from the IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
