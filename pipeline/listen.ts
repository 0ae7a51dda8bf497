/**
 * `deno task listen`: import listening history (Spotify and Last.fm exports, `--file`, files or
 * folders) into the `listening` table, match played albums to Discogs masters (catalogue first,
 * else search, budgeted and cached), and find what you play but do not own and what you own but
 * never play. Formats are recognised from content; podcasts, audiobooks and videos are skipped
 * and counted.
 *
 * @module
 */

import { listFlag, numberFlag, stringFlag } from "../lib/cli/flags.ts";
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
import { InputError } from "../lib/errors.ts";
import { DEFAULT_CALLBACK_PORT } from "../lib/listening/live/spotify.ts";
import { DEFAULT_LASTFM_PAGES } from "../lib/listening/live/lastfm.ts";
import { pullLiveAccounts } from "../lib/listening/live/pull.ts";

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
    "spotify-login": {
      type: "boolean",
      description:
        "log in to Spotify (Authorization Code + PKCE: a URL to open, a callback on 127.0.0.1); needs SPOTIFY_CLIENT_ID",
    },
    "spotify-port": {
      type: "string",
      description: "port of the login callback on 127.0.0.1 (the app's redirect URI)",
      default: String(DEFAULT_CALLBACK_PORT),
      valueName: "PORT",
      number: { min: 0, max: 65535, integer: true },
    },
    spotify: {
      type: "boolean",
      description:
        "pull recently played, top artists and tracks and saved albums from the logged-in Spotify account",
    },
    "lastfm-user": {
      type: "string",
      description:
        "pull a Last.fm user's scrobbles and top albums (user.getRecentTracks, user.getTopAlbums); needs LASTFM_API_KEY",
      valueName: "NAME",
    },
    "lastfm-pages": {
      type: "string",
      description: "scrobble pages (200 each) to read from Last.fm, newest first",
      default: String(DEFAULT_LASTFM_PAGES),
      valueName: "N",
      number: { min: 1, max: 10_000, integer: true },
    },
    offline: OFFLINE_FLAG,
  },
  validate(flags) {
    if (
      flags.offline === true && (flags.spotify || flags["spotify-login"] || flags["lastfm-user"])
    ) {
      throw new InputError(
        "--offline opens no connection: it cannot be combined with --spotify, --spotify-login " +
          "or --lastfm-user",
      );
    }
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
    const live = await pullLiveAccounts(db, {
      spotifyLogin: flags["spotify-login"] === true,
      spotifyPort: numberFlag(flags, "spotify-port", { min: 0, max: 65535, integer: true }),
      spotify: flags.spotify === true,
      lastfmUser: stringFlag(flags, "lastfm-user"),
      lastfmPages: numberFlag(flags, "lastfm-pages", { min: 1, integer: true }),
      info: (line) => log.info(line),
    });
    Object.assign(tables, live.tables);
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
      // The albums as a spreadsheet too: most played first.
      csv: { listening_albums: "score DESC, artist, album" },
      inputs: imported?.files.map((f) => f.path) ?? [],
      warnings: analysis.warnings,
      parameters: {
        file: files,
        match_budget: flags["match-budget"],
        offline,
        spotify: flags.spotify === true,
        // Whether, not who: the user name stays out of run.json.
        lastfm: flags["lastfm-user"] !== undefined,
      },
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
        ...live.summary,
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
