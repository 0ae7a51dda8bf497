/**
 * `deno task charts`: draw the standard charts (price distribution, top genres and styles,
 * releases by year, value vs price, want vs have, rank shift across price weights, the taste map
 * and price history when their inputs exist) from the workspace tables, and write each as SVG and
 * PNG to `<out>/charts/` (or `--charts-dir`).
 *
 * @module
 */

import { join } from "node:path";
import { stringFlag } from "../lib/cli/flags.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { writeStandardCharts } from "../lib/plots/standard.ts";

export const chartsStage: Stage = {
  name: "charts",
  summary: "Draw the standard charts of the collection as SVG + PNG (needs `deno task score`).",
  flags: {
    "charts-dir": {
      type: "string",
      description: "folder for the chart files (default: <out>/charts)",
      valueName: "DIR",
    },
  },
  async run({ db, outDir, log }, flags) {
    const dir = stringFlag(flags, "charts-dir") ?? join(outDir, "charts");
    const { written, skipped } = await writeStandardCharts(db, dir);
    for (const { svg, png } of written) log.info(`wrote ${svg} and ${png}`);
    for (const { name, reason, removed } of skipped) {
      log.info(
        `skipped ${name}: ${reason}` +
          (removed.length > 0 ? ` (removed the previous run's ${removed.join(" and ")})` : ""),
      );
    }
    log.info(
      `${written.length} of ${written.length + skipped.length} charts written to ${dir}` +
        (skipped.length > 0 ? `, ${skipped.length} skipped` : ""),
    );
    return {
      tables: {},
      parameters: { charts_dir: dir },
      summary: { charts: written.map((c) => c.name), skipped: skipped.map((s) => s.name) },
    };
  },
};

if (import.meta.main) {
  await main([chartsStage], { command: "charts", summary: chartsStage.summary });
}
