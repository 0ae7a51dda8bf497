/**
 * The run manifest `run.json` in the output folder: what went in (paths + sha256), with which
 * parameters, what came out (row counts per table), how each stage ended (ok, failed with its
 * message, or skipped after a failure), how long it took, its warnings, and the tool versions —
 * enough to tell two runs apart, reproduce one, or see why one stopped. Single-stage runs merge
 * their entry into the existing manifest so it always describes the tables currently on disk;
 * the top-level `status` and `warnings` describe the latest run.
 *
 * @module
 */

import { join } from "node:path";
import { sha256File, writeTextAtomically } from "../fs/atomic.ts";
import denoConfig from "../../deno.json" with { type: "json" };

/** One input file as recorded in the manifest. */
export interface ManifestInput {
  path: string;
  bytes: number;
  sha256: string;
}

/** How a stage ended: ran to the end, threw, or did not run because an earlier stage failed. */
export type StageStatus = "ok" | "failed" | "skipped";

/** What one stage recorded. */
export interface StageRecord {
  status: StageStatus;
  /** When it started; null when skipped. */
  started_at: string | null;
  /** Wall time in seconds (0 when skipped). */
  seconds: number;
  /** The same in milliseconds (kept for readers of older manifests). */
  duration_ms: number;
  /** A failed stage's message, as the collector saw it (no stack). */
  error?: string;
  /** Why a skipped stage did not run, e.g. "enrich failed". */
  skipped_because?: string;
  /** Warnings the stage printed, in order. */
  warnings: string[];
  parameters: Record<string, unknown>;
  inputs: ManifestInput[];
  tables: Record<string, number>;
  summary: Record<string, unknown>;
}

/** One warning of the latest run, with the stage that gave it. */
export interface RunWarning {
  stage: string;
  message: string;
}

/** The whole manifest. */
export interface RunManifest {
  nextspin: string;
  updated_at: string;
  /** How the latest run ended: "failed" when one of its stages failed. */
  status: "ok" | "failed";
  /** Every warning of the latest run, in stage order. */
  warnings: RunWarning[];
  database: string;
  out_dir: string;
  tools: Record<string, string>;
  stages: Record<string, StageRecord>;
  tables: Record<string, { rows: number; files: string[] }>;
}

/** File name of the manifest inside the output folder. */
export const MANIFEST_FILE = "run.json";

/** Describe an input file (size and sha256). */
export async function describeInput(path: string): Promise<ManifestInput> {
  const stat = await Deno.stat(path);
  return { path, bytes: stat.size, sha256: await sha256File(path) };
}

/** Read the manifest in `outDir`, or undefined when there is none (or it is unreadable). */
export async function readManifest(outDir: string): Promise<RunManifest | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(join(outDir, MANIFEST_FILE)));
  } catch {
    return undefined;
  }
}

/** Merge stage records and table files into the manifest in `outDir`, atomically. */
export async function updateManifest(
  outDir: string,
  update: {
    database: string;
    duckdbVersion: string;
    stages: Record<string, StageRecord>;
    tables: Record<string, { rows: number; files: string[] }>;
  },
): Promise<RunManifest> {
  const previous = await readManifest(outDir);
  const manifest: RunManifest = {
    nextspin: denoConfig.version,
    updated_at: new Date().toISOString(),
    status: Object.values(update.stages).some((s) => s.status === "failed") ? "failed" : "ok",
    warnings: Object.entries(update.stages).flatMap(([stage, record]) =>
      record.warnings.map((message) => ({ stage, message }))
    ),
    database: update.database,
    out_dir: outDir,
    tools: {
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      typescript: Deno.version.typescript,
      duckdb: update.duckdbVersion,
      "@duckdb/node-api": denoConfig.imports["@duckdb/node-api"].replace(
        /^npm:@duckdb\/node-api@/,
        "",
      ),
    },
    stages: { ...previous?.stages, ...update.stages },
    tables: { ...previous?.tables, ...update.tables },
  };
  await writeTextAtomically(join(outDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}
