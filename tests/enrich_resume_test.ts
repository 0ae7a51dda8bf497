/**
 * Resumability with a real kill of a real child process: enrichment is interrupted mid-run
 * (SIGKILL, and SIGINT), run again, and must finish having asked Discogs for each release once —
 * at most the one request in flight at the kill is repeated — and lost nothing already fetched.
 */
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { startFakeDiscogs } from "./fake_discogs/server.ts";
import { spawnWithDeadline, waitUntil } from "../lib/testing/deadline.ts";
import { REPO_ROOT, runModule, TASK_DEADLINE_MS, tempWorkspace } from "./helpers.ts";

const RELEASES = 150;

async function resumeAfter(signal: Deno.Signal) {
  const fake = await startFakeDiscogs({ windowMs: 1000, synthesize: true });
  fake.faults.slowMs = 10;
  const ws = await tempWorkspace();
  try {
    const csv = `${ws.dir}/c.csv`;
    const rows = Array.from(
      { length: RELEASES },
      (_, i) => `C${i},Artist ${i},T${i},L,LP,,2000,${6_000_000 + i}`,
    );
    await Deno.writeTextFile(
      csv,
      ["Catalog#,Artist,Title,Label,Format,Rating,Released,release_id", ...rows].join("\n"),
    );
    const env = {
      DISCOGS_TOKEN: "resume-token",
      DISCOGS_API_URL: fake.url,
      DISCOGS_RATE_WINDOW: "1s",
      NEXTSPIN_QUIET: "1",
    };
    assertEquals(
      (await runModule(
        "pipeline/ingest.ts",
        ["--collection", csv, "--db", ws.db, "--out", ws.out],
        env,
      )).code,
      0,
    );

    const child = spawnWithDeadline(Deno.execPath(), {
      args: ["run", "-A", "pipeline/enrich.ts", "--db", ws.db, "--out", ws.out],
      cwd: REPO_ROOT,
      env,
      stdout: "piped",
      stderr: "piped",
    }, TASK_DEADLINE_MS);
    // Kill it mid-run: after the first window, while it is paced and requests are in flight. A
    // child that dies before (or never gets that far) fails the test instead of hanging it.
    let exited = false;
    child.process.status.then(() => (exited = true));
    try {
      await waitUntil(
        () => fake.requests.length >= 70 || exited,
        "the first enrichment run to make 70 requests",
        120_000,
      );
    } catch (error) {
      child.process.kill("SIGKILL");
      await child.output().catch(() => {});
      throw error;
    }
    if (exited) {
      const early = await child.output();
      throw new Error(
        `the first enrichment run ended (exit ${early.code}) after ${fake.requests.length} ` +
          `requests, before it could be interrupted:\n${new TextDecoder().decode(early.stderr)}`,
      );
    }
    child.process.kill(signal);
    const killed = await child.output();
    assert(!killed.success, "the first run was interrupted");
    const beforeResume = fake.requests.length;
    assert(beforeResume < RELEASES, "interrupted before the end");
    if (signal === "SIGINT") {
      assertStringIncludes(new TextDecoder().decode(killed.stderr), "run the same command again");
    }

    const resumed = await runModule("pipeline/enrich.ts", ["--db", ws.db, "--out", ws.out], env);
    assertEquals(resumed.code, 0, resumed.stderr);

    const perRelease = new Map<string, number>();
    for (const r of fake.requests) perRelease.set(r.path, (perRelease.get(r.path) ?? 0) + 1);
    assertEquals(perRelease.size, RELEASES, "every release was asked for");
    const repeated = [...perRelease.values()].reduce((sum, n) => sum + n - 1, 0);
    assert(repeated <= 1, `${repeated} requests were repeated after the kill`);
    const db = await Database.open(ws.db);
    try {
      assertEquals(await db.count("releases"), RELEASES);
      assertEquals(await db.count("http_cache"), RELEASES);
    } finally {
      db.close();
    }
    return repeated;
  } finally {
    await fake.close();
    await ws.cleanup();
  }
}

Deno.test("SIGKILL mid-enrichment: the rerun repeats at most the request in flight", async () => {
  await resumeAfter("SIGKILL");
});

Deno.test("SIGINT mid-enrichment: saves what it fetched, says how to resume, repeats nothing", async () => {
  const repeated = await resumeAfter("SIGINT");
  assertEquals(repeated, 0, "a graceful stop finishes the request in flight");
});
