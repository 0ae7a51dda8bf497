/**
 * The default rankings on a real workspace: imputed inputs and suspect prices take no rank and
 * are listed apart, a lone artist is no deep cut, labels are listed once — and
 * `--prototype-ranking` / `--keep-suspect-prices` bring the prototype's behaviour back. Then the
 * same on the bundled sample, through the pipeline as a collector runs it.
 */
import { Database } from "../lib/db/mod.ts";
import { scoreCollection, type ScoreInputRow, scoreInputsFromRows } from "../lib/score/mod.ts";
import { kendallTau, sweepRanks } from "../lib/score/sensitivity.ts";
import { topPicksText } from "../lib/score/summary.ts";
import { scoreLine } from "../lib/score/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { runModule, runPipeline, tempWorkspace, withTempDb } from "./helpers.ts";

async function scoreInputsAt(path: string) {
  const db = await Database.open(path);
  try {
    return scoreInputsFromRows(await db.all<ScoreInputRow>("SELECT * FROM scores"));
  } finally {
    db.close();
  }
}

/** 30 ordinary 12" records, a $0.08 one, one with no price and one by an artist owned once. */
async function loadCrate(db: Database) {
  await db.run(`CREATE TABLE collection AS SELECT
      i::VARCHAR AS instance_key, i AS release_id,
      CASE WHEN i = 103 THEN 'DJ Friction' WHEN i = 101 THEN 'Junk' ELSE 'Artist ' || (i % 10) END
        AS artist,
      CASE WHEN i = 103 THEN 'DJ Friction' WHEN i = 101 THEN 'Junk' ELSE 'Artist ' || (i % 10) END
        AS artist_display,
      'Title ' || i AS title,
      CASE WHEN i = 1 THEN 'Elektra, Elektra, Elektra' ELSE 'Label' END AS label,
      '12"' AS format, 2000 AS released_year, 'crate.csv' AS source_file, i + 1 AS source_line
    FROM (SELECT unnest(range(1, 31)) AS i UNION ALL SELECT unnest([101, 102, 103]))`);
  await db.run(`CREATE TABLE releases AS SELECT
      release_id, NULL::BIGINT AS master_id, ['Electronic'] AS genres, ['Jungle'] AS styles,
      2000 AS year,
      CASE release_id WHEN 102 THEN 900 WHEN 103 THEN 17 WHEN 101 THEN 93 ELSE 100 + release_id END
        AS want,
      CASE release_id WHEN 102 THEN 20 WHEN 103 THEN 30 ELSE 100 END AS have,
      CASE release_id WHEN 101 THEN 0.08 WHEN 102 THEN NULL WHEN 103 THEN 9.0
        ELSE 5.0 + release_id END AS lowest_price,
      3 AS num_for_sale, 'USD' AS currency, NULL::DOUBLE AS rating_average,
      NULL::VARCHAR AS thumbnail_url, NULL::VARCHAR AS cover_url, NULL::VARCHAR AS discogs_url
    FROM collection`);
}

interface Row {
  release_id: number;
  value_rank: number | null;
  smart_buy_rank: number | null;
  essential_rank: number | null;
  deep_cut_rank: number | null;
  deep_cut_why: string;
  held_out: string | null;
  suspect_price: boolean;
  suspect_reason: string | null;
  label: string;
}

const ROWS = "SELECT * FROM scores ORDER BY release_id";
const byId = (rows: Row[], id: number) => rows.find((r) => r.release_id === id)!;
const ranks = (r: Row) => [r.value_rank, r.smart_buy_rank, r.essential_rank, r.deep_cut_rank];

Deno.test("default rankings hold out imputed and suspect-price records, and lone artists' deep cuts", async () => {
  await withTempDb(async (db) => {
    await loadCrate(db);
    const summary = await scoreCollection(db, { priceWeight: 1 });
    const rows = await db.all<Row>(ROWS);
    const junk = byId(rows, 101);
    assertEquals(junk.suspect_price, true);
    assertStringIncludes(
      junk.suspect_reason!,
      "lowest $0.08 looks like a damaged or mislisted copy",
    );
    assertEquals(junk.held_out, "suspect price");
    assertEquals(ranks(junk), [null, null, null, null]);
    const unpriced = byId(rows, 102);
    assertEquals(unpriced.held_out, "needs market data");
    assertEquals(ranks(unpriced), [null, null, null, null]);
    const lone = byId(rows, 103);
    assertEquals(lone.deep_cut_rank, null);
    assert(lone.value_rank !== null);
    assertStringIncludes(lone.deep_cut_why, "the only record of DJ Friction in your crate");
    assertEquals(byId(rows, 1).label, "Elektra");
    assertEquals(rows.filter((r) => r.suspect_price).length, 1);
    assertEquals([summary.ranked, summary.needsMarketData, summary.suspectHeldOut], [31, 1, 1]);
    assertEquals(
      scoreLine(summary, 1, false),
      "33 releases scored at price weight 1 (demand × price^−0.5); 31 ranked, 1 need market data (listed apart), " +
        "1 with a suspect lowest price held out (--keep-suspect-prices keeps them)",
    );
    const text = await topPicksText(db, 10, 1);
    assertStringIncludes(text, "Needs market data (1,");
    assertStringIncludes(text, "Held out: suspect prices (1,");
    assert(!/vs 17 mean want for DJ Friction/.test(text));
  });
});

Deno.test("--prototype-ranking ranks as the prototype; --keep-suspect-prices keeps the junk price", async () => {
  await withTempDb(async (db) => {
    await loadCrate(db);
    await scoreCollection(db, { priceWeight: 1, prototypeRanking: true });
    let rows = await db.all<Row>(ROWS);
    assertEquals(byId(rows, 102).value_rank, 1, "the $30-counted record leads, as it did");
    assertEquals(byId(rows, 101).value_rank, 2);
    assert(byId(rows, 103).deep_cut_rank !== null);
    assertStringIncludes(byId(rows, 103).deep_cut_why, "17 want vs 17 mean want for DJ Friction");
    assertEquals(rows.every((r) => r.held_out === null), true);
    assertEquals(byId(rows, 101).suspect_price, true, "still flagged");
    await scoreCollection(db, { priceWeight: 1, keepSuspectPrices: true });
    rows = await db.all<Row>(ROWS);
    assertEquals(byId(rows, 101).value_rank, 1);
    assertEquals(byId(rows, 102).value_rank, null);
  });
});

Deno.test("on the bundled sample no top 10 holds a suspect price or an imputed input", async () => {
  const ws = await tempWorkspace();
  try {
    const run = await runPipeline(ws);
    assertEquals(run.code, 0, run.stderr);
    const db = await Database.open(ws.db);
    try {
      for (const ranking of ["value", "smart_buy", "essential", "deep_cut"]) {
        const top = await db.all<{ suspect_price: boolean; imputed: string[] }>(
          `SELECT suspect_price, imputed FROM scores WHERE ${ranking}_rank <= 10`,
        );
        assertEquals(top.length, 10, ranking);
        assertEquals(top.filter((r) => r.suspect_price || r.imputed.length > 0), [], ranking);
      }
      const counts = await db.one<{ suspect: number; apart: number; lone: number }>(
        `SELECT count(*) FILTER (suspect_price)::INTEGER AS suspect,
           count(*) FILTER (held_out = 'needs market data')::INTEGER AS apart,
           count(*) FILTER (deep_cut_why LIKE '%the only record of%' AND deep_cut_rank IS NOT NULL)::INTEGER AS lone
         FROM scores`,
      );
      // The 9 prices under $0.50 (the next is $2.58) and the 6 releases with an input missing.
      assertEquals(counts, { suspect: 9, apart: 6, lone: 0 });
      const under = await db.one<{ n: number }>(
        "SELECT count(*)::INTEGER AS n FROM scores WHERE lowest_price < 2.58 AND NOT suspect_price",
      );
      assertEquals(under!.n, 0);
      const deep = await db.all<{ why: string }>(
        "SELECT why FROM recommendations WHERE kind = 'deep_cut'",
      );
      assert(deep.every((r) => !/you own 1\)/.test(r.why)), "deep cuts of artists owned once");
    } finally {
      db.close();
    }
    // The default price model reorders: Crate Picks at weight 0.5 and 10 barely agree, where
    // the prototype's agree almost entirely.
    const records = await scoreInputsAt(ws.db);
    const tau = (priceModel: "demand" | "prototype") => {
      const sweep = sweepRanks(records, [0.5, 10], "value", { priceModel });
      return kendallTau(sweep.byWeight[0].order, sweep.byWeight[1].order);
    };
    assert(tau("demand") < 0.8, `demand model tau ${tau("demand")}`);
    assert(tau("prototype") > 0.9, `prototype model tau ${tau("prototype")}`);
    const csv = await Deno.readTextFile(`${ws.out}/scores.csv`);
    assertStringIncludes(csv.split("\n")[0], "suspect_reason");
    const html = await Deno.readTextFile(`${ws.out}/report.html`);
    assertStringIncludes(html, "315 releases (316 copies)");
    assertStringIncludes(html, "Needs market data (6)");
    assertStringIncludes(html, "Suspect prices (9)");
    assert(!html.includes("Elektra, Elektra"));
    // The prototype's ranking is one flag away, through the CLI.
    const proto = await runModule("pipeline/score.ts", [
      "--db",
      ws.db,
      "--out",
      ws.out,
      "--prototype-ranking",
    ], { NEXTSPIN_QUIET: "1" });
    assertEquals(proto.code, 0, proto.stderr);
    const db2 = await Database.open(ws.db);
    try {
      const held = await db2.one<{ n: number }>(
        "SELECT count(*)::INTEGER AS n FROM scores WHERE value_rank <= 10 AND suspect_price",
      );
      assertEquals(held!.n, 9, "the prototype's top 10 is led by junk prices");
    } finally {
      db2.close();
    }
  } finally {
    await ws.cleanup();
  }
});
