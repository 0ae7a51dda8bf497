import * as Plot from "@observablehq/plot";
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../testing/assert.ts";
import {
  figureWidth,
  headlessDocument,
  inline,
  PNG_SIGNATURE,
  pngSize,
  SVG_NS,
  toPng,
  toSvgString,
  wrapText,
  writeChart,
} from "./render.ts";
import { texts } from "./testing.ts";

const HOSTILE = "<img src=x onerror=alert(1)>";

function figureWithLegend() {
  return Plot.plot({
    document: headlessDocument(),
    width: 400,
    height: 200,
    title: `Title ${HOSTILE}`,
    subtitle: "A subtitle",
    caption: "A caption",
    color: { legend: true },
    marks: [
      Plot.dot([{ x: 1, y: 1, c: HOSTILE }, { x: 2, y: 3, c: "Dub" }], {
        x: "x",
        y: "y",
        fill: "c",
      }),
    ],
  });
}

Deno.test("toSvgString serializes a bare chart as a standalone SVG document", () => {
  const figure = Plot.plot({
    document: headlessDocument(),
    width: 300,
    height: 150,
    marks: [Plot.dot([1, 2, 3], { x: (d: number) => d })],
  });
  const svg = toSvgString(figure);
  assertMatch(svg, /^<svg\b/);
  assertStringIncludes(svg, `xmlns="${SVG_NS}"`);
  assertStringIncludes(svg, 'width="300"');
  assertEquals(svg.match(/<circle\b/g)?.length, 3);
});

Deno.test("toSvgString flattens a figure's title, legend and caption into SVG text", () => {
  const figure = figureWithLegend();
  assertEquals(figure.tagName.toLowerCase(), "figure");
  const svg = toSvgString(figure);
  for (const html of ["<figure", "<h2", "<h3", "<div", "<span", "<figcaption"]) {
    assert(!svg.includes(html), `${html} left in the SVG`);
  }
  const all = texts(svg);
  assert(all.some((t) => t.startsWith("Title ")), "title");
  assert(all.includes("A subtitle"), "subtitle");
  assert(all.includes("A caption"), "caption");
  assert(all.includes("Dub"), "legend entry");
  assertEquals(figureWidth(figure), 400);
});

Deno.test("text from the data is escaped, never markup", () => {
  const svg = toSvgString(figureWithLegend());
  assert(!svg.includes("<img"), "a raw <img> tag reached the SVG");
  assertStringIncludes(svg, "&lt;img src=x onerror=alert(1)&gt;");
});

Deno.test("wrapText breaks long headings at spaces within the width", () => {
  const lines = wrapText("one two three four five six seven eight nine ten", 60, 10);
  assert(lines.length > 1);
  assertEquals(lines.join(" "), "one two three four five six seven eight nine ten");
  for (const line of lines) assert(line.length <= 10, line);
});

Deno.test("toPng renders PNG bytes at the SVG's width, or the width asked for", () => {
  const svg = toSvgString(figureWithLegend());
  const png = toPng(svg);
  assertEquals([...png.slice(0, 8)], [...PNG_SIGNATURE]);
  assertEquals(pngSize(png).width, 400);
  const wide = toPng(svg, { width: 800 });
  assertEquals(pngSize(wide).width, 800);
});

Deno.test("toPng draws text with a real font (labels do not vanish)", () => {
  const withText = (t: string) =>
    `<svg xmlns="${SVG_NS}" width="200" height="40" font-family="system-ui, sans-serif">` +
    `<text x="10" y="25" font-size="16">${t}</text></svg>`;
  // Without a usable font resvg draws nothing for text, and both images come out identical.
  const blank = toPng(withText(""));
  const labelled = toPng(withText("Crate Picks"));
  assert(labelled.length !== blank.length || labelled.some((b, i) => b !== blank[i]));
});

Deno.test("writeChart writes name.svg and name.png, leaving no temporary files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-plots-" });
  try {
    const written = await writeChart(figureWithLegend(), join(dir, "charts"), "legend", {
      pngScale: 1,
    });
    assertEquals(written, {
      svg: join(dir, "charts", "legend.svg"),
      png: join(dir, "charts", "legend.png"),
    });
    assertMatch(await Deno.readTextFile(written.svg), /^<svg\b/);
    assertEquals(pngSize(await Deno.readFile(written.png)).width, 400);
    const names = [...Deno.readDirSync(join(dir, "charts"))].map((e) => e.name).sort();
    assertEquals(names, ["legend.png", "legend.svg"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("inline gives a notebook an SVG image to display", () => {
  const shown = inline(figureWithLegend());
  const bundle = shown[Symbol.for("Jupyter.display")]();
  assertMatch(bundle["image/svg+xml"], /^<svg\b/);
  assertStringIncludes(bundle["text/plain"], "Title");
});
