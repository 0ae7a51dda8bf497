/**
 * Child process of the benchmarks: run one pipeline stage in-process, then print one JSON line
 * `{ stage, seconds, cpu_seconds, peak_rss_bytes }` on stdout. Peak RSS is the kernel's high-water mark
 * (`VmHWM`), so it covers DuckDB's native memory too, not only the JS heap.
 *
 * Usage: `deno run -A bench/run_stage.ts <ingest|enrich|score|catalog> [stage flags…]`
 *
 * @module
 */

import { runStages, type Stage } from "../lib/pipeline/stage.ts";

/** CPU seconds (user + system, every thread: DuckDB's too) this process has used (Linux). */
export function cpuSeconds(): number | null {
  try {
    // Fields 14 and 15 of /proc/self/stat, after the parenthesised command name.
    const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Peak resident set size of this process in bytes (Linux), or null elsewhere. */
export function peakRssBytes(): number | null {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kb = status.match(/^VmHWM:\s+(\d+) kB/m)?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

const STAGE_MODULES: Record<string, () => Promise<Stage>> = {
  ingest: async () => (await import("../pipeline/ingest.ts")).ingestStage,
  enrich: async () => (await import("../pipeline/enrich.ts")).enrichStage,
  score: async () => (await import("../pipeline/score.ts")).scoreStage,
  catalog: async () => (await import("../pipeline/catalog.ts")).catalogStage,
};

if (import.meta.main) {
  const [name, ...args] = Deno.args;
  const load = STAGE_MODULES[name];
  if (!load) {
    console.error(
      `unknown stage ${name}; expected one of ${Object.keys(STAGE_MODULES).join(", ")}`,
    );
    Deno.exit(2);
  }
  const stage = await load();
  const t0 = performance.now();
  await runStages([stage], args, { command: name, summary: stage.summary });
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      stage: name,
      seconds,
      cpu_seconds: cpuSeconds(),
      peak_rss_bytes: peakRssBytes(),
    }),
  );
}
