/**
 * Import listening-history exports into the `listening` table: files or folders (walked for
 * `.json` and `.csv` files, each recognised from its content), plays kept once (overlapping
 * exports and the same play in two Spotify exports are counted as duplicates), every play weighed
 * by {@link playWeight}. Only the used fields are ever written (see `formats.ts`).
 *
 * @example
 * ```ts
 * const summary = await importListening(db, ["~/Downloads/my_spotify_data"]);
 * console.log(summary.plays, summary.nonMusic.podcasts);
 * ```
 *
 * @module
 */

import { join } from "node:path";
import type { Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import {
  type ExportKind,
  type NonMusic,
  parseExport,
  type Play,
  playWeight,
  recogniseExport,
  WEAK_PLAY_MS,
} from "./formats.ts";

const sql = (name: string) => Deno.readTextFile(new URL(`./${name}`, import.meta.url));
const LISTENING_DDL = await sql("listening.sql");

/** What an import read and kept. */
export interface ImportSummary {
  /** Export files read, with their kind and plays. */
  files: { path: string; kind: ExportKind; plays: number }[];
  /** Files in the folders given that are not listening history (other parts of an export). */
  ignored: string[];
  /** Plays written to `listening`. */
  plays: number;
  /** Of them, weak signals (under 30 s or skipped). */
  weak: number;
  nonMusic: NonMusic;
  /** Music plays without artist or track. */
  incomplete: number;
  /** The same play seen twice (overlapping exports, or in two Spotify exports). */
  duplicates: number;
  /** Plays by source. */
  bySource: Record<string, number>;
  /** First and last play (UTC ISO), null when none. */
  first: string | null;
  last: string | null;
}

/** The export files under `paths` (a folder is walked; files sorted for a stable order). */
async function exportFiles(paths: string[]): Promise<{ path: string; explicit: boolean }[]> {
  const out: { path: string; explicit: boolean }[] = [];
  for (const path of paths) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch {
      throw new InputError(`--file ${path}: no such file or folder`);
    }
    if (info.isFile) {
      out.push({ path, explicit: true });
      continue;
    }
    const found: string[] = [];
    const walk = async (dir: string) => {
      for await (const entry of Deno.readDir(dir)) {
        const full = join(dir, entry.name);
        if (entry.isDirectory) await walk(full);
        else if (entry.isFile && /\.(json|csv)$/i.test(entry.name)) found.push(full);
      }
    };
    await walk(path);
    found.sort();
    out.push(...found.map((p) => ({ path: p, explicit: false })));
  }
  return out;
}

/** Key of a play for duplicates within one kind of export. */
const exactKey = (p: Play) =>
  `${p.source}\u0000${p.playedAt}\u0000${p.artist}\u0000${p.track}\u0000${p.msPlayed}`;

/**
 * Key of a play across the two Spotify exports: both stamp the end of the play, the account
 * data to the minute, so the extended history's `ts` is cut to the minute.
 */
const minuteKey = (p: Play) =>
  `${p.playedAt.slice(0, 16)}\u0000${p.artist.toLowerCase()}\u0000${p.track.toLowerCase()}`;

/** Read and check every export under `paths` (nothing is written). */
export async function readListening(
  paths: string[],
): Promise<{ plays: Play[]; summary: ImportSummary }> {
  const summary: ImportSummary = {
    files: [],
    ignored: [],
    plays: 0,
    weak: 0,
    nonMusic: { podcasts: 0, audiobooks: 0, videos: 0 },
    incomplete: 0,
    duplicates: 0,
    bySource: {},
    first: null,
    last: null,
  };
  const all: Play[] = [];
  for (const { path, explicit } of await exportFiles(paths)) {
    let content: string;
    try {
      content = await Deno.readTextFile(path);
    } catch (error) {
      throw new InputError(
        `${path}: cannot be read (${error instanceof Error ? error.name : "error"})`,
      );
    }
    if (!explicit && recogniseExport(content) === null) {
      summary.ignored.push(path);
      continue;
    }
    const parsed = parseExport(path, content);
    summary.files.push({ path, kind: parsed.kind, plays: parsed.plays.length });
    summary.nonMusic.podcasts += parsed.nonMusic.podcasts;
    summary.nonMusic.audiobooks += parsed.nonMusic.audiobooks;
    summary.nonMusic.videos += parsed.nonMusic.videos;
    summary.incomplete += parsed.incomplete;
    all.push(...parsed.plays);
  }
  const plays = dedupe(all, summary);
  plays.sort((a, b) =>
    a.playedAt < b.playedAt ? -1 : a.playedAt > b.playedAt ? 1 : a.artist.localeCompare(b.artist)
  );
  summary.plays = plays.length;
  summary.weak = plays.filter((p) => playWeight(p) < 1).length;
  for (const p of plays) summary.bySource[p.source] = (summary.bySource[p.source] ?? 0) + 1;
  summary.first = plays[0]?.playedAt ?? null;
  summary.last = plays.at(-1)?.playedAt ?? null;
  return { plays, summary };
}

/** Plays kept once; the extended history wins over account data for the same play. */
export function dedupe(plays: Play[], summary: { duplicates: number }): Play[] {
  const seen = new Set<string>();
  const extendedMinutes = new Set<string>();
  const kept: Play[] = [];
  // Only account-data plays can repeat an extended-history play: skip the keys without them.
  if (plays.some((p) => p.source === "spotify_account")) {
    for (const p of plays) {
      if (p.source === "spotify_extended") extendedMinutes.add(minuteKey(p));
    }
  }
  for (const p of plays) {
    const key = exactKey(p);
    if (
      seen.has(key) ||
      (p.source === "spotify_account" && extendedMinutes.size > 0 &&
        extendedMinutes.has(minuteKey(p)))
    ) {
      summary.duplicates++;
      continue;
    }
    seen.add(key);
    kept.push(p);
  }
  return kept;
}

/** The `listening` table's rows for `plays`. */
export function listeningRows(plays: readonly Play[]) {
  return plays.map((p) => ({
    played_at: p.playedAt,
    artist: p.artist,
    album: p.album,
    track: p.track,
    ms_played: p.msPlayed,
    source: p.source,
    weight: playWeight(p),
  }));
}

/** Sources written from export files (a new import replaces them; live pulls are kept). */
export const EXPORT_SOURCES = ["spotify_extended", "spotify_account", "lastfm"] as const;

/**
 * Write `plays` to the `listening` table in one transaction (a failed import leaves the table as
 * it was). An import of export files (`append` false) replaces the plays earlier export files
 * gave and keeps those of live accounts; a live pull (`append`) adds to what is there, each play
 * kept once.
 */
export async function writeListening(
  db: Database,
  plays: readonly Play[],
  options: { append?: boolean } = {},
): Promise<number> {
  return await db.transaction(async () => {
    await db.run(LISTENING_DDL);
    if (!options.append) {
      await db.run(
        `DELETE FROM listening WHERE source IN (${EXPORT_SOURCES.map((s) => `'${s}'`).join(", ")})`,
      );
    }
    await db.insertRows("listening", listeningRows(plays));
    if (options.append) {
      // Live pulls overlap earlier ones: keep each play once.
      await db.run(`CREATE OR REPLACE TABLE listening AS
        SELECT DISTINCT ON (played_at, artist, track, source) * FROM listening
        ORDER BY played_at, artist, track, source`);
    }
    return await db.count("listening");
  });
}

/** The weak-signal rule in words, for logs and README. */
export const WEAK_RULE = `plays under ${WEAK_PLAY_MS / 1000} s or marked skipped count ¼`;

/** The import's summary line. */
export function importLine(s: ImportSummary): string {
  const skipped = [
    s.nonMusic.podcasts && `${s.nonMusic.podcasts} podcast`,
    s.nonMusic.audiobooks && `${s.nonMusic.audiobooks} audiobook`,
    s.nonMusic.videos && `${s.nonMusic.videos} video/other`,
  ].filter(Boolean);
  const span = s.first && s.last ? `, ${s.first.slice(0, 10)} to ${s.last.slice(0, 10)}` : "";
  return `${s.plays} plays from ${s.files.length} file${
    s.files.length === 1 ? "" : "s"
  }${span} (${s.weak} weak: ${WEAK_RULE}); ` +
    `skipped ${skipped.length ? skipped.join(", ") + " plays" : "no non-music plays"}` +
    (s.incomplete ? `, ${s.incomplete} without artist or track` : "") +
    (s.duplicates ? `, ${s.duplicates} duplicate${s.duplicates === 1 ? "" : "s"}` : "");
}
