/**
 * A live Spotify account through the Web API: logging in with the Authorization Code + PKCE flow
 * (no client secret: a local callback on 127.0.0.1 receives the code, the printed URL is opened in
 * a browser), the refresh token kept in the workspace's secrets (secrets.ts), and a pull of the
 * recently played tracks (plays), top artists and tracks and saved albums (the library), paged
 * and rate-limited (429 + `Retry-After`).
 *
 * `SPOTIFY_CLIENT_ID` names the app (create one at developer.spotify.com with the redirect URI
 * `http://127.0.0.1:8888/callback`); `SPOTIFY_ACCOUNTS_URL` and `SPOTIFY_API_URL` point
 * elsewhere only for tests.
 *
 * @module
 */

import { encodeBase64Url } from "./base64url.ts";
import type { Play } from "../formats.ts";
import { AccountError, type HttpStats, requestJson } from "./http.ts";
import { readSecret, writeSecret } from "./secrets.ts";
import type { LibraryItem } from "./library.ts";

/** Spotify's accounts service (authorize, token). */
export const DEFAULT_ACCOUNTS_URL = "https://accounts.spotify.com";
/** Spotify's Web API. */
export const DEFAULT_API_URL = "https://api.spotify.com";
/** The callback port registered with the app (its redirect URI). */
export const DEFAULT_CALLBACK_PORT = 8888;
/** What Next Spin asks to read, and nothing else. */
export const SCOPES = ["user-read-recently-played", "user-top-read", "user-library-read"];
/** Pages read of each paged list at most (50 items a page). */
export const MAX_PAGES = 20;
/** How long the login waits for the browser to come back. */
export const LOGIN_TIMEOUT_MS = 300_000;

/** Where Spotify is and which app asks. */
export interface SpotifyConfig {
  clientId: string;
  accountsUrl: string;
  apiUrl: string;
}

/** The configuration from the environment; a missing client id is an {@link AccountError}. */
export function spotifyConfig(
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): SpotifyConfig {
  const clientId = env("SPOTIFY_CLIENT_ID")?.trim();
  if (!clientId) {
    throw new AccountError(
      "SPOTIFY_CLIENT_ID is not set: create an app at https://developer.spotify.com/dashboard " +
        `with the redirect URI http://127.0.0.1:${DEFAULT_CALLBACK_PORT}/callback and set ` +
        "SPOTIFY_CLIENT_ID to its client id",
    );
  }
  const url = (name: string, fallback: string) =>
    (env(name)?.trim() || fallback).replace(/\/$/, "");
  return {
    clientId,
    accountsUrl: url("SPOTIFY_ACCOUNTS_URL", DEFAULT_ACCOUNTS_URL),
    apiUrl: url("SPOTIFY_API_URL", DEFAULT_API_URL),
  };
}

/** A PKCE verifier and its S256 challenge. */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = encodeBase64Url(crypto.getRandomValues(new Uint8Array(48)));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: encodeBase64Url(new Uint8Array(digest)) };
}

/** What is kept in the workspace's secrets for Spotify. */
interface SpotifySecret {
  refresh_token: string;
  client_id: string;
}

/** Options for {@link spotifyLogin}. */
export interface LoginOptions {
  dbPath: string;
  port?: number;
  /** Where the URL to open is shown (stderr by default). */
  show: (line: string) => void;
  timeoutMs?: number;
}

/**
 * Log in: serve the callback on 127.0.0.1, show the authorize URL, wait for the code, exchange it
 * (with the PKCE verifier) for tokens, and keep the refresh token in the workspace's secrets.
 * Returns the secrets file's path (the token itself is never returned or shown).
 */
export async function spotifyLogin(config: SpotifyConfig, options: LoginOptions): Promise<string> {
  const { verifier, challenge } = await pkcePair();
  const state = encodeBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  let resolveCode!: (code: string) => void, rejectCode!: (e: Error) => void;
  const gotCode = new Promise<string>((res, rej) => {
    resolveCode = res;
    rejectCode = rej;
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port ?? DEFAULT_CALLBACK_PORT, onListen: () => {} },
    (request) => {
      const url = new URL(request.url);
      if (url.pathname !== "/callback") return new Response("Not found", { status: 404 });
      if (url.searchParams.get("state") !== state) {
        return new Response("This login link is not the one Next Spin opened.", { status: 400 });
      }
      const error = url.searchParams.get("error");
      if (error) {
        rejectCode(new AccountError(`Spotify refused the login (${error})`));
        return new Response("Login refused; you can close this tab.", { status: 400 });
      }
      const code = url.searchParams.get("code");
      if (!code) return new Response("No code in the callback.", { status: 400 });
      resolveCode(code);
      return new Response("Next Spin is logged in to Spotify; you can close this tab.");
    },
  );
  const port = (server.addr as Deno.NetAddr).port;
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  const authorize = new URL(`${config.accountsUrl}/authorize`);
  for (
    const [k, v] of Object.entries({
      client_id: config.clientId,
      response_type: "code",
      redirect_uri: redirectUri,
      code_challenge_method: "S256",
      code_challenge: challenge,
      state,
      scope: SCOPES.join(" "),
    })
  ) authorize.searchParams.set(k, v);
  options.show(`open this address in a browser to log in to Spotify:\n${authorize}`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, rej) => {
    timer = setTimeout(
      () => rej(new AccountError("no login came back from Spotify within 5 minutes: try again")),
      options.timeoutMs ?? LOGIN_TIMEOUT_MS,
    );
  });
  let code: string;
  try {
    code = await Promise.race([gotCode, timeout]);
  } finally {
    clearTimeout(timer);
    await server.shutdown();
  }
  const stats: HttpStats = { requests: 0, rateLimited: 0 };
  const got = await requestJson(`${config.accountsUrl}/api/token`, {
    method: "POST",
    form: {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      client_id: config.clientId,
      code_verifier: verifier,
    },
    secrets: [code, verifier],
    stats,
    service: "Spotify",
  });
  const body = got.body as { refresh_token?: string; error?: string } | null;
  if (got.status !== 200 || !body?.refresh_token) {
    throw new AccountError(
      `Spotify did not accept the login (${got.status}${body?.error ? `: ${body.error}` : ""})`,
    );
  }
  return await writeSecret(
    options.dbPath,
    "spotify",
    {
      refresh_token: body.refresh_token,
      client_id: config.clientId,
    } satisfies SpotifySecret,
  );
}

/** What a pull brought. */
export interface SpotifyPull {
  plays: Play[];
  library: LibraryItem[];
  stats: HttpStats;
}

/** A fresh access token from the kept refresh token (a rotated refresh token is kept). */
async function accessToken(
  config: SpotifyConfig,
  dbPath: string,
  stats: HttpStats,
): Promise<{ token: string; secrets: string[] }> {
  const secret = await readSecret<SpotifySecret>(dbPath, "spotify");
  if (!secret?.refresh_token) {
    throw new AccountError(
      "no Spotify login in this workspace: run `deno task listen --spotify-login` first",
    );
  }
  const got = await requestJson(`${config.accountsUrl}/api/token`, {
    method: "POST",
    form: {
      grant_type: "refresh_token",
      refresh_token: secret.refresh_token,
      client_id: secret.client_id || config.clientId,
    },
    secrets: [secret.refresh_token],
    stats,
    service: "Spotify",
  });
  const body = got.body as { access_token?: string; refresh_token?: string } | null;
  if (got.status !== 200 || !body?.access_token) {
    throw new AccountError(
      `Spotify refused the kept login (${got.status}): run \`deno task listen --spotify-login\` again`,
    );
  }
  if (body.refresh_token && body.refresh_token !== secret.refresh_token) {
    await writeSecret(dbPath, "spotify", { ...secret, refresh_token: body.refresh_token });
  }
  return {
    token: body.access_token,
    secrets: [body.access_token, secret.refresh_token, body.refresh_token ?? ""],
  };
}

type Json = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim() : null);
const firstArtist = (v: unknown): string | null =>
  Array.isArray(v) ? str((v[0] as Json | undefined)?.name) : null;

/** Every page of a paged list (`next` links), up to {@link MAX_PAGES}. */
async function pages(
  first: string,
  token: { token: string; secrets: string[] },
  stats: HttpStats,
): Promise<Json[]> {
  const items: Json[] = [];
  let url: string | null = first;
  for (let n = 0; url && n < MAX_PAGES; n++) {
    const got = await requestJson(url, {
      headers: { Authorization: `Bearer ${token.token}` },
      secrets: token.secrets,
      stats,
      service: "Spotify",
    });
    if (got.status === 401 || got.status === 403) {
      throw new AccountError(
        `Spotify refused ${new URL(url).pathname} (${got.status}): run ` +
          "`deno task listen --spotify-login` again to grant " + SCOPES.join(", "),
      );
    }
    if (got.status !== 200) {
      throw new AccountError(`Spotify answered ${got.status} for ${new URL(url).pathname}`);
    }
    const body = got.body as Json;
    items.push(...((body.items as Json[] | undefined) ?? []));
    url = str(body.next);
  }
  return items;
}

/** Pull recently played, top artists and tracks and saved albums. */
export async function spotifyPull(config: SpotifyConfig, dbPath: string): Promise<SpotifyPull> {
  const stats: HttpStats = { requests: 0, rateLimited: 0 };
  const token = await accessToken(config, dbPath, stats);
  const api = `${config.apiUrl}/v1`;
  const plays: Play[] = [];
  for (const item of await pages(`${api}/me/player/recently-played?limit=50`, token, stats)) {
    const track = (item.track ?? {}) as Json;
    const playedAt = str(item.played_at);
    const artist = firstArtist(track.artists);
    const name = str(track.name);
    if (!playedAt || !artist || !name || !Number.isFinite(Date.parse(playedAt))) continue;
    plays.push({
      playedAt: new Date(playedAt).toISOString().replace(".000Z", "Z"),
      artist,
      album: str((track.album as Json | undefined)?.name),
      track: name,
      // The API says a track was played, not for how long: it counts as a full play.
      msPlayed: null,
      skipped: false,
      source: "spotify_api",
    });
  }
  const library: LibraryItem[] = [];
  const top = (kind: "artists" | "tracks") =>
    pages(`${api}/me/top/${kind}?time_range=long_term&limit=50`, token, stats);
  (await top("artists")).forEach((a, i) => {
    const name = str(a.name);
    if (name) {
      library.push({ kind: "top_artist", rank: i + 1, artist: name, album: null, track: null });
    }
  });
  (await top("tracks")).forEach((t, i) => {
    const artist = firstArtist(t.artists), name = str(t.name);
    if (artist && name) {
      library.push({
        kind: "top_track",
        rank: i + 1,
        artist,
        album: str((t.album as Json | undefined)?.name),
        track: name,
      });
    }
  });
  (await pages(`${api}/me/albums?limit=50`, token, stats)).forEach((s, i) => {
    const album = (s.album ?? {}) as Json;
    const artist = firstArtist(album.artists), name = str(album.name);
    if (artist && name) {
      library.push({ kind: "saved_album", rank: i + 1, artist, album: name, track: null });
    }
  });
  return { plays, library: library.map((l) => ({ ...l, source: "spotify_api" })), stats };
}
