/**
 * The release index against the scan it replaces: on the test catalogue made from the fake
 * Discogs (18,681 releases, three parts) and gustw's CSV export — plus records the catalogue
 * does not hold, so artists and labels also match by name — the catalogue source through the
 * index gathers exactly the rows (same ids, order, every column), facts and market it gathers
 * scanning the Parquet with DuckDB; the first cut's scores are the same doubles. The index is
 * built once, kept, and rebuilt for a part whose files changed; index files of parts gone are
 * removed.
 */
import { join } from "node:path";
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../lib/testing/assert.ts";
import { POOL_ROW_DDL } from "../lib/pool/load.ts";
import { catalogSource } from "../lib/pool/sources/catalog.ts";
import type { SourceContext } from "../lib/pool/sources/types.ts";
import {
  ensureReleaseIndex,
  postingsPath,
  RELEASE_INDEX_DIR,
} from "../lib/catalog/release_index.ts";
import { openPostings } from "../lib/catalog/postings.ts";
import { writeFakeCatalogue } from "./catalog_fixture.ts";
import { writeTestCatalogue } from "../lib/catalog/testing.ts";
import { fixturePath, runModule, tempWorkspace } from "./helpers.ts";

async function gather(ctx: SourceContext, index: boolean) {
  const { db } = ctx;
  if (index) Deno.env.delete("NEXTSPIN_CATALOG_INDEX");
  else Deno.env.set("NEXTSPIN_CATALOG_INDEX", "off");
  try {
    await db.run(`CREATE OR REPLACE TEMP TABLE pool_candidates (${POOL_ROW_DDL})`);
    const lines: string[] = [];
    const report = await catalogSource.gather({ ...ctx, info: (l) => lines.push(l) }, 0);
    const rows = await db.all("SELECT * FROM pool_candidates ORDER BY source_row");
    const facts = await db.all("SELECT * FROM catalog_facts ORDER BY release_id");
    const market = await db.all("SELECT * FROM catalog_market ORDER BY token");
    return { report, rows, facts, market, lines };
  } finally {
    Deno.env.delete("NEXTSPIN_CATALOG_INDEX");
  }
}

Deno.test({
  name: "release index: the catalogue source gathers exactly what the scan gathers, and keeps it",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const ws = await tempWorkspace();
    try {
      const catalog = join(ws.dir, "catalog");
      const fake = await writeFakeCatalogue(catalog);
      const ingest = await runModule("pipeline/ingest.ts", [
        "--db",
        ws.db,
        "--out",
        ws.out,
        "--collection",
        fixturePath("exports/gustw_collection.csv"),
      ], { NEXTSPIN_QUIET: "1" });
      assertEquals(ingest.code, 0, ingest.stderr);
      const db = await Database.open(ws.db);
      try {
        // Not enriched: the workspace has no release bodies, only the export's columns.
        await db.run(`CREATE TABLE IF NOT EXISTS releases (release_id BIGINT, master_id BIGINT,
          styles VARCHAR[], genres VARCHAR[], labels VARCHAR[], artists VARCHAR[], year INTEGER)`);
        // Records the catalogue does not hold, by artists and labels it does: matched by name.
        await db.run(`INSERT INTO collection BY NAME
          SELECT release_id + 900000000 AS release_id, artist_display, title || ' (bootleg)' AS title,
                 label, released_year, source_line + 10000 AS source_line
          FROM collection ORDER BY release_id LIMIT 25`);
        const ctx: SourceContext = {
          db,
          target: "pool_candidates",
          currency: "USD",
          offline: true,
          authenticated: false,
          files: [],
          includeOtherPressings: false,
          info: () => {},
          catalog: { dir: catalog, candidates: 2000 },
        };
        const scan = await gather(ctx, false);
        assertEquals(scan.report.details?.prefilter, "scan");
        const indexed = await gather(ctx, true);
        assertEquals(indexed.report.details?.prefilter, "index");
        assert(
          indexed.lines.some((l) => l.includes("indexed 1 of 1 parts")) ||
            indexed.lines.some((l) => /indexed \d+ of \d+ parts/.test(l)),
          indexed.lines.join("\n"),
        );
        assertEquals(indexed.rows.length, 2000);
        assertEquals(indexed.rows, scan.rows);
        assertEquals(indexed.facts, scan.facts);
        assertEquals(indexed.market, scan.market);
        assert(scan.facts.length > fake.gustwIds.length, "facts of owned records and picks");

        // Kept: the second run builds nothing.
        const again = await gather(ctx, true);
        assertEquals(again.report.details?.index_built_seconds, 0);
        assertEquals(again.rows, scan.rows);

        // A new workspace over the same catalogue reads the market base kept beside the index
        // instead of counting the catalogue again.
        const kept = join(catalog, RELEASE_INDEX_DIR, "market_base.json");
        await db.run("DELETE FROM catalog_market_base");
        assertEquals((await gather(ctx, true)).market, scan.market);
        const base = JSON.parse(await Deno.readTextFile(kept));
        const size = base.tokens.find(([t]: [string]) => t === "");
        size[1] += 1000; // planted, to see it is what the next run reads
        await Deno.writeTextFile(kept, JSON.stringify(base));
        await db.run("DELETE FROM catalog_market_base");
        const planted = await gather(ctx, true);
        const total = (m: Record<string, unknown>[]) => Number(m.find((r) => r.token === "")!.n);
        assertEquals(total(planted.market), total(scan.market) + 1000);
        await Deno.remove(kept);
        await db.run("DELETE FROM catalog_market_base");

        // Other pressings asked for: the same again on both paths.
        const wide = { ...ctx, includeOtherPressings: true };
        assertEquals((await gather(wide, true)).rows, (await gather(wide, false)).rows);
      } finally {
        db.close();
      }
    } finally {
      await ws.cleanup();
    }
  },
});

Deno.test("release index: a changed part is rebuilt, a removed one's files go", async () => {
  const ws = await tempWorkspace();
  try {
    const catalog = join(ws.dir, "catalog");
    await writeFakeCatalogue(catalog);
    const db = await Database.open(":memory:");
    try {
      const first = await ensureReleaseIndex(db, catalog, () => {});
      assert(first.builtParts >= 1);
      const kept = await ensureReleaseIndex(db, catalog, () => {});
      assertEquals(kept.builtParts, 0, "kept until the catalogue changes");
      // A part rewritten (its modification time moves): rebuilt.
      const part = first.parts[0].name;
      const file = join(catalog, "release_styles", part);
      await Deno.utime(file, new Date(), new Date(Date.now() + 5_000));
      const rebuilt = await ensureReleaseIndex(db, catalog, () => {});
      assertEquals(rebuilt.builtParts, 1);
      // The postings follow the parts: built from what the index holds now.
      const postings = openPostings(postingsPath(catalog))!;
      postings.close();
      assertEquals(postings.signature, rebuilt.signature);
      assert(postings.signature !== first.signature);
      // Gone or damaged: built again, the parts kept.
      await Deno.writeTextFile(postingsPath(catalog), "damaged");
      const repaired = await ensureReleaseIndex(db, catalog, () => {});
      assertEquals(repaired.builtParts, 0);
      const again = openPostings(postingsPath(catalog))!;
      again.close();
      assertEquals(again.signature, rebuilt.signature);
      // An index file of a part the catalogue no longer has is removed.
      const stray = join(catalog, RELEASE_INDEX_DIR, "999999990-999999999.bin");
      await Deno.writeTextFile(stray, "old");
      await ensureReleaseIndex(db, catalog, () => {});
      await Deno.stat(stray).then(
        () => assert(false, "stray index file kept"),
        (e) => assert(e instanceof Deno.errors.NotFound),
      );
      // The whole index's postings are not a part's: kept.
      await Deno.stat(postingsPath(catalog));
    } finally {
      db.close();
    }
  } finally {
    await ws.cleanup();
  }
});

Deno.test("release index: while parts are built, a line of progress: how many, how fast, how long is left", async () => {
  const ws = await tempWorkspace();
  const db = await Database.open(":memory:");
  try {
    const catalog = join(ws.dir, "catalog");
    const releases = Array.from({ length: 90 }, (_, i) => ({
      id: 1 + i,
      title: `Record ${i}`,
      year: 1990 + (i % 20),
      artists: [{ id: 1 + (i % 7), name: `Artist ${i % 7}` }],
      labels: [{ id: 1 + (i % 5), name: `Label ${i % 5}` }],
      styles: ["Dub"],
    }));
    await writeTestCatalogue(catalog, { releases }, { partSize: 30 });
    const lines: string[] = [];
    const built = await ensureReleaseIndex(db, catalog, (l) => lines.push(l), {
      progressEveryMs: 0,
    });
    assertEquals(built.builtParts, 3);
    assertStringIncludes(lines[0], "3 of 3 parts …");
    const progress = lines.filter((l) => /indexed \d of 3 parts \(/.test(l));
    assertEquals(progress.length, 2, lines.join("\n"));
    assertMatch(progress[0], /indexed 1 of 3 parts \([\d,]+ releases\/s, about \d+ (s|min) left\)/);
    assertMatch(lines.at(-1)!, /indexed 3 of 3 parts in [\d.]+ s/);
    // Nothing to build: nothing said.
    const quiet: string[] = [];
    await ensureReleaseIndex(db, catalog, (l) => quiet.push(l), { progressEveryMs: 0 });
    assertEquals(quiet, []);
  } finally {
    db.close();
    await ws.cleanup();
  }
});
