import { join } from "node:path";
import { Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import { assert, assertEquals, assertRejects } from "../testing/assert.ts";
import { missingTables, openWorkspace, REPO_ROOT, workspacePaths } from "./workspace.ts";

const env = (vars: Record<string, string>) => ({ get: (name: string) => vars[name] });

Deno.test("workspacePaths: NEXTSPIN_DB / NEXTSPIN_OUT, relative to the repository, with defaults", () => {
  assertEquals(workspacePaths(env({})), {
    db: join(REPO_ROOT, "data/nextspin.duckdb"),
    out: join(REPO_ROOT, "data/out"),
  });
  assertEquals(workspacePaths(env({ NEXTSPIN_DB: "/tmp/x.duckdb", NEXTSPIN_OUT: "elsewhere" })), {
    db: "/tmp/x.duckdb",
    out: join(REPO_ROOT, "elsewhere"),
  });
});

Deno.test("openWorkspace runs the pipeline when tables are missing, then reads without locking", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-nb-" });
  const paths = { db: join(dir, "w.duckdb"), out: join(dir, "out") };
  try {
    assertEquals(await missingTables(paths.db, ["scores"]), ["scores"]);
    const runs: string[] = [];
    const lines: string[] = [];
    const ws = await openWorkspace({
      need: ["scores"],
      paths,
      log: (line) => lines.push(line),
      runner: async ({ db }) => {
        runs.push(db);
        const writer = await Database.open(db);
        await writer.replaceTable("scores", "SELECT 1 AS release_id UNION ALL SELECT 2");
        writer.close();
      },
    });
    assertEquals(runs, [paths.db]);
    assert(ws.ranPipeline);
    assert(lines[0].includes("lacks scores"), lines[0]);
    assertEquals(await ws.counts(), { scores: 2 });
    assertEquals(await ws.rows("SELECT release_id FROM scores ORDER BY 1"), [
      { release_id: 1 },
      { release_id: 2 },
    ]);
    assertEquals(ws.file("scores.parquet"), join(paths.out, "scores.parquet"));
    // No lock is held between reads: a writer (the pipeline) can open the file.
    const writer = await Database.open(paths.db);
    await writer.run("CREATE TABLE extra AS SELECT 1 AS x");
    writer.close();
    // Tables present: no run.
    const again = await openWorkspace({
      need: ["scores", "extra"],
      paths,
      runner: () => {
        throw new Error("should not run");
      },
    });
    assertEquals(again.ranPipeline, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openWorkspace names the tables still missing after the run and the task that makes them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-nb-" });
  try {
    await assertRejects(
      () =>
        openWorkspace({
          need: ["pool", "evaluation", "nonsense"],
          paths: { db: join(dir, "w.duckdb"), out: dir },
          log: () => {},
          runner: async ({ db }) => (await Database.open(db)).close(),
        }),
      InputError,
      "still lacks pool (deno task pool), evaluation (deno task evaluate), nonsense (no task makes it)",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
