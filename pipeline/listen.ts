/**
 * `deno task listen`: import listening history (Spotify and Last.fm exports, `--file`, files or
 * folders) into the `listening` table. Formats are recognised from content; podcasts,
 * audiobooks and videos are skipped and counted.
 *
 * @module
 */

import { listFlag } from "../lib/cli/flags.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { importLine, readListening, writeListening } from "../lib/listening/mod.ts";

export const listenStage: Stage = {
  name: "listen",
  summary:
    "Import what you play (Spotify extended history or account data, Last.fm scrobbles) and match it to Discogs.",
  flags: {
    file: {
      type: "string",
      multiple: true,
      description:
        "listening history: a Spotify or Last.fm export file, or a folder of them (recognised from content)",
      valueName: "PATH",
    },
  },
  async run({ db, log }, flags) {
    const files = listFlag(flags, "file");
    if (files.length === 0) return { tables: {} };
    const { plays, summary } = await readListening(files);
    const rows = await writeListening(db, plays);
    log.info(importLine(summary));
    if (summary.ignored.length > 0) {
      log.info(
        `${summary.ignored.length} files are not listening history and were not read further: ` +
          summary.ignored.slice(0, 5).map((p) => p.split("/").at(-1)).join(", ") +
          (summary.ignored.length > 5 ? ", …" : ""),
      );
    }
    return {
      tables: { listening: rows },
      inputs: summary.files.map((f) => f.path),
      parameters: { file: files },
      summary: {
        plays: summary.plays,
        weak: summary.weak,
        podcasts: summary.nonMusic.podcasts,
        audiobooks: summary.nonMusic.audiobooks,
        videos: summary.nonMusic.videos,
        incomplete: summary.incomplete,
        duplicates: summary.duplicates,
        by_source: summary.bySource,
        files: summary.files.map((f) => ({ kind: f.kind, plays: f.plays })),
        first: summary.first,
        last: summary.last,
      },
    };
  },
};

if (import.meta.main) {
  await main([listenStage], { command: "listen", summary: listenStage.summary });
}
