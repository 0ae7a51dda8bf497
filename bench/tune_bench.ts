/**
 * `deno task bench tune`: how long the gem self-tuning (`lib/recommend/tune/`) takes on a
 * synthetic collection of the sample's size (315 records) and of 5,000, against a pool of
 * 35,000 (the full fixture pool's size), as served: bounded by its work, not a clock (target
 * ≤ 2 s at 5,000 records). The reference, measured in the same run, is one hand-blend gem query
 * on the same context (its first, with the columns built); best of `--repeat` (3).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { buildContext, gemScores } from "../lib/recommend/mod.ts";
import { DEFAULT_GEM_WEIGHTS } from "../lib/recommend/kinds/gem_weights.ts";
import { fitBlend } from "../lib/recommend/tune/mod.ts";
import { printTable, writeBenchResult } from "./report.ts";
import { syntheticReleases } from "./recommend_bench.ts";
import { loadTaxonomy, makeWorld, mulberry32 } from "./synthetic.ts";

const best = (xs: number[]) => Math.min(...xs);

async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: {
      repeat: { type: "string", default: "3" },
      pool: { type: "string", default: "35000" },
      records: { type: "string", default: "315,5000" },
    },
  });
  const repeat = Math.max(1, Number(values.repeat));
  const poolSize = Number(values.pool);
  const world = makeWorld(mulberry32(5), await loadTaxonomy(), 200_000);
  const tastes = new Set(world.artists.slice(0, 3).map((a) => a.genre));
  const rows: Record<string, unknown>[] = [];
  for (const records of String(values.records).split(",").map(Number)) {
    // A collector is a few artists deep: their records come from a narrow slice of the world.
    const owned = syntheticReleases(records * 40, 11, world)
      .filter((c) => tastes.has(c.genres[0])).slice(0, records);
    const pool = syntheticReleases(poolSize, 12, world);
    const ctx = buildContext(owned, pool, { dims: 64, seed: 42 });
    const reference: number[] = [];
    const bounded: number[] = [];
    let served = "";
    let evaluations = 0;
    for (let r = 0; r < repeat; r++) {
      // A fresh context each time, so the reference pays for its columns like a first query.
      const fresh = { ...ctx };
      let t = performance.now();
      gemScores(fresh, 1, DEFAULT_GEM_WEIGHTS);
      reference.push((performance.now() - t) / 1000);
      t = performance.now();
      // The default: bounded by its work (folds, negatives, passes), not by a clock.
      const blend = fitBlend({ ...ctx });
      bounded.push((performance.now() - t) / 1000);
      served = blend.served;
      evaluations = blend.evaluations;
    }
    const sorted = [...bounded].sort((a, b) => a - b);
    rows.push({
      records,
      pool: poolSize,
      reference_seconds: best(reference),
      tune_seconds: best(bounded),
      tune_median_seconds: sorted[Math.floor(sorted.length / 2)],
      evaluations,
      served,
      target_seconds: 2,
      tune_vs_reference: best(bounded) / best(reference),
    });
  }
  printTable(
    ["records", "pool", "hand query s", "tuning s (best)", "median s", "settings", "÷ query"],
    rows.map((r) => [
      String(r.records),
      String(r.pool),
      (r.reference_seconds as number).toFixed(3),
      (r.tune_seconds as number).toFixed(2),
      (r.tune_median_seconds as number).toFixed(2),
      String(r.evaluations),
      (r.tune_vs_reference as number).toFixed(1),
    ]),
  );
  const result = { runs: rows };
  console.log(`\nwrote ${await writeBenchResult("tune", result)}`);
  return result;
}

export const tuneBenchmark = {
  name: "tune",
  description: "gem self-tuning time at 315 and 5,000 records against a 35,000-record pool",
  run,
};
