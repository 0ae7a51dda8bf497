/**
 * `deno task bench [name…] [-- flags]`: run benchmarks by name (all when none is named). Each
 * writes `data/bench/<name>.json` and prints a table. Benchmarks are not tests: nothing here
 * asserts on time.
 *
 * @module
 */

import { candidatesBenchmark } from "./candidates_bench.ts";
import { catalogBenchmark } from "./catalog_bench.ts";
import { enrichBenchmark } from "./enrich_bench.ts";
import { evaluateBenchmark } from "./evaluate_bench.ts";
import { moneyBenchmark } from "./money_bench.ts";
import { pipelineBenchmark } from "./pipeline_bench.ts";
import { prefilterBenchmark } from "./prefilter_bench.ts";
import { recommendBenchmark } from "./recommend_bench.ts";
import { signalsBenchmark } from "./signals_bench.ts";
import { tuneBenchmark } from "./tune_bench.ts";
import { xmlParsersBenchmark } from "./xml_parsers_bench.ts";

/** A named benchmark. */
export interface Benchmark {
  name: string;
  description: string;
  run(args: string[]): Promise<unknown>;
}

/** Every benchmark, in the order `deno task bench` runs them. */
export const BENCHMARKS: Benchmark[] = [
  pipelineBenchmark,
  enrichBenchmark,
  recommendBenchmark,
  tuneBenchmark,
  candidatesBenchmark,
  catalogBenchmark,
  prefilterBenchmark,
  xmlParsersBenchmark,
  evaluateBenchmark,
  signalsBenchmark,
  moneyBenchmark,
];

if (import.meta.main) {
  // Known benchmark names select benchmarks; everything else is passed on as flags.
  const known = new Set(BENCHMARKS.map((b) => b.name));
  const names = Deno.args.filter((a) => known.has(a));
  const flags = Deno.args.filter((a) => !known.has(a));
  if (flags.includes("--help")) {
    console.log("Usage: deno task bench [name…] [--flags]\n\nBenchmarks:");
    for (const b of BENCHMARKS) console.log(`  ${b.name.padEnd(10)} ${b.description}`);
    Deno.exit(0);
  }
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark ${unknown.join(", ")}; known: ${BENCHMARKS.map((b) => b.name).join(", ")}`,
    );
    Deno.exit(2);
  }
  for (const benchmark of BENCHMARKS.filter((b) => names.length === 0 || names.includes(b.name))) {
    console.log(`== ${benchmark.name}: ${benchmark.description}`);
    await benchmark.run(flags);
  }
}
