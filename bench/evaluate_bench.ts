/**
 * Evaluation harness benchmark (issue 18): the file-pool harness on one synthetic 5,000-record
 * collection against synthetic pools of 100k and 1M releases (`bench/synthetic.ts`'s world, the
 * recommend benchmark's releases), per fold and per step (the fold's embedding space, then each
 * recommender's full ranking and metrics), beside a reference measured in the same run: one
 * embed pass — fitting the embedder on collection + pool and embedding every release, the work
 * every fold's context starts with. Best of `--repeats` (default 1 for the harness, 3 for the
 * reference), wall and CPU seconds; the machine is shared.
 *
 * `deno task bench evaluate [--sizes 100000,1000000] [--collection 5000] [--folds 1]`
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import { embed, fitEmbedder } from "../lib/embed/model.ts";
import { evaluateCollection } from "../lib/recommend/evaluate.ts";
import { peakRssBytes } from "./run_stage.ts";
import { mib, printTable, writeBenchResult } from "./report.ts";
import { syntheticCollection, syntheticReleases } from "./recommend_bench.ts";

const step = (what: string) => console.error(`  ${what}: peak RSS ${mib(peakRssBytes())} MiB`);

/** CPU seconds of this process since `since`: what the code costs apart from waiting for a core. */
function cpuSince(since: { user: number; system: number }): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1e6;
}

/** Wall and CPU seconds of `body`. */
function timed<T>(body: () => T): { value: T; seconds: number; cpu: number } {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = body();
  return { value, seconds: (performance.now() - t) / 1000, cpu: cpuSince(cpu) };
}

/** One embed pass over collection + pool (the reference). */
function embedPass(
  collection: Parameters<typeof fitEmbedder>[0],
  pool: Parameters<typeof fitEmbedder>[0],
): { seconds: number; cpu: number } {
  return timed(() => {
    const model = fitEmbedder([...collection, ...pool], { dims: 64, seed: 42 });
    embed(model, pool);
    embed(model, collection);
  });
}

async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: {
      sizes: { type: "string", default: "100000,1000000" },
      collection: { type: "string", default: "5000" },
      folds: { type: "string", default: "1" },
      repeats: { type: "string", default: "1" },
      "reference-repeats": { type: "string", default: "2" },
    },
  });
  const folds = Number(values.folds);
  const { world, collection } = await syntheticCollection(Number(values.collection));
  const results: Record<string, unknown>[] = [];
  for (const size of values.sizes!.split(",").map(Number)) {
    const pool = syntheticReleases(size, 2, world);
    step(`${size} synthetic releases`);
    const references: { seconds: number; cpu: number }[] = [];
    for (let r = 0; r < Number(values["reference-repeats"]); r++) {
      references.push(embedPass(collection, pool));
      step(`reference embed pass ${r + 1}: ${references.at(-1)!.seconds.toFixed(1)} s`);
    }
    type Run = { seconds: number; cpu: number; timings: Record<string, number>; recall: number };
    let best: Run | null = null;
    const all: number[] = [];
    for (let r = 0; r < Number(values.repeats); r++) {
      const timings: Record<string, number> = {};
      const run = timed(() =>
        evaluateCollection("synthetic", collection, pool, { folds, seed: 42, timings })
      );
      all.push(run.seconds);
      const gems = run.value.find((row) => row.recommender === "next-spin gems")!;
      if (!best || run.seconds < best.seconds) {
        best = { seconds: run.seconds, cpu: run.cpu, timings, recall: gems.recall_at_50 };
      }
      step(`harness run ${r + 1}: ${run.seconds.toFixed(1)} s`);
    }
    const reference = references.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    results.push({
      pool: size,
      collection: collection.length,
      folds,
      harness_seconds: best!.seconds,
      harness_cpu_seconds: best!.cpu,
      harness_seconds_all: all,
      harness_seconds_per_fold: best!.seconds / folds,
      steps_seconds: best!.timings,
      reference_embed_pass_seconds: reference.seconds,
      reference_embed_pass_cpu_seconds: reference.cpu,
      reference_embed_pass_seconds_all: references.map((x) => x.seconds),
      harness_per_fold_vs_embed_pass: best!.seconds / folds / reference.seconds,
      harness_per_fold_vs_embed_pass_cpu: best!.cpu / folds / reference.cpu,
      gems_recall_at_50: best!.recall,
      peak_rss_bytes: peakRssBytes(),
    });
  }
  const stepNames = Object.keys(results[0].steps_seconds as Record<string, number>);
  printTable(
    [
      "pool",
      "harness s / fold",
      ...stepNames.map((s) => `${s.replace(" (baseline)", "")} s`),
      "embed pass s",
      "÷ embed pass",
      "CPU s / fold",
      "embed pass CPU s",
      "CPU ÷ embed pass",
      "peak RSS MiB",
    ],
    results.map((r) => {
      const steps = r.steps_seconds as Record<string, number>;
      return [
        r.pool as number,
        (r.harness_seconds_per_fold as number).toFixed(1),
        ...stepNames.map((s) => (steps[s] / folds).toFixed(2)),
        (r.reference_embed_pass_seconds as number).toFixed(1),
        (r.harness_per_fold_vs_embed_pass as number).toFixed(1),
        ((r.harness_cpu_seconds as number) / folds).toFixed(1),
        (r.reference_embed_pass_cpu_seconds as number).toFixed(1),
        (r.harness_per_fold_vs_embed_pass_cpu as number).toFixed(1),
        mib(r.peak_rss_bytes as number),
      ];
    }),
  );
  const result = { results };
  console.log(`wrote ${await writeBenchResult("evaluate", result)}`);
  return result;
}

/** `deno task bench evaluate`. */
export const evaluateBenchmark = {
  name: "evaluate",
  description: "the evaluation harness on a 5,000-record collection over 100k and 1M pools",
  run,
};
