/**
 * A fake Last.fm API on 127.0.0.1 for the live-account tests: `user.getrecenttracks` (paged, the
 * first item of page 1 "now playing" without a date, as Last.fm does) and `user.gettopalbums`,
 * JSON as Last.fm shapes it, errors as Last.fm's codes (6 no such user, 10 invalid key). Page 2
 * answers 429 with `Retry-After: 1` once.
 *
 * @module
 */

/** What the fake serves for its one user. */
export const FAKE_LASTFM = { user: "crate-digger", scrobbles: 450, topAlbums: 30 };

/** A running fake Last.fm. */
export interface FakeLastfm {
  url: string;
  apiKey: string;
  requests: { path: string; status: number }[];
  close(): Promise<void>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });

/** Start the fake on an ephemeral loopback port. */
export function startFakeLastfm(apiKey = "fake-lastfm-key-0123456789"): Promise<FakeLastfm> {
  const requests: FakeLastfm["requests"] = [];
  let limited = false;
  const end = 1_719_792_000; // 2024-07-01
  function handle(url: URL): Response {
    const p = url.searchParams;
    if (url.pathname !== "/2.0/") return json(404, { error: 3, message: "Invalid Method" });
    if (p.get("api_key") !== apiKey) {
      return json(403, {
        error: 10,
        message: "Invalid API key - You must be granted a valid key by last.fm",
      });
    }
    if (p.get("user") !== FAKE_LASTFM.user) {
      return json(404, { error: 6, message: "User not found" });
    }
    if (p.get("method") === "user.getrecenttracks") {
      const limit = Number(p.get("limit") ?? 50), page = Number(p.get("page") ?? 1);
      if (page === 2 && !limited) {
        limited = true;
        return json(429, { error: 29, message: "Rate limit exceeded" }, { "Retry-After": "1" });
      }
      const total = FAKE_LASTFM.scrobbles;
      const tracks: unknown[] = [];
      if (page === 1) {
        tracks.push({
          artist: { "#text": "Now Playing Artist", mbid: "" },
          name: "Still Playing",
          album: { "#text": "", mbid: "" },
          "@attr": { nowplaying: "true" },
        });
      }
      for (let i = (page - 1) * limit; i < Math.min(total, page * limit); i++) {
        const uts = end - i * 600;
        tracks.push({
          artist: { mbid: "", "#text": `Scrobbled Artist ${i % 23}` },
          streamable: "0",
          mbid: "",
          album: { mbid: "", "#text": i % 10 === 0 ? "" : `Record ${i % 31}` },
          name: `Tune ${i}`,
          url: "https://www.last.fm/music/x",
          date: { uts: String(uts), "#text": new Date(uts * 1000).toUTCString() },
        });
      }
      return json(200, {
        recenttracks: {
          track: tracks,
          "@attr": {
            user: FAKE_LASTFM.user,
            page: String(page),
            perPage: String(limit),
            totalPages: String(Math.ceil(total / limit)),
            total: String(total),
          },
        },
      });
    }
    if (p.get("method") === "user.gettopalbums") {
      return json(200, {
        topalbums: {
          album: Array.from({ length: FAKE_LASTFM.topAlbums }, (_, i) => ({
            artist: { url: "", name: `Scrobbled Artist ${i % 23}`, mbid: "" },
            name: `Record ${i}`,
            playcount: String(300 - i * 7),
            "@attr": { rank: String(i + 1) },
          })),
          "@attr": { user: FAKE_LASTFM.user, page: "1", perPage: "200", totalPages: "1" },
        },
      });
    }
    return json(400, {
      error: 3,
      message: "Invalid Method - No method with that name in this package",
    });
  }
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (r) => {
    const u = new URL(r.url);
    const response = handle(u);
    requests.push({ path: u.pathname + u.search, status: response.status });
    return response;
  });
  const port = (server.addr as Deno.NetAddr).port;
  return Promise.resolve({
    url: `http://127.0.0.1:${port}/2.0/`,
    apiKey,
    requests,
    close: () => server.shutdown(),
  });
}
