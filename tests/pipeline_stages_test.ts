/**
 * The stage runner as a user meets it: `deno task pipeline` refuses a bad flag value before any
 * stage runs (and leaves the workspace untouched), every stage's numeric and enum flags are
 * checked that way, and a run that fails part-way still leaves a run.json saying what happened.
 */
import { Database } from "../lib/db/mod.ts";
import { sha256File } from "../lib/fs/atomic.ts";
import { InputError } from "../lib/errors.ts";
import type { RunManifest } from "../lib/pipeline/manifest.ts";
import { COMMON_FLAGS, mergeFlags } from "../lib/pipeline/stage.ts";
import { validateFlags } from "../lib/cli/flags.ts";
import {
  assert,
  assertEquals,
  assertNotMatch,
  assertStringIncludes,
  assertThrows,
} from "../lib/testing/assert.ts";
import { PIPELINE_STAGES, withSampleDefaults } from "../pipeline/pipeline.ts";
import { evaluateStage } from "../pipeline/evaluate.ts";
import { REPO_ROOT, tempWorkspace } from "./helpers.ts";

/** Run the pipeline as a subprocess, killed if it outlives `deadlineMs`. */
async function pipeline(args: string[], deadlineMs: number) {
  const t0 = performance.now();
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "pipeline/pipeline.ts", ...args],
    cwd: REPO_ROOT,
    env: { NO_COLOR: "1", NEXTSPIN_QUIET: "1" },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(deadlineMs),
  }).output();
  return {
    code: output.code,
    stderr: new TextDecoder().decode(output.stderr),
    seconds: (performance.now() - t0) / 1000,
  };
}

Deno.test("a bad --top fails at once, naming the flag, and leaves the workspace as it was", async () => {
  const ws = await tempWorkspace();
  try {
    // A workspace with a table in it, to see that nothing touches it.
    const db = await Database.open(ws.db);
    await db.replaceTable("collection", "SELECT 42 AS release_id");
    db.close();
    const before = await sha256File(ws.db);

    const run = await pipeline(["--db", ws.db, "--out", ws.out, "--top", "0"], 30_000);
    assertEquals(run.code, 2, run.stderr);
    assertStringIncludes(run.stderr, '--top "0": expected a whole number >= 1 and <= 1000');
    assertNotMatch(run.stderr, /\[ingest\]|\[enrich\]|\n\s+at \S/);
    // Process start-up included; the check itself takes microseconds, a sample run a minute.
    assert(run.seconds < 5, `took ${run.seconds.toFixed(1)} s`);
    assertEquals(await sha256File(ws.db), before, "the database file is unchanged");
    const reopened = await Database.open(ws.db, { readOnly: true });
    try {
      assertEquals(await reopened.all("SELECT * FROM collection"), [{ release_id: 42 }]);
    } finally {
      reopened.close();
    }
    await Deno.stat(ws.out).then(
      () => assert(false, "no output folder or run.json for a run that never started"),
      () => {},
    );
  } finally {
    await ws.cleanup();
  }
});

Deno.test("every numeric and enum flag of every stage is checked before anything runs", () => {
  const spec = mergeFlags(
    [...PIPELINE_STAGES, evaluateStage].map((s) => s.flags).concat(
      COMMON_FLAGS,
    ),
  );
  const defaults = withSampleDefaults({});
  // flag → a bad value and the words the message must contain.
  const bad: Record<string, [string, string]> = {
    "price-weight": ["11", "<= 10"],
    budget: ["-5", ">= 0"],
    top: ["many", "whole number"],
    "pool-budget": ["1.5", "whole number"],
    dims: ["1", ">= 2"],
    seed: ["x", "whole number"],
    folds: ["0", ">= 1"],
    currency: ["DOGE", "expected one of"],
    "max-age": ["soon", "expected a duration"],
    embedder: ["word2vec", "expected tfidf or transformers"],
    horizon: ["400d", "expected whole days from 1d to 365d"],
    threshold: ["lots", "expected a percentage"],
    since: ["last tuesday", "expected a date"],
    signals: ["seriez=0.1", 'no gem signal "seriez"'],
  };
  for (const [flag, [value, expected]] of Object.entries(bad)) {
    assert(flag in spec, `--${flag} is a flag of some stage`);
    const error = assertThrows(
      () => validateFlags(spec, { ...defaults, [flag]: value }),
      InputError,
      expected,
    );
    assertStringIncludes(error.message, `--${flag}`);
  }
  // The defaults themselves pass.
  validateFlags(spec, {
    ...defaults,
    ...Object.fromEntries(
      Object.entries(spec).filter(([, d]) => d.default !== undefined).map((
        [n, d],
      ) => [n, d.default]),
    ),
  });
});

Deno.test("a pipeline that fails in ingest writes run.json: ingest failed, the rest skipped", async () => {
  const ws = await tempWorkspace();
  try {
    const missing = `${ws.dir}/no-such-export.csv`;
    const run = await pipeline(["--db", ws.db, "--out", ws.out, "--collection", missing], 60_000);
    assert(run.code !== 0, "the run fails");
    assertNotMatch(run.stderr, /\n\s+at \S/, "no stack trace");
    assertEquals(run.stderr.trim().split("\n").length, 1, run.stderr);
    const manifest: RunManifest = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
    assertEquals(manifest.status, "failed");
    const { ingest, ...rest } = manifest.stages;
    assertEquals(ingest.status, "failed");
    assertStringIncludes(ingest.error!, "no-such-export.csv");
    assertNotMatch(ingest.error!, /\n\s+at \S/);
    assertEquals(Object.keys(rest), PIPELINE_STAGES.slice(1).map((s) => s.name));
    for (const record of Object.values(rest)) {
      assertEquals(record.status, "skipped");
      assertEquals(record.skipped_because, "ingest failed");
    }
  } finally {
    await ws.cleanup();
  }
});
