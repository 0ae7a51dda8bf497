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
import { writeTextAtomically } from "../fs/atomic.ts";
import { clientScript } from "./client.ts";
import { loadReportData, type ReportData } from "./data.ts";
import { renderReport } from "./html.ts";

export { escapeHtml, jsonForScript, renderReport } from "./html.ts";
export { loadReportData, type ReportData } from "./data.ts";
export { RANKINGS, rerank } from "./rank.ts";

/** What {@link writeReport} wrote. */
export interface WrittenReport {
  path: string;
  bytes: number;
  records: number;
  recommendations: number | null;
}

/** Build the report page from the workspace (without writing it). */
export async function buildReport(db: Database): Promise<{ html: string; data: ReportData }> {
  const data = await loadReportData(db);
  return { html: renderReport(data, await clientScript()), data };
}

/** Build the report and write it to `path` atomically. */
export async function writeReport(db: Database, path: string): Promise<WrittenReport> {
  const { html, data } = await buildReport(db);
  await writeTextAtomically(path, html);
  return {
    path,
    bytes: new TextEncoder().encode(html).length,
    records: data.payload.records.length,
    recommendations: data.payload.recommendations?.length ?? null,
  };
}
