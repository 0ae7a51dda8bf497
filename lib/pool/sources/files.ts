/**
 * Candidate source: pool files the collector gives with `--pool` (CSV, Parquet, or JSONL of
 * release bodies).
 *
 * @module
 */

import { loadPoolFile, type PoolFileResult } from "../load.ts";
import { type CandidateSource, emptyReport } from "./types.ts";

export const filesSource: CandidateSource = {
  name: "files",
  description: "pool files given with --pool (CSV, Parquet or JSONL of release bodies)",
  usesApi: false,
  weight: () => 0,
  async gather(ctx) {
    const report = emptyReport();
    const files: PoolFileResult[] = [];
    for (const file of ctx.files) {
      const result = await loadPoolFile(ctx.db, file, ctx.target, { currency: ctx.currency });
      files.push(result);
      report.candidates += result.rows;
      ctx.info(
        `${file}: ${result.rows} candidates (${result.currency})${
          result.skipped ? `, ${result.skipped} rows without artist/title skipped` : ""
        }`,
      );
    }
    report.details = {
      files: files.map((f) => ({ path: f.path, rows: f.rows, skipped: f.skipped })),
    };
    return report;
  },
};
