/**
 * What you play against Discogs, end to end on the fake Discogs (127.0.0.1): played albums
 * matched to masters by search (type=master, budgeted, cached) with their rule and confidence,
 * the unmatched listed, owned ones recognised by master, and "played, not owned" served with
 * Discogs release ids and prices from the fake; `--offline` repeats it without a request.
 */

import { join } from "node:path";
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { startFakeDiscogs } from "./fake_discogs/server.ts";
import { runModule, tempWorkspace } from "./helpers.ts";

const TOKEN = "listening-token-5c1e9a";

/** Albums in the fake's catalogue, as Spotify spells them, and how often they were played. */
const PLAYED = [
  { artist: "Santana", album: "Abraxas", plays: 6, owned: true, rule: "exact" },
  {
    artist: "Beastie Boys",
    album: "Paul's Boutique (20th Anniversary Remastered Edition)",
    plays: 5,
    owned: false,
    rule: "normalised",
  },
  {
    artist: "The Cure",
    album: "Seventeen Seconds - Deluxe Edition",
    plays: 4,
    owned: false,
    rule: "normalised",
  },
  { artist: "Talking Heads", album: "Talking Heads: 77", plays: 3, owned: false, rule: "exact" },
  { artist: "Imaginary Band", album: "Nothing Like It", plays: 3, owned: false, rule: null },
  {
    artist: "Kraftwerk",
    album: "Radio-Activity (2009 Remaster)",
    plays: 2,
    owned: true,
    rule: "normalised",
  },
  { artist: "Snap!", album: "World Power", plays: 2, owned: false, rule: "exact" },
];

function history(): unknown[] {
  const plays: unknown[] = [];
  let day = 0;
  for (const a of PLAYED) {
    for (let i = 0; i < a.plays; i++) {
      const ts = new Date(Date.UTC(2024, 0, 1) + (day++) * 86_400_000).toISOString();
      plays.push({
        ts: ts.replace(".000Z", "Z"),
        platform: "ios",
        ms_played: 180_000,
        conn_country: "DE",
        ip_addr: "192.0.2.1",
        master_metadata_track_name: `Track ${i + 1}`,
        master_metadata_album_artist_name: a.artist,
        master_metadata_album_album_name: a.album,
        spotify_track_uri: `spotify:track:${day}`,
        episode_name: null,
        spotify_episode_uri: null,
        skipped: false,
      });
    }
  }
  // One old play makes the history cover more than a year, so "owned, never played" shows.
  plays.push({ ...(plays[0] as object), ts: "2022-06-01T12:00:00Z" });
  return plays;
}

async function query<T>(path: string, sql: string): Promise<T[]> {
  const db = await Database.open(path, { readOnly: true });
  try {
    return await db.all<T>(sql);
  } finally {
    db.close();
  }
}

Deno.test({
  name:
    "listening → Discogs: masters matched with rule and confidence, played-not-owned picks with ids and prices; --offline the same with no request",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const fake = await startFakeDiscogs({ windowMs: 1000 });
    const ws = await tempWorkspace();
    try {
      const file = join(ws.dir, "Streaming_History_Audio_2024.json");
      await Deno.writeTextFile(file, JSON.stringify(history()));
      const env = {
        DISCOGS_API_URL: fake.url,
        DISCOGS_RATE_WINDOW: "1s",
        DISCOGS_TOKEN: TOKEN,
        NEXTSPIN_QUIET: "0",
      };
      const args = [
        "--db",
        ws.db,
        "--out",
        ws.out,
        "--username",
        "gustw",
        "--skip-enrich",
        "--pool-budget",
        "0",
        "--file",
        file,
      ];
      const run = await runModule("pipeline/pipeline.ts", args, env);
      assertEquals(run.code, 0, run.stderr);
      assertStringIncludes(
        run.stderr,
        "[listen] matched 6 of 7 played albums to Discogs masters (86%: 3 exact, 3 normalised), 2 through your own records and 4 by search",
      );
      assertStringIncludes(
        run.stderr,
        "1 unmatched (most played first; Discogs has no master by that artist and title): " +
          "Imaginary Band — Nothing Like It",
      );
      assertStringIncludes(run.stderr, "owned, never played: ");
      const searches = fake.requests.filter((r) => r.path.includes("type=master"));
      // Owned albums match through the collection's own records: no search for them.
      assertEquals(searches.length, 5, "one search per played album you do not own");

      const albums = await query<
        { artist: string; master_id: number | null; match_rule: string | null; owned: boolean }
      >(ws.db, "SELECT artist, master_id, match_rule, owned FROM listening_albums ORDER BY artist");
      for (const a of PLAYED) {
        const row = albums.find((r) => r.artist === a.artist)!;
        assertEquals([row.match_rule, row.owned], [a.rule, a.owned], a.artist);
      }

      const picks = await query<{
        release_id: number;
        master_id: number;
        lowest_price: number | null;
        num_for_sale: number | null;
        why: string;
        artist: string;
      }>(
        ws.db,
        `SELECT r.release_id, a.master_id, r.lowest_price, r.num_for_sale, r.why, r.artist
         FROM recommendations r JOIN listening_albums a ON a.pressing_release_id = r.release_id
         WHERE r.kind = 'played_not_owned' ORDER BY r.rank`,
      );
      assertEquals(picks.map((p) => p.artist), [
        "Beastie Boys",
        "The Cure",
        "Talking Heads",
        "Snap!",
      ]);
      for (const p of picks) {
        assert(p.release_id > 0, "a Discogs release id");
        assert(fake.catalogue.versionsOf(p.master_id).some((r) => r.id === p.release_id));
        assert(p.lowest_price !== null || p.num_for_sale === 0, `priced: ${p.why}`);
        assertStringIncludes(p.why, "own no pressing; Discogs master");
      }
      assertStringIncludes(picks[0].why, "you played Beastie Boys — Paul's Boutique");
      const priced = fake.requests.filter((r) =>
        picks.some((p) =>
          r.path.startsWith(
            `/releases/${p.release_id}`,
          )
        )
      );
      assert(priced.length >= picks.length, "the picks were priced by the fake");

      // Owned, never played: every owned record with none of the played artists on it.
      const anyPlayed = (col: string) =>
        PLAYED.map((a) => `${col} ILIKE '%${a.artist.replace(/^The /, "")}%'`).join(" OR ");
      const [never] = await query<{ n: number; played: number; all: number }>(
        ws.db,
        `SELECT (SELECT count(*) FROM owned_never_played)::INTEGER AS n,
           (SELECT count(*) FROM owned_never_played WHERE ${anyPlayed("artist")})::INTEGER
             AS played,
           (SELECT count(DISTINCT release_id) FROM collection
            WHERE NOT (${anyPlayed("coalesce(artist_display, artist)")}))::INTEGER AS all`,
      );
      assertEquals(never.played, 0);
      assertEquals(never.n, never.all);
      assert(never.n > 300, `${never.n} owned, never played`);

      const report = await Deno.readTextFile(join(ws.out, "report.html"));
      assertStringIncludes(report, '<h2 id="listening-title">What you play</h2>');
      assertStringIncludes(report, "6 of 7 played albums matched to a Discogs master (86%)");
      assertStringIncludes(report, "Imaginary Band — Nothing Like It");

      const before = fake.requests.length;
      const offline = await runModule("pipeline/pipeline.ts", [...args, "--offline"], env);
      assertEquals(offline.code, 0, offline.stderr);
      assertEquals(fake.requests.length, before, "--offline sent no request");
      const again = await query<{ release_id: number }>(
        ws.db,
        "SELECT release_id FROM recommendations WHERE kind = 'played_not_owned' ORDER BY rank",
      );
      assertEquals(again.map((r) => r.release_id), picks.map((p) => p.release_id));
    } finally {
      await fake.close();
      await ws.cleanup();
    }
  },
});
