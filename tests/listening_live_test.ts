/**
 * Live listening accounts against fakes on 127.0.0.1 (never the real services): the Spotify
 * login round trip (Authorization Code + PKCE, the printed URL opened, the local callback), the
 * refresh token kept owner-only in the workspace's secrets and in no other byte written, a pull
 * with paging and a 429 waited out; Last.fm scrobbles and top albums with the API key from the
 * environment, and a bad key refused in plain words.
 */

import { join } from "node:path";
import { Database } from "../lib/db/mod.ts";
import { spawnWithDeadline } from "../lib/testing/deadline.ts";
import { assert, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { closedPort, REPO_ROOT, runModule, tempWorkspace } from "./helpers.ts";
import { everythingWritten } from "./listening_fixtures.ts";
import { FAKE_SPOTIFY, startFakeSpotify } from "./fake_listening/spotify.ts";
import { FAKE_LASTFM, startFakeLastfm } from "./fake_listening/lastfm.ts";

async function counts(db: string, sql: string) {
  const d = await Database.open(db, { readOnly: true });
  try {
    return await d.all<Record<string, unknown>>(sql);
  } finally {
    d.close();
  }
}

Deno.test({
  name:
    "Spotify: PKCE login round trip, refresh token kept in secrets only, paged pull with a 429 waited out",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const fake = await startFakeSpotify();
    const ws = await tempWorkspace();
    const env = {
      NO_COLOR: "1",
      SPOTIFY_CLIENT_ID: fake.clientId,
      SPOTIFY_ACCOUNTS_URL: fake.url,
      SPOTIFY_API_URL: fake.url,
      NEXTSPIN_QUIET: "0",
    };
    try {
      const port = closedPort();
      const child = spawnWithDeadline(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "pipeline/listen.ts",
          "--db",
          ws.db,
          "--out",
          ws.out,
          "--spotify-login",
          "--spotify-port",
          String(port),
        ],
        cwd: REPO_ROOT,
        env,
        stdout: "piped",
        stderr: "piped",
      }, 60_000);
      // Read stderr until the URL to open appears, then "open" it: the fake redirects to the
      // local callback, as a browser would follow.
      const reader = child.process.stderr.pipeThrough(new TextDecoderStream()).getReader();
      let stderr = "";
      let authorize: string | undefined;
      while (!authorize) {
        const { value, done } = await reader.read();
        if (done) break;
        stderr += value;
        authorize = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(stderr)?.[1];
      }
      assert(authorize, `no URL printed:\n${stderr}`);
      assertStringIncludes(authorize, "code_challenge_method=S256");
      assertStringIncludes(authorize, `redirect_uri=http%3A%2F%2F127.0.0.1%3A${port}%2Fcallback`);
      const browser = await fetch(authorize);
      assertEquals(browser.status, 200, await browser.text());
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        stderr += value;
      }
      const stdout = new TextDecoder().decode(
        new Uint8Array(await new Response(child.process.stdout).arrayBuffer()),
      );
      assertEquals((await child.status()).code, 0, stderr);
      assertStringIncludes(stderr, "logged in to Spotify");
      const secretsFile = join(ws.dir, ".secrets", "spotify.json");
      const kept = JSON.parse(await Deno.readTextFile(secretsFile));
      assertEquals(kept.refresh_token, fake.refreshTokens.at(-1));
      assertEquals((await Deno.stat(secretsFile)).mode! & 0o777, 0o600);

      const pull = await runModule("pipeline/listen.ts", [
        "--db",
        ws.db,
        "--out",
        ws.out,
        "--spotify",
      ], env);
      assertEquals(pull.code, 0, pull.stderr);
      assertStringIncludes(
        pull.stderr,
        `Spotify: ${FAKE_SPOTIFY.recent} recent plays, ${FAKE_SPOTIFY.topArtists} top artists, ` +
          `${FAKE_SPOTIFY.topTracks} top tracks, ${FAKE_SPOTIFY.savedAlbums} saved albums`,
      );
      assertStringIncludes(pull.stderr, "(1 rate-limited, waited out)");
      const recent = fake.requests.filter((r) =>
        r.path.startsWith("/v1/me/player/recently-played")
      );
      assertEquals(recent.length, 3, "three pages of 50, 50 and 20");
      assertEquals(fake.requests.filter((r) => r.status === 429).length, 1);
      // The rotated refresh token replaced the old one in the secrets.
      assertEquals(
        JSON.parse(await Deno.readTextFile(secretsFile)).refresh_token,
        fake.refreshTokens.at(-1),
      );
      assertEquals(
        await counts(ws.db, "SELECT source, count(*)::INTEGER AS n FROM listening GROUP BY source"),
        [
          { source: "spotify_api", n: FAKE_SPOTIFY.recent },
        ],
      );
      // A second pull overlaps the first: each play is kept once.
      assertEquals(
        (await runModule("pipeline/listen.ts", ["--db", ws.db, "--out", ws.out, "--spotify"], env))
          .code,
        0,
      );
      assertEquals(await counts(ws.db, "SELECT count(*)::INTEGER AS n FROM listening"), [{
        n: FAKE_SPOTIFY.recent,
      }]);

      // No token of any kind in any byte written outside the secrets file, or in the logs.
      const written = await everythingWritten(
        { dir: ws.dir, db: ws.db, out: ws.out },
        [stdout, stderr, pull.stdout, pull.stderr],
        [secretsFile],
      );
      assertStringIncludes(written, "Song 1");
      for (const t of [...fake.refreshTokens, ...fake.accessTokens]) {
        assert(!written.includes(t), "a Spotify token was written or printed");
      }
    } finally {
      await fake.close();
      await ws.cleanup();
    }
  },
});

Deno.test({
  name:
    "Last.fm: scrobbles (paged, now-playing left out, a 429 waited out) and top albums; the API key is never written; a bad key is refused plainly",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const fake = await startFakeLastfm();
    const ws = await tempWorkspace();
    const env = { LASTFM_API_KEY: fake.apiKey, LASTFM_API_URL: fake.url, NEXTSPIN_QUIET: "0" };
    const args = ["--db", ws.db, "--out", ws.out, "--lastfm-user", FAKE_LASTFM.user];
    try {
      const run = await runModule("pipeline/listen.ts", args, env);
      assertEquals(run.code, 0, run.stderr);
      assertStringIncludes(
        run.stderr,
        `Last.fm: ${FAKE_LASTFM.scrobbles} scrobbles from 3 pages and ${FAKE_LASTFM.topAlbums} top albums`,
      );
      assertStringIncludes(run.stderr, "(1 rate-limited, waited out)");
      assertEquals(
        await counts(
          ws.db,
          "SELECT count(*)::INTEGER AS n, count(album)::INTEGER AS albums FROM listening",
        ),
        [{ n: FAKE_LASTFM.scrobbles, albums: FAKE_LASTFM.scrobbles - 45 }],
      );
      assertEquals(
        await counts(
          ws.db,
          "SELECT kind, count(*)::INTEGER AS n, max(playcount) AS top FROM listening_library GROUP BY kind",
        ),
        [{ kind: "top_album", n: FAKE_LASTFM.topAlbums, top: 300 }],
      );
      // All-time top-album counts join the played albums (their plays have no date).
      assertEquals(
        await counts(
          ws.db,
          `SELECT plays, last_played FROM listening_albums
           WHERE artist = 'Scrobbled Artist 0' AND album = 'Record 0'`,
        ),
        [{ plays: 300, last_played: null }],
      );
      const written = await everythingWritten(
        { dir: ws.dir, db: ws.db, out: ws.out },
        [run.stdout, run.stderr],
      );
      assert(!written.includes(fake.apiKey), "the API key was written");
      assert(!written.includes(FAKE_LASTFM.user), "the user name was written");

      const bad = await runModule("pipeline/listen.ts", args, {
        ...env,
        LASTFM_API_KEY: "wrong-key-999",
      });
      assertEquals(bad.code, 1, bad.stderr);
      assertStringIncludes(bad.stderr, "error: the Last.fm API key is not valid (LASTFM_API_KEY)");
      assert(!bad.stderr.includes("wrong-key-999"));
      const none = await runModule("pipeline/listen.ts", args, { LASTFM_API_URL: fake.url });
      assertStringIncludes(none.stderr, "LASTFM_API_KEY is not set");
    } finally {
      await fake.close();
      await ws.cleanup();
    }
  },
});
