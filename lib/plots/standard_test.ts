import { Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../testing/assert.ts";
import { toSvgString } from "./render.ts";
import type { PriceHistoryRow, ScoreRow } from "./rows.ts";
import {
  BASE_CHART_NAMES,
  type ChartData,
  loadChartData,
  STANDARD_CHART_NAMES,
  standardCharts,
  writeStandardCharts,
} from "./standard.ts";
import { countMarks, texts } from "./testing.ts";

const SCORES: ScoreRow[] = Array.from({ length: 12 }, (_, i) => ({
  release_id: i + 1,
  artist: `Artist ${i % 4}`,
  artist_display: `Artist ${i % 4}`,
  title: `Record ${i + 1}`,
  year: 1960 + 3 * i,
  genres: [i % 2 ? "Jazz" : "Reggae"],
  styles: [i % 3 ? "Dub" : "Hard Bop"],
  want: 100 + 37 * i,
  have: 50 + 11 * i,
  lowest_price: i === 5 ? null : 4 + 2.5 * i,
  num_for_sale: i === 5 ? 0 : 3,
  currency: "EUR",
  price_weight: 1,
  value_score: 0.1 / (i + 1),
  value_rank: i === 5 ? null : i + 1,
  essential_rank: i + 1,
}));

const snap = (id: number, day: number, price: number | null): PriceHistoryRow => ({
  release_id: id,
  fetched_at: new Date(Date.UTC(2025, 5, day)),
  currency: "EUR",
  lowest_price: price,
});

const BASE: string[] = [...BASE_CHART_NAMES];

Deno.test("standardCharts: price history only once a release has two priced snapshots", () => {
  const once = [snap(1, 1, 4), snap(2, 1, 6.5), snap(1, 8, null), snap(6, 1, null), snap(6, 9, 3)];
  const noMoves = standardCharts({ scores: SCORES, priceHistory: once, taste: { skipped: "x" } });
  assertEquals(noMoves.charts.map((c) => c.name), BASE);
  assertEquals(noMoves.skipped.slice(0, 2), [
    { name: "taste_map", reason: "x" },
    {
      name: "price_history",
      reason: "no release has two priced snapshots yet (run enrich again later)",
    },
  ]);

  const flat = standardCharts({
    scores: SCORES,
    priceHistory: [...once, snap(2, 8, 6.5), snap(1, 9, 4)],
  });
  assertEquals(flat.charts.map((c) => c.name), BASE);
  assertEquals(flat.skipped[1], {
    name: "price_history",
    reason: "no release's lowest price has moved between snapshots yet (run enrich again later)",
  });

  const noTable = standardCharts({ scores: SCORES });
  assertEquals(noTable.skipped.map((s) => s.name), [
    "taste_map",
    "price_history",
    "value_over_time",
    "movers",
  ]);
  assertStringIncludes(noTable.skipped[1].reason, "no `price_history` table yet");
  assertEquals(noTable.skipped[0].reason, "no taste map inputs");

  const moved = standardCharts({
    scores: SCORES,
    priceHistory: [...once, snap(2, 8, 9.5)],
    taste: { skipped: "no `embeddings` table yet (run `deno task embed`)" },
  });
  assertEquals(moved.charts.map((c) => c.name), [...BASE, "price_history"]);
  assertEquals(moved.skipped.map((s) => s.name), ["taste_map", "value_over_time", "movers"]);
  const history = toSvgString(moved.charts.at(-1)!.figure);
  // Named as "Artist – Title" from the scores, one line.
  assert(texts(history).includes("Artist 1 – Record 2"), texts(history).join(" | "));
  assertEquals(countMarks(history, "line", "path"), 1);
  assert(texts(history).includes("↑ Lowest price (EUR)"));
});

Deno.test("standardCharts: every chart draws its data, with the score stage's weight", () => {
  const data: ChartData = {
    scores: SCORES,
    taste: {
      points: [
        { x: 0, y: 0, cluster: "Dub", label: "a", kind: "collection" },
        { x: 1, y: 2, cluster: "Jazz", label: "b", kind: "recommendation" },
      ],
      projection: "Test projection.",
    },
  };
  const { charts, skipped } = standardCharts(data, { width: 640 });
  assertEquals(charts.map((c) => c.name), [...BASE, "taste_map"]);
  assertEquals(skipped.map((s) => s.name), ["price_history", "value_over_time", "movers"]);
  const svg = Object.fromEntries(charts.map((c) => [c.name, toSvgString(c.figure)]));
  for (const [name, text] of Object.entries(svg)) {
    assertStringIncludes(text, 'width="640"', name);
    assert(!text.includes("No release"), `${name} drew an empty chart`);
  }
  assertStringIncludes(texts(svg.price_distribution).join(" "), "of 11 releases");
  assertStringIncludes(texts(svg.price_distribution).join(" "), "1 release with no copy");
  assert(texts(svg.price_distribution).includes("Lowest price (EUR, log scale) →"));
  assertEquals(countMarks(svg.top_genres, "bar", "rect"), 2);
  assertEquals(countMarks(svg.releases_by_year, "rect", "rect"), 12);
  assert(texts(svg.rank_shift).includes("w = 1 (now)"), "current weight marked");
  assert(texts(svg.taste_map).includes("Test projection."));
});

Deno.test("standardCharts: an empty collection gives empty charts, not errors", () => {
  const { charts } = standardCharts({ scores: [], priceHistory: [] });
  assertEquals(charts.map((c) => c.name), BASE);
  for (const { name, figure } of charts) {
    const svg = toSvgString(figure);
    assertStringIncludes(svg, 'stroke-dasharray="4,3"', `${name} is not the empty chart`);
    assertEquals(countMarks(svg, "dot", "circle"), 0, name);
  }
});

Deno.test("loadChartData: needs the scores table, reads price history and taste inputs", async () => {
  const db = await Database.open(":memory:");
  try {
    const error = await assertRejects(() => loadChartData(db), InputError);
    assertStringIncludes(error.message, "no `scores` table yet: run `deno task score` first");

    await db.run(`CREATE TABLE scores AS SELECT * FROM (VALUES
      (2, 'B', 'Two', 5.0, 'EUR', 10, 3, 2),
      (1, 'A', 'One', NULL, 'EUR', 4, 8, 0)
    ) t(release_id, artist, title, lowest_price, currency, want, have, num_for_sale)`);
    const scoresOnly = await loadChartData(db);
    assertEquals(scoresOnly.scores.map((r) => r.release_id), [1, 2]);
    assertEquals(scoresOnly.scores[0].lowest_price, null);
    assertEquals(scoresOnly.priceHistory, undefined);
    assert(scoresOnly.taste && "skipped" in scoresOnly.taste);

    await db.run(`CREATE TABLE price_history (
      release_id BIGINT, fetched_at TIMESTAMPTZ, currency VARCHAR, lowest_price DOUBLE,
      num_for_sale INTEGER, have INTEGER, want INTEGER);
      INSERT INTO price_history VALUES
        (2, '2025-02-01 00:00:00+00', 'EUR', 7.5, 1, 3, 10),
        (2, '2025-01-01 00:00:00+00', 'EUR', 5.0, 2, 3, 10)`);
    const withHistory = await loadChartData(db);
    assertEquals(withHistory.priceHistory?.map((r) => r.lowest_price), [5, 7.5]);
    const { charts } = standardCharts(withHistory);
    assert(charts.some((c) => c.name === "price_history"));
  } finally {
    db.close();
  }
});

Deno.test("writeStandardCharts: placeholders are skipped with a reason, stale files removed", async () => {
  const db = await Database.open(":memory:");
  const dir = await Deno.makeTempDir({ prefix: "nextspin-charts-" });
  const exists = (name: string) => Deno.stat(`${dir}/${name}`).then(() => true, () => false);
  try {
    await db.run(`CREATE TABLE scores AS SELECT * FROM (VALUES
      (1, 'A', 'One', 5.0, 'EUR', 10, 3, 2, 1990, ['Reggae'], ['Dub'], 1.0, 0.5, 1, 1),
      (2, 'B', 'Two', 9.0, 'EUR', 4, 8, 1, 1994, ['Jazz'], ['Hard Bop'], 1.0, 0.2, 2, 2)
    ) t(release_id, artist, title, lowest_price, currency, want, have, num_for_sale, year,
        genres, styles, price_weight, value_score, value_rank, essential_rank)`);
    const full = await writeStandardCharts(db, dir);
    assert(full.written.length >= 5, full.written.map((c) => c.name).join(", "));
    for (const { name } of full.written) assert(await exists(`${name}.png`), name);
    assertEquals(full.skipped.map((s) => s.name), [
      "taste_map",
      "price_history",
      "value_over_time",
      "movers",
    ]);
    assert(full.skipped.every((s) => s.removed.length === 0));

    // The collection emptied: nothing is real any more, so nothing is written and last run's
    // files go, each chart saying why.
    await db.run("DELETE FROM scores");
    const empty = await writeStandardCharts(db, dir);
    assertEquals(empty.written, []);
    assertEquals(empty.skipped.map((s) => s.name), [...STANDARD_CHART_NAMES]);
    const byName = Object.fromEntries(empty.skipped.map((s) => [s.name, s]));
    assertEquals(
      byName.price_distribution.reason,
      "no release has a copy for sale yet: nothing to plot",
    );
    for (const { name } of full.written) {
      assertEquals(byName[name].removed, [`${dir}/${name}.svg`, `${dir}/${name}.png`], name);
      assert(
        !(await exists(`${name}.svg`)) && !(await exists(`${name}.png`)),
        `${name} left behind`,
      );
    }
    assertEquals([...Deno.readDirSync(dir)], [], "a stale chart file left");
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
