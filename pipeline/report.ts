/**
 * `deno task report`: write the crate dashboard, one self-contained HTML file (default
 * `<out>/report.html`) that opens from disk with no server and no network: collection summary
 * and charts, the four rankings with a live price-sensitivity slider, filters, a crate with CSV
 * export, and the recommendations when the recommend stage has run.
 *
 * @module
 */

import { join } from "node:path";
import { stringFlag } from "../lib/cli/flags.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { writeReport } from "../lib/report/mod.ts";

/** The report stage: reads the workspace, writes the crate dashboard. */
export const reportStage: Stage = {
  name: "report",
  summary:
    "Write the crate dashboard: one self-contained, interactive HTML file (needs `deno task score`).",
  flags: {
    report: {
      type: "string",
      description: "the HTML file to write (default: <out>/report.html)",
      valueName: "FILE",
    },
  },
  async run({ db, outDir, log }, flags) {
    const path = stringFlag(flags, "report") ?? join(outDir, "report.html");
    const written = await writeReport(db, path);
    log.info(
      `wrote ${written.path} (${
        (written.bytes / 1024).toFixed(0)
      } KiB, ${written.records} releases` +
        (written.recommendations === null ? ", no recommendations yet)" : ")"),
    );
    return {
      tables: {},
      parameters: { report: path },
      summary: {
        bytes: written.bytes,
        records: written.records,
        recommendations: written.recommendations,
      },
    };
  },
};

if (import.meta.main) {
  await main([reportStage], { command: "report", summary: reportStage.summary });
}
