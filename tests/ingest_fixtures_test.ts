/**
 * Ingest on every real export variant in ../shared/fixtures/exports, and on the bad inputs a
 * collector can hand us. Row counts are those of the files (data lines; no file there has a
 * multi-line cell or a bad release_id).
 */
import { InputError } from "../lib/errors.ts";
import { ingestExports } from "../lib/ingest/mod.ts";
import {
  assert,
  assertEquals,
  assertNotMatch,
  assertRejects,
  assertStringIncludes,
} from "../lib/testing/assert.ts";
import { fixturePath, runModule, tempWorkspace, withTempDb } from "./helpers.ts";

type Row = Record<string, unknown>;

const withDb = withTempDb;

const COLLECTIONS: Record<string, { rows: number; distinct: number }> = {
  "gustw_collection.csv": { rows: 316, distinct: 315 },
  "mouse-reeve_collection.csv": { rows: 68, distinct: 68 },
  "jelambert_collection.csv": { rows: 23, distinct: 23 },
  "davide-bergamini_collection.csv": { rows: 5, distinct: 5 },
};

for (const [file, expected] of Object.entries(COLLECTIONS)) {
  Deno.test(`collection export ${file} loads every row`, () =>
    withDb(async (db) => {
      const summary = await ingestExports(db, { collection: fixturePath(`exports/${file}`) });
      assertEquals(summary.collectionRows, expected.rows);
      assertEquals(summary.rejects, []);
      const n = await db.one<{ n: number; keys: number }>(
        "SELECT count(DISTINCT release_id) AS n, count(DISTINCT instance_key) AS keys FROM collection",
      );
      assertEquals(n, { n: expected.distinct, keys: expected.rows });
      assertEquals(await db.count("wantlist"), 0, "the wantlist table exists, empty");
    }));
}

Deno.test("gustw: one release owned twice is two copies; conditions and dates are typed", () =>
  withDb(async (db) => {
    await ingestExports(db, { collection: fixturePath("exports/gustw_collection.csv") });
    const twice = await db.all<Row>(
      "SELECT instance_key FROM collection WHERE release_id IN (SELECT release_id FROM collection GROUP BY 1 HAVING count(*) = 2) ORDER BY 1",
    );
    assertEquals(twice.length, 2);
    assert(
      String(twice[0].instance_key).endsWith("#1") && String(twice[1].instance_key).endsWith("#2"),
    );
    const first = await db.one<Row>("SELECT * FROM collection WHERE source_line = 2");
    assertEquals(first!.release_id, 3068785);
    assertEquals(first!.artist, "Augustus Pablo");
    assertEquals(first!.format, "LP, Album, RE, RM");
    assertEquals(first!.released_year, 2011);
    assertEquals((first!.date_added as Date).toISOString(), "2020-11-18T19:17:05.000Z");
    assertEquals(first!.folder, "Uncategorized");
    const conditions = await db.all<{ media_condition: string }>(
      "SELECT DISTINCT media_condition FROM collection WHERE media_condition IS NOT NULL ORDER BY 1",
    );
    assert(conditions.some((c) => c.media_condition === "Near Mint (NM or M-)"));
    const suffixed = await db.one<Row>(
      "SELECT artist, artist_display FROM collection WHERE regexp_matches(artist, ' \\(\\d+\\)$') LIMIT 1",
    );
    assert(suffixed, "the gustw export has Discogs artist suffixes");
    assertEquals(suffixed!.artist_display, String(suffixed!.artist).replace(/ \(\d+\)$/, ""));
  }));

Deno.test("mouse-reeve: custom collection fields are kept as a JSON map", () =>
  withDb(async (db) => {
    await ingestExports(db, { collection: fixturePath("exports/mouse-reeve_collection.csv") });
    const row = await db.one<{ custom_fields: string; title: string }>(
      "SELECT custom_fields, title FROM collection WHERE release_id = 4235004",
    );
    assertEquals(row!.title, "Shrines");
    assertEquals(JSON.parse(row!.custom_fields), { "Purchased At": "Amoeba", "Color": "Teal" });
    assertEquals(await db.count("collection"), 68);
  }));

Deno.test("jelambert: pandas re-save with index column, Catalognum, DateAdded and 3.0 ratings", () =>
  withDb(async (db) => {
    await ingestExports(db, { collection: fixturePath("exports/jelambert_collection.csv") });
    const row = await db.one<Row>("SELECT * FROM collection WHERE release_id = 19507378");
    assertEquals(row!.catalog_number, "081227891992, ROGV-128");
    assertEquals(row!.artist, "Dr. John");
    assertEquals((row!.date_added as Date).toISOString(), "2021-11-18T17:52:30.000Z");
    const rated = await db.one<Row>("SELECT rating FROM collection WHERE release_id = 1132195");
    assertEquals(rated!.rating, 3);
  }));

Deno.test("wantlist exports: the unnamed 10th field is the date added; pandas variant too", () =>
  withDb(async (db) => {
    const mouse = await ingestExports(db, {
      wantlist: fixturePath("exports/mouse-reeve_wantlist.csv"),
    });
    assertEquals(mouse.wantlistRows, 29);
    const horses = await db.one<Row>("SELECT * FROM wantlist WHERE release_id = 4619668");
    assertEquals(horses!.title, "Horses");
    assertEquals((horses!.date_added as Date).toISOString(), "2014-12-06T21:34:01.000Z");
    const catno = await db.one<Row>(
      "SELECT catalog_number FROM wantlist WHERE release_id = 5626668",
    );
    assertEquals(catno!.catalog_number, "3773993, none");

    const jel = await ingestExports(db, {
      wantlist: fixturePath("exports/jelambert_wantlist.csv"),
    });
    assertEquals(jel.wantlistRows, 359);
    assertEquals(jel.collectionRows, 0, "no collection was loaded");
  }));

Deno.test("loading a wantlist later keeps the collection", () =>
  withDb(async (db) => {
    await ingestExports(db, { collection: fixturePath("exports/davide-bergamini_collection.csv") });
    const summary = await ingestExports(db, {
      wantlist: fixturePath("exports/mouse-reeve_wantlist.csv"),
    });
    assertEquals(summary.collectionRows, 5);
    assertEquals(summary.wantlistRows, 29);
  }));

/** The older 11-column export, saved by a spreadsheet: BOM, CRLF, day-first dates, quirks. */
const OLD_VARIANT = "\uFEFF" + [
  "Catalog#,Artist,Title,Label,Format,Rating,Released,release_id,CollectionFolder,Date Added,Collection Notes",
  'SHADOW 50,Dillinja (2),The Angels Fell,Metalheadz,"12"", 33 ⅓ RPM",,0,1001,Uncategorized,23/04/2023 04:38,"first line',
  'second line"',
  "X1,Nobody,Bad Id,Nolabel,LP,,1995,abc,Uncategorized,23/04/2023 04:38,",
  "X2,Nobody,Empty Id,Nolabel,LP,,1995,,Uncategorized,23/04/2023 04:38,",
  'none,"Alpha (3), Beta (12) & Gamma (2) Vs. Delta",Split,Lab,12",5,2011-03-00,1002,Uncategorized,04/23/2023 16:05,',
].join("\r\n") + "\r\n";

Deno.test("older 11-column variant with BOM, CRLF, multi-line notes and bad rows", () =>
  withDb(async (db, dir) => {
    const path = `${dir}/old.csv`;
    await Deno.writeTextFile(path, OLD_VARIANT);
    const summary = await ingestExports(db, { collection: path });
    assertEquals(summary.collectionRows, 2);
    assertEquals(summary.rejects.map((r) => [r.line, r.reason]), [
      [4, 'release_id "abc" is not a number'],
      [5, "release_id is empty"],
    ]);
    const rows = await db.all<Row>("SELECT * FROM collection ORDER BY release_id");
    assertEquals(rows[0].artist, "Dillinja (2)");
    assertEquals(rows[0].artist_display, "Dillinja");
    assertEquals(rows[0].released_year, null, "Released 0 means unknown");
    assertEquals(rows[0].format, '12", 33 ⅓ RPM');
    assertEquals(rows[0].notes, "first line\r\nsecond line");
    assertEquals((rows[0].date_added as Date).toISOString(), "2023-04-23T04:38:00.000Z");
    assertEquals(rows[0].source_line, 2);
    assertEquals(rows[1].artist_display, "Alpha, Beta & Gamma Vs. Delta");
    assertEquals(rows[1].released_year, 2011);
    assertEquals(rows[1].rating, 5);
    assertEquals(
      (rows[1].date_added as Date).toISOString(),
      "2023-04-23T16:05:00.000Z",
      "month-first fallback",
    );
    assertEquals(rows[1].source_line, 6);
    assertEquals(await db.count("ingest_rejects"), 2);
  }));

Deno.test("unusable files are refused with a clear message and leave the tables untouched", () =>
  withDb(async (db, dir) => {
    await ingestExports(db, { collection: fixturePath("exports/davide-bergamini_collection.csv") });
    const cases: [string, string | Uint8Array, string][] = [
      ["empty.csv", "", "the file is empty"],
      ["blank.csv", "\uFEFF\r\n\r\n", "the file is empty"],
      ["cover.jpg", new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]), "binary file"],
      ["notes.csv", "Artist,Title\nA,B\n", "no release_id column"],
    ];
    for (const [name, content, message] of cases) {
      const path = `${dir}/${name}`;
      if (typeof content === "string") await Deno.writeTextFile(path, content);
      else await Deno.writeFile(path, content);
      const error = await assertRejects(
        () => ingestExports(db, { collection: path }),
        InputError,
        message,
      );
      assertStringIncludes(error.message, path);
    }
    await assertRejects(
      () => ingestExports(db, { collection: `${dir}/nope.csv` }),
      InputError,
      "file not found",
    );
    await assertRejects(() => ingestExports(db, {}), InputError, "--collection FILE");
    assertEquals(await db.count("collection"), 5, "a refused file changes nothing");
  }));

Deno.test("the ingest task exits 2 naming the file and both headers, without a stack trace", async () => {
  const ws = await tempWorkspace();
  try {
    const seed = fixturePath("exports/seed_enriched_collection.csv");
    const run = await runModule("pipeline/ingest.ts", [
      "--collection",
      seed,
      "--db",
      ws.db,
      "--out",
      ws.out,
    ]);
    assertEquals(run.code, 2);
    assertStringIncludes(run.stderr, seed);
    assertStringIncludes(run.stderr, "header found:    Artist,Title,Label,Genre");
    assertStringIncludes(
      run.stderr,
      "header expected: Catalog#,Artist,Title,Label,Format,Rating,Released,release_id",
    );
    assertNotMatch(run.stderr, /\n\s+at /);

    const bad = `${ws.dir}/bad.csv`;
    await Deno.writeTextFile(bad, OLD_VARIANT);
    const partial = await runModule("pipeline/ingest.ts", [
      "--collection",
      bad,
      "--db",
      ws.db,
      "--out",
      ws.out,
    ]);
    assertEquals(partial.code, 0, "a file with some bad rows loads the good ones");
    assertStringIncludes(partial.stderr, `${bad}:4: skipped, release_id "abc" is not a number`);
    assertStringIncludes(partial.stderr, `${bad}:5: skipped, release_id is empty`);
  } finally {
    await ws.cleanup();
  }
});
