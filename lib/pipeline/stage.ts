/**
 * The stage runner behind every `deno task`: parse flags (plus the shared `--db`, `--out`,
 * `--help`) and check every stage's flag values before anything runs, open the workspace database,
 * run one or more stages in order, export each table a stage writes to Parquet (and CSV where
 * asked), and record the run manifest — on failure too: the failed stage with its message, the
 * stages after it as skipped. Warnings a stage logs or returns are printed on stderr and kept in
 * the manifest. Errors the user can act on become one clear message and a non-zero exit; nothing
 * prints a stack trace unless `NEXTSPIN_DEBUG=1`.
 *
 * @module
 */

import { join } from "node:path";
import { Database, DEFAULT_DB_PATH } from "../db/mod.ts";
import { messageOf, UserFacingError } from "../errors.ts";
import { exportCsv, exportParquet } from "../export/tables.ts";
import {
  type FlagSpec,
  type FlagValues,
  helpText,
  parseFlags,
  validateFlags,
} from "../cli/flags.ts";
import { type Logger, logger } from "../log.ts";
import { describeInput, type StageRecord, updateManifest } from "./manifest.ts";

/** Default output folder for Parquet/CSV exports and run.json. */
export const DEFAULT_OUT_DIR = "data/out";

/** What a stage gets to work with. */
export interface StageContext {
  db: Database;
  outDir: string;
  log: Logger;
  /**
   * What an earlier stage of this same run left in memory for a later one (the embed stage's
   * loaded candidates and model, for the recommend stage), by a key the two share. Never instead
   * of a table: a stage run on its own finds nothing here and reads the workspace.
   */
  carried: Map<string, unknown>;
}

/** What a stage reports back to the runner. */
export interface StageOutput {
  /** Tables this stage (re)wrote, with their row counts; each is exported to Parquet. */
  tables: Record<string, number>;
  /** Tables also exported as CSV, with the ORDER BY to use. */
  csv?: Record<string, string>;
  /** Input files read (recorded with sha256 in the manifest). */
  inputs?: string[];
  /** Parameters that shaped the output (recorded in the manifest). */
  parameters?: Record<string, unknown>;
  /** Extra figures worth keeping (rejects, cache hits, ...). */
  summary?: Record<string, unknown>;
  /**
   * Things the collector should know that did not stop the stage (one line each): the runner
   * prints each on stderr and records them in the manifest, like the stage's own `log.warn`s.
   */
  warnings?: string[];
}

/** One pipeline stage: a name, its flags, and a function that calls into lib/. */
export interface Stage {
  name: string;
  summary: string;
  /** Its flags; `number` and `check` in a flag's spec are enforced before any stage runs. */
  flags: FlagSpec;
  /**
   * Checks across flags that a flag's own spec cannot express: throw an `InputError`. Runs for
   * every stage before the first stage runs (and before the database is opened).
   */
  validate?(flags: FlagValues): void;
  run(ctx: StageContext, flags: FlagValues): Promise<StageOutput>;
}

/** Flags every task accepts. */
export const COMMON_FLAGS: FlagSpec = {
  db: {
    type: "string",
    description: "DuckDB workspace file",
    default: DEFAULT_DB_PATH,
    valueName: "FILE",
  },
  out: {
    type: "string",
    description: "output folder for Parquet/CSV and run.json",
    default: DEFAULT_OUT_DIR,
    valueName: "DIR",
  },
  help: { type: "boolean", description: "show this help and exit" },
};

/** Options for {@link runStages}. */
export interface RunOptions {
  /** Task name shown in --help and messages. */
  command: string;
  summary: string;
  /** Rewrite flag values before the stages see them (e.g. sample defaults for `pipeline`). */
  prepare?: (flags: FlagValues) => FlagValues;
}

/** Merge flag specs; a flag defined by two stages must be defined identically. */
export function mergeFlags(specs: FlagSpec[]): FlagSpec {
  const merged: FlagSpec = {};
  for (const spec of specs) {
    for (const [name, def] of Object.entries(spec)) merged[name] ??= def;
  }
  return merged;
}

/** A logger that also keeps every warning, for the manifest. */
function recordingLogger(stage: string): { log: Logger; warnings: string[] } {
  const base = logger(stage);
  const warnings: string[] = [];
  return {
    warnings,
    log: {
      info: (message) => base.info(message),
      warn(message) {
        warnings.push(message);
        base.warn(message);
      },
    },
  };
}

/** The message a collector reads for a failed stage: never a stack. */
function failureMessage(error: unknown): string {
  return error instanceof UserFacingError ? error.message : messageOf(error);
}

const seconds = (ms: number) => Math.round(ms) / 1000;

/**
 * Run `stages` in order with `args`. Every stage's flags are checked first (spec and
 * `validate`), so a bad value fails before the database is even opened. Returns the manifest's
 * stage records; on failure the manifest is still written (failed stage, later ones skipped) and
 * the error is rethrown (see {@link main} for turning errors into exit codes).
 */
export async function runStages(
  stages: Stage[],
  args: string[],
  options: RunOptions,
): Promise<Record<string, StageRecord> | undefined> {
  const spec = mergeFlags([...stages.map((s) => s.flags), COMMON_FLAGS]);
  let flags = parseFlags(spec, args, options.command);
  if (flags.help) {
    console.log(helpText(options.command, options.summary, spec));
    return undefined;
  }
  flags = options.prepare ? options.prepare(flags) : flags;
  validateFlags(spec, flags);
  for (const stage of stages) stage.validate?.(flags);
  const outDir = String(flags.out);
  const db = await Database.open(String(flags.db));
  const records: Record<string, StageRecord> = {};
  const carried = new Map<string, unknown>();
  const tableFiles: Record<string, { rows: number; files: string[] }> = {};
  let failure: { stage: string; error: unknown } | undefined;
  try {
    for (const stage of stages) {
      if (failure) {
        records[stage.name] = skippedRecord(failure.stage);
        continue;
      }
      const { log, warnings } = recordingLogger(stage.name);
      const started = new Date();
      const t0 = performance.now();
      try {
        const output = await stage.run({ db, outDir, log, carried }, flags);
        for (const warning of output.warnings ?? []) log.warn(warning);
        await db.replaceStageWarnings(stage.name, output.warnings ?? []);
        for (const [table, rows] of Object.entries(output.tables)) {
          const files = [join(outDir, `${table}.parquet`)];
          await exportParquet(db, table, files[0]);
          const orderBy = output.csv?.[table];
          if (orderBy !== undefined) {
            files.push(join(outDir, `${table}.csv`));
            await exportCsv(db, table, files[1], orderBy || undefined);
          }
          tableFiles[table] = { rows, files };
        }
        const duration = performance.now() - t0;
        records[stage.name] = {
          status: "ok",
          started_at: started.toISOString(),
          seconds: seconds(duration),
          duration_ms: Math.round(duration),
          warnings,
          parameters: output.parameters ?? {},
          inputs: await Promise.all((output.inputs ?? []).map(describeInput)),
          tables: output.tables,
          summary: output.summary ?? {},
        };
        const counts = Object.entries(output.tables).map(([t, n]) => `${t}: ${n}`).join(", ");
        log.info(`done in ${(duration / 1000).toFixed(2)} s (${counts || "no tables"})`);
      } catch (error) {
        const duration = performance.now() - t0;
        failure = { stage: stage.name, error };
        records[stage.name] = {
          status: "failed",
          started_at: started.toISOString(),
          seconds: seconds(duration),
          duration_ms: Math.round(duration),
          error: failureMessage(error),
          warnings,
          parameters: {},
          inputs: [],
          tables: {},
          summary: {},
        };
      }
    }
    try {
      await updateManifest(outDir, {
        database: db.path,
        duckdbVersion: await db.version(),
        stages: records,
        tables: tableFiles,
      });
    } catch (error) {
      // The stage's own error is the one worth reporting; the manifest is secondary.
      if (!failure) throw error;
    }
  } finally {
    db.close();
  }
  if (failure) throw failure.error;
  return records;
}

/** The record of a stage that did not run because `failedStage` failed before it. */
function skippedRecord(failedStage: string): StageRecord {
  return {
    status: "skipped",
    started_at: null,
    seconds: 0,
    duration_ms: 0,
    skipped_because: `${failedStage} failed`,
    warnings: [],
    parameters: {},
    inputs: [],
    tables: {},
    summary: {},
  };
}

/**
 * Entry point for a task module: run, print user errors as one message, and exit non-zero on
 * failure. Unexpected errors say so and hint at NEXTSPIN_DEBUG for the stack.
 */
export async function main(stages: Stage[], options: RunOptions): Promise<void> {
  try {
    await runStages(stages, Deno.args, options);
  } catch (error) {
    if (error instanceof UserFacingError) {
      console.error(`error: ${error.message}`);
      Deno.exit(error.exitCode);
    }
    if (Deno.env.get("NEXTSPIN_DEBUG") === "1") console.error(error);
    else console.error(`error: ${messageOf(error)}\n(set NEXTSPIN_DEBUG=1 for details)`);
    Deno.exit(1);
  }
}
