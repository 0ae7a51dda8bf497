/**
 * `deno task ingest`: Discogs collection/wantlist exports → tables `collection`, `wantlist`,
 * `ingest_rejects`.
 *
 * @module
 */

import { stringFlag } from "../lib/cli/flags.ts";
import { ingestExports } from "../lib/ingest/mod.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";

/** Rejected rows listed on stderr before summarising the rest. */
const REJECTS_LISTED = 20;

export const ingestStage: Stage = {
  name: "ingest",
  summary: "Load Discogs CSV exports into the collection and wantlist tables.",
  flags: {
    collection: {
      type: "string",
      description: "Discogs collection export (CSV)",
      valueName: "FILE",
    },
    wantlist: { type: "string", description: "Discogs wantlist export (CSV)", valueName: "FILE" },
  },
  async run({ db, log }, flags) {
    const collection = stringFlag(flags, "collection");
    const wantlist = stringFlag(flags, "wantlist");
    const summary = await ingestExports(db, { collection, wantlist });
    for (const reject of summary.rejects.slice(0, REJECTS_LISTED)) {
      log.warn(`${reject.source_file}:${reject.line}: skipped, ${reject.reason}`);
    }
    if (summary.rejects.length > REJECTS_LISTED) {
      log.warn(
        `... and ${
          summary.rejects.length - REJECTS_LISTED
        } more skipped rows (see table ingest_rejects)`,
      );
    }
    log.info(
      `${summary.collectionRows} collection rows, ${summary.wantlistRows} wantlist rows, ` +
        `${summary.rejects.length} skipped`,
    );
    return {
      tables: {
        collection: summary.collectionRows,
        wantlist: summary.wantlistRows,
        ingest_rejects: await db.count("ingest_rejects"),
      },
      inputs: [collection, wantlist].filter((p): p is string => p !== undefined),
      parameters: { collection: collection ?? null, wantlist: wantlist ?? null },
      summary: {
        collection_rows: summary.collectionRows,
        wantlist_rows: summary.wantlistRows,
        rejected: summary.rejects.length,
      },
    };
  },
};

if (import.meta.main) {
  await main([ingestStage], { command: "ingest", summary: ingestStage.summary });
}
