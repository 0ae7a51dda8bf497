import { InputError } from "../errors.ts";
import { assert, assertEquals, assertRejects } from "../testing/assert.ts";
import type { RunManifest } from "./manifest.ts";
import { runStages, type Stage } from "./stage.ts";

/** A temporary workspace folder, removed afterwards. */
async function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-stage-test-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const readManifest = async (out: string): Promise<RunManifest> =>
  JSON.parse(await Deno.readTextFile(`${out}/run.json`));

/** A stage that writes a one-row table and warns twice (once logged, once returned). */
const crateStage: Stage = {
  name: "crate",
  summary: "make a crate",
  flags: {},
  async run({ db, log }) {
    log.warn("2 rows skipped");
    await db.replaceTable("crate", "SELECT 1 AS release_id");
    return { tables: { crate: 1 }, warnings: ["prices in two currencies"], parameters: { n: 1 } };
  },
};

const failingStage: Stage = {
  name: "enrich",
  summary: "fail",
  flags: {},
  run({ log }) {
    log.warn("about to fail");
    throw new InputError("releases.jsonl:3: expected a JSON object");
  },
};

const neverStage = (name: string): Stage => ({
  name,
  summary: "must not run",
  flags: {},
  run() {
    throw new Error(`${name} ran`);
  },
});

Deno.test("a failing stage still writes run.json: ok, failed with its message, then skipped", async () => {
  await inTempDir(async (dir) => {
    const args = ["--db", `${dir}/w.duckdb`, "--out", `${dir}/out`];
    const error = await assertRejects(
      () =>
        runStages([crateStage, failingStage, neverStage("score"), neverStage("report")], args, {
          command: "test",
          summary: "",
        }),
      InputError,
    );
    assertEquals(error.message, "releases.jsonl:3: expected a JSON object");
    const manifest = await readManifest(`${dir}/out`);
    assertEquals(manifest.status, "failed");
    assertEquals(Object.keys(manifest.stages), ["crate", "enrich", "score", "report"]);
    const { crate, enrich, score, report } = manifest.stages;
    assertEquals(crate.status, "ok");
    assertEquals(crate.tables, { crate: 1 });
    assertEquals(crate.warnings, ["2 rows skipped", "prices in two currencies"]);
    assert(crate.seconds >= 0 && crate.started_at !== null);
    assertEquals(enrich.status, "failed");
    assertEquals(enrich.error, "releases.jsonl:3: expected a JSON object");
    assertEquals(enrich.warnings, ["about to fail"]);
    assert(enrich.started_at !== null && enrich.seconds >= 0);
    for (const skipped of [score, report]) {
      assertEquals(skipped.status, "skipped");
      assertEquals(skipped.skipped_because, "enrich failed");
      assertEquals(skipped.started_at, null);
    }
    assertEquals(manifest.warnings, [
      { stage: "crate", message: "2 rows skipped" },
      { stage: "crate", message: "prices in two currencies" },
      { stage: "enrich", message: "about to fail" },
    ]);
    // The stage that succeeded was exported as usual.
    assertEquals(manifest.tables.crate.rows, 1);
    assert((await Deno.stat(`${dir}/out/crate.parquet`)).size > 0);
  });
});

Deno.test("an unexpected error is recorded by its message, without a stack", async () => {
  await inTempDir(async (dir) => {
    const args = ["--db", `${dir}/w.duckdb`, "--out", `${dir}/out`];
    await assertRejects(() => runStages([neverStage("pool")], args, { command: "t", summary: "" }));
    const { stages, status } = await readManifest(`${dir}/out`);
    assertEquals(status, "failed");
    assertEquals(stages.pool.error, "pool ran");
  });
});

Deno.test("a later successful run merges in and reports ok with its own warnings", async () => {
  await inTempDir(async (dir) => {
    const args = ["--db", `${dir}/w.duckdb`, "--out", `${dir}/out`];
    await assertRejects(() =>
      runStages([failingStage, neverStage("score")], args, { command: "t", summary: "" })
    );
    await runStages([crateStage], args, { command: "t", summary: "" });
    const manifest = await readManifest(`${dir}/out`);
    assertEquals(manifest.status, "ok");
    assertEquals(manifest.warnings.map((w) => w.stage), ["crate", "crate"]);
    assertEquals(manifest.stages.crate.status, "ok");
    assertEquals(manifest.stages.enrich.status, "failed", "earlier records stay");
  });
});

Deno.test("every stage's flags are checked before the first stage runs or the database opens", async () => {
  await inTempDir(async (dir) => {
    let ran = false;
    const first: Stage = {
      name: "first",
      summary: "",
      flags: {},
      run() {
        ran = true;
        return Promise.resolve({ tables: {} });
      },
    };
    const topped: Stage = {
      name: "recommend",
      summary: "",
      flags: {
        top: {
          type: "string",
          description: "records per list",
          default: "20",
          number: { min: 1, max: 1000, integer: true },
        },
        budget: { type: "string", description: "price cap" },
      },
      validate(flags) {
        if (flags.budget === "free") throw new InputError("--budget free: expected a price");
      },
      run: () => Promise.resolve({ tables: {} }),
    };
    const args = ["--db", `${dir}/w.duckdb`, "--out", `${dir}/out`];
    const options = { command: "pipeline", summary: "" };
    const t0 = performance.now();
    await assertRejects(
      () => runStages([first, topped], [...args, "--top", "lots"], options),
      InputError,
      '--top "lots": expected a whole number >= 1 and <= 1000',
    );
    assert(performance.now() - t0 < 1000, "rejected in well under a second");
    await assertRejects(
      () => runStages([first, topped], [...args, "--budget", "free"], options),
      InputError,
      "--budget free",
    );
    assert(!ran, "no stage ran");
    assertEquals([...Deno.readDirSync(dir)], [], "no database file, no run.json");
    // Valid flags run as before.
    await runStages([first, topped], [...args, "--top", "5"], options);
    assert(ran);
  });
});
