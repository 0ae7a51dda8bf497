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
import { normaliseName } from "./names.ts";

/** A played album you do not own, as the recommender explains it. */
export interface PlayedAlbumPick {
  artist: string;
  album: string;
  plays: number;
  weightedPlays: number;
  /** Weighted plays with recency (see match.ts). */
  score: number;
  /** Null when only a pool record of the same name was found (no Discogs master yet). */
  masterId: number | null;
  confidence: number | null;
  /** The match rule (match.ts), or `pool_name` for a pool record of the same names. */
  rule: string | null;
  /** Null when only a top-albums count says it was played. */
  firstPlayed: string | null;
  lastPlayed: string | null;
}

/** Default `--listening-weight`: plays weigh half as much as the shelves in the taste profile. */
export const DEFAULT_LISTENING_WEIGHT = 0.5;

/**
 * Played albums you do not own, keyed by the pool key of a candidate that is that album: the
 * pressing `deno task listen` found for its Discogs master, or else a pool record with the same
 * artist and title after normalising (a candidate from search, listings or your pool files).
 */
export async function loadPlayedNotOwned(
  db: Database,
  pool: readonly { key: string; artist: string; title: string }[] = [],
): Promise<Map<string, PlayedAlbumPick>> {
  const out = new Map<string, PlayedAlbumPick>();
  if (!(await db.tableExists("listening_albums"))) return out;
  const rows = await db.all<Record<string, unknown>>(
    `SELECT CASE WHEN pressing_release_id IS NOT NULL THEN 'release:' || pressing_release_id END
         AS key, artist, album, discogs_artist, discogs_title, plays, weighted_plays,
       score, master_id, confidence, match_rule,
       strftime(first_played, '%Y-%m-%d') AS first, strftime(last_played, '%Y-%m-%d') AS last
     FROM listening_albums WHERE NOT owned ORDER BY score DESC, artist, album`,
  );
  const byName = new Map<string, PlayedAlbumPick>();
  for (const r of rows) {
    const pick: PlayedAlbumPick = {
      artist: String(r.artist),
      album: String(r.album),
      plays: Number(r.plays),
      weightedPlays: Number(r.weighted_plays),
      score: Number(r.score),
      masterId: r.master_id === null ? null : Number(r.master_id),
      confidence: r.confidence === null ? null : Number(r.confidence),
      rule: r.match_rule === null ? null : String(r.match_rule),
      firstPlayed: r.first === null ? null : String(r.first),
      lastPlayed: r.last === null ? null : String(r.last),
    };
    if (r.key !== null) out.set(String(r.key), pick);
    for (const [a, t] of [[r.artist, r.album], [r.discogs_artist, r.discogs_title]]) {
      if (a && t) {
        const k = nameKey(String(a), String(t));
        if (!byName.has(k)) byName.set(k, pick);
      }
    }
  }
  const served = new Set(out.values());
  for (const c of pool) {
    const pick = byName.get(nameKey(c.artist, c.title));
    if (pick && !served.has(pick) && !out.has(c.key)) {
      out.set(c.key, { ...pick, rule: pick.rule ?? "pool_name" });
    }
  }
  return out;
}

const nameKey = (artist: string, title: string) =>
  `${normaliseName(artist)}\u0000${normaliseName(title)}`;

/** One listening document: what a played album says about taste, and how much it was played. */
export interface ListeningDoc {
  features: ReleaseFeatures;
  weight: number;
}

/**
 * The listening documents: every played album, with its artist and — from its Discogs master,
 * or else from the record of the same names in your collection or the pool — its genres, styles
 * and labels, weighted by its recency-weighted plays.
 */
export async function loadListeningDocs(
  db: Database,
  known: readonly (ReleaseFeatures & { artist: string; title: string })[] = [],
): Promise<ListeningDoc[]> {
  if (!(await db.tableExists("listening_albums"))) return [];
  const rows = await db.all<{
    artist: string;
    album: string;
    genres: string[];
    styles: string[];
    label: string | null;
    score: number;
  }>(
    `SELECT coalesce(discogs_artist, artist) AS artist, coalesce(discogs_title, album) AS album,
       genres, styles, pressing_label AS label, score
     FROM listening_albums ORDER BY score DESC, artist, album`,
  );
  const byName = new Map<string, ReleaseFeatures>();
  for (const k of known) {
    const name = nameKey(k.artist, k.title);
    if (!byName.has(name)) byName.set(name, k);
  }
  return rows.map((r, i) => {
    const same = byName.get(nameKey(r.artist, r.album));
    const styles = r.styles?.length ? r.styles : same?.styles ?? [];
    const genres = r.genres?.length ? r.genres : same?.genres ?? [];
    return {
      features: {
        key: `listening:${i}`,
        artists: [r.artist],
        labels: r.label ? [r.label] : same?.labels ?? [],
        genres,
        styles,
        year: null,
        country: null,
        formats: [],
      },
      weight: r.score,
    };
  });
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
