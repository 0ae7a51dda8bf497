/**
 * What the recommend stage reads of the listening tables: the played albums you do not own (by
 * the pool key of their pressing, for the "played, not owned" list) and the listening tokens
 * that weigh the taste profile (`--listening-weight`).
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { type ReleaseFeatures, tokensOf } from "../embed/features.ts";
import { TASTE_FIELD_WEIGHTS, type TasteProfile } from "../recommend/taste.ts";

/** A played album you do not own, as the recommender explains it. */
export interface PlayedAlbumPick {
  artist: string;
  album: string;
  plays: number;
  weightedPlays: number;
  /** Weighted plays with recency (see match.ts). */
  score: number;
  masterId: number;
  confidence: number;
  rule: string;
  firstPlayed: string;
  lastPlayed: string;
}

/** Default `--listening-weight`: plays weigh half as much as the shelves in the taste profile. */
export const DEFAULT_LISTENING_WEIGHT = 0.5;

/** Played albums you do not own, keyed by their pressing's pool key (`release:{id}`). */
export async function loadPlayedNotOwned(db: Database): Promise<Map<string, PlayedAlbumPick>> {
  const out = new Map<string, PlayedAlbumPick>();
  if (!(await db.tableExists("listening_albums"))) return out;
  const rows = await db.all<Record<string, unknown>>(
    `SELECT 'release:' || pressing_release_id AS key, artist, album, plays, weighted_plays,
       score, master_id, confidence, match_rule,
       strftime(first_played, '%Y-%m-%d') AS first, strftime(last_played, '%Y-%m-%d') AS last
     FROM listening_albums WHERE NOT owned AND pressing_release_id IS NOT NULL`,
  );
  for (const r of rows) {
    out.set(String(r.key), {
      artist: String(r.artist),
      album: String(r.album),
      plays: Number(r.plays),
      weightedPlays: Number(r.weighted_plays),
      score: Number(r.score),
      masterId: Number(r.master_id),
      confidence: Number(r.confidence),
      rule: String(r.match_rule),
      firstPlayed: String(r.first),
      lastPlayed: String(r.last),
    });
  }
  return out;
}

/** One listening document: what a played album says about taste, and how much it was played. */
export interface ListeningDoc {
  features: ReleaseFeatures;
  weight: number;
}

/**
 * The listening documents: every played album, with its artist and — when matched to a
 * master — the master's genres and styles (and the pressing's label), weighted by its recency-
 * weighted plays; artists played without an album count by artist.
 */
export async function loadListeningDocs(db: Database): Promise<ListeningDoc[]> {
  if (!(await db.tableExists("listening_albums"))) return [];
  const rows = await db.all<{
    artist: string;
    genres: string[];
    styles: string[];
    label: string | null;
    score: number;
  }>(
    `SELECT coalesce(discogs_artist, artist) AS artist, genres, styles,
       pressing_label AS label, score
     FROM listening_albums ORDER BY score DESC, artist, album`,
  );
  return rows.map((r, i) => ({
    features: {
      key: `listening:${i}`,
      artists: [r.artist],
      labels: r.label ? [r.label] : [],
      genres: r.genres ?? [],
      styles: r.styles ?? [],
      year: null,
      country: null,
      formats: [],
    },
    weight: r.score,
  }));
}

/**
 * The taste profile with listening mixed in: each token's collection count gains
 * `W × collection size × its share of the listening` and the collection size grows by the same
 * `W × size`, so the profile's shares are the collection's and the listening's in the ratio
 * 1 : W. `W = 0` (or no plays) returns the profile unchanged.
 */
export function withListening(
  taste: TasteProfile,
  docs: readonly ListeningDoc[],
  weight: number,
): TasteProfile {
  const total = docs.reduce((s, d) => s + d.weight, 0);
  if (weight <= 0 || total <= 0) return taste;
  const n = taste.collectionSize;
  const counts = new Map(taste.collection);
  for (const d of docs) {
    for (const token of tokensOf(d.features, TASTE_FIELD_WEIGHTS).keys()) {
      counts.set(token, (counts.get(token) ?? 0) + (weight * n * d.weight) / total);
    }
  }
  return { ...taste, collection: counts, collectionSize: n * (1 + weight) };
}
