import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { priceHistory, valueVsPrice, wantHaveMap } from "./market.ts";
import { toSvgString } from "./render.ts";
import type { PriceHistoryRow, ScoreRow } from "./rows.ts";
import { countMarks, markGroups, row, texts } from "./testing.ts";

/** Tick labels of one axis, in order. */
function tickLabels(svg: string, axis: "x" | "y"): string[] {
  return markGroups(svg, `${axis}-axis tick label`).flatMap((g) =>
    [...g.matchAll(/<text\b[^>]*>(.*?)<\/text>/gs)].map((m) => m[1].replace(/<[^>]+>/g, ""))
  );
}

/** The circles of the `dot` mark groups, in mark order. */
function dotGroups(svg: string): number[] {
  return markGroups(svg, "dot").map((g) => g.match(/<circle\b/g)?.length ?? 0);
}

// Ten releases ranked 1..10 by value; two of the best have no price and two no value score.
const VALUE_ROWS: ScoreRow[] = Array.from({ length: 10 }, (_, i) => {
  const id = 100 + i;
  return row(id, {
    artist_display: `Band ${i + 1}`,
    title: `Album ${i + 1}`,
    lowest_price: 5 + 3 * i,
    value_score: 1 / (i + 1),
    value_rank: i + 1,
    price_weight: 2,
  });
}).map((r, i) =>
  i === 0
    ? { ...r, lowest_price: null }
    : i === 3
    ? { ...r, lowest_price: 0 }
    : i === 8
    ? { ...r, value_score: null, value_rank: null }
    : r
);

Deno.test("valueVsPrice: one dot per priced, scored release; the top ranked ones labelled", () => {
  const svg = toSvgString(valueVsPrice(VALUE_ROWS, { labelTop: 3 }));
  // 7 drawn (10 less two unpriced, one unscored): 4 plain, 3 highlighted, 3 label rings.
  assertEquals(dotGroups(svg), [4, 3, 3]);
  const all = texts(svg);
  // Ranks 1 and 4 have no price: the labelled are the next best ranks, 2, 3 and 5.
  for (const label of ["#2 Band 2 – Album 2", "#3 Band 3 – Album 3", "#5 Band 5 – Album 5"]) {
    assert(all.includes(label), `${label} not in ${all.join(" | ")}`);
  }
  assert(!all.some((t) => t.startsWith("#1 ") || t.startsWith("#4 ")), "unpriced labelled");
  assert(!all.some((t) => t.startsWith("#6 ")), "only the top 3 labelled");
  const joined = all.join(" ");
  assertStringIncludes(joined, "at price weight 2");
  assertStringIncludes(joined, "for 7 priced releases; the top 3 labelled.");
  assertStringIncludes(joined, "2 releases with no copy for sale not shown.");
  assertStringIncludes(joined, "1 priced release with no value score not shown.");
  assert(all.includes("Lowest price (EUR, log scale) →"), "currency on the axis");
  // Log axes: every tick positive, none at a price of zero.
  for (const t of tickLabels(svg, "x")) assert(/^€[1-9]/.test(t), `x tick ${t}`);
  for (const t of tickLabels(svg, "y")) assert(Number(t) > 0, `y tick ${t}`);
});

Deno.test("valueVsPrice: without ranks, the highest value scores are labelled", () => {
  const rows = [0.5, 3, 1, 2].map((v, i) => row(i + 1, { value_score: v, lowest_price: 10 + i }));
  const svg = toSvgString(valueVsPrice(rows, { labelTop: 2 }));
  const labels = markGroups(svg, "text").join("");
  assertStringIncludes(labels, "Artist 2 – Title 2");
  assertStringIncludes(labels, "Artist 4 – Title 4");
  assert(!labels.includes("Artist 1 – Title 1"), "a low value labelled");
});

Deno.test("valueVsPrice: an empty chart with a message when nothing is priced", () => {
  const svg = toSvgString(valueVsPrice([row(1, { lowest_price: null, value_score: 0.3 })]));
  assertStringIncludes(svg, "No release has both a price and a value score yet.");
  assertEquals(countMarks(svg, "dot", "circle"), 0);
  assertStringIncludes(toSvgString(valueVsPrice([])), "No release has both");
});

Deno.test("wantHaveMap: one dot per release with both counts, above/below the diagonal", () => {
  const rows = [
    row(1, { want: 500, have: 100, essential_rank: 1 }),
    row(2, { want: 300, have: 100, essential_rank: 2 }),
    row(3, { want: 50, have: 100, essential_rank: 4 }),
    row(4, { want: 20, have: 400, essential_rank: 5 }),
    row(5, { want: 90, have: 60, essential_rank: 3 }),
    row(6, { want: 0, have: 40 }),
    row(7, { want: 40, have: null }),
  ];
  const svg = toSvgString(wantHaveMap(rows, { labelTop: 2 }));
  // Five dots plus two label rings.
  assertEquals(dotGroups(svg), [5, 2]);
  const all = texts(svg);
  assertStringIncludes(all.join(" "), "of 5 releases: 3 wanted more than owned.");
  assertStringIncludes(all.join(" "), "2 releases with a missing or zero want or have not shown.");
  assert(all.includes("Artist 1 – Title 1 (5.0×)"), all.join(" | "));
  assert(all.includes("Artist 2 – Title 2 (3.0×)"), all.join(" | "));
  assert(!all.some((t) => t.startsWith("Artist 5 –")), "rank 3 labelled with labelTop 2");
  assert(all.includes("more wanted than owned") && all.includes("owned more than wanted"));
  assert(all.includes("want = have"));
  const dots = markGroups(svg, "dot")[0];
  assertEquals(dots.match(/fill="#d62728"/g)?.length, 3, "wanted more than owned in red");
  for (const t of [...tickLabels(svg, "x"), ...tickLabels(svg, "y")]) {
    assert(!/^0/.test(t), `log tick at zero: ${t}`);
  }
  const none = toSvgString(wantHaveMap([row(1, { want: null, have: 3 })]));
  assertStringIncludes(none, "No release has both want and have counts yet.");
});

const day = (d: number) => new Date(Date.UTC(2025, 0, d));

function snapshots(): PriceHistoryRow[] {
  const snap = (id: number, d: number, price: number | null): PriceHistoryRow => ({
    release_id: id,
    fetched_at: day(d),
    currency: "EUR",
    lowest_price: price,
  });
  return [
    // 1: three priced snapshots, up 50%.
    snap(1, 1, 10),
    snap(1, 10, 12),
    snap(1, 20, 15),
    // 2: nothing for sale in the middle snapshot, doubled overall (the biggest move).
    snap(2, 1, 20),
    snap(2, 10, null),
    snap(2, 20, 40),
    // 3: one priced snapshot, one with no copy for sale (no line to draw).
    snap(3, 1, 8),
    snap(3, 20, null),
    // 4: a single snapshot.
    snap(4, 5, 30),
    // 5: two priced snapshots given as strings, as a CSV would have them, barely moving.
    { release_id: 5, fetched_at: "2025-01-02T00:00:00Z", currency: "EUR", lowest_price: 25 },
    { release_id: 5, fetched_at: "2025-01-19T00:00:00Z", currency: "EUR", lowest_price: 26 },
  ];
}

Deno.test("priceHistory: one line per release with two priced snapshots, gaps not zeros", () => {
  const names = new Map([[1, "Band A – First"], [2, "Band B – Second"], [3, "Band C – Third"]]);
  const svg = toSvgString(priceHistory(snapshots(), { names }));
  assertEquals(markGroups(svg, "line").length, 1);
  // Plot splits a line at a missing value: release 2 is two pieces (a gap), so paths ≥ 3.
  const paths = countMarks(svg, "line", "path");
  assert(paths >= 3, `${paths} paths`);
  // Dots only where there was a price: 3 + 2 + 2.
  assertEquals(countMarks(svg, "dot", "circle"), 7);
  const all = texts(svg);
  assert(all.includes("Band A – First") && all.includes("Band B – Second"), all.join(" | "));
  assert(all.includes("release 5"), "an unnamed release is shown by id");
  assert(!all.includes("Band C – Third"), "a release with one priced snapshot drawn");
  assertStringIncludes(svg, "the 3 releases whose price moved most");
  assert(all.includes("↑ Lowest price (EUR)"), "currency on the axis");
  for (const t of tickLabels(svg, "y")) assert(!/^€0$/.test(t), "a zero price tick");
});

Deno.test("priceHistory: `top` keeps the biggest movers, `releaseIds` picks releases", () => {
  const top = toSvgString(priceHistory(snapshots(), { top: 1 }));
  assertStringIncludes(top, "the 1 release whose price moved most");
  const all = texts(top);
  assert(all.includes("release 2"), all.join(" | "));
  assert(!all.includes("release 1"), "only the biggest mover");

  const picked = toSvgString(priceHistory(snapshots(), { releaseIds: [1, 4] }));
  assertStringIncludes(picked, "per snapshot of 2 releases.");
  const texts2 = texts(picked);
  assert(texts2.includes("release 1") && texts2.includes("release 4"), texts2.join(" | "));
  assertEquals(countMarks(picked, "dot", "circle"), 4);
});

Deno.test("priceHistory: asked-for releases with no priced snapshot do not break the chart", () => {
  // Release 3 was priced once; release 99 has no rows; release 6 was never for sale.
  const rows = [
    ...snapshots(),
    { release_id: 6, fetched_at: day(3), currency: "EUR", lowest_price: null },
  ];
  const mixed = toSvgString(priceHistory(rows, { releaseIds: [1, 6, 99] }));
  assert(texts(mixed).includes("release 1"));
  assert(!texts(mixed).includes("release 6"), "a release with no price labelled");
  const none = toSvgString(priceHistory(rows, { releaseIds: [6] }));
  assertEquals(countMarks(none, "line", "path"), 0);
  assertStringIncludes(none, "None of the releases asked for has a priced snapshot yet.");
});

Deno.test("priceHistory: a log axis when prices span more than a decade", () => {
  const rows: PriceHistoryRow[] = [
    { release_id: 1, fetched_at: day(1), currency: "USD", lowest_price: 2 },
    { release_id: 1, fetched_at: day(9), currency: "USD", lowest_price: 150 },
  ];
  const svg = toSvgString(priceHistory(rows));
  assert(texts(svg).includes("↑ Lowest price (USD, log scale)"));
  assertEquals(tickLabels(svg, "y")[0], "$2");
});

Deno.test("priceHistory: empty inputs give an empty chart with a message", () => {
  assertStringIncludes(
    toSvgString(priceHistory([])),
    "No price snapshots yet: run enrich to record them.",
  );
  const one = toSvgString(
    priceHistory([{ release_id: 1, fetched_at: day(1), currency: "EUR", lowest_price: 9 }]),
  );
  assertStringIncludes(one, "Only one priced snapshot per release so far");
  assertEquals(countMarks(one, "line", "path"), 0);
});

Deno.test("market charts escape data strings", () => {
  const hostile = "<script> & Sons";
  const rows = [
    row(1, { artist: hostile, value_score: 0.4, value_rank: 1, want: 30, have: 3 }),
    row(2, { value_score: 0.2, value_rank: 2 }),
  ];
  const history: PriceHistoryRow[] = [
    { release_id: 1, fetched_at: day(1), currency: "EUR", lowest_price: 3 },
    { release_id: 1, fetched_at: day(2), currency: "EUR", lowest_price: 4 },
  ];
  for (
    const figure of [
      valueVsPrice(rows),
      wantHaveMap(rows),
      priceHistory(history, { names: { 1: hostile } }),
    ]
  ) {
    const svg = toSvgString(figure);
    assert(!svg.includes("<script"), "a raw <script> tag reached the SVG");
    assertStringIncludes(svg, "&lt;script&gt;");
    assertStringIncludes(svg, "&amp; Sons");
  }
});

Deno.test("priceHistory: a release whose price never moved is not drawn as a mover", () => {
  const flat: PriceHistoryRow[] = [7, 8, 9].flatMap((id) =>
    [1, 10].map((d) => ({ release_id: id, fetched_at: day(d), currency: "EUR", lowest_price: 9 }))
  );
  const onlyFlat = toSvgString(priceHistory(flat));
  assertEquals(countMarks(onlyFlat, "line", "path"), 0);
  assertStringIncludes(onlyFlat, "No lowest price has moved between snapshots yet");
  const mixed = toSvgString(priceHistory([...snapshots(), ...flat]));
  assertStringIncludes(mixed, "the 3 releases whose price moved most");
  assert(!texts(mixed).includes("release 7"), "a flat line drawn as a mover");
  // Up and back down again is a move, even though first and last agree.
  const roundTrip = toSvgString(
    priceHistory([10, 14, 10].map((p, i) => ({
      release_id: 1,
      fetched_at: day(i + 1),
      currency: "EUR",
      lowest_price: p,
    }))),
  );
  assertStringIncludes(roundTrip, "the 1 release whose price moved most");
});
