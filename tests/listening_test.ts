/**
 * `deno task listen`: the three export kinds imported with exact counts, broken files refused
 * clearly, and the privacy rule — no dropped field's value in any byte a run writes.
 */

import { join } from "node:path";
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { runModule, tempWorkspace } from "./helpers.ts";
import {
  everythingWritten,
  EXPECTED,
  PLANTED,
  writeListeningFixtures,
} from "./listening_fixtures.ts";

async function listeningRows(db: string) {
  const d = await Database.open(db);
  try {
    return await d.all<{ source: string; n: number; weight: number; albums: number }>(
      `SELECT source, count(*)::INTEGER AS n, sum(weight)::DOUBLE AS weight,
              count(album)::INTEGER AS albums
       FROM listening GROUP BY source ORDER BY source`,
    );
  } finally {
    d.close();
  }
}

Deno.test("listen --file imports every export kind in a folder with exact counts", async () => {
  const ws = await tempWorkspace();
  try {
    await writeListeningFixtures(join(ws.dir, "exports"));
    const run = await runModule("pipeline/listen.ts", [
      "--db",
      ws.db,
      "--out",
      ws.out,
      "--file",
      join(ws.dir, "exports"),
    ]);
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stderr, `${EXPECTED.total} plays from 6 files`);
    assertStringIncludes(run.stderr, `(${EXPECTED.weak} weak: plays under 30 s or marked skipped`);
    assertStringIncludes(
      run.stderr,
      `skipped ${EXPECTED.podcasts} podcast, ${EXPECTED.audiobooks} audiobook, ` +
        `${EXPECTED.videos} video/other plays, 1 duplicate`,
    );
    assertStringIncludes(run.stderr, "1 file is not listening history");
    assertEquals(await listeningRows(ws.db), [
      { source: "lastfm", n: 8, weight: 8, albums: 7 },
      { source: "spotify_account", n: 3, weight: 2.25, albums: 0 },
      { source: "spotify_extended", n: 10, weight: 7.75, albums: 10 },
    ]);
    const manifest = JSON.parse(await Deno.readTextFile(join(ws.out, "run.json")));
    const summary = manifest.stages.listen.summary;
    assertEquals(summary.plays, EXPECTED.total);
    assertEquals([summary.podcasts, summary.audiobooks, summary.videos], [5, 1, 1]);
    assertEquals(manifest.stages.listen.tables.listening, EXPECTED.total);
    const parquet = await Deno.stat(join(ws.out, "listening.parquet"));
    assert(parquet.size > 0);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("listen: a broken export is refused naming file, position and what was expected; the table stays", async () => {
  const ws = await tempWorkspace();
  try {
    const files = await writeListeningFixtures(join(ws.dir, "exports"));
    const args = ["--db", ws.db, "--out", ws.out, "--file"];
    assertEquals((await runModule("pipeline/listen.ts", [...args, files.lastfmPlain])).code, 0);
    const broken = join(ws.dir, "broken.csv");
    await Deno.writeTextFile(broken, "Portishead,Dummy,Roads,05 Mar 2023 18:01\nTricky,Overcome\n");
    const run = await runModule("pipeline/listen.ts", [...args, broken]);
    assertEquals(run.code, 2, run.stderr);
    assertStringIncludes(
      run.stderr,
      `error: ${broken}: line 2: expected 4 fields (artist,album,track,date), found 2`,
    );
    assert(!run.stderr.includes("    at "), "no stack trace");
    const notHistory = await runModule("pipeline/listen.ts", [...args, files.userdata]);
    assertEquals(notHistory.code, 2);
    assertStringIncludes(notHistory.stderr, "not a listening history");
    assertEquals((await listeningRows(ws.db)).map((r) => r.n), [3], "the old table is kept");
  } finally {
    await ws.cleanup();
  }
});

Deno.test("privacy: no value of a dropped field is in any byte written (db, outputs, logs, cache)", async () => {
  const ws = await tempWorkspace();
  try {
    await writeListeningFixtures(join(ws.dir, "exports"));
    // The whole pipeline (bundled sample, offline) with the plays: every stage's output counts.
    const run = await runModule("pipeline/pipeline.ts", [
      "--db",
      ws.db,
      "--out",
      ws.out,
      "--file",
      join(ws.dir, "exports"),
    ], { NEXTSPIN_QUIET: "0" });
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(await Deno.readTextFile(join(ws.out, "report.html")), "What you play");
    const written = await everythingWritten(ws, [run.stdout, run.stderr]);
    // The search works: used values are there.
    assertStringIncludes(written, "Massive Attack");
    assertStringIncludes(written, "Music Has the Right to Children");
    for (const [field, value] of Object.entries(PLANTED)) {
      assert(!written.includes(String(value)), `the dropped ${field} (${value}) was written`);
    }
  } finally {
    await ws.cleanup();
  }
});
