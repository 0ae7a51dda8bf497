/**
 * Shared test helpers: fixture paths, temporary workspaces, and running tasks as real
 * subprocesses.
 *
 * @module
 */

import { fileURLToPath as fromFileUrl } from "node:url";
import { Database } from "../lib/db/mod.ts";

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

/** Run `deno run -A <module> ...args` from the repository root, as a user would. */
export async function runModule(
  module: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<TaskResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", module, ...args],
    cwd: REPO_ROOT,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
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
