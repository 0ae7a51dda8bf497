import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { InputError } from "../errors.ts";
import {
  ACCOUNT_MUSIC,
  ACCOUNT_PODCAST,
  ENDSONG,
  EXPECTED,
  EXTENDED,
  LASTFM_HEADER,
  LASTFM_PLAIN,
  USERDATA,
} from "../../tests/listening_fixtures.ts";
import { parseExport, parseScrobbleDate, playWeight, recogniseExport } from "./formats.ts";

Deno.test("each export kind is recognised from its content, not its name", () => {
  assertEquals(recogniseExport(JSON.stringify(EXTENDED)), "spotify_extended");
  assertEquals(recogniseExport(JSON.stringify(ENDSONG)), "spotify_extended");
  assertEquals(recogniseExport(JSON.stringify(ACCOUNT_MUSIC)), "spotify_account");
  assertEquals(recogniseExport(JSON.stringify(ACCOUNT_PODCAST)), "spotify_account");
  assertEquals(recogniseExport(LASTFM_HEADER), "lastfm");
  assertEquals(recogniseExport(LASTFM_PLAIN), "lastfm");
  assertEquals(recogniseExport(JSON.stringify(USERDATA)), null);
  assertEquals(recogniseExport("artist,title\nA,B\n"), null);
});

Deno.test("extended history: music kept, podcasts, audiobooks and videos counted apart", () => {
  const got = parseExport("x.json", JSON.stringify(EXTENDED));
  assertEquals(got.plays.length, EXPECTED.extended.music);
  assertEquals(got.plays.filter((p) => playWeight(p) < 1).length, EXPECTED.extended.weak);
  assertEquals(got.nonMusic, {
    podcasts: EXPECTED.extended.podcasts,
    audiobooks: EXPECTED.extended.audiobooks,
    videos: EXPECTED.extended.videos,
  });
  assertEquals(got.plays[0], {
    playedAt: "2024-07-01T20:00:00Z",
    artist: "Massive Attack",
    album: "Mezzanine",
    track: "Angel",
    msPlayed: 200_000,
    skipped: false,
    source: "spotify_extended",
  });
  // Only the used fields exist on a play: nothing else can be written.
  assertEquals(Object.keys(got.plays[0]).sort(), [
    "album",
    "artist",
    "msPlayed",
    "playedAt",
    "skipped",
    "source",
    "track",
  ]);
});

Deno.test("older endsong files and account data", () => {
  const old = parseExport("endsong_0.json", JSON.stringify(ENDSONG));
  assertEquals(old.plays.length, EXPECTED.endsong.music);
  assertEquals(old.nonMusic.podcasts, EXPECTED.endsong.podcasts);
  const account = parseExport("a.json", JSON.stringify(ACCOUNT_MUSIC));
  assertEquals(account.plays.length, EXPECTED.account.music);
  assertEquals(account.plays[1].playedAt, "2024-05-01T07:30:00Z");
  assertEquals(account.plays[1].album, null);
  const podcasts = parseExport("p.json", JSON.stringify(ACCOUNT_PODCAST));
  assertEquals(podcasts.plays.length, 0);
  assertEquals(podcasts.nonMusic.podcasts, EXPECTED.account.podcasts);
});

Deno.test("Last.fm with its header and without", () => {
  const header = parseExport("h.csv", LASTFM_HEADER);
  assertEquals(header.plays.length, EXPECTED.lastfmHeader.music);
  assertEquals(header.plays[0].playedAt, "2024-07-11T09:07:00Z");
  assertEquals(header.plays[4].album, null);
  const plain = parseExport("p.csv", LASTFM_PLAIN);
  assertEquals(plain.plays.length, EXPECTED.lastfmPlain.music);
  assertEquals(plain.plays[1].artist, "Simon & Garfunkel");
  assertEquals(plain.plays[1].playedAt, "2023-03-06T18:05:00Z");
  assertEquals(parseScrobbleDate("11 Jul 2024, 09:07"), "2024-07-11T09:07:00Z");
  assertEquals(parseScrobbleDate("31 Feb 2024 09:07"), null);
});

Deno.test("the weak-signal rule: under 30 s or skipped counts a quarter", () => {
  assertEquals(playWeight({ msPlayed: 30_000, skipped: false }), 1);
  assertEquals(playWeight({ msPlayed: 29_999, skipped: false }), 0.25);
  assertEquals(playWeight({ msPlayed: 300_000, skipped: true }), 0.25);
  assertEquals(playWeight({ msPlayed: null, skipped: false }), 1);
});

Deno.test("broken exports name the file, the position and what was expected", () => {
  const bad = [...EXTENDED.slice(0, 2), { ...EXTENDED[2], ts: "yesterday" }];
  const e = assertThrows(() => parseExport("h.json", JSON.stringify(bad)), InputError);
  assertEquals(
    e.message,
    "h.json: play 3 (item 2 of the array): expected `ts` as a UTC time like 2024-07-11T09:07:33Z",
  );
  const csv = LASTFM_PLAIN + "Tricky,Maxinquaye,Overcome\n";
  const c = assertThrows(() => parseExport("p.csv", csv), InputError);
  assertEquals(c.message, "p.csv: line 4: expected 4 fields (artist,album,track,date), found 3");
  const json = assertThrows(() =>
    parseExport("t.json", '[{"ts": "2024-01-01T00:00:00Z", "ms_played": 1,')
  );
  assert(json.message.startsWith("t.json: not valid JSON"), json.message);
  // The message never echoes a dropped field's value.
  const leaky = [{ ...EXTENDED[0], ms_played: "x" }];
  const l = assertThrows(() => parseExport("l.json", JSON.stringify(leaky)), InputError);
  assert(!l.message.includes("203.0.113.77"));
});
