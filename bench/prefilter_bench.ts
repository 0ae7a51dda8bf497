/**
 * Catalogue prefilter benchmark (issue 13: prefilter + ranking ≤ 2 s from a 5M-release
 * catalogue for a 4,000-record collection). Catalogues: 1M releases built by the `catalog` stage
 * from the synthetic dump (cached under `data/bench/catalog/`, as `deno task bench catalog`
 * makes them), and larger ones replicated from it (`replicate_catalog.ts`).
 *
 * For each size, in a child process (so its peak RSS is that size's): a 4,000-record collection
 * drawn (seeded) from the catalogue as a CSV export gives it (no workspace styles or credits),
 * then the catalogue candidate source as the pool stage runs it (`catalogSource.gather`: the
 * prefilter to 5,000 candidates, their pool rows, facts and market) — through the release index
 * (built on the first run and timed apart; then best of `--runs`) and scanning the Parquet with
 * DuckDB (`--scan-runs`, it is slow) — and the reference: one full column scan of
 * `release_artists` (`sum(artist_id)`), which grows with the catalogue as the scan does. The two
 * paths' rows are compared: they must be the same. Reports seconds, each step, the ratio to the
 * reference, peak RSS and the projection to the full dump's 19M releases (linear in the
 * catalogue from the two largest sizes).
 *
 * Flags: `--sizes 1000000,5000000`, `--records 4000`, `--runs 3`, `--scan-runs 1`, `--seed 1`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { attachCatalog } from "../lib/catalog/open.ts";
import { Database } from "../lib/db/mod.ts";
import { seededRandom } from "../lib/embed/projection.ts";
import { POOL_ROW_DDL } from "../lib/pool/load.ts";
import { catalogSource } from "../lib/pool/sources/catalog.ts";
import type { SourceContext } from "../lib/pool/sources/types.ts";
import { BENCH_DIR, printTable, writeBenchResult } from "./report.ts";
import { cpuSeconds, peakRssBytes } from "./run_stage.ts";
import { replicateCatalogue } from "./replicate_catalog.ts";
import { FULL_DUMP_RELEASES } from "./catalog_bench.ts";

/** Prefilter + rows target, seconds, at 5M releases (issue 13). */
export const TARGET_SECONDS = 2;
const CANDIDATES = 5_000;
const BASE = 1_000_000;
const CACHE_DIR = join(BENCH_DIR, "catalog");

/** The catalogue of `size` releases: built from the synthetic dump (1M), or replicated from it. */
async function catalogueOf(size: number, seed: number): Promise<string> {
  const dir = join(CACHE_DIR, `catalog_${size}_seed${seed}`);
  try {
    await Deno.stat(join(dir, "releases"));
    return dir;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (size === BASE) {
    const dump = join(CACHE_DIR, `releases_today_${BASE}_seed${seed}.xml.gz`);
    await Deno.stat(dump).catch(() => {
      throw new Error(`${dump} is missing: run \`deno task bench catalog --sizes ${BASE}\` first`);
    });
    console.log(`building ${dir} with the catalog stage …`);
    // Its workspace and run manifest go to a throwaway folder, not the collector's.
    const scratch = await Deno.makeTempDir({ prefix: "nextspin-prefilter-bench-" });
    try {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "pipeline/catalog.ts",
          "--releases",
          dump,
          "--catalog",
          dir,
          "--db",
          join(scratch, "w.duckdb"),
          "--out",
          join(scratch, "out"),
          // The index is built (and timed) by the first prefilter run below.
          "--skip-index",
        ],
        env: { NEXTSPIN_QUIET: "1" },
      }).output();
      if (out.code !== 0) throw new Error(`catalog stage failed (${out.code})`);
    } finally {
      await Deno.remove(scratch, { recursive: true });
    }
    return dir;
  }
  if (size % BASE !== 0) throw new Error(`--sizes: ${size} is not a multiple of ${BASE}`);
  const base = await catalogueOf(BASE, seed);
  console.log(`replicating ${base} ×${size / BASE} into ${dir} …`);
  const tmp = `${dir}.tmp`;
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
  await replicateCatalogue(base, tmp, size / BASE);
  await Deno.rename(tmp, dir);
  return dir;
}

/** A collection of `records` catalogue releases, as a CSV export without enrichment gives it. */
async function collection(db: Database, records: number, seed: number): Promise<void> {
  const rng = seededRandom(seed);
  const ids = (await db.columnsOf("SELECT id FROM catalog_releases ORDER BY id")).id.map(Number);
  for (let i = ids.length - 1; i > ids.length - 1 - records; i--) {
    const j = Math.floor(rng() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  const owned = ids.slice(ids.length - records);
  await db.run(`CREATE TABLE collection AS
    SELECT r.id AS release_id,
           (SELECT arg_min(a.name, a.position) FROM catalog_release_artists a
            WHERE a.release_id = r.id AND a.kind = 'main') AS artist_display,
           r.title,
           (SELECT arg_min(l.name, l.position) FROM catalog_release_labels l
            WHERE l.release_id = r.id) AS label,
           r.year AS released_year
    FROM catalog_releases r WHERE r.id IN (${owned.join(", ")})`);
  await db.run(`CREATE TABLE releases (release_id BIGINT, master_id BIGINT, styles VARCHAR[],
    genres VARCHAR[], labels VARCHAR[], artists VARCHAR[], year INTEGER)`);
}

interface Run {
  seconds: number;
  prefilter_seconds: number;
  steps: Record<string, number>;
  rows: unknown[];
}

interface SizeResult {
  releases: number;
  release_artists_rows: number;
  load_average_before: number | null;
  reference_seconds: number;
  index_build_seconds: number;
  first_run_seconds: number;
  index_seconds: number;
  index_runs: number[];
  index_prefilter_seconds: number;
  index_steps: Record<string, number>;
  /** Null with `--scan-runs 0` (the scan is slow at 5M): then nothing is compared. */
  scan_seconds: number | null;
  scan_prefilter_seconds: number | null;
  same_rows_as_scan: boolean | null;
  vs_reference: number;
  scan_vs_reference: number | null;
  peak_rss_bytes: number | null;
  cpu_seconds: number | null;
}

/** Measure one catalogue (the child process). */
async function measure(
  dir: string,
  records: number,
  runs: number,
  scanRuns: number,
  seed: number,
): Promise<SizeResult> {
  const load = Number((await Deno.readTextFile("/proc/loadavg")).split(" ")[0]);
  const work = await Deno.makeTempDir({ prefix: "nextspin-prefilter-bench-" });
  const db = await Database.open(join(work, "w.duckdb"));
  try {
    const attached = await attachCatalog(db, dir);
    await collection(db, records, seed);
    const ctx: SourceContext = {
      db,
      target: "pool_candidates",
      currency: "USD",
      offline: true,
      authenticated: false,
      files: [],
      includeOtherPressings: false,
      info: () => {},
      catalog: { dir, candidates: CANDIDATES },
    };
    const once = async (index: boolean): Promise<Run & { built: number }> => {
      if (index) Deno.env.delete("NEXTSPIN_CATALOG_INDEX");
      else Deno.env.set("NEXTSPIN_CATALOG_INDEX", "off");
      await db.run(`CREATE OR REPLACE TEMP TABLE pool_candidates (${POOL_ROW_DDL})`);
      const t0 = performance.now();
      const report = await catalogSource.gather(ctx, 0);
      const seconds = (performance.now() - t0) / 1000;
      const d = report.details as Record<string, unknown>;
      const steps = d.prefilter_steps as Record<string, number>;
      return {
        seconds,
        prefilter_seconds: d.prefilter_seconds as number,
        steps: {
          ...steps,
          rows_facts_market: (d.seconds as number) - (d.prefilter_seconds as number),
        },
        rows: await db.all(
          "SELECT release_id, source_row FROM pool_candidates ORDER BY source_row",
        ),
        built: d.index_built_seconds as number,
      };
    };
    const first = await once(true); // builds the index if needed, and the market base once
    const indexed: (Run & { built: number })[] = [];
    for (let i = 0; i < runs; i++) indexed.push(await once(true));
    const bestIndexed = indexed.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const scans: Run[] = [];
    for (let i = 0; i < scanRuns; i++) scans.push(await once(false));
    Deno.env.delete("NEXTSPIN_CATALOG_INDEX");
    const bestScan = scans.length === 0
      ? undefined
      : scans.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const refs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await db.one("SELECT sum(artist_id) AS s FROM catalog_release_artists");
      refs.push((performance.now() - t0) / 1000);
    }
    const reference = Math.min(...refs);
    return {
      releases: attached.counts.releases!,
      release_artists_rows: attached.counts.release_artists!,
      load_average_before: load,
      reference_seconds: reference,
      index_build_seconds: first.built,
      first_run_seconds: first.seconds,
      index_seconds: bestIndexed.seconds,
      index_runs: indexed.map((r) => r.seconds),
      index_prefilter_seconds: bestIndexed.prefilter_seconds,
      index_steps: bestIndexed.steps,
      scan_seconds: bestScan?.seconds ?? null,
      scan_prefilter_seconds: bestScan?.prefilter_seconds ?? null,
      same_rows_as_scan: bestScan
        ? JSON.stringify(bestIndexed.rows) === JSON.stringify(bestScan.rows)
        : null,
      vs_reference: bestIndexed.seconds / reference,
      scan_vs_reference: bestScan ? bestScan.seconds / reference : null,
      peak_rss_bytes: peakRssBytes(),
      cpu_seconds: cpuSeconds(),
    };
  } finally {
    db.close();
    await Deno.remove(work, { recursive: true });
  }
}

/** Run the prefilter benchmark (flags in the module doc). */
export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: {
      sizes: { type: "string", default: "1000000,5000000" },
      records: { type: "string", default: "4000" },
      runs: { type: "string", default: "3" },
      "scan-runs": { type: "string", default: "1" },
      seed: { type: "string", default: "1" },
    },
  });
  const seed = Number(values.seed);
  const results: SizeResult[] = [];
  for (const size of values.sizes!.split(",").map(Number)) {
    const dir = await catalogueOf(size, seed);
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "bench/prefilter_bench.ts",
        "--child",
        dir,
        values.records!,
        values.runs!,
        values["scan-runs"]!,
        String(seed),
      ],
      stdout: "piped",
    }).output();
    if (out.code !== 0) throw new Error(`prefilter bench at ${size} failed (${out.code})`);
    results.push(JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!));
  }
  const [a, b] = results.slice(-2);
  const project = (f: (r: SizeResult) => number) =>
    b && a !== b
      ? f(b) + (f(b) - f(a)) * (FULL_DUMP_RELEASES - b.releases) / (b.releases - a.releases)
      : f(results[0]) * FULL_DUMP_RELEASES / results[0].releases;
  const projection = {
    releases: FULL_DUMP_RELEASES,
    index_seconds: project((r) => r.index_seconds),
    scan_seconds: results.every((r) => r.scan_seconds !== null)
      ? project((r) => r.scan_seconds!)
      : null,
    index_build_seconds: project((r) => r.index_build_seconds),
  };
  const mib = (x: number | null) => (x === null ? "-" : (x / 1024 ** 2).toFixed(0));
  printTable(
    [
      "releases",
      "load",
      "ref s",
      "index s",
      "prefilter s",
      "first cut s",
      "rows… s",
      "÷ ref",
      "scan s",
      "same",
      "index build s",
      "RSS MiB",
      `≤${TARGET_SECONDS} s`,
    ],
    results.map((r) => [
      r.releases,
      r.load_average_before?.toFixed(1) ?? "-",
      r.reference_seconds.toFixed(2),
      r.index_seconds.toFixed(2),
      r.index_prefilter_seconds.toFixed(2),
      r.index_steps.first_cut.toFixed(2),
      r.index_steps.rows_facts_market.toFixed(2),
      `${r.vs_reference.toFixed(1)}×`,
      r.scan_seconds?.toFixed(2) ?? "-",
      r.same_rows_as_scan === null ? "-" : r.same_rows_as_scan ? "yes" : "NO",
      r.index_build_seconds.toFixed(0),
      mib(r.peak_rss_bytes),
      r.index_seconds <= TARGET_SECONDS ? "pass" : "FAIL",
    ]),
  );
  console.log(
    `19M projected: ${projection.index_seconds.toFixed(2)} s through the index ` +
      `(${
        projection.scan_seconds === null
          ? "scan not run"
          : `scan ${projection.scan_seconds.toFixed(1)} s`
      }; index built once in ` +
      `${projection.index_build_seconds.toFixed(0)} s)`,
  );
  const result = {
    target_seconds: TARGET_SECONDS,
    candidates: CANDIDATES,
    records: Number(values.records),
    seed,
    results,
    projection_19m: projection,
  };
  console.log(`\nwrote ${await writeBenchResult("prefilter", result)}`);
  return result;
}

export const prefilterBenchmark = {
  name: "prefilter",
  description:
    "catalogue candidates (prefilter, rows, facts, market) for 4,000 records at 1M and 5M releases, release index vs scan",
  run,
};

if (import.meta.main && Deno.args[0] === "--child") {
  const [, dir, records, runs, scanRuns, seed] = Deno.args;
  console.log(
    JSON.stringify(
      await measure(dir, Number(records), Number(runs), Number(scanRuns), Number(seed)),
    ),
  );
  Deno.exit(0);
}
