/**
 * Table `listening_library`: what a live account says besides plays — top artists and tracks,
 * saved albums (Spotify) and top albums with their play counts (Last.fm). Only names, ranks and
 * counts are kept.
 *
 * @module
 */

import type { Database } from "../../db/mod.ts";

/** One library entry. */
export interface LibraryItem {
  kind: "top_artist" | "top_track" | "saved_album" | "top_album";
  rank: number;
  artist: string;
  album: string | null;
  track: string | null;
  /** Plays the service counts (Last.fm top albums), else absent. */
  playcount?: number | null;
  source?: string;
}

/** Replace the library rows of `source` with `items`; returns the table's rows. */
export async function writeLibrary(
  db: Database,
  source: string,
  items: readonly LibraryItem[],
): Promise<number> {
  return await db.transaction(async () => {
    await db.run(`CREATE TABLE IF NOT EXISTS listening_library (kind VARCHAR, rank INTEGER,
      artist VARCHAR, album VARCHAR, track VARCHAR, playcount INTEGER, source VARCHAR)`);
    await db.run("DELETE FROM listening_library WHERE source = $source", { source });
    await db.insertRows(
      "listening_library",
      items.map((i) => ({
        kind: i.kind,
        rank: i.rank,
        artist: i.artist,
        album: i.album,
        track: i.track,
        playcount: i.playcount ?? null,
        source,
      })),
    );
    return await db.count("listening_library");
  });
}
