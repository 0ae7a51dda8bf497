/**
 * Enrichment benchmark (issue 4): 2,000 uncached releases fetched from the fake Discogs server
 * with a compressed window (default 60 requests per 1 s — the same pacing logic as 60 per minute,
 * 60× faster), killed with SIGKILL part-way and resumed. Reports the achieved rate as a fraction
 * of the allowed rate, 429s, retries, requests repeated after the kill and calls per release,
 * all read from the server's request log. Targets: ≥ 0.95 of the allowed rate, 0 steady-state
 * 429s, ≤ 1 repeated request after a kill, 1.0 calls per release.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type LoggedRequest, startFakeDiscogs } from "../tests/fake_discogs/server.ts";
import { parseDuration } from "../lib/discogs/ratelimit.ts";
import { printTable, writeBenchResult } from "./report.ts";

/** Targets from the issue. */
export const TARGETS = {
  rateFraction: 0.95,
  steady429: 0,
  repeatedAfterKill: 1,
  callsPerRelease: 1,
} as const;

/** Steady-state requests per window of a run segment: after its first (burst) window. */
function steadyRate(requests: LoggedRequest[], windowMs: number): number | null {
  if (requests.length < 2) return null;
  const start = requests[0].at + windowMs;
  const steady = requests.filter((r) => r.at >= start);
  const span = requests.at(-1)!.at - start;
  return span > 0 ? (steady.length * windowMs) / span : null;
}

async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: {
      releases: { type: "string", default: "2000" },
      window: { type: "string", default: "1s" },
      limit: { type: "string", default: "60" },
      "kill-at": { type: "string", default: "0.4" },
    },
  });
  const releases = Number(values.releases);
  const windowMs = parseDuration(values.window!, "--window");
  const limit = Number(values.limit);
  const fake = await startFakeDiscogs({ windowMs, authenticatedLimit: limit, synthesize: true });
  const dir = await Deno.makeTempDir({ prefix: "nextspin-bench-enrich-" });
  const env = {
    DISCOGS_TOKEN: "bench-token",
    DISCOGS_API_URL: fake.url,
    DISCOGS_RATE_WINDOW: values.window!,
    NEXTSPIN_QUIET: "1",
  };
  const common = ["--db", `${dir}/bench.duckdb`, "--out", `${dir}/out`];
  const stage = (name: string, extra: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `pipeline/${name}.ts`, ...extra, ...common],
      env,
      stdout: "null",
      stderr: "piped",
    });
  try {
    const csv = `${dir}/collection.csv`;
    const rows = Array.from(
      { length: releases },
      (_, i) =>
        `B${i},Bench Artist ${i % 300},Title ${i},Label ${i % 50},LP,,1999,${7_000_000 + i}`,
    );
    await Deno.writeTextFile(
      csv,
      ["Catalog#,Artist,Title,Label,Format,Rating,Released,release_id", ...rows].join("\n") + "\n",
    );
    const ingest = await stage("ingest", ["--collection", csv]).output();
    if (!ingest.success) throw new Error(new TextDecoder().decode(ingest.stderr));

    // First run, killed part-way.
    const t0 = performance.now();
    const child = stage("enrich", []).spawn();
    const killAt = Math.floor(releases * Number(values["kill-at"]));
    while (fake.requests.length < killAt) await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGKILL");
    await child.output();
    const firstRun = [...fake.requests];

    // Second run resumes to the end.
    const resumed = await stage("enrich", []).output();
    if (!resumed.success) throw new Error(new TextDecoder().decode(resumed.stderr));
    const seconds = (performance.now() - t0) / 1000;
    const secondRun = fake.requests.slice(firstRun.length);

    const all = fake.requests;
    const firstPaths = new Set(firstRun.filter((r) => r.status === 200).map((r) => r.path));
    const repeatedAfterKill = secondRun.filter((r) => firstPaths.has(r.path)).length;
    const ok = all.filter((r) => r.status === 200);
    const distinct = new Set(ok.map((r) => r.path)).size;
    const rates = [steadyRate(firstRun, windowMs), steadyRate(secondRun, windowMs)].filter((
      r,
    ): r is number => r !== null);
    const rateFraction = Math.min(...rates) / limit;
    // The request in flight at the kill is budgeted separately (≤ 1); every other release costs one call.
    const callsPerRelease = (ok.length - repeatedAfterKill) / distinct;
    const steady429 = all.filter((r) => r.status === 429).length;
    const result = {
      releases,
      window_ms: windowMs,
      limit_per_window: limit,
      requests: all.length,
      fetched: distinct,
      seconds,
      rate_fraction_of_allowed: rateFraction,
      responses_429: steady429,
      retries: all.length - distinct,
      requests_repeated_after_kill: repeatedAfterKill,
      calls_per_release: callsPerRelease,
      killed_after_requests: firstRun.length,
      real_world: {
        note: "at Discogs' 60 requests/minute with a token",
        minutes_for_4000_releases: 4000 / (60 * rateFraction),
        minutes_for_4000_releases_without_token: 4000 / (25 * rateFraction),
      },
      targets: TARGETS,
      meets_targets: rateFraction >= TARGETS.rateFraction && steady429 === 0 &&
        repeatedAfterKill <= 1 &&
        callsPerRelease === TARGETS.callsPerRelease,
    };
    printTable(["measure", "value", "target"], [
      ["releases fetched", `${distinct} / ${releases}`, ""],
      [
        "rate (fraction of allowed, steady state)",
        rateFraction.toFixed(3),
        `≥ ${TARGETS.rateFraction}`,
      ],
      ["429 responses", steady429, "0"],
      ["requests repeated after SIGKILL", repeatedAfterKill, "≤ 1"],
      [
        "calls per release (besides the one in flight at the kill)",
        callsPerRelease.toFixed(3),
        "1.0",
      ],
      ["retries", all.length - distinct, ""],
      ["wall time (s)", seconds.toFixed(1), ""],
      ["→ 4,000 releases at 60/min (min)", (4000 / (60 * rateFraction)).toFixed(1), ""],
    ]);
    console.log(
      `\n${result.meets_targets ? "meets" : "MISSES"} the targets; wrote ${await writeBenchResult(
        "enrich",
        result,
      )}`,
    );
    return result;
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
}

export const enrichBenchmark = {
  name: "enrich",
  description: "2,000 uncached releases from the fake Discogs server, killed and resumed",
  run,
};
