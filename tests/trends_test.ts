/**
 * Value over time on the sample enriched more than once: the fake Discogs moves prices between
 * fetches (`priceDrift`), so each `enrich --max-age 0s` is a new pass; `deno task trends` then
 * writes the value history, the movers with reasons and the forecasts (withheld: three passes
 * are not enough history), and the charts stage draws value over time and the movers.
 */
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { startFakeDiscogs } from "./fake_discogs/server.ts";
import { runModule, tempWorkspace } from "./helpers.ts";

Deno.test("the sample enriched three times: value history, movers, charts", async () => {
  const fake = await startFakeDiscogs({ windowMs: 1000, authenticatedLimit: 400, priceDrift: 0.1 });
  const ws = await tempWorkspace();
  const env = {
    DISCOGS_TOKEN: "live-token",
    DISCOGS_API_URL: fake.url,
    DISCOGS_RATE_WINDOW: "1s",
    NEXTSPIN_QUIET: "1",
  };
  const run = (module: string, args: string[]) =>
    runModule(module, [...args, "--db", ws.db, "--out", ws.out], env);
  try {
    const ingest = await run("pipeline/ingest.ts", ["--username", "gustw"]);
    assertEquals(ingest.code, 0, ingest.stderr);
    for (let pass = 0; pass < 3; pass++) {
      const enrich = await run("pipeline/enrich.ts", pass === 0 ? [] : ["--max-age", "0s"]);
      assertEquals(enrich.code, 0, enrich.stderr);
    }
    assertEquals((await run("pipeline/score.ts", [])).code, 0);
    const trends = await runModule(
      "pipeline/trends.ts",
      ["--db", ws.db, "--out", ws.out],
      { ...env, NEXTSPIN_QUIET: "0" },
    );
    assertEquals(trends.code, 0, trends.stderr);
    assertStringIncludes(trends.stderr, "3 enrichment passes of value history");
    assertStringIncludes(trends.stdout, "Collection value over time (USD, copies counted)");
    assertStringIncludes(trends.stdout, "Movers (");

    const db = await Database.open(ws.db);
    try {
      const history = await db.all<
        { snapshot: number; total_value: number; copies_priced: number }
      >(
        "SELECT snapshot, total_value, copies_priced FROM value_history ORDER BY snapshot",
      );
      assertEquals(history.map((h) => h.snapshot), [1, 2, 3]);
      assert(history[0].total_value !== history[2].total_value, "the value moved");
      // The sample owns one release twice: copies count.
      const owned = await db.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM collection");
      assert(history[0].copies_priced <= owned!.n);
      const moves = await db.all<
        { kind: string; change_pct: number | null; reason: string; artist: string }
      >("SELECT kind, change_pct, reason, artist FROM price_moves");
      assert(moves.length > 20, `${moves.length} movers`);
      for (const m of moves) {
        if (m.change_pct !== null) assert(Math.abs(m.change_pct) >= 0.05 - 1e-9, "threshold");
        assert(m.reason.length > 10 && m.artist, "each move has a reason and a name");
      }
      assert(moves.some((m) => m.kind === "gone"), "listings disappear");
      const forecasts = await db.all<{ shown: boolean; message: string }>(
        "SELECT shown, message FROM forecasts WHERE scope = 'collection'",
      );
      assertEquals(forecasts.length, 1);
      assertEquals(forecasts[0].shown, false);
      assertStringIncludes(forecasts[0].message, "not enough history to forecast (3 priced");
    } finally {
      db.close();
    }
    const csv = await Deno.readTextFile(`${ws.out}/price_moves.csv`);
    assertStringIncludes(csv.split("\n")[0], "change_pct");

    // A higher threshold keeps fewer movers.
    const strict = await run("pipeline/trends.ts", ["--threshold", "25%"]);
    assertEquals(strict.code, 0, strict.stderr);
    const bad = await run("pipeline/trends.ts", ["--threshold", "lots"]);
    assertEquals(bad.code, 2);
    assertStringIncludes(bad.stderr, "--threshold: expected a percentage such as 5%");

    const charts = await runModule("pipeline/charts.ts", ["--db", ws.db, "--out", ws.out], {
      NEXTSPIN_QUIET: "0",
    });
    assertEquals(charts.code, 0, charts.stderr);
    for (const name of ["value_over_time", "movers"]) {
      const svg = await Deno.readTextFile(`${ws.out}/charts/${name}.svg`);
      assert(svg.length > 1000, `${name}.svg drawn`);
    }
    assertStringIncludes(
      await Deno.readTextFile(`${ws.out}/charts/value_over_time.svg`),
      "after each of 3 enrichment passes",
    );

    // The report's "Value over time" section: the chart, the movers with reasons, no forecast.
    const report = await runModule("pipeline/report.ts", ["--db", ws.db, "--out", ws.out], {
      NEXTSPIN_QUIET: "1",
    });
    assertEquals(report.code, 0, report.stderr);
    const html = await Deno.readTextFile(`${ws.out}/report.html`);
    assertStringIncludes(html, '<section id="trends"');
    assertStringIncludes(html, "3 enrichment passes; latest value $");
    assertStringIncludes(html, 'id="chart-value_over_time"');
    assertStringIncludes(html, 'id="trends-moves"');
    assertStringIncludes(html, "No forecast of the collection's value: not enough history");
  } finally {
    await fake.close();
    await ws.cleanup();
  }
});

Deno.test("trends on an empty workspace: exit 2, one line saying what to run", async () => {
  const ws = await tempWorkspace();
  try {
    const run = await runModule("pipeline/trends.ts", ["--db", ws.db, "--out", ws.out], {
      NEXTSPIN_QUIET: "1",
    });
    assertEquals(run.code, 2, run.stderr);
    assertStringIncludes(run.stderr, "no `price_history` table yet: run `deno task enrich`");
    assertEquals(run.stderr.trim().split("\n").length, 1, run.stderr);
    const horizon = await runModule("pipeline/trends.ts", ["--horizon", "2y", "--db", ws.db], {});
    assertEquals(horizon.code, 2);
    assertStringIncludes(horizon.stderr, '--horizon "2y": expected a duration');
  } finally {
    await ws.cleanup();
  }
});
