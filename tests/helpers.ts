/**
 * Shared test helpers: fixture paths, temporary workspaces, and running tasks as real
 * subprocesses.
 *
 * @module
 */

import { fileURLToPath as fromFileUrl } from "node:url";
import { Database } from "../lib/db/mod.ts";
import { outputWithDeadline } from "../lib/testing/deadline.ts";

/** Repository root. */
export const REPO_ROOT = fromFileUrl(new URL("../", import.meta.url));

/** Absolute path of a file under `../shared/fixtures/`. */
export function fixturePath(relative: string): string {
  return fromFileUrl(new URL(`../../shared/fixtures/${relative}`, import.meta.url));
}

/** Result of running a task module as a subprocess. */
export interface TaskResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * How long a task subprocess may run before it is killed: generous, because the whole pipeline
 * on the sample takes ~20 s on a quiet machine and CI machines are shared, but bounded, so a hung
 * task fails its test instead of stalling CI.
 */
export const TASK_DEADLINE_MS = 300_000;

/** Options for {@link runModule}. */
export interface RunOptions {
  /** Kill the task (SIGKILL) and fail after this long (default {@link TASK_DEADLINE_MS}). */
  deadlineMs?: number;
}

/**
 * Run `deno run -A <module> ...args` from the repository root, as a user would. A task still
 * running at its deadline is killed (SIGKILL) and the call throws a `DeadlineError` naming
 * the command, the deadline and the last lines of its stderr.
 */
export async function runModule(
  module: string,
  args: string[],
  env: Record<string, string> = {},
  options: RunOptions = {},
): Promise<TaskResult> {
  const output = await outputWithDeadline(Deno.execPath(), {
    args: ["run", "-A", module, ...args],
    cwd: REPO_ROOT,
    env: { NO_COLOR: "1", ...env },
  }, options.deadlineMs ?? TASK_DEADLINE_MS);
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** A temporary workspace: database path and output folder, removed by `cleanup`. */
export async function tempWorkspace(): Promise<
  { dir: string; db: string; out: string; cleanup: () => Promise<void> }
> {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-test-" });
  return {
    dir,
    db: `${dir}/nextspin.duckdb`,
    out: `${dir}/out`,
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
}

/**
 * Run the whole pipeline (`pipeline/pipeline.ts`) quietly into workspace `ws`: on the bundled
 * sample, plus any `extra` flags.
 */
export function runPipeline(
  ws: { db: string; out: string },
  extra: string[] = [],
): Promise<TaskResult> {
  return runModule("pipeline/pipeline.ts", ["--db", ws.db, "--out", ws.out, ...extra], {
    NEXTSPIN_QUIET: "1",
  });
}

/** Run `body` with a fresh workspace database in a temporary folder, removed afterwards. */
export async function withTempDb<T>(body: (db: Database, dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-db-" });
  const db = await Database.open(`${dir}/w.duckdb`);
  try {
    return await body(db, dir);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** A loopback port nothing listens on: bind a listener, note its port, close it. */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
