/**
 * The crate dashboard: `deno task report` turns the workspace into one self-contained HTML file
 * (summary, charts, the four rankings with a live price-sensitivity slider, filters, a crate with
 * CSV export, recommendations). See data.ts (what is read), html.ts (the page), browser.js (what
 * runs in it) and client.ts (how that script is built from lib/score).
 *
 * @example
 * ```ts
 * const db = await Database.open("data/nextspin.duckdb");
 * await writeReport(db, "data/out/report.html");
 * ```
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { writeAtomically } from "../fs/atomic.ts";
import { clientScript } from "./client.ts";
import { loadReportData } from "./data.ts";
import { renderReport } from "./html.ts";

/** What {@link writeReport} wrote. */
export interface WrittenReport {
  path: string;
  bytes: number;
  records: number;
  recommendations: number | null;
}

/** Build the report page from the workspace and write it to `path` atomically. */
export async function writeReport(db: Database, path: string): Promise<WrittenReport> {
  const data = await loadReportData(db);
  // Encoded once: the bytes written are the bytes counted.
  const html = new TextEncoder().encode(renderReport(data, await clientScript()));
  await writeAtomically(path, (tmp) => Deno.writeFile(tmp, html));
  return {
    path,
    bytes: html.length,
    records: data.payload.records.length,
    recommendations: data.payload.recommendations?.length ?? null,
  };
}
