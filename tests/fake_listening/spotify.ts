/**
 * A fake Spotify (accounts service and Web API) on 127.0.0.1 for the live-account tests: the
 * Authorization Code + PKCE flow (`GET /authorize` redirects to the app's redirect URI with a
 * code; `POST /api/token` checks the code, redirect URI, client id and the verifier against the
 * S256 challenge, and rotates refresh tokens as Spotify does for PKCE apps), and the endpoints
 * Next Spin reads, paged with `next` links like Spotify's: recently played (cursor `before`),
 * top artists and tracks and saved albums (`offset`). The first top-artists request answers 429
 * with `Retry-After: 1`.
 *
 * @module
 */

/** Items the fake serves. */
export const FAKE_SPOTIFY = { recent: 120, topArtists: 60, topTracks: 60, savedAlbums: 70 };

/** A running fake Spotify. */
export interface FakeSpotify {
  url: string;
  clientId: string;
  /** Every request: method and path with query. */
  requests: { method: string; path: string; status: number }[];
  /** Refresh tokens it has issued (the last is the current one). */
  refreshTokens: string[];
  accessTokens: string[];
  close(): Promise<void>;
}

async function s256(verifier: string): Promise<string> {
  const d = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)),
  );
  let b = "";
  for (const x of d) b += String.fromCharCode(x);
  return btoa(b).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });

/** Start the fake on an ephemeral loopback port. */
export function startFakeSpotify(clientId = "fake-client-id"): Promise<FakeSpotify> {
  const codes = new Map<string, { challenge: string; redirect: string }>();
  const refresh = new Set<string>();
  const access = new Set<string>();
  const requests: FakeSpotify["requests"] = [];
  const issued = { refresh: [] as string[], access: [] as string[] };
  let limited = false;
  const token = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;
  const artists = (i: number) => [{ name: `Artist ${i % 17}` }, { name: `Guest ${i}` }];

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const origin = url.origin;
    if (url.pathname === "/authorize") {
      const p = url.searchParams;
      if (
        p.get("client_id") !== clientId || p.get("response_type") !== "code" ||
        p.get("code_challenge_method") !== "S256" || !p.get("code_challenge") ||
        !p.get("redirect_uri")?.startsWith("http://127.0.0.1:")
      ) return new Response("bad authorize request", { status: 400 });
      const code = token("code");
      codes.set(code, { challenge: p.get("code_challenge")!, redirect: p.get("redirect_uri")! });
      const back = new URL(p.get("redirect_uri")!);
      back.searchParams.set("code", code);
      back.searchParams.set("state", p.get("state") ?? "");
      return new Response(null, { status: 302, headers: { Location: back.toString() } });
    }
    if (url.pathname === "/api/token" && request.method === "POST") {
      const form = new URLSearchParams(await request.text());
      if (form.get("client_id") !== clientId) return json(400, { error: "invalid_client" });
      if (form.get("grant_type") === "authorization_code") {
        const c = codes.get(form.get("code") ?? "");
        codes.delete(form.get("code") ?? "");
        if (
          !c || c.redirect !== form.get("redirect_uri") ||
          (await s256(form.get("code_verifier") ?? "")) !== c.challenge
        ) return json(400, { error: "invalid_grant" });
      } else if (form.get("grant_type") === "refresh_token") {
        const r = form.get("refresh_token") ?? "";
        if (!refresh.has(r)) return json(400, { error: "invalid_grant" });
        refresh.delete(r); // rotated: the old one no longer works
      } else return json(400, { error: "unsupported_grant_type" });
      const a = token("access"), r = token("refresh");
      access.add(a);
      refresh.add(r);
      issued.access.push(a);
      issued.refresh.push(r);
      return json(200, {
        access_token: a,
        token_type: "Bearer",
        expires_in: 3600,
        refresh_token: r,
        scope: "user-read-recently-played user-top-read user-library-read",
      });
    }
    if (url.pathname.startsWith("/v1/")) {
      const auth = request.headers.get("Authorization") ?? "";
      if (!access.has(auth.replace(/^Bearer /, ""))) {
        return json(401, { error: { status: 401, message: "Invalid access token" } });
      }
      const limit = Math.min(50, Number(url.searchParams.get("limit") ?? 20));
      const offset = Number(url.searchParams.get("offset") ?? 0);
      const paged = (total: number, item: (i: number) => unknown) => {
        const items = [];
        for (let i = offset; i < Math.min(total, offset + limit); i++) items.push(item(i));
        const next = offset + limit < total
          ? `${origin}${url.pathname}?${new URLSearchParams({
            ...Object.fromEntries(url.searchParams),
            offset: String(offset + limit),
          })}`
          : null;
        return json(200, { items, total, limit, offset, next });
      };
      if (url.pathname === "/v1/me/player/recently-played") {
        // Cursor paging: `before` is a time in ms; plays are one an hour back from a fixed end.
        const end = Date.UTC(2024, 6, 1);
        const before = Number(url.searchParams.get("before") ?? end + 1);
        const all = Array.from(
          { length: FAKE_SPOTIFY.recent },
          (_, i) => end - i * 3_600_000,
        ).filter((t) => t < before);
        const page = all.slice(0, limit);
        const last = page.at(-1);
        const next = all.length > limit && last !== undefined
          ? `${origin}${url.pathname}?limit=${limit}&before=${last}`
          : null;
        return json(200, {
          items: page.map((t) => {
            const i = (end - t) / 3_600_000;
            return {
              played_at: new Date(t).toISOString(),
              context: null,
              track: {
                name: `Song ${i}`,
                artists: artists(i),
                album: { name: `Album ${i % 9}`, artists: artists(i) },
                duration_ms: 200_000,
              },
            };
          }),
          next,
          cursors: last === undefined ? null : { before: String(last), after: String(page[0]) },
          limit,
        });
      }
      if (url.pathname === "/v1/me/top/artists") {
        if (!limited) {
          limited = true;
          return json(429, { error: { status: 429, message: "API rate limit exceeded" } }, {
            "Retry-After": "1",
          });
        }
        return paged(FAKE_SPOTIFY.topArtists, (i) => ({ name: `Top Artist ${i}` }));
      }
      if (url.pathname === "/v1/me/top/tracks") {
        return paged(FAKE_SPOTIFY.topTracks, (i) => ({
          name: `Top Song ${i}`,
          artists: artists(i),
          album: { name: `Album ${i % 9}` },
        }));
      }
      if (url.pathname === "/v1/me/albums") {
        return paged(FAKE_SPOTIFY.savedAlbums, (i) => ({
          added_at: "2024-01-01T00:00:00Z",
          album: { name: `Saved Album ${i}`, artists: artists(i) },
        }));
      }
    }
    return json(404, { error: { status: 404, message: "Not found" } });
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (r) => {
    const response = await handle(r);
    const u = new URL(r.url);
    requests.push({ method: r.method, path: u.pathname + u.search, status: response.status });
    return response;
  });
  const port = (server.addr as Deno.NetAddr).port;
  return Promise.resolve({
    url: `http://127.0.0.1:${port}`,
    clientId,
    requests,
    refreshTokens: issued.refresh,
    accessTokens: issued.access,
    close: () => server.shutdown(),
  });
}
