/**
 * Offline enrichment from recorded release bodies: the real gustw recording (complete for its
 * collection) and the R-reserialised greg-dubrow recording.
 */
import { InputError } from "../lib/errors.ts";
import { buildReleases, importJsonl, missingReleaseIds } from "../lib/enrich/mod.ts";
import { ingestExports } from "../lib/ingest/mod.ts";
import {
  assertEquals,
  assertNotMatch,
  assertRejects,
  assertStringIncludes,
} from "../lib/testing/assert.ts";
import { fixturePath, runModule, tempWorkspace, withTempDb } from "./helpers.ts";

const GUSTW = fixturePath("api/releases/gustw_releases.jsonl");
const GREG = fixturePath("api/releases/greg-dubrow_releases_reserialized.jsonl");

const withDb = withTempDb;

Deno.test("the gustw recording enriches its whole collection", () =>
  withDb(async (db) => {
    await ingestExports(db, { collection: fixturePath("exports/gustw_collection.csv") });
    assertEquals((await missingReleaseIds(db)).length, 315);
    const imported = await importJsonl(db, GUSTW, "USD");
    assertEquals(imported, { imported: 315, cached: 315, rejects: [] });
    assertEquals(await missingReleaseIds(db), []);
    const built = await buildReleases(db, "USD");
    assertEquals([built.releases, built.missing.length, built.rejects.length], [315, 0, 0]);
    const r = await db.one<Record<string, unknown>>(
      "SELECT * FROM releases WHERE release_id = 1005321",
    );
    assertEquals([r!.have, r!.want, r!.lowest_price], [91, 19, 5.32]);
    assertEquals(r!.styles, ["Drum n Bass"]);
    assertEquals(r!.genres, ["Electronic"]);
    assertEquals(r!.country, "Venezuela");
    assertEquals(r!.labels, ["Junglista Records"]);
    assertEquals(r!.currency, "USD");
    const noPrice = await db.one<{ n: number }>(
      "SELECT count(*) AS n FROM releases WHERE lowest_price IS NULL",
    );
    assertEquals(noPrice!.n, 6, "the fixture README lists 6 null lowest prices");
  }));

Deno.test("the R-reserialised recording is normalised, not rejected", () =>
  withDb(async (db) => {
    const imported = await importJsonl(db, GREG, "USD");
    assertEquals(imported.imported, 100);
    const built = await buildReleases(db, "USD");
    assertEquals([built.releases, built.rejects.length, built.needed], [100, 0, null]);
    const r = await db.one<Record<string, unknown>>(
      "SELECT * FROM releases WHERE release_id = 1023342",
    );
    assertEquals(r!.lowest_price, null);
    assertEquals(r!.formats, ["Vinyl, LP"]);
    const scalars = await db.one<{ n: number }>(
      "SELECT count(*) AS n FROM releases WHERE len(genres) = 0",
    );
    assertEquals(scalars!.n, 0, "scalar genres became one-element lists");
  }));

Deno.test("a collection release without a body is reported missing", () =>
  withDb(async (db) => {
    await db.run(
      "CREATE TABLE collection AS SELECT * FROM (VALUES (1005321::BIGINT), (999999999::BIGINT)) v(release_id)",
    );
    await importJsonl(db, GUSTW, "USD");
    const built = await buildReleases(db, "USD");
    assertEquals(built.releases, 1);
    assertEquals(built.missing, [999999999]);
    assertEquals(await missingReleaseIds(db, "USD"), [999999999]);
    assertEquals(
      await missingReleaseIds(db, "EUR"),
      [1005321, 999999999],
      "prices are per currency",
    );
  }));

Deno.test("bad lines are rejected with their line numbers; good lines load", () =>
  withDb(async (db, dir) => {
    const path = `${dir}/mixed.jsonl`;
    await Deno.writeTextFile(
      path,
      [
        '{"id": 1, "title": "ok", "community": {"have": 1, "want": 2}}',
        "{not json",
        "",
        "[1, 2]",
        '{"title": "no id"}',
        '{"id": "x"}',
        '{"id": 2, "title": "ok too"}',
      ].join("\n"),
    );
    const result = await importJsonl(db, path, "USD");
    assertEquals(result.imported, 2);
    assertEquals(result.rejects.map((r) => [r.line, r.reason]), [
      [2, "not valid JSON"],
      [4, "not a JSON object"],
      [5, 'no "id" field'],
      [6, '"id" is not a release id'],
    ]);
    assertEquals((await buildReleases(db, "USD")).releases, 2);
  }));

Deno.test("re-building or re-importing adds no snapshot; a changed recording adds one", () =>
  withDb(async (db, dir) => {
    await importJsonl(db, GREG, "USD");
    assertEquals((await buildReleases(db, "USD")).snapshotsAdded, 100);
    assertEquals((await buildReleases(db, "USD")).snapshotsAdded, 0);
    // The same recording again is a replay: nothing re-cached, no snapshot.
    const again = await importJsonl(db, GREG, "USD");
    assertEquals([again.imported, again.cached], [100, 0]);
    assertEquals((await buildReleases(db, "USD")).snapshotsAdded, 0);
    assertEquals(await db.count("price_history"), 100);
    // A later recording where two releases' market data changed: one snapshot each.
    const lines = (await Deno.readTextFile(GREG)).split("\n").filter((l) => l.trim() !== "");
    const changed = lines.map((line, i) => {
      if (i >= 2) return line;
      const body = JSON.parse(line);
      body.community = { ...body.community, want: (body.community?.want ?? 0) + 7 };
      return JSON.stringify(body);
    });
    await Deno.writeTextFile(`${dir}/later.jsonl`, changed.join("\n"));
    const later = await importJsonl(db, `${dir}/later.jsonl`, "USD");
    assertEquals([later.imported, later.cached], [100, 2]);
    assertEquals((await buildReleases(db, "USD")).snapshotsAdded, 2);
    assertEquals(await db.count("price_history"), 102);
  }));

Deno.test("unusable JSONL files are refused clearly", () =>
  withDb(async (db, dir) => {
    await Deno.writeTextFile(`${dir}/empty.jsonl`, "\n\n");
    await assertRejects(
      () => importJsonl(db, `${dir}/empty.jsonl`),
      InputError,
      "the file is empty",
    );
    await Deno.writeFile(`${dir}/bin.jsonl`, new Uint8Array([0x7b, 0, 1, 2]));
    await assertRejects(() => importJsonl(db, `${dir}/bin.jsonl`), InputError, "binary file");
    await assertRejects(() => importJsonl(db, `${dir}/none.jsonl`), InputError, "file not found");
    await assertRejects(
      () => importJsonl(db, GREG, "XYZ"),
      InputError,
      "--currency XYZ: expected one of USD",
    );
  }));

Deno.test("the enrich task exits 2 on a missing file, naming it, without a stack trace", async () => {
  const ws = await tempWorkspace();
  try {
    const run = await runModule("pipeline/enrich.ts", [
      "--from-jsonl",
      `${ws.dir}/nope.jsonl`,
      "--db",
      ws.db,
      "--out",
      ws.out,
    ]);
    assertEquals(run.code, 2);
    assertStringIncludes(run.stderr, `${ws.dir}/nope.jsonl: file not found`);
    assertNotMatch(run.stderr, /\n\s+at /);
  } finally {
    await ws.cleanup();
  }
});
