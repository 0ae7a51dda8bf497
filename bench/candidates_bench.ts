/**
 * Candidates benchmark: the real-user path against the fake Discogs (in-process, window 1 s =
 * 60 requests per second, 60× faster than Discogs' 60/min) for gustw's collection (20% hidden in
 * the catalogue) and a 4,000-record collection (5,000 seeded catalogue releases, 20% hidden),
 * each `--username alice --skip-enrich` with a token and the default pool budget.
 *
 * Reports requests per source, candidates per request, the share of hidden records the sourcing
 * reached, minutes at 60/min (requests / 60), and the projected time from `--username` to first
 * recommendations at 60/min: requests / 60 + compute seconds / 60, where compute seconds are the
 * measured run minus the pacing the fast window imposes (requests × window / 60). Compute is also
 * given as a ratio to a reference measured in the same run: DuckDB reading the whole `pool` table
 * of the same workspace. Target (issue 11): ≤ 5 minutes for 4,000 records.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Database } from "../lib/db/mod.ts";
import { seededRandom } from "../lib/embed/projection.ts";
import { evaluateRealUser, type RealUserResult } from "../lib/recommend/evaluate_real_user.ts";
import { REAL_USER_STAGES } from "../pipeline/evaluate.ts";
import { loadCatalogue } from "../tests/fake_discogs/catalogue.ts";
import { printTable, writeBenchResult } from "./report.ts";

/** Target minutes from `--username` to first recommendations, 4,000 records at 60/min. */
export const TARGET_MINUTES = 5;

/** `count` distinct catalogue release ids, seeded. */
function sampleIds(ids: number[], count: number, seed: number): number[] {
  const rng = seededRandom(seed);
  const order = [...ids];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, count);
}

/** Seconds DuckDB takes to read every row and column of the workspace's pool (best of 3). */
async function poolScanSeconds(dbPath: string): Promise<number> {
  const db = await Database.open(dbPath, { readOnly: true });
  try {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await db.all("SELECT * FROM pool");
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    return best;
  } finally {
    db.close();
  }
}

interface SetupRun {
  setup: string;
  records: number;
  hidden: number;
  hidden_reached: number;
  hidden_reached_share: number;
  hidden_served_gems: number;
  served_gem_recall: number;
  candidates: number;
  requests: number;
  requests_by_purpose: Record<string, number>;
  sources: RealUserResult["sources"];
  measured_seconds: number;
  pacing_seconds: number;
  compute_seconds: number;
  stage_seconds: Record<string, number>;
  minutes_requests_at_60_per_min: number;
  projected_minutes_at_60_per_min: number;
  pool_scan_seconds: number;
  compute_vs_pool_scan: number;
}

async function runSetup(
  setup: string,
  ids: number[] | undefined,
  windowMs: number,
  seed: number,
): Promise<SetupRun> {
  const r = await evaluateRealUser({
    stages: REAL_USER_STAGES,
    collectionIds: ids,
    windowMs,
    seed,
    keep: true,
    top: 20,
    name: setup,
  });
  try {
    const scan = await poolScanSeconds(`${r.workspace}/workspace.duckdb`);
    const pacing = r.requests_total * windowMs / 60 / 1000;
    const compute = Math.max(0, r.seconds - pacing);
    return {
      setup,
      records: r.collection,
      hidden: r.hidden,
      hidden_reached: r.hidden_reached,
      hidden_reached_share: r.hidden_reached_share,
      hidden_served_gems: r.hidden_served_gems,
      served_gem_recall: r.hidden ? r.hidden_served_gems / r.hidden : 0,
      candidates: r.candidates,
      requests: r.requests_total,
      requests_by_purpose: r.requests,
      sources: r.sources,
      measured_seconds: r.seconds,
      pacing_seconds: pacing,
      compute_seconds: compute,
      stage_seconds: r.stage_seconds,
      minutes_requests_at_60_per_min: r.requests_total / 60,
      projected_minutes_at_60_per_min: r.requests_total / 60 + compute / 60,
      pool_scan_seconds: scan,
      compute_vs_pool_scan: scan > 0 ? compute / scan : 0,
    };
  } finally {
    await Deno.remove(r.workspace!, { recursive: true });
  }
}

/** Run the candidates benchmark. Flags: `--records 4000`, `--window-ms 1000`, `--seed 42`. */
export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: {
      records: { type: "string", default: "4000" },
      "window-ms": { type: "string", default: "1000" },
      seed: { type: "string", default: "42" },
    },
  });
  const records = Number(values.records);
  const windowMs = Number(values["window-ms"]);
  const seed = Number(values.seed);
  const catalogue = await loadCatalogue();
  // Hide 20% of records / 0.8 ids, so the user keeps `records`.
  const big = sampleIds([...catalogue.releases.keys()], Math.round(records / 0.8), seed);
  const runs = [
    await runSetup("gustw (80% kept)", undefined, windowMs, seed),
    await runSetup(`${records} records`, big, windowMs, seed),
  ];
  printTable(
    ["setup", "source", "requests", "candidates", "candidates/request"],
    runs.flatMap((r) =>
      Object.entries(r.sources).filter(([, s]) => s.requests + s.candidates > 0).map((
        [name, s],
      ) => [
        r.setup,
        name,
        s.requests,
        s.candidates,
        s.requests ? (s.candidates / s.requests).toFixed(1) : "-",
      ])
    ),
  );
  console.log();
  printTable(
    ["setup", "purpose", "requests"],
    runs.flatMap((r) => Object.entries(r.requests_by_purpose).map(([k, v]) => [r.setup, k, v])),
  );
  console.log();
  printTable(
    [
      "setup",
      "records",
      "hidden reached",
      "served gem recall",
      "candidates",
      "requests",
      "min at 60/min",
      "compute s",
      "pool scan s",
      "compute ÷ scan",
      "projected min",
      `target ≤${TARGET_MINUTES}`,
    ],
    runs.map((r) => [
      r.setup,
      r.records,
      `${r.hidden_reached}/${r.hidden} (${(100 * r.hidden_reached_share).toFixed(1)}%)`,
      r.served_gem_recall.toFixed(3),
      r.candidates,
      r.requests,
      r.minutes_requests_at_60_per_min.toFixed(2),
      r.compute_seconds.toFixed(1),
      r.pool_scan_seconds.toFixed(4),
      `${Math.round(r.compute_vs_pool_scan)}×`,
      r.projected_minutes_at_60_per_min.toFixed(2),
      r.projected_minutes_at_60_per_min <= TARGET_MINUTES ? "pass" : "FAIL",
    ]),
  );
  const result = {
    target_minutes: TARGET_MINUTES,
    window_ms: windowMs,
    seed,
    skip_enrich: true,
    pool_budget: "auto",
    runs,
  };
  console.log(`\nwrote ${await writeBenchResult("candidates", result)}`);
  return result;
}

export const candidatesBenchmark = {
  name: "candidates",
  description:
    "real-user sourcing vs the fake Discogs: requests per source, hidden reached, minutes at 60/min",
  run,
};
