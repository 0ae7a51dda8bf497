/**
 * Every stage's summary line on the bundled sample, checked against the tables it wrote: the
 * numbers a collector reads in the log must be the numbers in the workspace (copies vs
 * releases, candidates, recommendations per kind, snapshots, charts).
 */
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals } from "../lib/testing/assert.ts";
import { runModule, tempWorkspace } from "./helpers.ts";

/** The one log line of `stage` matching `pattern`, its numbers (commas dropped). */
function numbers(log: string, stage: string, pattern: RegExp): number[] {
  const lines = log.split("\n").filter((l) => l.startsWith(`[${stage}] `));
  const line = lines.find((l) => pattern.test(l));
  assert(line, `no [${stage}] line matching ${pattern} in:\n${lines.join("\n")}`);
  return [...line.match(pattern)!].slice(1).map((n) => Number(n.replaceAll(",", "")));
}

Deno.test("the sample's stage summary lines count what the tables hold", async () => {
  const ws = await tempWorkspace();
  try {
    const run = await runModule("pipeline/pipeline.ts", ["--db", ws.db, "--out", ws.out], {
      NEXTSPIN_QUIET: "0",
    });
    assertEquals(run.code, 0, run.stderr);
    const log = run.stderr + run.stdout;
    const manifest = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
    const db = await Database.open(ws.db);
    const n = async (sql: string) => Number((await db.one<{ n: number }>(sql))!.n);
    try {
      // ingest: rows of the export are copies (316), not releases (315).
      const [copies, distinct, wanted, skipped] = numbers(
        log,
        "ingest",
        /^\[ingest\] collection: (\d+) copies of (\d+) releases; wantlist: (\d+) releases; (\d+) rows skipped/,
      );
      assertEquals(copies, await n("SELECT count(*) AS n FROM collection"));
      assertEquals(distinct, await n("SELECT count(DISTINCT release_id) AS n FROM collection"));
      assertEquals(wanted, await n("SELECT count(*) AS n FROM wantlist"));
      assertEquals(skipped, await n("SELECT count(*) AS n FROM ingest_rejects"));
      assertEquals([copies, await n("SELECT count(DISTINCT release_id) AS n FROM collection")], [
        316,
        315,
      ]);

      // enrich: releases with market data, and one snapshot per release on a first run.
      const [bodies, fresh, cachedAlready] = numbers(
        log,
        "enrich",
        /: (\d+) release bodies \((\d+) new or changed, (\d+) already cached/,
      );
      assertEquals([bodies, fresh, cachedAlready], [315, 315, 0]);
      const [enriched, missing, notFound, rejected, snapshots] = numbers(
        log,
        "enrich",
        /(\d+) releases enriched \(USD\); (\d+) missing, (\d+) not found on Discogs, (\d+) rejected; (\d+) new price snapshots/,
      );
      assertEquals(
        enriched,
        await n("SELECT count(*) AS n FROM releases WHERE source = 'release'"),
      );
      assertEquals(missing + notFound + rejected, 0);
      assertEquals(snapshots, await n("SELECT count(*) AS n FROM price_history"));
      assertEquals(snapshots, enriched);

      // score: one row per release; ranked ones, and the ones held out, as the table has them.
      const [scored, ranked, needMarket, suspect] = numbers(
        log,
        "score",
        /(\d+) releases scored at price weight [\d.]+ \([^)]*\); (\d+) ranked, (\d+) need market data \(listed apart\), (\d+) with a suspect lowest price held out/,
      );
      assertEquals(scored, await n("SELECT count(*) AS n FROM scores"));
      assertEquals(scored, await n("SELECT count(DISTINCT release_id) AS n FROM scores"));
      assertEquals(ranked, await n("SELECT count(value_rank) AS n FROM scores"));
      assertEquals(
        needMarket,
        await n("SELECT count(*) AS n FROM scores WHERE held_out = 'needs market data'"),
      );
      assertEquals(suspect, await n("SELECT count(*) AS n FROM scores WHERE suspect_price"));
      assertEquals(scored, ranked + needMarket + suspect);

      // pool: kept = gathered − duplicates − owned, and the table holds what was kept.
      const [pooled, gathered, duplicates, owned] = numbers(
        log,
        "pool",
        /([\d,]+) candidates in the pool \(([\d,]+) gathered, ([\d,]+) duplicates and ([\d,]+) you own removed\)/,
      );
      assertEquals(pooled, await n("SELECT count(*) AS n FROM pool"));
      assertEquals(pooled, gathered - duplicates - owned);
      assert(duplicates > 0, "the sample's pool files overlap: duplicates are removed");

      // embed: every collection release and every pool candidate.
      const [embedded] = numbers(log, "embed", /([\d,]+) releases embedded in \d+ dimensions/);
      assertEquals(embedded, await n("SELECT count(*) AS n FROM embeddings"));
      assertEquals(embedded, scored + pooled);

      // recommend: shelves and recommendations per kind.
      const [shelves, gems, links, cuts, candidates] = numbers(
        log,
        "recommend",
        /(\d+) taste shelves .*; (\d+) gems, (\d+) missing links, (\d+) deep cuts from ([\d,]+) candidates/,
      );
      assertEquals(shelves, await n("SELECT count(*) AS n FROM shelves"));
      const kind = (k: string) =>
        n(`SELECT count(*) AS n FROM recommendations WHERE kind = '${k}'`);
      assertEquals([gems, links, cuts], [
        await kind("gem"),
        await kind("missing_link"),
        await kind("deep_cut"),
      ]);
      assertEquals(candidates, pooled);

      // charts: the files written are the charts the line counts.
      const [written, total] = numbers(log, "charts", /(\d+) of (\d+) charts written to /);
      const files = [...Deno.readDirSync(`${ws.out}/charts`)].filter((f) =>
        f.name.endsWith(".png")
      );
      assertEquals(files.length, written);
      assertEquals(manifest.stages.charts.summary.charts.length, written);
      assertEquals(
        total - written,
        manifest.stages.charts.summary.skipped.length,
        "skipped charts counted",
      );
      const wroteLines = log.split("\n").filter((l) => l.startsWith("[charts] wrote "));
      assertEquals(wroteLines.length, written, "one 'wrote' line per real chart");

      // report: the releases it shows are the scored releases.
      const [reported] = numbers(
        log,
        "report",
        /wrote .*report\.html \([\d.]+ KiB, (\d+) releases\)/,
      );
      assertEquals(reported, scored);

      // The manifest's table counts agree with the tables.
      for (
        const [stage, info] of Object.entries(manifest.stages) as [
          string,
          { tables?: Record<string, number> },
        ][]
      ) {
        for (const [table, count] of Object.entries(info.tables ?? {})) {
          assertEquals(count, await n(`SELECT count(*) AS n FROM ${table}`), `${stage}: ${table}`);
        }
      }
    } finally {
      db.close();
    }
  } finally {
    await ws.cleanup();
  }
});
