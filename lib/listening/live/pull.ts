/**
 * The live accounts `deno task listen` can pull: a Spotify login (Authorization Code + PKCE),
 * Spotify's recent plays and library, Last.fm's scrobbles and top albums. Plays are appended to
 * `listening`, the library to `listening_library`.
 *
 * @module
 */

import type { Database } from "../../db/mod.ts";
import { writeListening } from "../mod.ts";
import { lastfmConfig, lastfmPull } from "./lastfm.ts";
import { writeLibrary } from "./library.ts";
import { spotifyConfig, spotifyLogin, spotifyPull } from "./spotify.ts";

/** What to pull, from the listen stage's flags. */
export interface LiveOptions {
  /** Run the Spotify login first (`--spotify-login`). */
  spotifyLogin: boolean;
  /** Port of the login's local callback on 127.0.0.1 (`--spotify-port`). */
  spotifyPort?: number;
  /** Pull Spotify (`--spotify`). */
  spotify: boolean;
  /** Last.fm user to pull (`--lastfm-user`). */
  lastfmUser?: string;
  /** Pages of recent scrobbles (`--lastfm-pages`). */
  lastfmPages?: number;
  /** Progress lines (stderr). */
  info(line: string): void;
}

/** Log in and pull the live accounts the flags ask for; plays are added to `listening`. */
export async function pullLiveAccounts(
  db: Database,
  options: LiveOptions,
): Promise<{ tables: Record<string, number>; summary: Record<string, unknown> }> {
  const tables: Record<string, number> = {};
  const summary: Record<string, unknown> = {};
  if (options.spotifyLogin) {
    const config = spotifyConfig();
    const path = await spotifyLogin(config, {
      dbPath: db.path,
      port: options.spotifyPort,
      // Shown even with NEXTSPIN_QUIET: the collector must open it.
      show: (line) => console.error(`[listen] ${line}`),
    });
    options.info(`logged in to Spotify; the refresh token is kept in ${path} (owner-only)`);
  }
  if (options.spotify) {
    const pulled = await spotifyPull(spotifyConfig(), db.path);
    tables.listening = await writeListening(db, pulled.plays, { append: true });
    tables.listening_library = await writeLibrary(db, "spotify_api", pulled.library);
    const n = (k: string) => pulled.library.filter((l) => l.kind === k).length;
    options.info(
      `Spotify: ${pulled.plays.length} recent plays, ${n("top_artist")} top artists, ` +
        `${n("top_track")} top tracks, ${n("saved_album")} saved albums from ` +
        `${pulled.stats.requests} requests (${pulled.stats.rateLimited} rate-limited, waited out)`,
    );
    summary.spotify = {
      plays: pulled.plays.length,
      library: pulled.library.length,
      requests: pulled.stats.requests,
      rate_limited: pulled.stats.rateLimited,
    };
  }
  const user = options.lastfmUser;
  if (user) {
    const pages = options.lastfmPages;
    const pulled = await lastfmPull(lastfmConfig(), user, pages);
    tables.listening = await writeListening(db, pulled.plays, { append: true });
    tables.listening_library = await writeLibrary(db, "lastfm_api", pulled.library);
    options.info(
      `Last.fm: ${pulled.plays.length} scrobbles from ${pulled.pages} pages and ` +
        `${pulled.library.length} top albums, ${pulled.stats.requests} requests ` +
        `(${pulled.stats.rateLimited} rate-limited, waited out)`,
    );
    summary.lastfm = {
      plays: pulled.plays.length,
      top_albums: pulled.library.length,
      pages: pulled.pages,
      requests: pulled.stats.requests,
      rate_limited: pulled.stats.rateLimited,
    };
  }
  return { tables, summary };
}
