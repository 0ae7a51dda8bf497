import { assert, assertEquals } from "../testing/assert.ts";
import {
  countTicks,
  currencyOf,
  formatMoney,
  logDomain,
  logTicks,
  niceCeil,
  percent,
  placeLabels,
  recordLabel,
  shorten,
} from "./common.ts";
import { textWidth } from "./render.ts";

Deno.test("logTicks: 1-2-5 steps over a few decades, powers of ten over many", () => {
  assertEquals(logTicks(0.3, 80), [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]);
  assertEquals(logTicks(7, 38_000), [1, 10, 100, 1_000, 10_000, 100_000]);
  assertEquals(logTicks(0, 10), []);
});

Deno.test("logDomain snaps outwards to labelled ticks, or to whole decades", () => {
  assertEquals(logDomain(3.9, 75), [2, 100]);
  assertEquals(logDomain(3.9, 75, { wholeDecades: true }), [1, 100]);
  assertEquals(logDomain(10, 50), [10, 50]);
});

Deno.test("formatMoney uses the currency's symbol and keeps cents under 10", () => {
  assertEquals(formatMoney(0.5, "USD"), "$0.50");
  assertEquals(formatMoney(12, "EUR"), "€12");
  assertEquals(formatMoney(1200, "GBP"), "£1,200");
  assertEquals(formatMoney(5, "XX1"), "5 XX1");
  assertEquals(formatMoney(5), "5");
});

Deno.test("currencyOf names one currency, or says they are mixed", () => {
  assertEquals(currencyOf([{ currency: "EUR" }, { currency: null }]), {
    code: "EUR",
    label: "EUR",
    mixed: false,
  });
  assertEquals(currencyOf([{ currency: "USD" }, { currency: "EUR" }]).mixed, true);
  assertEquals(currencyOf([{ currency: "USD" }], "GBP").code, "GBP");
});

Deno.test("recordLabel and shorten keep labels short, with an ellipsis when cut", () => {
  assertEquals(
    recordLabel({
      artist: "Miles Davis (2)",
      artist_display: "Miles Davis",
      title: "Kind Of Blue",
    }),
    "Miles Davis – Kind Of Blue",
  );
  assertEquals(recordLabel({ artist: null, title: null }), "Unknown artist – Untitled");
  assertEquals(shorten("abcdefghij", 5), "abcd…");
  assertEquals(shorten("abc", 5), "abc");
});

Deno.test("niceCeil and percent", () => {
  assertEquals([24, 84, 244, 5, 0].map(niceCeil), [25, 85, 250, 5, 1]);
  assertEquals([0, 0.004, 0.25].map(percent), ["0%", "<1%", "25%"]);
});

Deno.test("placeLabels keeps labels of nearby points from overlapping", () => {
  const area = { left: 0, right: 600, top: 0, bottom: 400 };
  const placed = placeLabels([
    { px: 100, py: 200, text: "Alpha – First" },
    { px: 102, py: 201, text: "Beta – Second" },
    { px: 104, py: 199, text: "Gamma – Third" },
  ], area);
  const ys = placed.map((p) => p.ly).sort((a, b) => a - b);
  for (let i = 1; i < ys.length; i++) assert(ys[i] - ys[i - 1] >= 13, `labels ${ys} overlap`);
  for (const p of placed) assert(p.ly >= area.top && p.ly <= area.bottom);
});

Deno.test("placeLabels puts a label left of a point near the right edge", () => {
  const [right] = placeLabels([{ px: 590, py: 100, text: "A long label near the edge" }], {
    left: 0,
    right: 600,
    top: 0,
    bottom: 400,
  });
  assertEquals(right.anchor, "end");
  assert(right.lx < 590);
});

Deno.test("countTicks: whole numbers from 0 at a 1-2-5 step, never too many", () => {
  assertEquals(countTicks(1), [0, 1]);
  assertEquals(countTicks(3), [0, 1, 2, 3]);
  assertEquals(countTicks(25), [0, 5, 10, 15, 20, 25]);
  assertEquals(countTicks(15), [0, 2, 4, 6, 8, 10, 12, 14]);
  assertEquals(countTicks(1000), [0, 200, 400, 600, 800, 1000]);
  assertEquals(countTicks(0), [0]);
  for (const max of [1, 2, 7, 9, 12, 40, 85, 250, 4500]) {
    const ticks = countTicks(max);
    assert(ticks.length <= 9, `${max}: ${ticks}`);
    assert(ticks.every(Number.isInteger), `${max}: ${ticks}`);
  }
});

/** Every obstacle a placed label's box covers (its own point excepted). */
function coveredObstacles(
  placed: ReturnType<typeof placeLabels>,
  obstacles: { px: number; py: number }[],
): string[] {
  const hits: string[] = [];
  for (const l of placed) {
    const w = textWidth(l.text, 10);
    const x0 = l.anchor === "start" ? l.lx - 2 : l.lx - w - 2;
    const x1 = x0 + w + 4;
    for (const o of obstacles) {
      if (o.px === l.px && o.py === l.py) continue;
      if (o.px + 5 > x0 && o.px - 5 < x1 && Math.abs(o.py - l.ly) < 6.5 + 5) {
        hits.push(`"${l.text}" covers (${o.px}, ${o.py})`);
      }
    }
  }
  return hits;
}

Deno.test("placeLabels keeps labels off obstacles (every star of a dense cluster)", () => {
  const area = { left: 0, right: 600, top: 0, bottom: 400 };
  // A dense cluster of stars, three of them labelled.
  const stars = Array.from({ length: 30 }, (_, i) => ({
    px: 200 + (i % 6) * 11,
    py: 180 + Math.floor(i / 6) * 9,
  }));
  const requests = [stars[0], stars[8], stars[20]].map((s, i) => ({
    ...s,
    text: `Label ${i} – X`,
  }));
  const without = placeLabels(requests, area);
  assert(coveredObstacles(without, stars).length > 0, "the case would pass without obstacles");
  const placed = placeLabels(requests, area, 10, stars);
  assertEquals(coveredObstacles(placed, stars), []);
  const ys = placed.map((p) => p.ly).sort((a, b) => a - b);
  for (let i = 1; i < ys.length; i++) assert(ys[i] - ys[i - 1] >= 13, `labels ${ys} overlap`);
  for (const p of placed) assert(p.ly >= area.top && p.ly <= area.bottom);
});
