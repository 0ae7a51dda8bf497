/**
 * Small hand-made listening-history exports, written from the schemas in
 * `../shared/fixtures/README.md` (no real export is kept in the repository). Every field Next
 * Spin drops carries a planted value from {@link PLANTED}, so a test can search every byte a run
 * writes for them; {@link EXPECTED} holds the hand-counted figures.
 *
 * @module
 */

import { join } from "node:path";
import { Database } from "../lib/db/mod.ts";

/** Values planted in fields that must never be kept (IP, username, device, country, …). */
export const PLANTED = {
  ip: "203.0.113.77",
  ipOld: "198.51.100.23",
  username: "planted-username-zq81",
  platform: "planted-platform-Android-OS-14-zq82",
  country: "planted-country-ZQ97",
  userAgent: "planted-agent-Mozilla-zq83",
  trackUri: "spotify:track:plantedTrackUri0zq84",
  episodeUri: "spotify:episode:plantedEpisode0zq85",
  episodeName: "planted-episode-name-zq86",
  showName: "planted-show-name-zq87",
  audiobook: "planted-audiobook-title-zq88",
  audiobookUri: "spotify:audiobook:plantedBook0zq89",
  chapterUri: "spotify:chapter:plantedChapter0zq90",
  chapter: "planted-chapter-title-zq91",
  reasonStart: "planted-reason-start-zq92",
  reasonEnd: "planted-reason-end-zq93",
  offlineTimestamp: 1717000111222,
  podcastName: "planted-podcast-zq94",
  mbid: "c0ffee00-dead-beef-zq95-planted00001",
  email: "planted-email-zq96@example.invalid",
} as const;

/** The plays each file holds, counted by hand. */
export const EXPECTED = {
  extended: { music: 7, weak: 2, podcasts: 2, audiobooks: 1, videos: 1 },
  endsong: { music: 3, weak: 1, podcasts: 1 },
  account: { music: 4, podcasts: 2, duplicates: 1 },
  lastfmHeader: { music: 5 },
  lastfmPlain: { music: 3 },
  /** Plays in `listening` after an import of the whole folder. */
  total: 7 + 3 + (4 - 1) + 5 + 3,
  weak: 2 + 1 + 1,
  podcasts: 2 + 1 + 2,
  audiobooks: 1,
  videos: 1,
} as const;

const P = PLANTED;

/** One extended-history play (today's schema); `over` sets what differs. */
function extended(over: Record<string, unknown>): Record<string, unknown> {
  return {
    ts: "2024-01-01T00:00:00Z",
    platform: P.platform,
    ms_played: 200_000,
    conn_country: P.country,
    ip_addr: P.ip,
    master_metadata_track_name: null,
    master_metadata_album_artist_name: null,
    master_metadata_album_album_name: null,
    spotify_track_uri: null,
    episode_name: null,
    episode_show_name: null,
    spotify_episode_uri: null,
    audiobook_title: null,
    audiobook_uri: null,
    audiobook_chapter_uri: null,
    audiobook_chapter_title: null,
    reason_start: P.reasonStart,
    reason_end: P.reasonEnd,
    shuffle: false,
    skipped: false,
    offline: false,
    offline_timestamp: P.offlineTimestamp,
    incognito_mode: false,
    ...over,
  };
}

const music = (ts: string, artist: string, album: string, track: string, ms = 200_000) => ({
  ts,
  ms_played: ms,
  master_metadata_track_name: track,
  master_metadata_album_artist_name: artist,
  master_metadata_album_album_name: album,
  spotify_track_uri: P.trackUri,
});

/** Spotify extended streaming history: 7 music (2 weak), 2 podcasts, 1 audiobook, 1 video. */
export const EXTENDED = [
  extended(music("2024-07-01T20:00:00Z", "Massive Attack", "Mezzanine", "Angel")),
  extended(music("2024-07-01T20:06:00Z", "Massive Attack", "Mezzanine", "Risingson")),
  extended(music("2024-07-02T20:00:00Z", "Massive Attack", "Mezzanine", "Teardrop")),
  extended(music("2024-06-02T08:00:30Z", "Portishead", "Dummy", "Roads")),
  extended(music("2024-06-03T08:00:00Z", "The Beatles", "Abbey Road (Remastered)", "Something")),
  // Weak: under 30 s, and skipped.
  extended(music("2024-06-04T08:00:00Z", "Portishead", "Dummy", "Sour Times", 10_000)),
  extended({
    ...music("2024-06-05T08:00:00Z", "Björk", "Homogenic", "Jóga", 120_000),
    skipped: true,
  }),
  extended({
    ts: "2024-06-06T08:00:00Z",
    episode_name: P.episodeName,
    episode_show_name: P.showName,
    spotify_episode_uri: P.episodeUri,
  }),
  extended({
    ts: "2024-06-07T08:00:00Z",
    episode_name: P.episodeName,
    episode_show_name: P.showName,
    spotify_episode_uri: P.episodeUri,
  }),
  extended({
    ts: "2024-06-08T08:00:00Z",
    audiobook_title: P.audiobook,
    audiobook_uri: P.audiobookUri,
    audiobook_chapter_uri: P.chapterUri,
    audiobook_chapter_title: P.chapter,
  }),
  // A video play: no track, episode or audiobook metadata.
  extended({ ts: "2024-06-09T08:00:00Z" }),
];

/** The older `endsong_N.json` schema: username, decrypted IP and user agent. */
function endsong(over: Record<string, unknown>): Record<string, unknown> {
  return {
    ts: "2023-01-01T00:00:00Z",
    username: P.username,
    platform: P.platform,
    ms_played: 180_000,
    conn_country: P.country,
    ip_addr_decrypted: P.ipOld,
    user_agent_decrypted: P.userAgent,
    master_metadata_track_name: null,
    master_metadata_album_artist_name: null,
    master_metadata_album_album_name: null,
    spotify_track_uri: null,
    episode_name: null,
    episode_show_name: null,
    spotify_episode_uri: null,
    reason_start: P.reasonStart,
    reason_end: P.reasonEnd,
    shuffle: null,
    skipped: null,
    offline: false,
    offline_timestamp: P.offlineTimestamp,
    incognito_mode: false,
    ...over,
  };
}

/** Old extended history: 3 music (1 weak), 1 podcast. */
export const ENDSONG = [
  endsong(music("2023-01-10T21:00:00Z", "Massive Attack", "Blue Lines", "Unfinished Sympathy")),
  endsong(music("2023-01-11T21:00:00Z", "Tricky", "Maxinquaye", "Overcome")),
  endsong(music("2023-01-12T21:00:00Z", "Tricky", "Maxinquaye", "Hell Is Round the Corner", 5)),
  endsong({
    ts: "2023-01-13T21:00:00Z",
    episode_name: P.episodeName,
    episode_show_name: P.showName,
    spotify_episode_uri: P.episodeUri,
  }),
];

/** Account data, music: 4 plays, the first the same play as an extended one (duplicate). */
export const ACCOUNT_MUSIC = [
  {
    endTime: "2024-07-01 20:00",
    artistName: "Massive Attack",
    trackName: "Angel",
    msPlayed: 199_000,
  },
  { endTime: "2024-05-01 07:30", artistName: "Burial", trackName: "Archangel", msPlayed: 240_000 },
  { endTime: "2024-05-02 07:30", artistName: "Burial", trackName: "Near Dark", msPlayed: 230_000 },
  {
    endTime: "2024-05-03 07:30",
    artistName: "Burial",
    trackName: "Ghost Hardware",
    msPlayed: 9_000,
  },
];

/** Account data, podcasts: 2 plays. */
export const ACCOUNT_PODCAST = [
  {
    endTime: "2024-05-04 07:30",
    podcastName: P.podcastName,
    episodeName: P.episodeName,
    msPlayed: 1_000_000,
  },
  {
    endTime: "2024-05-05 07:30",
    podcastName: P.podcastName,
    episodeName: P.episodeName,
    msPlayed: 1_200_000,
  },
];

/** Last.fm web exporter CSV (header, every field quoted, mbids planted or empty): 5 scrobbles. */
export const LASTFM_HEADER = [
  `"uts","utc_time","artist","artist_mbid","album","album_mbid","track","track_mbid"`,
  `"1720688820","11 Jul 2024, 09:07","Massive Attack","${P.mbid}","Mezzanine","${P.mbid}","Angel","${P.mbid}"`,
  `"1720689120","11 Jul 2024, 09:12","Massive Attack","","Mezzanine","","Teardrop",""`,
  `"1700000000","14 Nov 2023, 22:13","Boards of Canada","","Music Has the Right to Children","","Roygbiv",""`,
  `"1700000300","14 Nov 2023, 22:18","Boards of Canada","","Music Has the Right to Children","","Aquarius",""`,
  `"1690000000","22 Jul 2023, 04:26","DJ Shadow","","","","Midnight in a Perfect World",""`,
].join("\n") + "\n";

/** The older lastfm-to-csv tool: no header, `artist,album,track,date`: 3 scrobbles. */
export const LASTFM_PLAIN = [
  `Portishead,Dummy,Glory Box,05 Mar 2023 18:01`,
  `"Simon & Garfunkel","Bridge Over Troubled Water","The Boxer",06 Mar 2023 18:05`,
  `The Prodigy,"Music for the Jilted Generation","Voodoo People",07 Mar 2023 18:09`,
].join("\n") + "\n";

/** A file of the Spotify account-data folder that is not listening history. */
export const USERDATA = {
  username: P.username,
  email: P.email,
  country: P.country,
  birthdate: "1990-01-01",
  createdFromFacebook: false,
};

/**
 * Write every fixture into `dir` the way the exports arrive: a Spotify account folder (with a
 * file that is not history), an extended-history folder, and two Last.fm CSVs.
 */
export async function writeListeningFixtures(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {
    extended: join(
      dir,
      "Spotify Extended Streaming History",
      "Streaming_History_Audio_2024_0.json",
    ),
    endsong: join(dir, "MyData", "endsong_0.json"),
    account: join(dir, "Spotify Account Data", "StreamingHistory_music_0.json"),
    accountPodcast: join(dir, "Spotify Account Data", "StreamingHistory_podcast_0.json"),
    userdata: join(dir, "Spotify Account Data", "Userdata.json"),
    lastfmHeader: join(dir, "lastfm", "scrobbles-header.csv"),
    lastfmPlain: join(dir, "lastfm", "scrobbles-plain.csv"),
  };
  const contents: Record<string, string> = {
    extended: JSON.stringify(EXTENDED, null, 2),
    endsong: JSON.stringify(ENDSONG),
    account: JSON.stringify(ACCOUNT_MUSIC, null, 1),
    accountPodcast: JSON.stringify(ACCOUNT_PODCAST),
    userdata: JSON.stringify(USERDATA),
    lastfmHeader: LASTFM_HEADER,
    lastfmPlain: LASTFM_PLAIN,
  };
  for (const [name, path] of Object.entries(files)) {
    await Deno.mkdir(join(path, ".."), { recursive: true });
    await Deno.writeTextFile(path, contents[name]);
  }
  return files;
}

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      const p = join(dir, e.name);
      if (e.isDirectory) out.push(...await filesUnder(p));
      else if (e.isFile) out.push(p);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return out;
}

/**
 * The text of everything a run wrote: every file's raw bytes, and decoded, every table of the
 * workspace and every Parquet file (their pages are compressed, so raw bytes alone prove
 * nothing).
 */
export async function everythingWritten(
  ws: { dir: string; db: string; out: string },
  logs: string[],
  exclude: readonly string[] = [],
): Promise<string> {
  const parts: string[] = [...logs];
  const files = (await filesUnder(ws.dir)).filter((p) =>
    !p.startsWith(join(ws.dir, "exports")) && !exclude.includes(p)
  );
  for (const f of files) parts.push(new TextDecoder("latin1").decode(await Deno.readFile(f)));
  const db = await Database.open(ws.db);
  try {
    const tables = await db.all<{ name: string }>(
      "SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary",
    );
    for (const { name } of tables) {
      const rows = await db.all(`SELECT * FROM "${name}"`);
      parts.push(JSON.stringify(rows, (_, v) => typeof v === "bigint" ? String(v) : v));
    }
    for (const f of files.filter((p) => p.endsWith(".parquet"))) {
      const rows = await db.all(`SELECT * FROM read_parquet('${f.replaceAll("'", "''")}')`);
      parts.push(JSON.stringify(rows, (_, v) => typeof v === "bigint" ? String(v) : v));
    }
  } finally {
    db.close();
  }
  return parts.join("\n");
}
