/**
 * The notebooks' way into the workspace: where it is (`NEXTSPIN_DB`, `NEXTSPIN_OUT`, defaulting to
 * `data/nextspin.duckdb` and `data/out` under the repository), which tables a notebook needs, and
 * running the pipeline on the bundled sample when they are missing.
 *
 * Every read opens the database read-only and closes it again, so a notebook never holds DuckDB's
 * write lock: the pipeline (or another notebook) can run while it is open.
 *
 * @example
 * ```ts
 * const ws = await openWorkspace({ need: ["scores"] });
 * const scores = await ws.rows<ScoreRow>("SELECT * FROM scores");
 * const pool = await ws.read((db) => loadPoolCandidates(db));
 * ```
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { isAbsolute, join, resolve } from "node:path";
import { Database, type SqlParams } from "../db/mod.ts";
import { InputError, UserFacingError } from "../errors.ts";
import { DeadlineError, outputWithDeadline } from "../testing/deadline.ts";

/** The repository root (the kernel's working folder is the notebook's, so paths start here). */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Workspace tables and the task that writes each (all but `evaluation` come with the pipeline). */
export const TABLE_TASKS: Record<string, string> = {
  collection: "ingest",
  wantlist: "ingest",
  releases: "enrich",
  price_history: "enrich",
  scores: "score",
  value_history: "trends",
  price_moves: "trends",
  forecasts: "trends",
  forecast_backtest: "trends",
  pool: "pool",
  embeddings: "embed",
  recommendations: "recommend",
  recommendation_kinds: "recommend",
  shelves: "recommend",
  shelf_members: "recommend",
  evaluation: "evaluate",
};

/** Where the workspace is. */
export interface WorkspacePaths {
  db: string;
  out: string;
}

/**
 * The workspace paths from `NEXTSPIN_DB` and `NEXTSPIN_OUT` (relative paths are taken from the
 * repository root), defaulting to `data/nextspin.duckdb` and `data/out`.
 */
export function workspacePaths(
  env: { get(name: string): string | undefined } = Deno.env,
): WorkspacePaths {
  const at = (value: string | undefined, fallback: string) => {
    const path = value && value.trim() ? value.trim() : fallback;
    return isAbsolute(path) ? path : resolve(REPO_ROOT, path);
  };
  return {
    db: at(env.get("NEXTSPIN_DB"), "data/nextspin.duckdb"),
    out: at(env.get("NEXTSPIN_OUT"), "data/out"),
  };
}

/** The sample pipeline takes about 20 s offline; still running after this, it has hung. */
const SAMPLE_PIPELINE_DEADLINE_MS = 600_000;

/** Runs the pipeline into a workspace; the default runs `pipeline/pipeline.ts` as a subprocess. */
export type PipelineRunner = (paths: WorkspacePaths) => Promise<void>;

/**
 * Run `deno run -A pipeline/pipeline.ts --db … --out …` (the bundled sample, offline) with the
 * Deno that runs this code, from the repository root. Its output is kept and shown only if it
 * fails.
 */
export const runSamplePipeline: PipelineRunner = async ({ db, out }) => {
  const output = await outputWithDeadline(Deno.execPath(), {
    args: ["run", "-A", join(REPO_ROOT, "pipeline/pipeline.ts"), "--db", db, "--out", out],
    cwd: REPO_ROOT,
    env: { NO_COLOR: "1", NEXTSPIN_QUIET: "1" },
  }, SAMPLE_PIPELINE_DEADLINE_MS).catch((error) => {
    if (error instanceof DeadlineError) {
      throw new UserFacingError(`the pipeline did not finish building ${db}: ${error.message}`);
    }
    throw error;
  });
  if (!output.success) {
    const text = new TextDecoder().decode(output.stderr) || new TextDecoder().decode(output.stdout);
    throw new UserFacingError(
      `the pipeline failed (exit ${output.code}) building ${db}:\n${text.trim().slice(-2000)}`,
    );
  }
};

/** Which of `tables` the database at `path` lacks (all of them when the file does not exist). */
export async function missingTables(path: string, tables: readonly string[]): Promise<string[]> {
  try {
    await Deno.stat(path);
  } catch {
    return [...tables];
  }
  const db = await Database.open(path, { readOnly: true });
  try {
    const missing: string[] = [];
    for (const table of tables) if (!(await db.tableExists(table))) missing.push(table);
    return missing;
  } finally {
    db.close();
  }
}

/** Options for {@link openWorkspace}. */
export interface OpenOptions {
  /** Tables the notebook reads. */
  need: readonly string[];
  /** Paths (default: {@link workspacePaths}). */
  paths?: WorkspacePaths;
  /** How to build missing tables (default: the sample pipeline as a subprocess). */
  runner?: PipelineRunner;
  /** Progress lines (default: console.log). */
  log?: (line: string) => void;
}

/** An open workspace: its paths and read-only access to its tables. */
export interface Workspace extends WorkspacePaths {
  /** Whether this call ran the pipeline to build missing tables. */
  ranPipeline: boolean;
  /** Open the database read-only, run `body`, close it. */
  read<T>(body: (db: Database) => Promise<T>): Promise<T>;
  /** Rows of a query (read-only). */
  rows<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Path of an exported file in the out folder, e.g. `file("scores.parquet")`. */
  file(name: string): string;
  /** Row counts of the tables this notebook needs, for its first cell. */
  counts(): Promise<Record<string, number>>;
}

/**
 * Check the workspace has the `need`ed tables; when any is missing, run the pipeline on the
 * bundled sample (offline) into it and check again. Throws an {@link InputError} naming the
 * tables still missing and the task that makes them.
 */
export async function openWorkspace(options: OpenOptions): Promise<Workspace> {
  const paths = options.paths ?? workspacePaths();
  const log = options.log ?? ((line: string) => console.log(line));
  let missing = await missingTables(paths.db, options.need);
  let ranPipeline = false;
  if (missing.length > 0) {
    log(
      `${paths.db} lacks ${missing.join(", ")}: running the pipeline on the bundled sample ` +
        `(about 20 s)…`,
    );
    await (options.runner ?? runSamplePipeline)(paths);
    ranPipeline = true;
    missing = await missingTables(paths.db, options.need);
  }
  if (missing.length > 0) {
    const tasks = missing.map((t) =>
      TABLE_TASKS[t] ? `${t} (deno task ${TABLE_TASKS[t]})` : `${t} (no task makes it)`
    );
    throw new InputError(`the workspace ${paths.db} still lacks ${tasks.join(", ")}`);
  }
  const read = async <T>(body: (db: Database) => Promise<T>): Promise<T> => {
    const db = await Database.open(paths.db, { readOnly: true });
    try {
      return await body(db);
    } finally {
      db.close();
    }
  };
  return {
    ...paths,
    ranPipeline,
    read,
    rows: <T>(sql: string, params?: SqlParams) => read((db) => db.all<T>(sql, params)),
    file: (name: string) => join(paths.out, name),
    counts: () =>
      read(async (db) => {
        const counts: Record<string, number> = {};
        for (const table of options.need) counts[table] = await db.count(table);
        return counts;
      }),
  };
}
