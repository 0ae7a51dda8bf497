/**
 * Catalogue benchmark: the `catalog` stage from a synthetic releases dump (`.xml.gz`, seeded,
 * the real element mix at ≈ 4 KB of XML a release; cached under `data/bench/catalog/`) to
 * Parquet, at 100k and 1M releases. For each size, in the same run: the time `gzip -dc FILE >
 * /dev/null` takes (the floor: no build can read the file faster than it decompresses), then
 * the stage as a child process (bench/run_stage.ts: wall seconds, CPU seconds, peak RSS).
 * Reports releases/s, MB/s of XML, peak RSS, the ratio to `gzip -dc`, and the projection for
 * the full dump's 19M releases. Targets (issue 13): ≥ 25,000 releases/s, peak RSS ≤ 1.5 GiB.
 *
 * The machine is shared: the load average before each run is recorded next to its figures.
 *
 * Flags: `--sizes 100000,1000000`, `--generation today|2020`, `--seed 1`, `--part-size N`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { writeSyntheticDump } from "../lib/catalog/synthetic.ts";
import type { DumpGeneration, SyntheticCounts } from "../lib/catalog/synthetic.ts";
import { writeTextAtomically } from "../lib/fs/atomic.ts";
import { BENCH_DIR, printTable, writeBenchResult } from "./report.ts";

/** Releases per second the stage should reach (issue 13). */
export const TARGET_PER_SECOND = 25_000;
/** Peak RSS the stage must stay under, whatever the dump's size. */
export const TARGET_RSS_BYTES = 1.5 * 1024 ** 3;
/** Releases in the full monthly dump (2026). */
export const FULL_DUMP_RELEASES = 19_000_000;

const CACHE_DIR = join(BENCH_DIR, "catalog");

/** The synthetic dump of `count` releases, generated once and then reused. */
async function syntheticDump(
  count: number,
  generation: DumpGeneration,
  seed: number,
): Promise<{ path: string; counts: SyntheticCounts }> {
  await Deno.mkdir(CACHE_DIR, { recursive: true });
  const path = join(CACHE_DIR, `releases_${generation}_${count}_seed${seed}.xml.gz`);
  const meta = `${path}.json`;
  try {
    return { path, counts: JSON.parse(await Deno.readTextFile(meta)) };
  } catch { /* not cached yet */ }
  console.log(`generating ${path} …`);
  const tmp = `${path}.tmp`;
  const counts = await writeSyntheticDump(tmp, {
    kind: "releases",
    count,
    seed,
    generation,
    gzip: true,
  });
  await Deno.rename(tmp, path);
  await writeTextAtomically(meta, JSON.stringify(counts, null, 2) + "\n");
  return { path, counts };
}

/** The 1-minute load average (other processes competing for the 2 cores). */
async function loadAverage(): Promise<number | null> {
  try {
    return Number((await Deno.readTextFile("/proc/loadavg")).split(" ")[0]);
  } catch {
    return null;
  }
}

/** Wall seconds of `gzip -dc path > /dev/null`. */
async function gzipSeconds(path: string): Promise<number> {
  const t0 = performance.now();
  const { code } = await new Deno.Command("sh", {
    args: ["-c", `gzip -dc '${path}' > /dev/null`],
  }).output();
  if (code !== 0) throw new Error(`gzip -dc ${path} failed (${code})`);
  return (performance.now() - t0) / 1000;
}

interface StageRun {
  stage: string;
  seconds: number;
  cpu_seconds: number | null;
  peak_rss_bytes: number | null;
}

/** Run the catalog stage on `path` as a child process into a throwaway folder. */
async function runCatalog(path: string, partSize: string | undefined): Promise<StageRun> {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-catalog-bench-" });
  try {
    const args = [
      "run",
      "-A",
      "bench/run_stage.ts",
      "catalog",
      "--releases",
      path,
      "--catalog",
      join(dir, "catalog"),
      "--db",
      join(dir, "w.duckdb"),
      "--out",
      join(dir, "out"),
      ...(partSize ? ["--part-size", partSize] : []),
      // The dump → Parquet alone: the release index is measured by `bench prefilter`.
      "--skip-index",
    ];
    const output = await new Deno.Command(Deno.execPath(), {
      args,
      env: { NEXTSPIN_QUIET: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout).trim().split("\n");
    if (output.code !== 0) {
      throw new Error(`catalog stage failed:\n${new TextDecoder().decode(output.stderr)}`);
    }
    return JSON.parse(stdout.at(-1)!);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** One size's figures. */
interface SizeResult {
  releases: number;
  xml_bytes: number;
  gz_bytes: number;
  xml_bytes_per_release: number;
  load_average_before: number | null;
  gzip_dc_seconds: number;
  seconds: number;
  cpu_seconds: number | null;
  releases_per_second: number;
  xml_mb_per_second: number;
  peak_rss_bytes: number | null;
  vs_gzip_dc: number;
  projected_minutes_19m: number;
}

/** Run the catalog benchmark (flags in the module doc). */
export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: {
      sizes: { type: "string", default: "100000,1000000" },
      generation: { type: "string", default: "today" },
      seed: { type: "string", default: "1" },
      "part-size": { type: "string" },
    },
  });
  const sizes = values.sizes!.split(",").map(Number);
  const generation = values.generation as DumpGeneration;
  const seed = Number(values.seed);
  const results: SizeResult[] = [];
  for (const size of sizes) {
    const { path, counts } = await syntheticDump(size, generation, seed);
    const gzBytes = (await Deno.stat(path)).size;
    const load = await loadAverage();
    const gzip = await gzipSeconds(path);
    const stage = await runCatalog(path, values["part-size"]);
    const perSecond = size / stage.seconds;
    results.push({
      releases: size,
      xml_bytes: counts.xmlBytes,
      gz_bytes: gzBytes,
      xml_bytes_per_release: counts.xmlBytes / size,
      load_average_before: load,
      gzip_dc_seconds: gzip,
      seconds: stage.seconds,
      cpu_seconds: stage.cpu_seconds,
      releases_per_second: perSecond,
      xml_mb_per_second: counts.xmlBytes / 1e6 / stage.seconds,
      peak_rss_bytes: stage.peak_rss_bytes,
      vs_gzip_dc: stage.seconds / gzip,
      projected_minutes_19m: FULL_DUMP_RELEASES / perSecond / 60,
    });
  }
  const mib = (b: number | null) => (b === null ? "-" : (b / 1024 ** 2).toFixed(0));
  printTable(
    [
      "releases",
      "XML MB",
      "gz MB",
      "load",
      "gzip -dc s",
      "stage s",
      "CPU s",
      "releases/s",
      "XML MB/s",
      "peak RSS MiB",
      "÷ gzip -dc",
      "19M min",
      `≥${TARGET_PER_SECOND}/s`,
      "RSS ≤1.5 GiB",
    ],
    results.map((r) => [
      r.releases,
      (r.xml_bytes / 1e6).toFixed(0),
      (r.gz_bytes / 1e6).toFixed(0),
      r.load_average_before?.toFixed(2) ?? "-",
      r.gzip_dc_seconds.toFixed(2),
      r.seconds.toFixed(2),
      r.cpu_seconds?.toFixed(1) ?? "-",
      Math.round(r.releases_per_second),
      r.xml_mb_per_second.toFixed(1),
      mib(r.peak_rss_bytes),
      `${r.vs_gzip_dc.toFixed(2)}×`,
      r.projected_minutes_19m.toFixed(1),
      r.releases_per_second >= TARGET_PER_SECOND ? "pass" : "FAIL",
      r.peak_rss_bytes !== null && r.peak_rss_bytes <= TARGET_RSS_BYTES ? "pass" : "FAIL",
    ]),
  );
  const result = {
    target_releases_per_second: TARGET_PER_SECOND,
    target_peak_rss_bytes: TARGET_RSS_BYTES,
    generation,
    seed,
    part_size: values["part-size"] ?? "default",
    results,
  };
  console.log(`\nwrote ${await writeBenchResult("catalog", result)}`);
  return result;
}

export const catalogBenchmark = {
  name: "catalog",
  description:
    "dump → Parquet: releases/s, XML MB/s and peak RSS at 100k and 1M synthetic releases vs gzip -dc",
  run,
};
