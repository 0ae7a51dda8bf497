import { join } from "node:path";
import { assert, assertEquals } from "../../testing/assert.ts";
import { withTempDb } from "../../../tests/helpers.ts";
import type { Database } from "../../db/mod.ts";
import { type TestRelease, writeTestCatalogue } from "../../catalog/testing.ts";
import { POOL_ROW_DDL } from "../load.ts";
import { catalogSource } from "./catalog.ts";
import type { SourceContext } from "./types.ts";

const DILLINJA = { id: 10, name: "Dillinja" };
const METALHEADZ = { id: 100, name: "Metalheadz", catno: "METH 001" };
const LEMON_D = { id: 20, name: "Lemon D", role: "Remix" };

function release(id: number, extra: Partial<TestRelease> = {}): TestRelease {
  return {
    id,
    title: `Record ${id}`,
    year: 1995,
    country: "UK",
    artists: [{ id: 1000 + id, name: `Artist ${id}` }],
    labels: [{ id: 2000 + id, name: `Label ${id}` }],
    genres: ["Electronic"],
    styles: [],
    formats: [{ name: "Vinyl", qty: 1, descriptions: ['12"'] }],
    ...extra,
  };
}

/**
 * Owned: 1–3 (Jungle by Dillinja on Metalheadz, 1 and 2 remixed by Lemon D, 1 of master 900).
 * Candidates: 4 another pressing of 900; 5 Jungle on Metalheadz; 6 a Jungle record of the 2010s
 * remixed by Lemon D; 7 Jungle of the 1990s; 8 Classical sharing nothing; 9 and 10 pressings of master 901 (10 the main
 * release); 11 Lemon D only as the sleeve's photographer; 100–139 plain Jungle fillers.
 */
const CATALOGUE: TestRelease[] = [
  release(1, {
    artists: [DILLINJA],
    labels: [METALHEADZ],
    styles: ["Jungle"],
    credits: [LEMON_D],
    master_id: 900,
    is_main_release: true,
  }),
  release(2, { artists: [DILLINJA], labels: [METALHEADZ], styles: ["Jungle"], credits: [LEMON_D] }),
  release(3, { artists: [DILLINJA], labels: [METALHEADZ], styles: ["Jungle", "Drum n Bass"] }),
  release(4, { artists: [DILLINJA], styles: ["Jungle"], master_id: 900, year: 2005 }),
  release(5, { labels: [METALHEADZ], styles: ["Jungle"] }),
  release(6, { styles: ["Jungle"], credits: [LEMON_D], year: 2010 }),
  release(7, { styles: ["Jungle"] }),
  release(8, { styles: ["Baroque"], genres: ["Classical"], year: 1975 }),
  release(9, { styles: ["Jungle"], master_id: 901, year: 1996 }),
  release(10, {
    styles: ["Jungle"],
    master_id: 901,
    is_main_release: true,
    year: 1996,
    artists: [{ id: 31, name: "Ed Rush", join: "&" }, { id: 32, name: "Optical (2)" }],
  }),
  release(11, { styles: ["Baroque"], credits: [{ ...LEMON_D, role: "Photography By" }] }),
  ...Array.from({ length: 40 }, (_, i) => release(100 + i, { styles: ["Jungle"], year: 2010 })),
];

async function workspace(db: Database, dir: string): Promise<SourceContext> {
  await writeTestCatalogue(join(dir, "catalog"), { releases: CATALOGUE }, { partSize: 50 });
  // A CSV export without enrichment: no styles, credits or master ids in the workspace.
  await db.run(`CREATE TABLE collection AS SELECT * FROM (VALUES
      (1, 'Dillinja', 'Record 1', 'Metalheadz', 1995, 1),
      (2, 'Dillinja', 'Record 2', 'Metalheadz', 1995, 2),
      (3, 'Dillinja', 'Record 3', 'Metalheadz', 1995, 3)
    ) t(release_id, artist_display, title, label, released_year, source_line)`);
  await db.run(`CREATE TABLE releases (release_id BIGINT, master_id BIGINT, styles VARCHAR[],
    genres VARCHAR[], labels VARCHAR[], artists VARCHAR[], year INTEGER)`);
  await db.run(`CREATE TEMP TABLE pool_candidates (${POOL_ROW_DDL})`);
  return {
    db,
    target: "pool_candidates",
    currency: "USD",
    offline: true,
    authenticated: false,
    files: [],
    includeOtherPressings: false,
    info: () => {},
    catalog: { dir: join(dir, "catalog"), candidates: 6 },
  };
}

interface Row {
  release_id: number;
  artist: string;
  title: string;
  label: string | null;
  styles: string[];
  have: number | null;
  want: number | null;
  lowest_price: number | null;
  master_id: number | null;
  source: string;
  source_row: number;
}

const ROWS_SQL = `SELECT release_id, artist, title, label, styles, have, want, lowest_price,
  master_id, source, source_row FROM pool_candidates ORDER BY source_row`;

Deno.test("catalogue source: a bounded, taste-ordered set, owned and their other pressings left out", async () => {
  await withTempDb(async (db, dir) => {
    const ctx = await workspace(db, dir);
    const lines: string[] = [];
    const report = await catalogSource.gather({ ...ctx, info: (m) => lines.push(m) }, 0);
    assertEquals(report.candidates, 6, "the bound");
    assertEquals(report.warnings, []);
    assertEquals(report.requests, 0);
    const rows = await db.all<Row>(ROWS_SQL);
    const ids = rows.map((r) => r.release_id);
    // 5 shares label, style and decade; 6 style and remixer; then Jungle records of the owned
    // decade (7, the main release 10 of master 901) before the Jungle fillers of the 2010s.
    assertEquals(ids.slice(0, 4), [5, 6, 7, 10]);
    assertEquals(ids.slice(4), [100, 101], "ties by release id");
    for (const excluded of [1, 2, 3, 4, 8, 9, 11]) assert(!ids.includes(excluded), `${excluded}`);
    assertEquals(rows.map((r) => r.source_row), [1, 2, 3, 4, 5, 6]);
    const ten = rows.find((r) => r.release_id === 10)!;
    assertEquals(ten.artist, "Ed Rush & Optical");
    assertEquals(ten.master_id, 901);
    assertEquals(ten.styles, ["Jungle"]);
    assertEquals(rows[0].label, "Metalheadz");
    assert(rows.every((r) => r.have === null && r.want === null && r.lowest_price === null));
    assert(rows.every((r) => r.source === "catalogue"));
    assert(lines.some((l) => l.startsWith("catalogue ") && l.includes("51 releases")), lines[0]);

    // What the catalogue knows of owned records and candidates is kept for the taste.
    const facts = await db.all<{ release_id: number; styles: string[]; credits: unknown[] }>(
      "SELECT release_id, styles, credits FROM catalog_facts WHERE release_id IN (1, 6) ORDER BY 1",
    );
    assertEquals(facts, [
      { release_id: 1, styles: ["Jungle"], credits: [{ name: "Lemon D", role: "Remix" }] },
      { release_id: 6, styles: ["Jungle"], credits: [{ name: "Lemon D", role: "Remix" }] },
    ]);

    // The market taste lift is measured against: the catalogue's counts, spelled as tokens.
    const market = new Map(
      (await db.all<{ token: string; n: number }>("SELECT token, n FROM catalog_market"))
        .map((r) => [r.token, Number(r.n)]),
    );
    assertEquals(market.get(""), 51, "the catalogue's size");
    assertEquals(market.get("style:jungle"), 49);
    assertEquals(market.get("label:metalheadz"), 4);
    assertEquals(market.get("artist:dillinja"), 4);
    assertEquals(market.get("artist:optical"), 1, "Discogs' (2) suffix stripped");
    assertEquals(market.get("decade:1990s"), 8);

    // The same workspace gets the same candidates, in the same order.
    await db.run("DELETE FROM pool_candidates");
    await catalogSource.gather(ctx, 0);
    assertEquals((await db.all<Row>(ROWS_SQL)).map((r) => r.release_id), ids);
  });
});

Deno.test("catalogue source: other pressings of what you own come back when asked for", async () => {
  await withTempDb(async (db, dir) => {
    const ctx = await workspace(db, dir);
    await catalogSource.gather({ ...ctx, includeOtherPressings: true }, 0);
    const ids = (await db.all<Row>(ROWS_SQL)).map((r) => r.release_id);
    assertEquals(ids.slice(0, 2), [5, 4], "Dillinja's other pressing of an owned album is back");
    assert(!ids.includes(1) && !ids.includes(2) && !ids.includes(3));
  });
});

Deno.test("catalogue source: no catalogue, nothing gathered and nothing said", async () => {
  await withTempDb(async (db, dir) => {
    const ctx = await workspace(db, dir);
    const lines: string[] = [];
    const report = await catalogSource.gather({
      ...ctx,
      catalog: { dir: join(dir, "no-catalogue-here") },
      info: (m) => lines.push(m),
    }, 0);
    assertEquals(report.candidates, 0);
    assertEquals(report.warnings, []);
    assertEquals(lines, []);
    assertEquals(await db.count("pool_candidates"), 0);
    assertEquals(await db.tableExists("catalog_facts"), false);
    assertEquals(await db.tableExists("catalog_market"), false);
  });
});

Deno.test("catalogue source: a catalogue that cannot take its index is scanned, same picks, with a warning", async () => {
  await withTempDb(async (db, dir) => {
    const ctx = await workspace(db, dir);
    // Where the index would go, a file: nothing can be written there.
    await Deno.writeTextFile(join(dir, "catalog", ".index"), "not a directory");
    const report = await catalogSource.gather(ctx, 0);
    assertEquals(report.details?.prefilter, "scan");
    assertEquals(report.warnings.length, 1);
    assert(
      /release index could not be (built|written)/.test(report.warnings[0]),
      report.warnings[0],
    );
    assert(report.warnings[0].includes("scanned the whole catalogue"), report.warnings[0]);
    const ids = (await db.all<Row>(ROWS_SQL)).map((r) => r.release_id);
    assertEquals(ids, [5, 6, 7, 10, 100, 101]);
  });
});
