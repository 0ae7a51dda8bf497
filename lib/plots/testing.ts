/**
 * Helpers for chart tests: count the elements a given Plot mark drew in an SVG string, and read
 * text out of it, without a DOM.
 *
 * @example
 * ```ts
 * const svg = toSvgString(valueVsPrice(rows));
 * countMarks(svg, "dot", "circle"); // circles drawn by every dot mark
 * ```
 *
 * @module
 */

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
