/**
 * A live Last.fm account through its public API: `user.getRecentTracks` (the scrobbles, paged,
 * 200 a page) and `user.getTopAlbums` (the most played albums with their play counts). The API
 * key comes from `LASTFM_API_KEY` and goes only into the request; `LASTFM_API_URL` points
 * elsewhere only for tests.
 *
 * @module
 */

import type { Play } from "../formats.ts";
import { AccountError, type HttpStats, requestJson } from "./http.ts";
import type { LibraryItem } from "./library.ts";

/** Last.fm's API root. */
export const DEFAULT_LASTFM_URL = "https://ws.audioscrobbler.com/2.0/";
/** Scrobble pages read at most (200 a page): the newest 10,000 scrobbles. */
export const DEFAULT_LASTFM_PAGES = 50;

/** Where Last.fm is and the key to use. */
export interface LastfmConfig {
  apiKey: string;
  url: string;
}

/** The configuration from the environment; a missing key is an {@link AccountError}. */
export function lastfmConfig(
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): LastfmConfig {
  const apiKey = env("LASTFM_API_KEY")?.trim();
  if (!apiKey) {
    throw new AccountError(
      "LASTFM_API_KEY is not set: get an API key at https://www.last.fm/api/account/create " +
        "and set LASTFM_API_KEY to it",
    );
  }
  return { apiKey, url: env("LASTFM_API_URL")?.trim() || DEFAULT_LASTFM_URL };
}

type Json = Record<string, unknown>;
const text = (v: unknown): string | null => {
  const t = typeof v === "string" ? v : (v as Json | undefined)?.["#text"] ??
    (v as Json | undefined)?.name;
  return typeof t === "string" && t.trim() ? t.trim() : null;
};

/** Last.fm's error codes that are the collector's to fix. */
const ERRORS: Record<number, string> = {
  6: "no such Last.fm user",
  10: "the Last.fm API key is not valid (LASTFM_API_KEY)",
  17: "that Last.fm user's listening is private",
  26: "the Last.fm API key is suspended",
  29: "Last.fm is rate-limiting this key",
};

async function call(
  config: LastfmConfig,
  params: Record<string, string>,
  stats: HttpStats,
): Promise<Json> {
  const url = new URL(config.url);
  for (const [k, v] of Object.entries({ ...params, api_key: config.apiKey, format: "json" })) {
    url.searchParams.set(k, v);
  }
  const got = await requestJson(url.toString(), {
    secrets: [config.apiKey],
    stats,
    service: "Last.fm",
  });
  const body = (got.body ?? {}) as Json;
  if (typeof body.error === "number") {
    throw new AccountError(
      `${ERRORS[body.error] ?? `Last.fm error ${body.error}`} (${params.method})`,
    );
  }
  if (got.status !== 200) {
    throw new AccountError(`Last.fm answered ${got.status} for ${params.method}`);
  }
  return body;
}

/** What a Last.fm pull brought. */
export interface LastfmPull {
  plays: Play[];
  library: LibraryItem[];
  stats: HttpStats;
  pages: number;
}

/** Pull a user's scrobbles (up to `maxPages` pages) and top albums. */
export async function lastfmPull(
  config: LastfmConfig,
  user: string,
  maxPages = DEFAULT_LASTFM_PAGES,
): Promise<LastfmPull> {
  const stats: HttpStats = { requests: 0, rateLimited: 0 };
  const plays: Play[] = [];
  let pages = 0;
  for (let page = 1; page <= maxPages; page++) {
    const body = await call(config, {
      method: "user.getrecenttracks",
      user,
      limit: "200",
      page: String(page),
    }, stats);
    pages++;
    const recent = (body.recenttracks ?? {}) as Json;
    const tracks = recent.track;
    for (const raw of Array.isArray(tracks) ? tracks : tracks ? [tracks] : []) {
      const t = raw as Json;
      // The track playing now has no date yet: it is scrobbled when it ends.
      if ((t["@attr"] as Json | undefined)?.nowplaying === "true") continue;
      const uts = Number((t.date as Json | undefined)?.uts);
      const artist = text(t.artist), name = text(t.name);
      if (!Number.isFinite(uts) || uts <= 0 || !artist || !name) continue;
      plays.push({
        playedAt: new Date(uts * 1000).toISOString().replace(".000Z", "Z"),
        artist,
        album: text(t.album),
        track: name,
        msPlayed: null,
        skipped: false,
        source: "lastfm_api",
      });
    }
    const total = Number((recent["@attr"] as Json | undefined)?.totalPages ?? 1);
    if (!Number.isFinite(total) || page >= total) break;
  }
  const top = await call(config, {
    method: "user.gettopalbums",
    user,
    period: "overall",
    limit: "200",
  }, stats);
  const albums = ((top.topalbums ?? {}) as Json).album;
  const library: LibraryItem[] = [];
  (Array.isArray(albums) ? albums : []).forEach((raw, i) => {
    const a = raw as Json;
    const artist = text(a.artist), album = text(a.name);
    const rank = Number((a["@attr"] as Json | undefined)?.rank ?? i + 1);
    if (artist && album) {
      library.push({
        kind: "top_album",
        rank: Number.isFinite(rank) ? rank : i + 1,
        artist,
        album,
        track: null,
        playcount: Number(a.playcount) || null,
      });
    }
  });
  return { plays, library, stats, pages };
}
