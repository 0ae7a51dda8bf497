/**
 * `deno task catalog` end to end, as a collector runs it (a child process under a deadline):
 * the real dump samples load with exact counts for every table (counted here independently,
 * by regex over the XML), the parts are zstd Parquet that DuckDB reads in place, a generated
 * today's-format file loads the same as its 2020-format twin, a truncated file fails clearly
 * and resumes from its last complete part, and wrong files fail with a message saying what
 * they are.
 *
 * @module
 */

import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { Database } from "../lib/db/mod.ts";
import { readCatalogManifest } from "../lib/catalog/manifest.ts";
import { CATALOG_TABLES, type DumpKind } from "../lib/catalog/schema.ts";
import { writeSyntheticDump } from "../lib/catalog/synthetic.ts";
import { postingsPath, RELEASE_INDEX_DIR } from "../lib/catalog/release_index.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotMatch,
  assertStringIncludes,
} from "../lib/testing/assert.ts";
import { fixturePath, runModule, type TaskResult } from "./helpers.ts";

const DUMP = (name: string) => fixturePath(`dump/${name}`);
const DEADLINE_MS = 180_000;

/** Run the catalog stage into a fresh workspace under `dir`. */
function catalog(dir: string, args: string[]): Promise<TaskResult> {
  return runModule(
    "pipeline/catalog.ts",
    [
      "--db",
      join(dir, "w.duckdb"),
      "--out",
      join(dir, "out"),
      "--catalog",
      join(dir, "catalog"),
      ...args,
    ],
    { NEXTSPIN_QUIET: "1" },
    { deadlineMs: DEADLINE_MS },
  );
}

function ok(result: TaskResult): void {
  assertEquals(result.code, 0, `catalog failed:\n${result.stderr}`);
}

/** The text of a dump file (gunzipped when it ends in .gz). */
async function xmlOf(path: string): Promise<string> {
  const bytes = await Deno.readFile(path);
  return new TextDecoder().decode(path.endsWith(".gz") ? gunzipSync(bytes) : bytes);
}

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

/** Elements matching `inner` inside every `<block>…</block>` of `text`. */
function countIn(text: string, block: string, inner: RegExp): number {
  const blocks = text.match(new RegExp(`<${block}>[\\s\\S]*?</${block}>`, "g")) ?? [];
  return blocks.reduce((n, b) => n + count(b, inner), 0);
}

/**
 * Rows every table of `kind` must hold for dump text `xml`, counted by regex (not by the
 * parser): records, and each list element that is not empty.
 */
function expectedRows(kind: DumpKind, xml: string): Record<string, number> {
  if (kind === "releases") {
    const releases = xml.match(/<release[\s>][\s\S]*?<\/release>/g) ?? [];
    let artists = 0;
    for (const release of releases) {
      // Main artists and release credits sit outside the tracklist; inside it only the
      // tracks' credits count (not the tracks' own artists).
      artists += count(release.replace(/<tracklist>[\s\S]*?<\/tracklist>/, ""), /<artist>/g);
      const tracklist = /<tracklist>[\s\S]*?<\/tracklist>/.exec(release)?.[0] ?? "";
      artists += countIn(tracklist, "extraartists", /<artist>/g);
    }
    return {
      releases: releases.length,
      release_artists: artists,
      release_labels: countIn(xml, "labels", /<label[\s/>]/g),
      release_genres: count(xml, /<genre>[^<]/g),
      release_styles: count(xml, /<style>[^<]/g),
      release_formats: count(xml, /<format[\s/>]/g),
    };
  }
  if (kind === "masters") return { masters: count(xml, /<master[\s>]/g) };
  if (kind === "artists") return { artists: count(xml, /<artist>/g) };
  // Labels are `<label>`; sublabels carry attributes or are empty (`<label/>`).
  return { labels: count(xml, /<label>/g) };
}

/** Facts inside the rows worth checking beyond counts, by regex. */
function expectedFacts(kind: DumpKind, xml: string): Record<string, number> {
  switch (kind) {
    case "releases":
      return {
        accepted: count(xml, /<release [^>]*status="Accepted"/g),
        main_releases: count(xml, /<master_id is_main_release="true">[1-9]/g),
        with_master: count(xml, /<master_id[^>]*>[1-9]/g),
      };
    case "masters":
      return {
        artists: countIn(xml, "artists", /<artist>/g),
        genres: count(xml, /<genre>[^<]/g),
        styles: count(xml, /<style>[^<]/g),
      };
    case "artists":
      return {
        name_variations: countIn(xml, "namevariations", /<name>[^<]/g),
        aliases: countIn(xml, "aliases", /<name[^>]*>[^<]/g),
        members: countIn(xml, "members", /<name[^>]*>[^<]/g),
      };
    case "labels":
      return {
        sublabels: countIn(xml, "sublabels", /<label[^>/]*>[^<]/g),
        parents: count(xml, /<parentLabel[^>]*>[^<]/g),
      };
  }
}

/** The same facts, from the catalogue's Parquet. */
const FACT_SQL: Record<DumpKind, (dir: string) => string> = {
  releases: (d) =>
    `SELECT count(*) FILTER (WHERE status = 'Accepted') AS accepted,
       count(*) FILTER (WHERE is_main_release AND master_id IS NOT NULL) AS main_releases,
       count(master_id) AS with_master FROM read_parquet('${d}/releases/*.parquet')`,
  masters: (d) =>
    `SELECT sum(len(artist_ids)) AS artists, sum(len(genres)) AS genres,
       sum(len(styles)) AS styles FROM read_parquet('${d}/masters/*.parquet')`,
  artists: (d) =>
    `SELECT sum(len(name_variations)) AS name_variations, sum(len(aliases)) AS aliases,
       sum(len(members)) AS members FROM read_parquet('${d}/artists/*.parquet')`,
  labels: (d) =>
    `SELECT sum(len(sublabels)) AS sublabels, count(parent_id) AS parents
     FROM read_parquet('${d}/labels/*.parquet')`,
};

/** Rows of each table of `kind` as DuckDB reads the directory of parts. */
async function parquetRows(db: Database, dir: string, kind: DumpKind) {
  const rows: Record<string, number> = {};
  for (const table of Object.keys(CATALOG_TABLES[kind])) {
    const row = await db.one<{ n: number }>(
      `SELECT count(*) AS n FROM read_parquet('${dir}/${table}/*.parquet')`,
    );
    rows[table] = row!.n;
  }
  return rows;
}

/** Check a built catalogue against its source files: rows, facts, manifest, zstd, columns. */
async function checkCatalog(
  dir: string,
  files: Partial<Record<DumpKind, string>>,
  minParts: number,
): Promise<void> {
  const manifest = await readCatalogManifest(dir);
  const db = await Database.open(":memory:");
  try {
    for (const [kind, file] of Object.entries(files) as [DumpKind, string][]) {
      const xml = await xmlOf(file);
      const expected = expectedRows(kind, xml);
      assertEquals(await parquetRows(db, dir, kind), expected, `${kind} rows`);
      const entity = manifest.entities[kind]!;
      assert(entity.finished, `${kind} finished`);
      assertEquals(entity.counts.rows, expected, `${kind} manifest counts`);
      assert(entity.parts.length >= minParts, `${kind}: ${entity.parts.length} parts`);
      const facts = await db.one<Record<string, number>>(FACT_SQL[kind](dir));
      const want = expectedFacts(kind, xml);
      for (const key of Object.keys(want)) facts![key] = Number(facts![key] ?? 0);
      assertEquals(facts, want, `${kind} facts`);
      for (const [table, columns] of Object.entries(CATALOG_TABLES[kind])) {
        const described = await db.all<{ column_name: string; column_type: string }>(
          `DESCRIBE SELECT * FROM read_parquet('${dir}/${table}/*.parquet')`,
        );
        const norm = (name: string, type: string) => `${name} ${type.replaceAll(/[\s"]/g, "")}`;
        assertEquals(
          described.map((c) => norm(c.column_name, c.column_type)),
          Object.entries(columns as Record<string, string>).map(([name, type]) => norm(name, type)),
          `${table} columns`,
        );
        const codecs = await db.all<{ compression: string }>(
          `SELECT DISTINCT compression FROM parquet_metadata('${dir}/${table}/*.parquet')`,
        );
        assertEquals(codecs.map((c) => c.compression), ["ZSTD"], `${table} compression`);
        const listed = entity.parts.map((p) => p.file).sort();
        const onDisk = [...Deno.readDirSync(join(dir, table))].map((e) => e.name).sort();
        assertEquals(onDisk, listed, `${table}: the files on disk are the listed parts`);
      }
    }
  } finally {
    db.close();
  }
}

Deno.test("catalog: the 2020 dump samples load with exact counts, in several zstd parts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-catalog-" });
  try {
    const files = {
      releases: DUMP("discogs_20200806_releases.xml.gz"),
      masters: DUMP("discogs_20200806_masters.xml.gz"),
      artists: DUMP("discogs_20200806_artists.xml.gz"),
      labels: DUMP("discogs_20200806_labels.xml.gz"),
    };
    const args = Object.entries(files).flatMap(([k, f]) => [`--${k}`, f]);
    ok(await catalog(dir, [...args, "--part-size", "300", "--skip-index"]));
    await checkCatalog(join(dir, "catalog"), files, 4);
    // --skip-index: the first pool or complete run builds it.
    await Deno.stat(join(dir, "catalog", RELEASE_INDEX_DIR)).then(
      () => assert(false, "--skip-index built the release index"),
      (e) => assert(e instanceof Deno.errors.NotFound),
    );
    // A part file's name is its first and last id, and the part's rows lie in that range.
    const db = await Database.open(":memory:");
    try {
      const stray = await db.one<{ n: number }>(
        `SELECT count(*) AS n FROM read_parquet('${dir}/catalog/release_genres/*.parquet',
           filename = true)
         WHERE release_id < regexp_extract(filename, '(\\d{9})-(\\d{9})', 1)::BIGINT
            OR release_id > regexp_extract(filename, '(\\d{9})-(\\d{9})', 2)::BIGINT`,
      );
      assertEquals(stray!.n, 0);
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("catalog: the oldest samples (plain .xml) and today's masters load with exact counts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-catalog-" });
  try {
    const old = {
      releases: DUMP("lukasaron_releases.xml"),
      masters: DUMP("lukasaron_masters.xml"),
      artists: DUMP("lukasaron_artists.xml"),
      labels: DUMP("lukasaron_labels.xml"),
    };
    ok(
      await catalog(dir, [
        ...Object.entries(old).flatMap(([k, f]) => [`--${k}`, f]),
        "--part-size",
        "3",
      ]),
    );
    await checkCatalog(join(dir, "catalog"), old, 2);
    const today = await Deno.makeTempDir({ dir, prefix: "today-" });
    const masters = DUMP("discogs_20260201_masters.xml");
    ok(await catalog(today, ["--masters", masters, "--part-size", "2"]));
    await checkCatalog(join(today, "catalog"), { masters }, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("catalog: a generated today's-format file loads the same as its 2020-format twin", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-catalog-" });
  try {
    const built: Record<string, string> = {};
    const generated: Record<string, Record<string, number>> = {};
    for (const generation of ["2020", "today"] as const) {
      const files: Record<string, string> = {};
      for (const kind of ["releases", "masters", "artists", "labels"] as const) {
        const path = join(dir, `${generation}_${kind}.xml.gz`);
        const counts = await writeSyntheticDump(path, {
          kind,
          count: kind === "releases" ? 2500 : 400,
          seed: 42,
          generation,
        });
        if (kind === "releases") generated[generation] = counts.rows;
        files[kind] = path;
      }
      const out = join(dir, generation);
      ok(
        await catalog(out, [
          ...Object.entries(files).flatMap(([k, f]) => [`--${k}`, f]),
          "--part-size",
          "1000",
        ]),
      );
      built[generation] = join(out, "catalog");
    }
    assertEquals(generated["2020"], generated.today, "the twins hold the same catalogue");
    const db = await Database.open(":memory:");
    try {
      const rows = await parquetRows(db, built.today, "releases");
      for (const [table, n] of Object.entries(rows)) {
        assertEquals(n, generated.today[table], `${table}: the rows the generator wrote`);
      }
      for (const kind of ["releases", "masters", "artists", "labels"] as const) {
        for (const table of Object.keys(CATALOG_TABLES[kind])) {
          const columns = table === "releases" ? "* EXCLUDE (status)" : "*";
          const read = (d: string) =>
            `SELECT ${columns} FROM read_parquet('${d}/${table}/*.parquet')`;
          const diff = await db.one<{ n: number }>(
            `SELECT count(*) AS n FROM ((${read(built["2020"])} EXCEPT ALL ${read(built.today)})
               UNION ALL (${read(built.today)} EXCEPT ALL ${read(built["2020"])}))`,
          );
          assertEquals(diff!.n, 0, `${table}: the twins differ`);
        }
      }
      const status = await db.all<{ generation: string; status: string | null; n: number }>(
        `SELECT '2020' AS generation, status, count(*) AS n
           FROM read_parquet('${built["2020"]}/releases/*.parquet') GROUP BY status
         UNION ALL
         SELECT 'today', status, count(*) FROM read_parquet('${built.today}/releases/*.parquet')
           GROUP BY status ORDER BY generation`,
      );
      assertEquals(status, [
        { generation: "2020", status: "Accepted", n: 2500 },
        { generation: "today", status: null, n: 2500 },
      ]);
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("catalog: a truncated .xml.gz fails clearly, keeps its parts, and the rerun resumes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-catalog-" });
  try {
    const full = join(dir, "full.xml.gz");
    const generated = await writeSyntheticDump(full, {
      kind: "releases",
      count: 5000,
      seed: 7,
      generation: "today",
    });
    const dump = join(dir, "discogs_20261101_releases.xml.gz");
    const bytes = await Deno.readFile(full);
    await Deno.writeFile(dump, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const args = ["--releases", dump, "--part-size", "1000"];

    const failed = await catalog(dir, args);
    assert(failed.code !== 0, "a truncated file must fail");
    assertMatch(failed.stderr, /truncated/);
    assertMatch(failed.stderr, /at byte [\d,]+ of the XML/);
    const lastId = /the last complete release is (\d+)/.exec(failed.stderr)?.[1];
    assert(lastId !== undefined, `names the last complete release:\n${failed.stderr}`);
    assertNotMatch(failed.stderr, /^\s+at /m, "no stack trace");
    const cat = join(dir, "catalog");
    // A load that failed builds no release index: the rerun does, once the releases are whole.
    await Deno.stat(join(cat, RELEASE_INDEX_DIR)).then(
      () => assert(false, "a release index of a failed load"),
      (e) => assert(e instanceof Deno.errors.NotFound),
    );
    const manifest = await readCatalogManifest(cat);
    const parts = manifest.entities.releases!.parts;
    assert(parts.length >= 2, `parts before the cut are kept (${parts.length})`);
    assert(!manifest.entities.releases!.finished);
    assert(parts.at(-1)!.last_id <= Number(lastId));
    const db = await Database.open(":memory:");
    try {
      const n = await db.one<{ n: number }>(
        `SELECT count(*) AS n FROM read_parquet('${cat}/releases/*.parquet')`,
      );
      assertEquals(n!.n, parts.reduce((s, p) => s + p.records, 0), "written parts are readable");
    } finally {
      db.close();
    }
    const before = new Map<string, Deno.FileInfo>();
    for (const table of Object.keys(CATALOG_TABLES.releases)) {
      for (const part of parts) {
        before.set(`${table}/${part.file}`, await Deno.stat(join(cat, table, part.file)));
      }
    }

    await Deno.writeFile(dump, bytes); // the download finished
    const resumed = await catalog(dir, args);
    ok(resumed);
    // The release index the pool and complete stages read, built at the end of the load.
    const indexOf = async () =>
      JSON.parse(await Deno.readTextFile(join(dir, "out", "run.json"))).stages.catalog.summary
        .index;
    assertEquals(await indexOf(), { parts: 5, built_parts: 5, seconds: (await indexOf()).seconds });
    await Deno.stat(postingsPath(cat));
    // With the catalogue's market counts beside it: the first pool run reads them.
    const base = JSON.parse(
      await Deno.readTextFile(join(cat, RELEASE_INDEX_DIR, "market_base.json")),
    );
    assert(base.tokens.some(([t, n]: [string, number]) => t === "" && n === 5000), "the size");
    for (const [file, info] of before) {
      const now = await Deno.stat(join(cat, file));
      assertEquals(now.ino, info.ino, `${file} was not rewritten`);
      assertEquals(now.mtime?.getTime(), info.mtime?.getTime(), `${file} was not rewritten`);
    }
    await checkCatalog(cat, { releases: dump }, 5);
    const after = await readCatalogManifest(cat);
    const generatedRows = Object.fromEntries(
      Object.keys(CATALOG_TABLES.releases).map((t) => [t, generated.rows[t]]),
    );
    assertEquals(
      after.entities.releases!.counts.rows,
      generatedRows,
      "exact counts after resuming",
    );
    assertEquals(after.entities.releases!.parts.slice(0, parts.length), parts);

    const again = await runModule(
      "pipeline/catalog.ts",
      [
        "--db",
        join(dir, "w.duckdb"),
        "--out",
        join(dir, "out"),
        "--catalog",
        cat,
        ...args,
      ],
      { NEXTSPIN_QUIET: "0" },
      { deadlineMs: DEADLINE_MS },
    );
    ok(again);
    assertMatch(again.stderr, /releases: already built from .*skipped/);
    assertEquals((await indexOf()).built_parts, 0, "the index kept");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("catalog: wrong files fail at once with a message saying what they are", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-catalog-" });
  try {
    const notDump = join(dir, "collection.xml");
    await Deno.writeTextFile(notDump, `<?xml version="1.0"?>\n<collection><item/></collection>`);
    const text = join(dir, "notes.txt");
    await Deno.writeTextFile(text, "just some notes\n");
    const cases: [string[], RegExp][] = [
      [["--releases", join(dir, "missing.xml.gz")], /--releases .*missing\.xml\.gz: no such file/],
      [
        ["--releases", DUMP("discogs_20200806_masters.xml.gz")],
        /this is the masters dump \(root <masters>\), not the releases one: pass it as --masters/,
      ],
      [["--labels", notDump], /not a Discogs dump: its root element is <collection>/],
      [["--artists", text], /not a Discogs dump: it is neither gzip nor XML/],
      [[], /give at least one dump file: --releases FILE/],
    ];
    for (const [args, message] of cases) {
      const result = await catalog(dir, args);
      assert(result.code !== 0, `${args.join(" ")} must fail`);
      assertMatch(result.stderr, message);
      assertNotMatch(result.stderr, /^\s+at /m, "no stack trace");
    }
    assert(
      !(await Deno.stat(join(dir, "catalog", "releases")).then(() => true, () => false)),
      "nothing was written",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("catalog: --rebuild starts a finished file over", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-catalog-" });
  try {
    const labels = DUMP("lukasaron_labels.xml");
    ok(await catalog(dir, ["--labels", labels, "--part-size", "2"]));
    const first = await readCatalogManifest(join(dir, "catalog"));
    const rebuilt = await runModule(
      "pipeline/catalog.ts",
      [
        "--db",
        join(dir, "w.duckdb"),
        "--out",
        join(dir, "out"),
        "--catalog",
        join(dir, "catalog"),
        "--labels",
        labels,
        "--part-size",
        "5",
        "--rebuild",
      ],
      { NEXTSPIN_QUIET: "0" },
      { deadlineMs: DEADLINE_MS },
    );
    ok(rebuilt);
    assertStringIncludes(rebuilt.stderr, "--rebuild: dropping the 3 parts built before");
    const second = await readCatalogManifest(join(dir, "catalog"));
    assertEquals(second.entities.labels!.parts.length, 1);
    assertEquals(second.entities.labels!.counts, first.entities.labels!.counts);
    await checkCatalog(join(dir, "catalog"), { labels }, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
