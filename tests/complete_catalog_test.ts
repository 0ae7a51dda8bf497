/**
 * Complete the Set from a catalogue (the Discogs data dump as Parquet, the layout of
 * lib/catalog/schema.ts) instead of the API: a tiny catalogue written here with DuckDB's
 * `COPY … TO … (FORMAT parquet)`, a collection export that was never enriched, and
 * `deno task complete --catalog DIR --offline`. The sets' counts are worked out by hand below
 * from the catalogue's rows; no request is made.
 */
import { join } from "node:path";
import { Database } from "../lib/db/mod.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotMatch,
  assertStringIncludes,
} from "../lib/testing/assert.ts";
import { ensureCache, putResponse, releaseKey } from "../lib/discogs/cache.ts";
import { setOf, tables } from "./complete_world.ts";
import { closedPort, runModule, tempWorkspace } from "./helpers.ts";
import { writeTestCatalogue } from "../lib/catalog/testing.ts";
import { RELEASE_INDEX_DIR } from "../lib/catalog/release_index.ts";

/** id, title, year, master, format summary, major format, label, catno, main artist, credit. */
type Row = [number, string, number, number | null, string, string, number, string, number];
const RELEASES: Row[] = [
  [1001, "Ni-Ten-Ichi-Ryu", 1996, 100, '12", 33 ⅓ RPM', "Vinyl", 10, "PH 1", 1],
  [1002, "Ni-Ten-Ichi-Ryu", 1996, 100, "CD, Single", "CD", 12, "SCI 1", 1],
  [1003, "Modus Operandi", 1997, 101, "2×Vinyl, LP, Album", "Vinyl", 12, "SCI 2", 1],
  [1004, "Modus Operandi", 1997, 101, "CD, Album", "CD", 12, "SCI 3", 1],
  [1005, "The Hidden Camera", 1996, null, '12"', "Vinyl", 10, "PH 2", 1],
  [1006, "UFO", 1995, null, '12"', "Vinyl", 10, "PH 3", 1],
  [1007, "Rings Around Saturn", 1995, null, '12"', "Vinyl", 11, "SUB 1", 1],
  [1008, "Call & Response", 1994, null, '12"', "Vinyl", 10, "PH 4", 2],
  [1009, "Science Sampler", 1998, null, "LP, Comp", "Vinyl", 12, "SCI 4", 2],
  [1010, "Bad Ass", 1996, null, '12"', "Vinyl", 13, "URB 1", 3],
];
/** Photek remixes a track on the sampler: a credit, not a main release. */
const CREDITS = [[1009, 1, "Photek", "Remix"]] as const;
const ARTISTS = [[1, "Photek"], [2, "Source Direct"], [3, "Aphrodite"]] as const;
const LABELS = [[10, "Photek Productions", null], [11, "Photek Sub", 10], [12, "Science", null], [
  13,
  "Urban Takeover",
  null,
]] as const;

async function writeCatalogue(dir: string): Promise<void> {
  const db = await Database.open(join(dir, "build.duckdb"));
  const part = (table: string) => join(dir, table, "000001001-000001010.parquet");
  const values = (rows: readonly (readonly unknown[])[]) =>
    rows.map((r) =>
      `(${r.map((v) => (v === null ? "NULL" : typeof v === "number" ? v : `'${v}'`)).join(", ")})`
    ).join(", ");
  try {
    for (const t of ["releases", "release_artists", "release_labels", "release_formats"]) {
      await Deno.mkdir(join(dir, t), { recursive: true });
    }
    for (const t of ["masters", "artists", "labels"]) await Deno.mkdir(join(dir, t));
    const r = values(RELEASES);
    const copy = (sql: string, table: string) =>
      db.run(`COPY (${sql}) TO '${part(table)}' (FORMAT parquet)`);
    const rel =
      `(VALUES ${r}) v(id, title, year, master_id, fmt, major, label_id, catno, artist_id)`;
    await copy(
      `SELECT id::BIGINT AS id, title, year::INTEGER AS year, year::VARCHAR AS released,
              'UK' AS country, master_id::BIGINT AS master_id, false AS is_main_release,
              'Correct' AS data_quality, NULL::VARCHAR AS status, fmt AS format_summary,
              4 AS track_count FROM ${rel}`,
      "releases",
    );
    await copy(
      `SELECT id::BIGINT AS release_id, 1 AS position, 'main' AS kind,
              artist_id::BIGINT AS artist_id, a.name, NULL::VARCHAR AS anv, NULL::VARCHAR AS join,
              NULL::VARCHAR AS role, NULL::VARCHAR AS tracks
       FROM ${rel} JOIN (VALUES ${values(ARTISTS)}) a(aid, name) ON a.aid = artist_id
       UNION ALL
       SELECT c.rid::BIGINT, 1, 'credit', c.aid::BIGINT, c.name, NULL, NULL, c.role, 'A1'
       FROM (VALUES ${values(CREDITS)}) c(rid, aid, name, role)`,
      "release_artists",
    );
    await copy(
      `SELECT id::BIGINT AS release_id, 1 AS position, label_id::BIGINT AS label_id, l.name, catno
       FROM ${rel} JOIN (VALUES ${values(LABELS)}) l(lid, name, parent) ON l.lid = label_id`,
      "release_labels",
    );
    await copy(
      `SELECT id::BIGINT AS release_id, 1 AS position, major AS name, 1 AS qty,
              NULL::VARCHAR AS text, []::VARCHAR[] AS descriptions FROM ${rel}`,
      "release_formats",
    );
    await copy(
      `SELECT * FROM (VALUES (100::BIGINT, 1001::BIGINT, 'Ni-Ten-Ichi-Ryu', 1996, 'Correct',
                              [1::BIGINT], ['Photek'], ['Electronic'], ['Drum n Bass']),
                             (101, 1003, 'Modus Operandi', 1997, 'Correct', [1], ['Photek'],
                              ['Electronic'], ['Drum n Bass']))
         m(id, main_release, title, year, data_quality, artist_ids, artist_names, genres, styles)`,
      "masters",
    );
    await copy(
      `SELECT aid::BIGINT AS id, name, NULL::VARCHAR AS realname, 'Correct' AS data_quality,
              []::VARCHAR[] AS name_variations,
              []::STRUCT(id BIGINT, name VARCHAR)[] AS aliases,
              []::STRUCT(id BIGINT, name VARCHAR)[] AS groups,
              []::STRUCT(id BIGINT, name VARCHAR)[] AS members
       FROM (VALUES ${values(ARTISTS)}) a(aid, name)`,
      "artists",
    );
    await copy(
      `SELECT lid::BIGINT AS id, name, 'Correct' AS data_quality, parent::BIGINT AS parent_id,
              NULL::VARCHAR AS parent_name,
              CASE WHEN lid = 10 THEN [{'id': 11::BIGINT, 'name': 'Photek Sub'}]
                   ELSE []::STRUCT(id BIGINT, name VARCHAR)[] END AS sublabels
       FROM (VALUES ${values(LABELS)}) l(lid, name, parent)`,
      "labels",
    );
  } finally {
    db.close();
    await Deno.remove(join(dir, "build.duckdb"));
  }
}

const HEADER =
  "Catalog#,Artist,Title,Label,Format,Rating,Released,release_id,CollectionFolder,Date Added,Collection Media Condition,Collection Sleeve Condition,Collection Notes";

Deno.test("complete: sets from a catalogue of the data dump, counted by hand", async () => {
  const ws = await tempWorkspace();
  try {
    const catalog = join(ws.dir, "catalog");
    await writeCatalogue(catalog);
    // Owned: the CD of Ni-Ten-Ichi-Ryu, the Modus Operandi LP, The Hidden Camera, Call & Response.
    const csv = [
      HEADER,
      'SCI 1,Photek,Ni-Ten-Ichi-Ryu,Science,"CD, Single",,1996,1002,Uncategorized,2020-01-01 10:00:00,,,',
      'SCI 2,Photek,Modus Operandi,Science,"2xLP, Album",,1997,1003,Uncategorized,2020-01-01 10:00:00,,,',
      'PH 2,Photek,The Hidden Camera,Photek Productions,"12""",,1996,1005,Uncategorized,2020-01-01 10:00:00,,,',
      'PH 4,Source Direct,Call & Response,Photek Productions,"12""",,1994,1008,Uncategorized,2020-01-01 10:00:00,,,',
    ].join("\n") + "\n";
    await Deno.writeTextFile(join(ws.dir, "collection.csv"), csv);
    // Any request would go nowhere: nothing listens on this port.
    const env = { DISCOGS_API_URL: `http://127.0.0.1:${closedPort()}`, NEXTSPIN_QUIET: "0" };
    const base = ["--db", ws.db, "--out", ws.out];
    const ingest = await runModule(
      "pipeline/ingest.ts",
      [...base, "--collection", join(ws.dir, "collection.csv")],
      env,
    );
    assertEquals(ingest.code, 0, ingest.stderr);
    const complete = (extra: string[]) =>
      runModule("pipeline/complete.ts", [
        ...base,
        ...["--catalog", catalog, "--offline", "--min-owned", "2"],
        ...["--artist", "Aphrodite", "--master", "100", ...extra],
      ], env);

    const run = await complete([]);
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stderr, "format Vinyl assumed: 3 of the 4 copies you own are vinyl");
    assertStringIncludes(run.stderr, "from the catalogue in");
    let t = await tables(ws.db);
    const counts = (kind: string, id: number) => {
      const s = setOf(t, kind, id);
      return [s.owned, s.total];
    };
    // Photek, by album, vinyl: Ni-Ten-Ichi-Ryu (only the CD owned: missing), Modus Operandi
    // (owned), The Hidden Camera (owned), UFO, Rings Around Saturn; the remix credit left out.
    assertEquals(counts("artist", 1), [2, 5]);
    // Photek Productions: 1001, The Hidden Camera (owned), UFO, Call & Response (owned).
    assertEquals(counts("label", 10), [2, 4]);
    // Science, vinyl: Modus Operandi (owned), the sampler.
    assertEquals(counts("label", 12), [1, 2]);
    // Aphrodite, found by name in the catalogue though not owned; the album's vinyl pressings.
    assertEquals(counts("artist", 3), [0, 1]);
    assertEquals(counts("master", 100), [0, 1]);
    // Source Direct (1 record) is under --min-owned 2.
    assertEquals(t.sets.length, 5);
    const photek = setOf(t, "artist", 1);
    assertEquals(photek.unpriced, 3, "offline with no cached body: nothing priced");
    assertStringIncludes(photek.why, "2 of 5 Photek");

    const more = await complete(["--with-sublabels", "--appearances"]);
    assertEquals(more.code, 0, more.stderr);
    t = await tables(ws.db);
    assertEquals(counts("label", 10), [2, 5], "Rings Around Saturn on the sub-label");
    assertEquals(counts("artist", 1), [2, 6], "the remix credit");

    const any = await complete(["--format", "any", "--pressings"]);
    assertEquals(any.code, 0, any.stderr);
    t = await tables(ws.db);
    // Every pressing, every format: 1001–1007 are Photek's; 1002 (CD), 1003, 1005 owned.
    assertEquals(counts("artist", 1), [3, 7]);
    assertEquals(counts("master", 100), [1, 2]);
    assert(t.missing.every((m) => m.lowest_price === null));
  } finally {
    await ws.cleanup();
  }
});

Deno.test("complete: a catalogue written like the catalog stage's, without artist and label tables", async () => {
  const ws = await tempWorkspace();
  try {
    const catalog = join(ws.dir, "catalog");
    const vinyl = [{ name: "Vinyl", descriptions: ['12"'] }];
    const photek = [{ id: 1, name: "Photek" }];
    const label = (id: number, name: string) => [{ id, name, catno: `X${id}` }];
    await writeTestCatalogue(catalog, {
      releases: [
        {
          id: 1,
          title: "UFO",
          year: 1995,
          artists: photek,
          labels: label(10, "Photek Productions"),
          formats: vinyl,
        },
        {
          id: 2,
          title: "Ni-Ten",
          year: 1996,
          master_id: 50,
          artists: photek,
          labels: label(10, "Photek Productions"),
          formats: vinyl,
        },
        {
          id: 3,
          title: "Ni-Ten",
          year: 1997,
          master_id: 50,
          artists: photek,
          labels: label(12, "Science"),
          formats: [{ name: "CD", descriptions: ["Single"] }],
        },
        {
          id: 4,
          title: "Rings",
          year: 1995,
          artists: photek,
          labels: label(10, "Photek Productions"),
          formats: [{ name: "Vinyl", qty: 2, descriptions: ['12"'] }, { name: "CD" }],
        },
      ],
      masters: [{
        id: 50,
        main_release: 2,
        title: "Ni-Ten",
        year: 1996,
        artist_ids: [1],
        artist_names: ["Photek"],
      }],
    });
    const csv = [
      HEADER,
      'X12,Photek,Ni-Ten,Science,"CD, Single",,1997,3,Uncategorized,2020-01-01 10:00:00,,,',
      'X10,Photek,UFO,Photek Productions,"12""",,1995,1,Uncategorized,2020-01-01 10:00:00,,,',
      // No format in the export: the catalogue's own (2×12" + CD) says what it is.
      "X10,Photek,Rings,Photek Productions,,,1995,4,Uncategorized,2020-01-01 10:00:00,,,",
    ].join("\n") + "\n";
    await Deno.writeTextFile(join(ws.dir, "collection.csv"), csv);
    const env = { DISCOGS_API_URL: `http://127.0.0.1:${closedPort()}` };
    const base = ["--db", ws.db, "--out", ws.out];
    const ingest = await runModule("pipeline/ingest.ts", [
      ...base,
      "--collection",
      join(ws.dir, "collection.csv"),
    ], env);
    assertEquals(ingest.code, 0, ingest.stderr);
    // Two records enriched once, crediting an artist and a label the catalogue does not hold (a
    // dump without them): sets it cannot complete, said in one line naming the catalogue.
    {
      const db = await Database.open(ws.db);
      try {
        await ensureCache(db);
        for (const id of [1, 4]) {
          await putResponse(db, {
            url: releaseKey(id, "USD"),
            status: 200,
            body: JSON.stringify({
              id,
              artists: [{ id: 1, name: "Photek" }, { id: 777, name: "Nobody Known" }],
              labels: [{ id: 888, name: "Nowhere Records" }],
            }),
            fetchedAt: new Date(),
            source: "api",
          });
        }
      } finally {
        db.close();
      }
    }
    const complete = (extra: Record<string, string> = {}) =>
      runModule("pipeline/complete.ts", [
        ...base,
        "--catalog",
        catalog,
        "--offline",
        "--min-owned",
        "0",
        "--artist",
        "photek",
        "--label",
        "10",
      ], { ...env, ...extra });
    const run = await complete();
    assertEquals(run.code, 0, run.stderr);

    // Rings' format is the catalogue's: with it, two of the three copies are vinyl.
    assertStringIncludes(run.stderr, "format Vinyl assumed: 2 of the 3 copies you own are vinyl");
    // Your records' own rows came from the release index's cards (built here, once).
    await Deno.stat(join(catalog, RELEASE_INDEX_DIR));
    const t = await tables(ws.db);
    // Read from the whole Parquet instead: the same sets, the same missing records.
    const scan = await complete({ NEXTSPIN_CATALOG_INDEX: "off" });
    assertEquals(scan.code, 0, scan.stderr);
    assertEquals(await tables(ws.db), t);
    // The sets of what you own: those the catalogue lacks said in one line naming it.
    const owned = await runModule("pipeline/complete.ts", [
      ...base,
      ...["--catalog", catalog, "--offline", "--min-owned", "1"],
    ], env);
    assertEquals(owned.code, 0, owned.stderr);
    assertMatch(
      owned.stderr,
      /2 of your \d+ sets are not in the catalogue in .* \(the dump it was built from does not hold them\): (Nobody Known, Nowhere Records|Nowhere Records, Nobody Known); build it from the whole monthly dump/,
    );
    assertNotMatch(owned.stderr, /Discogs has no such/);
    // Vinyl (2 of the 3 owned copies): UFO (owned), Ni-Ten (only the CD owned: missing), Rings
    // (2×12" + CD: vinyl, owned).
    const artist = setOf(t, "artist", 1);
    assertEquals([artist.set_name, artist.owned, artist.total], ["Photek", 2, 3]);
    const productions = setOf(t, "label", 10);
    assertEquals([productions.set_name, productions.owned, productions.total], [
      "Photek Productions",
      2,
      3,
    ]);
  } finally {
    await ws.cleanup();
  }
});
