import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import {
  countTags,
  priceDistribution,
  releasesByYear,
  topGenres,
  topStyles,
} from "./collection.ts";
import { toSvgString } from "./render.ts";
import { countMarks, markGroups, row, texts } from "./testing.ts";

/** Heights of the rects one mark drew, in pixels. */
function rectHeights(svg: string, mark = "rect"): number[] {
  return markGroups(svg, mark).flatMap((g) =>
    [...g.matchAll(/<rect\b[^>]*\bheight="([\d.]+)"/g)].map((m) => Number(m[1]))
  );
}

/** Tick labels of one axis, in order. */
function tickLabels(svg: string, axis: "x" | "y"): string[] {
  return markGroups(svg, `${axis}-axis tick label`).flatMap((g) =>
    [...g.matchAll(/<text\b[^>]*>(.*?)<\/text>/gs)].map((m) => m[1].replace(/<[^>]+>/g, ""))
  );
}

Deno.test("priceDistribution: median of the priced releases, unpriced ones counted, not drawn at 0", () => {
  const rows = [
    row(1, { lowest_price: 2 }),
    row(2, { lowest_price: 4 }),
    row(3, { lowest_price: 8 }),
    row(4, { lowest_price: 40 }),
    row(5, { lowest_price: null }),
    row(6, { lowest_price: 0 }),
  ];
  const svg = toSvgString(priceDistribution(rows));
  const all = texts(svg);
  assert(all.includes("What your records sell for"), "title");
  assertStringIncludes(svg, "Lowest Discogs marketplace price of 4 releases; median €6.");
  assert(all.includes("median €6"), "median note");
  assertStringIncludes(svg, "2 releases with no copy for sale not shown.");
  // Four prices in four different quarter-decade bins: four bars of one release each.
  assertEquals(countMarks(svg, "rect", "rect"), 4);
  const heights = rectHeights(svg);
  assert(heights.every((h) => Math.abs(h - heights[0]) < 0.01), `equal bars ${heights}`);
  // A log axis has no zero: the missing prices cannot sit at €0.
  const ticks = tickLabels(svg, "x");
  assertEquals(ticks[0], "€1");
  assert(!ticks.includes("€0"), ticks.join(" "));
  assert(all.includes("Lowest price (EUR, log scale) →"), "currency on the axis");
});

Deno.test("priceDistribution: a price on a whole decade (the domain's end) still gets its bar", () => {
  const rows = [row(1, { lowest_price: 2 }), row(2, { lowest_price: 100 })];
  const svg = toSvgString(priceDistribution(rows));
  assertStringIncludes(svg, "of 2 releases");
  assertEquals(countMarks(svg, "rect", "rect"), 2, "the €100 record was dropped from the bins");
});

Deno.test("priceDistribution: bars count releases per bin", () => {
  const rows = [
    row(1, { lowest_price: 11 }),
    row(2, { lowest_price: 12 }),
    row(3, { lowest_price: 13 }),
    row(4, { lowest_price: 300 }),
  ];
  const svg = toSvgString(priceDistribution(rows));
  const heights = rectHeights(svg).sort((a, b) => a - b);
  assertEquals(heights.length, 2);
  assert(Math.abs((heights[1] + 1) / (heights[0] + 1) - 3) < 0.01, `heights ${heights}`);
  assertStringIncludes(svg, "median €13"); // 12.5, whole currency units from €10 up
});

Deno.test("priceDistribution: count ticks are whole numbers, each labelled once", () => {
  const svg = toSvgString(priceDistribution([row(1, { lowest_price: 3 }), row(2)]));
  const ticks = tickLabels(svg, "y");
  assert(ticks.length >= 2, ticks.join(" "));
  assertEquals(new Set(ticks).size, ticks.length, `duplicate tick labels: ${ticks.join(" ")}`);
  for (const t of ticks) assert(/^\d+$/.test(t), t);
});

Deno.test("priceDistribution: currency override, mixed currencies and no prices", () => {
  const usd = toSvgString(priceDistribution([row(1)], { currency: "USD" }));
  assertStringIncludes(usd, "Lowest price (USD, log scale) →");
  assertStringIncludes(usd, "median $10");

  const mixed = toSvgString(
    priceDistribution([row(1), row(2, { currency: "USD", lowest_price: 20 })]),
  );
  assertStringIncludes(mixed, "EUR/USD (mixed)");
  assertStringIncludes(mixed, "Prices are in several currencies");

  const none = toSvgString(priceDistribution([row(1, { lowest_price: null })]));
  assertStringIncludes(none, "No release has a copy for sale yet: nothing to plot.");
  assertEquals(countMarks(none, "rect", "rect"), 0);
  const empty = toSvgString(priceDistribution([], { title: "Prices" }));
  assert(texts(empty).includes("Prices"), "title override kept on the empty chart");
});

Deno.test("countTags counts a release once per tag, most common first, then by name", () => {
  const rows = [
    row(1, { genres: ["Jazz", "Jazz", "Funk / Soul"] }),
    row(2, { genres: ["Rock", "Jazz"] }),
    row(3, { genres: ["Funk / Soul", null as unknown as string] }),
    row(4, { genres: null }),
  ];
  assertEquals(
    countTags(rows, (r) => r.genres),
    [
      { name: "Jazz", count: 2 },
      { name: "Funk / Soul", count: 2 },
      { name: "Rock", count: 1 },
    ].sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1)),
  );
});

Deno.test("topGenres: one bar per genre up to `top`, with counts, shares and what was left out", () => {
  const rows = [
    row(1, { genres: ["Jazz", "Funk / Soul"] }),
    row(2, { genres: ["Jazz"] }),
    row(3, { genres: ["Jazz", "Rock"] }),
    row(4, { genres: ["Electronic"] }),
    row(5, { genres: [] }),
  ];
  const svg = toSvgString(topGenres(rows, { top: 3 }));
  assertEquals(countMarks(svg, "bar", "rect"), 3);
  const all = texts(svg);
  assert(all.includes("3 (60%)"), all.join(" | "));
  assertStringIncludes(svg, "out of 5 releases");
  assertStringIncludes(svg, "1 more genre not shown.");
  assertStringIncludes(svg, "1 release without a genre.");
  // Most common first: Jazz is the first y tick.
  assertEquals(tickLabels(svg, "y")[0], "Jazz");
  const ticks = tickLabels(svg, "x");
  assertEquals(new Set(ticks).size, ticks.length, `duplicate tick labels: ${ticks.join(" ")}`);
});

Deno.test("topStyles: styles, and an empty chart saying to run enrich when there are none", () => {
  const svg = toSvgString(topStyles([row(1, { styles: ["Dub", "Roots Reggae"] })]));
  assertEquals(countMarks(svg, "bar", "rect"), 2);
  assert(texts(svg).includes("Top styles"));
  const empty = toSvgString(topStyles([row(1, { styles: null })]));
  assertStringIncludes(empty, "No release has a style yet: run enrich to fetch them.");
  assertEquals(countMarks(empty, "bar", "rect"), 0);
});

Deno.test("releasesByYear: one bar per year, unknown years counted in the caption", () => {
  const rows = [
    row(1, { year: 1970 }),
    row(2, { year: 1970 }),
    row(3, { year: 1985 }),
    row(4, { year: 1999 }),
    row(5, { year: null }),
    row(6, { year: 0 }),
  ];
  const svg = toSvgString(releasesByYear(rows));
  assertEquals(countMarks(svg, "rect", "rect"), 3);
  assertStringIncludes(svg, "4 releases from 1970 to 1999.");
  assertStringIncludes(svg, "2 releases with no known year not shown.");
  const heights = rectHeights(svg).sort((a, b) => a - b);
  assert(Math.abs(heights[2] / heights[0] - 2) < 0.01, `1970 has twice the bar: ${heights}`);
  const years = tickLabels(svg, "x");
  assertEquals(years, ["1970", "1975", "1980", "1985", "1990", "1995"]);
  const counts = tickLabels(svg, "y");
  assertEquals(new Set(counts).size, counts.length, `duplicate tick labels: ${counts.join(" ")}`);

  const none = toSvgString(releasesByYear([row(1, { year: 0 })]));
  assertStringIncludes(none, "No release has a known year: nothing to plot.");
});

Deno.test("data strings are escaped in the SVG, never markup", () => {
  const hostile = "<script>alert(1)</script> & Co";
  const rows = [
    row(1, { genres: [hostile], styles: [hostile], artist: hostile, title: hostile }),
    row(2, { genres: ["Jazz"] }),
  ];
  for (const figure of [topGenres(rows), topStyles(rows), priceDistribution(rows)]) {
    const svg = toSvgString(figure);
    assert(!svg.includes("<script"), "a raw <script> tag reached the SVG");
  }
  const svg = toSvgString(topGenres(rows));
  assertStringIncludes(svg, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co");
});
