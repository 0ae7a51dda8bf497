/**
 * Benchmark output: an aligned table on stdout and a JSON file under `data/bench/` with the
 * figures and the machine they were measured on.
 *
 * @module
 */

import { join } from "node:path";
import { writeTextAtomically } from "../lib/fs/atomic.ts";
import { Database } from "../lib/db/mod.ts";

/** Folder benchmark results are written to. */
export const BENCH_DIR = "data/bench";

/** Facts about the machine a benchmark ran on. */
export async function machineInfo(): Promise<Record<string, unknown>> {
  let memTotal: number | null = null;
  try {
    const kb = (await Deno.readTextFile("/proc/meminfo")).match(/^MemTotal:\s+(\d+) kB/m)?.[1];
    memTotal = kb ? Number(kb) * 1024 : null;
  } catch { /* not Linux */ }
  const db = await Database.open(":memory:");
  const duckdb = await db.version();
  db.close();
  return {
    cores: navigator.hardwareConcurrency,
    memory_bytes: memTotal,
    os: Deno.build.os,
    arch: Deno.build.arch,
    deno: Deno.version.deno,
    duckdb,
    date: new Date().toISOString(),
  };
}

/** Print rows as an aligned text table. */
export function printTable(columns: string[], rows: (string | number)[][]): void {
  const cells = [columns, ...rows.map((r) => r.map(String))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(cells[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of cells.slice(1)) console.log(line(r));
}

/** Write `data/bench/<name>.json` atomically; returns its path. */
export async function writeBenchResult(
  name: string,
  result: Record<string, unknown>,
): Promise<string> {
  const path = join(BENCH_DIR, `${name}.json`);
  await writeTextAtomically(
    path,
    JSON.stringify({ benchmark: name, machine: await machineInfo(), ...result }, null, 2) + "\n",
  );
  return path;
}

/** Bytes → MiB with one decimal. */
export function mib(bytes: number | null): string {
  return bytes === null ? "n/a" : (bytes / 1024 / 1024).toFixed(1);
}
