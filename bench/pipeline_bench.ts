/**
 * Pipeline benchmark: ingest + enrich-from-cache + score on seeded synthetic collections
 * (default 10k and 100k records). Each stage runs in its own child process so its peak RSS is
 * its own. Targets (issue 3, 2-core machine): 100k records through ingest + score in under 10 s
 * and under 1 GiB RSS.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { generateCollection } from "./synthetic.ts";
import { mib, printTable, writeBenchResult } from "./report.ts";

/** Targets for ingest + score at the largest size. */
export const TARGETS = { seconds: 10, rssBytes: 1024 ** 3 } as const;

interface StageRun {
  stage: string;
  records: number;
  seconds: number;
  process_seconds: number;
  records_per_second: number;
  peak_rss_bytes: number | null;
}

async function runStage(stage: string, args: string[], records: number): Promise<StageRun> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "bench/run_stage.ts", stage, ...args],
    env: { NEXTSPIN_QUIET: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const processSeconds = (performance.now() - t0) / 1000;
  if (out.code !== 0) throw new Error(`${stage} failed: ${new TextDecoder().decode(out.stderr)}`);
  const line = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!;
  const { seconds, peak_rss_bytes } = JSON.parse(line);
  return {
    stage,
    records,
    seconds,
    process_seconds: processSeconds,
    records_per_second: Math.round(records / seconds),
    peak_rss_bytes,
  };
}

/** Run the pipeline benchmark. Flags: `--sizes 10000,100000`, `--seed N`. */
export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: {
      sizes: { type: "string", default: "10000,100000" },
      seed: { type: "string", default: "1" },
    },
  });
  const sizes = values.sizes!.split(",").map(Number);
  const runs: StageRun[] = [];
  const totals: Record<string, unknown>[] = [];
  for (const records of sizes) {
    const dir = await Deno.makeTempDir({ prefix: "nextspin-bench-" });
    try {
      const data = await generateCollection({ records, seed: Number(values.seed), dir });
      const common = ["--db", `${dir}/bench.duckdb`, "--out", `${dir}/out`];
      const ingest = await runStage("ingest", ["--collection", data.csvPath, ...common], records);
      const enrich = await runStage(
        "enrich",
        ["--from-jsonl", data.jsonlPath, ...common],
        data.releases,
      );
      const score = await runStage("score", common, data.releases);
      runs.push(ingest, enrich, score);
      const seconds = ingest.seconds + score.seconds;
      const rss = Math.max(ingest.peak_rss_bytes ?? 0, score.peak_rss_bytes ?? 0);
      totals.push({
        records,
        ingest_plus_score_seconds: seconds,
        ingest_plus_score_peak_rss_bytes: rss,
        meets_targets: seconds < TARGETS.seconds && rss < TARGETS.rssBytes,
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
  printTable(
    ["stage", "records", "seconds", "records/s", "peak RSS MiB", "process s"],
    runs.map((
      r,
    ) => [
      r.stage,
      r.records,
      r.seconds.toFixed(2),
      r.records_per_second,
      mib(r.peak_rss_bytes),
      r.process_seconds.toFixed(2),
    ]),
  );
  console.log();
  printTable(
    ["records", "ingest+score s", "max RSS MiB", `target <${TARGETS.seconds}s, <1 GiB`],
    totals.map((t) => [
      t.records as number,
      (t.ingest_plus_score_seconds as number).toFixed(2),
      mib(t.ingest_plus_score_peak_rss_bytes as number),
      t.meets_targets ? "pass" : "FAIL",
    ]),
  );
  const result = {
    targets: { ingest_plus_score_seconds: TARGETS.seconds, peak_rss_bytes: TARGETS.rssBytes },
    stages: runs,
    totals,
  };
  console.log(`\nwrote ${await writeBenchResult("pipeline", result)}`);
  return result;
}

export const pipelineBenchmark = {
  name: "pipeline",
  description: "ingest + enrich-from-cache + score at 10k and 100k synthetic records",
  run,
};
