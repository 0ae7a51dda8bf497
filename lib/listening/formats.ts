/**
 * Listening-history exports, recognised from their content (never their file names) and read
 * down to the few fields Next Spin uses: when, artist, album, track, how long, whether skipped.
 *
 * - Spotify **Extended streaming history** (`Streaming_History_Audio_*.json`, older
 *   `endsong_*.json`): a JSON array of plays with `ts`, `ms_played`,
 *   `master_metadata_album_artist_name`, `master_metadata_album_album_name`,
 *   `master_metadata_track_name`, `skipped` (and episode/audiobook fields, read only to tell a
 *   podcast or audiobook play apart).
 * - Spotify **Account data** (`StreamingHistory_music_*.json`): `endTime`, `artistName`,
 *   `trackName`, `msPlayed`; no album. Its podcast and audiobook files are recognised and counted.
 * - **Last.fm** scrobbles: CSV with the header
 *   `uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid`, or header-less
 *   `artist,album,track,date`.
 *
 * Every other field (IP addresses, usernames, platform, country, user agent, shuffle, offline
 * flags, Spotify URIs, MusicBrainz ids) is never copied out of the parsed file: the parser builds
 * {@link Play}s from the used fields only, so nothing else can reach a table, a log or a cache.
 *
 * @module
 */

import { InputError } from "../errors.ts";

/** Where a play came from (the `listening.source` column). */
export type PlaySource =
  | "spotify_extended"
  | "spotify_account"
  | "lastfm"
  | "spotify_api"
  | "lastfm_api";

/** One play, with only what Next Spin uses. */
export interface Play {
  /** UTC, ISO 8601 (`2024-07-11T09:07:00Z`). */
  playedAt: string;
  artist: string;
  /** `null` when the export does not say (Spotify account data, some scrobbles). */
  album: string | null;
  track: string;
  /** `null` when the export does not say (Last.fm). */
  msPlayed: number | null;
  /** `true` when the export says the play was skipped. */
  skipped: boolean;
  source: PlaySource;
}

/** Plays that are not music, counted and dropped. */
export interface NonMusic {
  podcasts: number;
  audiobooks: number;
  /** Video plays and plays with no track metadata at all (removed or local content). */
  videos: number;
}

/** The export kinds this module recognises. */
export type ExportKind = "spotify_extended" | "spotify_account" | "lastfm";

/** What one file held. */
export interface ParsedExport {
  kind: ExportKind;
  plays: Play[];
  nonMusic: NonMusic;
  /** Music plays without artist or track (unusable), counted. */
  incomplete: number;
}

/** Ms below which a play is a weak signal: Spotify itself counts a stream from 30 s. */
export const WEAK_PLAY_MS = 30_000;

/** Weight of a weak play (under 30 s, or skipped), against 1 for a full play. */
export const WEAK_PLAY_WEIGHT = 0.25;

/**
 * The weight of one play: 1 for a full play; {@link WEAK_PLAY_WEIGHT} when it lasted under 30 s
 * or the export says it was skipped (a sampled or rejected track says less about taste than one
 * played through). A Last.fm scrobble has no duration and counts in full: Last.fm only scrobbles
 * a track after half of it (or 4 minutes) was played.
 */
export function playWeight(play: Pick<Play, "msPlayed" | "skipped">): number {
  if (play.skipped) return WEAK_PLAY_WEIGHT;
  if (play.msPlayed !== null && play.msPlayed < WEAK_PLAY_MS) return WEAK_PLAY_WEIGHT;
  return 1;
}

const emptyNonMusic = (): NonMusic => ({ podcasts: 0, audiobooks: 0, videos: 0 });

/** A string field's trimmed text, or null when absent or empty. */
function text(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const t = value.trim();
  return t === "" ? null : t;
}

/** Whether a value is present (a non-empty string, or any non-null). */
const present = (value: unknown) =>
  value !== null && value !== undefined && !(typeof value === "string" && value.trim() === "");

const fail = (file: string, where: string, expected: string): never => {
  throw new InputError(`${file}: ${where}: ${expected}`);
};

/** Which kind of export `content` is, or null when it is none of them (another file). */
export function recogniseExport(content: string): ExportKind | null {
  const head = content.replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("[")) {
    // The first plays' keys say which Spotify export it is; values are not looked at.
    const sample = head.slice(0, 4000);
    if (/"ts"\s*:/.test(sample) && /"ms_played"\s*:/.test(sample)) return "spotify_extended";
    if (/"endTime"\s*:/.test(sample) && /"msPlayed"\s*:/.test(sample)) return "spotify_account";
    return null;
  }
  const firstLine = head.split(/\r?\n/, 1)[0] ?? "";
  const cells = splitCsvLine(firstLine);
  if (cells && isLastfmHeader(cells)) return "lastfm";
  if (cells && cells.length === 4 && parseScrobbleDate(cells[3]) !== null) return "lastfm";
  return null;
}

const LASTFM_HEADER = ["uts", "utc_time", "artist", "artist_mbid", "album", "album_mbid", "track"];

function isLastfmHeader(cells: string[]): boolean {
  return LASTFM_HEADER.every((name, i) => cells[i]?.trim().toLowerCase() === name);
}

/**
 * Parse one export file's content. `file` names it in messages. Throws an {@link InputError}
 * naming the file, the position and what was expected when the content is recognised but broken.
 */
export function parseExport(file: string, content: string): ParsedExport {
  const kind = recogniseExport(content);
  if (kind === null) {
    return fail(
      file,
      "not a listening history",
      "expected a Spotify streaming history (JSON) or a Last.fm scrobble export (CSV)",
    );
  }
  const body = content.replace(/^\uFEFF/, "");
  if (kind === "lastfm") return parseLastfm(file, body);
  let items: unknown;
  try {
    items = JSON.parse(body);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return fail(file, "not valid JSON", `expected a JSON array of plays (${detail})`);
  }
  if (!Array.isArray(items)) return fail(file, "top level", "expected a JSON array of plays");
  return kind === "spotify_extended" ? parseExtended(file, items) : parseAccount(file, items);
}

/** `ts` of the extended history: `2024-07-11T09:07:33Z`. */
function utcIso(value: unknown): string | null {
  const t = text(value);
  if (!t || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(t)) {
    return null;
  }
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace(".000Z", "Z") : null;
}

function msOf(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value >= 0
    ? Math.round(value)
    : null;
}

function parseExtended(file: string, items: unknown[]): ParsedExport {
  const out: ParsedExport = {
    kind: "spotify_extended",
    plays: [],
    nonMusic: emptyNonMusic(),
    incomplete: 0,
  };
  items.forEach((raw, i) => {
    const where = `play ${i + 1} (item ${i} of the array)`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      fail(file, where, "expected an object with ts and ms_played");
    }
    const item = raw as Record<string, unknown>;
    const playedAt = utcIso(item.ts);
    if (!playedAt) fail(file, where, "expected `ts` as a UTC time like 2024-07-11T09:07:33Z");
    const msPlayed = msOf(item.ms_played);
    if (msPlayed === null) fail(file, where, "expected `ms_played` as a number of milliseconds");
    const track = text(item.master_metadata_track_name);
    if (present(item.episode_name) || present(item.spotify_episode_uri)) {
      out.nonMusic.podcasts++;
      return;
    }
    if (
      present(item.audiobook_title) || present(item.audiobook_uri) ||
      present(item.audiobook_chapter_uri)
    ) {
      out.nonMusic.audiobooks++;
      return;
    }
    if (track === null && !present(item.spotify_track_uri)) {
      // What Spotify writes for video plays (and removed content): no track, episode or book.
      out.nonMusic.videos++;
      return;
    }
    const artist = text(item.master_metadata_album_artist_name);
    if (track === null || artist === null) {
      out.incomplete++;
      return;
    }
    out.plays.push({
      playedAt: playedAt!,
      artist,
      album: text(item.master_metadata_album_album_name),
      track,
      msPlayed,
      skipped: item.skipped === true,
      source: "spotify_extended",
    });
  });
  return out;
}

function parseAccount(file: string, items: unknown[]): ParsedExport {
  const out: ParsedExport = {
    kind: "spotify_account",
    plays: [],
    nonMusic: emptyNonMusic(),
    incomplete: 0,
  };
  items.forEach((raw, i) => {
    const where = `play ${i + 1} (item ${i} of the array)`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      fail(file, where, "expected an object with endTime and msPlayed");
    }
    const item = raw as Record<string, unknown>;
    const end = text(item.endTime);
    const match = end ? /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})$/.exec(end) : null;
    if (!match) fail(file, where, 'expected `endTime` like "2024-07-11 09:07" (UTC)');
    const playedAt = `${match![1]}T${match![2]}:00Z`;
    if (!Number.isFinite(Date.parse(playedAt))) {
      fail(file, where, 'expected `endTime` like "2024-07-11 09:07" (UTC)');
    }
    const msPlayed = msOf(item.msPlayed);
    if (msPlayed === null) fail(file, where, "expected `msPlayed` as a number of milliseconds");
    // The podcast and audiobook files of the same export share endTime/msPlayed.
    if (present(item.podcastName) || present(item.episodeName)) {
      out.nonMusic.podcasts++;
      return;
    }
    if (present(item.audiobookName) || present(item.chapterName)) {
      out.nonMusic.audiobooks++;
      return;
    }
    const artist = text(item.artistName);
    const track = text(item.trackName);
    if (artist === null || track === null) {
      out.incomplete++;
      return;
    }
    out.plays.push({
      playedAt,
      artist,
      album: null,
      track,
      msPlayed,
      skipped: false,
      source: "spotify_account",
    });
  });
  return out;
}

/** One CSV record's fields (RFC 4180 quoting), or null when the quoting is broken. */
export function splitCsvLine(line: string): string[] | null {
  const cells: string[] = [];
  let i = 0;
  while (true) {
    if (line[i] === '"') {
      let value = "";
      i++;
      while (true) {
        const q = line.indexOf('"', i);
        if (q < 0) return null;
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      cells.push(value);
      if (i === line.length) return cells;
      if (line[i] !== ",") return null;
      i++;
    } else {
      const comma = line.indexOf(",", i);
      if (comma < 0) {
        cells.push(line.slice(i));
        return cells;
      }
      cells.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}

/** CSV records with the line each starts on (quoted fields may hold newlines). */
function csvRecords(content: string): { line: number; cells: string[] | null }[] {
  const records: { line: number; cells: string[] | null }[] = [];
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let record = lines[i];
    // An odd number of quotes means a quoted field goes on to the next line.
    while ((record.split('"').length - 1) % 2 === 1 && i + 1 < lines.length) {
      record += "\n" + lines[++i];
    }
    if (record.trim() === "") continue;
    records.push({ line: start + 1, cells: splitCsvLine(record) });
  }
  return records;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/**
 * A scrobble time as UTC ISO: `11 Jul 2024, 09:07` or `11 Jul 2024 09:07` (the exporters'
 * `utc_time`/`date`), an ISO time, or Unix seconds. Null when it is none of them.
 */
export function parseScrobbleDate(value: string): string | null {
  const t = value.trim();
  const m = /^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (m) {
    const month = MONTHS[m[2].toLowerCase()];
    if (!month) return null;
    const ms = Date.UTC(+m[3], month - 1, +m[1], +m[4], +m[5], +(m[6] ?? 0));
    const d = new Date(ms);
    if (d.getUTCDate() !== +m[1] || +m[4] > 23 || +m[5] > 59) return null;
    return d.toISOString().replace(".000Z", "Z");
  }
  if (/^\d{9,10}$/.test(t)) return new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z");
  return utcIso(t);
}

function parseLastfm(file: string, content: string): ParsedExport {
  const out: ParsedExport = { kind: "lastfm", plays: [], nonMusic: emptyNonMusic(), incomplete: 0 };
  const records = csvRecords(content);
  const withHeader = records.length > 0 && records[0].cells !== null &&
    isLastfmHeader(records[0].cells);
  for (const [n, { line, cells }] of records.entries()) {
    if (withHeader && n === 0) continue;
    const where = `line ${line}`;
    if (cells === null) fail(file, where, "expected CSV fields (a quote is not closed)");
    let artist: string | null, album: string | null, track: string | null, playedAt: string | null;
    if (withHeader) {
      if (cells!.length < 7) {
        fail(
          file,
          where,
          `expected 8 fields (uts,utc_time,artist,…,track,track_mbid), found ${cells!.length}`,
        );
      }
      const [uts, utcTime] = cells!;
      artist = text(cells![2]);
      album = text(cells![4]);
      track = text(cells![6]);
      playedAt = /^\d+$/.test(uts.trim())
        ? new Date(Number(uts) * 1000).toISOString().replace(".000Z", "Z")
        : parseScrobbleDate(utcTime);
      if (!playedAt) fail(file, where, "expected `uts` as Unix seconds or `utc_time` as a date");
    } else {
      if (cells!.length !== 4) {
        fail(file, where, `expected 4 fields (artist,album,track,date), found ${cells!.length}`);
      }
      artist = text(cells![0]);
      album = text(cells![1]);
      track = text(cells![2]);
      playedAt = parseScrobbleDate(cells![3]);
      // A zero or blank date is what the exporter writes for a scrobble "now playing".
      if (!playedAt) fail(file, where, 'expected the date like "11 Jul 2024 09:07" (4th field)');
    }
    if (artist === null || track === null) {
      out.incomplete++;
      continue;
    }
    out.plays.push({
      playedAt: playedAt!,
      artist,
      album,
      track,
      msPlayed: null,
      skipped: false,
      source: "lastfm",
    });
  }
  return out;
}
