/**
 * End to end, as a user runs it: `deno task pipeline` on the bundled sample, a second market
 * snapshot for a few releases, then `deno task charts` into its own folder — and on an empty
 * workspace, a one-line hint to run the score stage first.
 */
import { Database } from "../lib/db/mod.ts";
import { recordLabel, shorten } from "../lib/plots/common.ts";
import { PNG_SIGNATURE, pngSize } from "../lib/plots/render.ts";
import { STANDARD_CHART_NAMES } from "../lib/plots/standard.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotMatch,
  assertStringIncludes,
} from "../lib/testing/assert.ts";
import { runModule, runPipeline, tempWorkspace } from "./helpers.ts";

const QUIET = { NEXTSPIN_QUIET: "1" };

/** Every standard chart: the e2e run has taste map inputs and moved prices. */
const EXPECTED = STANDARD_CHART_NAMES;

Deno.test("charts: every standard chart as SVG + PNG, price history once prices moved", async () => {
  const ws = await tempWorkspace();
  try {
    const pipeline = await runPipeline(ws);
    assertEquals(pipeline.code, 0, pipeline.stderr);

    // A second snapshot a month later, at other prices, for three priced releases.
    const db = await Database.open(ws.db);
    type Moved = { release_id: number; artist: string; artist_display: string; title: string };
    let moved: Moved[];
    try {
      moved = await db.all<Moved>(
        `SELECT s.release_id, s.artist, s.artist_display, s.title FROM scores s
         WHERE s.lowest_price > 0 AND s.title IS NOT NULL
         ORDER BY s.release_id LIMIT 3`,
      );
      assertEquals(moved.length, 3);
      const before = await db.count("price_history");
      await db.run(
        `INSERT INTO price_history
         SELECT release_id, max(fetched_at) + INTERVAL 30 DAY, any_value(currency),
                any_value(lowest_price) * (1.5 + release_id % 3), 1, any_value(have),
                any_value(want)
         FROM price_history
         WHERE release_id IN (${moved.map((m) => m.release_id).join(", ")})
           AND lowest_price > 0
         GROUP BY release_id`,
      );
      assertEquals(await db.count("price_history"), before + 3);
    } finally {
      db.close();
    }

    // Value over time and the movers come from the trends stage's tables.
    const trends = await runModule("pipeline/trends.ts", ["--db", ws.db, "--out", ws.out], QUIET);
    assertEquals(trends.code, 0, trends.stderr);

    const dir = `${ws.dir}/charts-again`;
    const run = await runModule(
      "pipeline/charts.ts",
      ["--db", ws.db, "--out", ws.out, "--charts-dir", dir],
      QUIET,
    );
    assertEquals(run.code, 0, run.stderr);

    const files = [];
    for await (const entry of Deno.readDir(dir)) files.push(entry.name);
    // Exactly one SVG and one PNG per chart: no temp files left behind.
    assertEquals(files.sort(), EXPECTED.flatMap((name) => [`${name}.png`, `${name}.svg`]).sort());
    for (const name of EXPECTED) {
      const svg = await Deno.readTextFile(`${dir}/${name}.svg`);
      assertMatch(svg, /^<svg\b[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, name);
      assert(svg.length > 1000, `${name}.svg is nearly empty`);
      const png = await Deno.readFile(`${dir}/${name}.png`);
      assertEquals([...png.slice(0, 8)], [...PNG_SIGNATURE], `${name}.png signature`);
      const { width, height } = pngSize(png);
      assert(width > 600, `${name}.png is ${width} px wide`);
      assert(height > 100, `${name}.png is ${height} px high`);
    }
    const history = await Deno.readTextFile(`${dir}/price_history.svg`);
    // Each line is labelled "Artist – Title" (as the chart shortens it), escaped for XML.
    const escape = (text: string) =>
      text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
    const names = moved.map((m) => escape(shorten(recordLabel(m), 34)));
    for (const name of names) assertStringIncludes(history, name);
    assertStringIncludes(history, "Lowest price (USD");
    assertStringIncludes(
      await Deno.readTextFile(`${dir}/price_distribution.svg`),
      "(USD, log scale)",
    );
  } finally {
    await ws.cleanup();
  }
});

Deno.test("charts with no data: each chart skipped with its reason, last run's files removed", async () => {
  const ws = await tempWorkspace();
  try {
    const pipeline = await runPipeline(ws);
    assertEquals(pipeline.code, 0, pipeline.stderr);
    const dir = `${ws.out}/charts`;
    const before = [...Deno.readDirSync(dir)].map((f) => f.name);
    assert(before.includes("taste_map.png") && before.includes("top_genres.png"), before.join());
    // The collection emptied (and its embeddings gone): no chart has data any more.
    const db = await Database.open(ws.db);
    try {
      await db.run("DELETE FROM scores; DROP TABLE embeddings");
    } finally {
      db.close();
    }
    const run = await runModule("pipeline/charts.ts", ["--db", ws.db, "--out", ws.out], {
      NEXTSPIN_QUIET: "0",
    });
    assertEquals(run.code, 0, run.stderr);
    const lines = run.stderr.split("\n").filter((l) => l.startsWith("[charts] "));
    assertEquals(lines.filter((l) => l.startsWith("[charts] wrote")), [], run.stderr);
    for (const name of STANDARD_CHART_NAMES) {
      const skipped = lines.filter((l) => l.startsWith(`[charts] skipped ${name}: `));
      assertEquals(skipped.length, 1, `${name}: ${run.stderr}`);
    }
    assertStringIncludes(
      lines.find((l) => l.startsWith("[charts] skipped top_genres: "))!,
      `(removed the previous run's ${dir}/top_genres.svg and ${dir}/top_genres.png)`,
    );
    assertStringIncludes(run.stderr, `0 of ${STANDARD_CHART_NAMES.length} charts written`);
    assertEquals([...Deno.readDirSync(dir)], [], "stale chart files left behind");
  } finally {
    await ws.cleanup();
  }
});

Deno.test("charts on an empty workspace: exit 2, one line saying to run the score stage", async () => {
  const ws = await tempWorkspace();
  try {
    const run = await runModule("pipeline/charts.ts", ["--db", ws.db, "--out", ws.out], QUIET);
    assertEquals(run.code, 2, run.stderr);
    assertStringIncludes(run.stderr, "run `deno task score` first");
    assertEquals(run.stderr.trim().split("\n").length, 1, run.stderr);
    assertNotMatch(run.stderr, /\n\s+at |Error:\s*$|stack/i);
    // Nothing drawn.
    const drawn = await Deno.stat(`${ws.out}/charts`).then(() => true, () => false);
    assert(!drawn, "a charts folder was written");
  } finally {
    await ws.cleanup();
  }
});
