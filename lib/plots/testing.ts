/**
 * Helpers for chart tests: build score rows, count the elements a given Plot mark drew in an SVG
 * string, and read text out of it, without a DOM.
 *
 * @example
 * ```ts
 * const svg = toSvgString(valueVsPrice([row(1), row(2, { want: 500 })]));
 * countMarks(svg, "dot", "circle"); // circles drawn by every dot mark
 * ```
 *
 * @module
 */

import type { ScoreRow } from "./rows.ts";

/**
 * A `scores` row for release `id`: artist `Artist <id>`, title `Title <id>`, 10 wants, 10 haves,
 * one copy for sale at 10 EUR — with `extra` overriding any field.
 */
export function row(id: number, extra: Partial<ScoreRow> = {}): ScoreRow {
  return {
    release_id: id,
    artist: `Artist ${id}`,
    title: `Title ${id}`,
    want: 10,
    have: 10,
    lowest_price: 10,
    num_for_sale: 1,
    currency: "EUR",
    ...extra,
  };
}

/** The inner markup of every `<g aria-label="…">` group Plot drew for mark `mark`. */
export function markGroups(svg: string, mark: string): string[] {
  const groups: string[] = [];
  const open = new RegExp(`<g\\b[^>]*\\baria-label="${mark}"[^>]*>`, "g");
  for (const match of svg.matchAll(open)) {
    // Mark groups hold no nested <g>, so the next </g> closes this one.
    const start = match.index! + match[0].length;
    groups.push(svg.slice(start, svg.indexOf("</g>", start)));
  }
  return groups;
}

/** How many `<tag>` elements the marks labelled `mark` drew (all such marks together). */
export function countMarks(svg: string, mark: string, tag: string): number {
  return markGroups(svg, mark).reduce(
    (n, inner) => n + (inner.match(new RegExp(`<${tag}\\b`, "g"))?.length ?? 0),
    0,
  );
}

/** The text content of every `<text>` element, tags stripped, entities left escaped. */
export function texts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>(.*?)<\/text>/gs)].map((m) =>
    m[1].replace(/<title>.*?<\/title>/gs, "").replace(/<[^>]+>/g, "")
  );
}
