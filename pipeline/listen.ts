/**
 * `deno task listen`: import listening history (Spotify and Last.fm exports, `--file`, files or
 * folders) into the `listening` table, match played albums to Discogs masters (catalogue first,
 * else search, budgeted and cached), and find what you play but do not own and what you own but
 * never play. Formats are recognised from content; podcasts, audiobooks and videos are skipped
 * and counted.
 *
 * @module
 */

import { listFlag, numberFlag } from "../lib/cli/flags.ts";
import { DEFAULT_CATALOG_DIR } from "../lib/catalog/schema.ts";
import { DiscogsClient } from "../lib/discogs/client.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import {
  analyseListening,
  analysisLines,
  DEFAULT_MATCH_BUDGET,
  importLine,
  readListening,
  writeListening,
} from "../lib/listening/mod.ts";
import { OFFLINE_FLAG } from "./shared_flags.ts";

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
    "match-budget": {
      type: "string",
      description:
        "Discogs searches for matching played albums to masters, most played first (cached answers are free)",
      default: String(DEFAULT_MATCH_BUDGET),
      valueName: "N",
      number: { min: 0, integer: true },
    },
    offline: OFFLINE_FLAG,
  },
  async run({ db, log }, flags) {
    const files = listFlag(flags, "file");
    const tables: Record<string, number> = {};
    let imported: Awaited<ReturnType<typeof readListening>>["summary"] | undefined;
    if (files.length > 0) {
      const { plays, summary } = await readListening(files);
      tables.listening = await writeListening(db, plays);
      imported = summary;
      log.info(importLine(summary));
      if (summary.ignored.length > 0) {
        log.info(
          `${summary.ignored.length} file${summary.ignored.length === 1 ? " is" : "s are"} ` +
            "not listening history and not read further: " +
            summary.ignored.slice(0, 5).map((p) => p.split("/").at(-1)).join(", ") +
            (summary.ignored.length > 5 ? ", …" : ""),
        );
      }
    }
    // Nothing imported now or before: the stage has nothing to do (the pipeline without --file).
    if (!(await db.tableExists("listening"))) return { tables: {} };
    const offline = flags.offline === true;
    const { client, authenticated } = DiscogsClient.forStage(offline);
    const analysis = await analyseListening(db, {
      client,
      offline,
      authenticated,
      budget: numberFlag(flags, "match-budget", { min: 0, integer: true }),
      catalogDir: DEFAULT_CATALOG_DIR,
    });
    for (const line of analysisLines(analysis)) log.info(line);
    for (const t of ["listening_albums", "listening_artists", "owned_never_played"]) {
      tables[t] = await db.count(t);
    }
    return {
      tables,
      inputs: imported?.files.map((f) => f.path) ?? [],
      warnings: analysis.warnings,
      parameters: { file: files, match_budget: flags["match-budget"], offline },
      summary: {
        ...(imported
          ? {
            plays: imported.plays,
            weak: imported.weak,
            podcasts: imported.nonMusic.podcasts,
            audiobooks: imported.nonMusic.audiobooks,
            videos: imported.nonMusic.videos,
            incomplete: imported.incomplete,
            duplicates: imported.duplicates,
            by_source: imported.bySource,
            files: imported.files.map((f) => ({ kind: f.kind, plays: f.plays })),
            first: imported.first,
            last: imported.last,
          }
          : {}),
        albums: analysis.albums,
        matched: analysis.matched,
        match_rules: analysis.byRule,
        owned: analysis.owned,
        played_not_owned: analysis.playedNotOwned,
        with_pressing: analysis.withPressing,
        owned_never_played: analysis.ownedNeverPlayed,
        coverage_days: analysis.coverageDays,
        requests: analysis.requests,
        from_cache: analysis.fromCache,
        via_catalogue: analysis.viaCatalogue,
      },
    };
  },
};

if (import.meta.main) {
  await main([listenStage], { command: "listen", summary: listenStage.summary });
}
