/**
 * Matching what you play to Discogs: album plays to a Discogs master, artist plays to an artist,
 * each match with a confidence and the rule that made it; what cannot be matched is listed, not
 * guessed. The catalogue (`data/catalog`, see lib/catalog/schema.ts) answers first when it is
 * there; else `GET /database/search?type=master` with artist and title, most-played first,
 * within a request budget and through the workspace cache (so `--offline` and a second run cost
 * nothing). For played albums you do not own, the pressing to buy (in the format your
 * collection is mostly in) comes from the master's versions.
 *
 * @module
 */

import { join } from "node:path";
import type { Database } from "../db/mod.ts";
import { literal } from "../db/mod.ts";
import { cachedGet, CANDIDATE_MAX_AGE_MS } from "../discogs/cached_get.ts";
import type { DiscogsClient } from "../discogs/client.ts";
import { searchPath, splitSearchTitle } from "../discogs/search.ts";
import {
  normaliseName,
  sameExactly,
  searchableName,
  sqlNameKey,
  withoutDiscogsMarks,
} from "./names.ts";

/** Confidence of each rule. */
export const MATCH_RULES = {
  exact: { confidence: 1, says: "same artist and title" },
  normalised: {
    confidence: 0.9,
    says: "same after normalising (case, accents, The, feat., edition tags, Vol., &)",
  },
  title_prefix: {
    confidence: 0.6,
    says: "same artist; one title starts with the other (after normalising)",
  },
} as const;

/** A rule's id. */
export type MatchRule = keyof typeof MATCH_RULES;

/** Half-life of a play's recency weight: a play a year before the latest counts half. */
export const RECENCY_HALF_LIFE_DAYS = 365;

/** Played albums matched per run at most (the most played first). */
export const DEFAULT_MATCH_BUDGET = 60;

/** One played album (artist + album as the service names it, merged by normalised name). */
export interface PlayedAlbum {
  artist: string;
  album: string;
  plays: number;
  /** Sum of play weights (weak plays count ¼). */
  weightedPlays: number;
  /** Weighted plays with recency: each play × 0.5^(days before the latest play / 365). */
  score: number;
  /** Null for an album known only from a top-albums count (no dated play). */
  firstPlayed: string | null;
  lastPlayed: string | null;
}

/** Recency weight of a play without a date (a Last.fm top-album count): a year old. */
export const UNDATED_PLAY_SHARE = 0.5;

/** A Discogs master a played album may be. */
export interface MasterCandidate {
  id: number;
  artist: string;
  title: string;
  year: number | null;
  genres: string[];
  styles: string[];
  mainRelease: number | null;
}

/** How a played album matched, or why it did not. */
export interface AlbumMatch {
  master: MasterCandidate | null;
  rule: MatchRule | null;
  confidence: number | null;
  /** Why there is no match (null when matched). */
  unmatched: string | null;
}

/** Pick the best master for a played album from `candidates` (Discogs order: most collected first). */
export function bestMaster(
  album: { artist: string; album: string },
  candidates: readonly MasterCandidate[],
): AlbumMatch {
  const a = normaliseName(album.artist), t = normaliseName(album.album);
  const ranked: { c: MasterCandidate; rule: MatchRule }[] = [];
  for (const c of candidates) {
    const ca = normaliseName(c.artist), ct = normaliseName(c.title);
    if (sameExactly(c.artist, album.artist) && sameExactly(c.title, album.album)) {
      ranked.push({ c, rule: "exact" });
    } else if (ca === a && ct === t && a !== "" && t !== "") {
      ranked.push({ c, rule: "normalised" });
    } else if (
      ca === a && a !== "" && t.length >= 4 && ct.length >= 4 &&
      (ct.startsWith(t + " ") || t.startsWith(ct + " "))
    ) {
      ranked.push({ c, rule: "title_prefix" });
    }
  }
  const order: MatchRule[] = ["exact", "normalised", "title_prefix"];
  ranked.sort((x, y) => order.indexOf(x.rule) - order.indexOf(y.rule));
  const best = ranked[0];
  if (!best) {
    return {
      master: null,
      rule: null,
      confidence: null,
      unmatched: candidates.length === 0
        ? "Discogs has no master by that artist and title"
        : `none of ${candidates.length} Discogs masters found has that artist and title`,
    };
  }
  return {
    master: best.c,
    rule: best.rule,
    confidence: MATCH_RULES[best.rule].confidence,
    unmatched: null,
  };
}

const texts = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x.trim() !== "") : [];

/** Master candidates from one `type=master` search page. */
export function masterResults(body: unknown): MasterCandidate[] {
  const results = (body as { results?: unknown })?.results;
  if (!Array.isArray(results)) return [];
  const out: MasterCandidate[] = [];
  for (const raw of results) {
    const item = (raw ?? {}) as Record<string, unknown>;
    if (item.type !== "master" || typeof item.id !== "number") continue;
    const split = splitSearchTitle(typeof item.title === "string" ? item.title : "");
    if (!split) continue;
    const year = Number(item.year);
    out.push({
      id: item.id,
      artist: withoutDiscogsMarks(split.artist),
      title: split.title,
      year: Number.isInteger(year) && year > 0 ? year : null,
      genres: texts(item.genre),
      styles: texts(item.style),
      mainRelease: null,
    });
  }
  return out;
}

/** The played albums of the `listening` table, most played (with recency) first. */
export async function playedAlbums(db: Database): Promise<PlayedAlbum[]> {
  const rows = await db.all<{
    artist: string;
    album: string;
    plays: number;
    weighted: number;
    score: number;
    first: string;
    last: string;
  }>(`
    WITH latest AS (SELECT max(played_at) AS t FROM listening)
    SELECT artist, album, count(*)::INTEGER AS plays, sum(weight)::DOUBLE AS weighted,
      sum(weight * pow(0.5, date_diff('second', played_at, latest.t) / 86400.0 / ${RECENCY_HALF_LIFE_DAYS}))::DOUBLE AS score,
      strftime(min(played_at), '%Y-%m-%dT%H:%M:%SZ') AS first,
      strftime(max(played_at), '%Y-%m-%dT%H:%M:%SZ') AS last
    FROM listening, latest WHERE album IS NOT NULL
    GROUP BY artist, album`);
  // "Abbey Road" and "Abbey Road (Remastered)" are one album: merge by normalised names, keep
  // the most played spelling.
  const merged = new Map<string, PlayedAlbum & { best: number }>();
  for (const r of rows) {
    const key = `${normaliseName(r.artist)}\u0000${normaliseName(r.album)}`;
    const m = merged.get(key);
    if (!m) {
      merged.set(key, {
        artist: r.artist,
        album: r.album,
        plays: r.plays,
        weightedPlays: r.weighted,
        score: r.score,
        firstPlayed: r.first,
        lastPlayed: r.last,
        best: r.plays,
      });
      continue;
    }
    if (r.plays > m.best || (r.plays === m.best && r.album < m.album)) {
      m.artist = r.artist;
      m.album = r.album;
      m.best = r.plays;
    }
    m.plays += r.plays;
    m.weightedPlays += r.weighted;
    m.score += r.score;
    if (m.firstPlayed === null || r.first < m.firstPlayed) m.firstPlayed = r.first;
    if (m.lastPlayed === null || r.last > m.lastPlayed) m.lastPlayed = r.last;
  }
  // A live Last.fm account's top albums carry all-time play counts the recent scrobbles lack:
  // an album counts the larger of the two; the plays it adds have no date, so they count as a
  // year old (half) in the recency-weighted score.
  if (await db.tableExists("listening_library")) {
    const top = await db.all<{ artist: string; album: string; playcount: number }>(
      `SELECT artist, album, max(playcount)::INTEGER AS playcount FROM listening_library
       WHERE kind = 'top_album' AND album IS NOT NULL AND playcount > 0 GROUP BY ALL`,
    );
    for (const t of top) {
      const key = `${normaliseName(t.artist)}\u0000${normaliseName(t.album)}`;
      const m = merged.get(key);
      if (m && m.plays >= t.playcount) continue;
      const extra = t.playcount - (m?.plays ?? 0);
      if (m) {
        m.plays += extra;
        m.weightedPlays += extra;
        m.score += extra * UNDATED_PLAY_SHARE;
      } else {
        merged.set(key, {
          artist: t.artist,
          album: t.album,
          plays: extra,
          weightedPlays: extra,
          score: extra * UNDATED_PLAY_SHARE,
          firstPlayed: null,
          lastPlayed: null,
          best: extra,
        });
      }
    }
  }
  return [...merged.values()]
    .map(({ best: _best, ...a }) => a)
    .sort((x, y) =>
      y.score - x.score || y.plays - x.plays || x.artist.localeCompare(y.artist) ||
      x.album.localeCompare(y.album)
    );
}

/** Options for {@link matchAlbums}. */
export interface MatchOptions {
  client?: DiscogsClient;
  offline: boolean;
  authenticated: boolean;
  /** Requests allowed (cached answers are free). */
  budget: number;
  /** The catalogue folder; used when its `masters/` Parquet files exist. */
  catalogDir?: string;
}

/** What {@link matchAlbums} did. */
export interface MatchReport {
  matches: AlbumMatch[];
  requests: number;
  fromCache: number;
  /** Albums matched through the catalogue rather than search. */
  viaCatalogue: number;
  failed: number;
}

/** Whether `dir` holds the catalogue's masters. */
export async function hasCatalogue(dir: string | undefined): Promise<boolean> {
  if (!dir) return false;
  try {
    for await (const e of Deno.readDir(join(dir, "masters"))) {
      if (e.isFile && e.name.endsWith(".parquet")) return true;
    }
  } catch {
    return false;
  }
  return false;
}

/**
 * Master candidates from the catalogue for the played artists: every master credited to one of
 * them (names compared lower-cased, without accents and Discogs' "(2)").
 */
async function catalogueMasters(
  db: Database,
  dir: string,
  artists: string[],
): Promise<Map<string, MasterCandidate[]>> {
  const wanted = [...new Set(artists.map(normaliseName))];
  const byArtist = new Map<string, MasterCandidate[]>();
  if (wanted.length === 0) return byArtist;
  const glob = literal(join(dir, "masters", "*.parquet"));
  const list = wanted.map(literal).join(", ");
  // A coarse SQL filter (lower case, accents off) narrows the scan; the exact rules run below.
  const rows = await db.all<{
    id: number;
    main_release: number | null;
    title: string;
    year: number | null;
    artist_names: string[];
    genres: string[];
    styles: string[];
  }>(`SELECT id, main_release, title, year, artist_names, genres, styles
      FROM read_parquet(${glob})
      WHERE len(list_intersect(
        list_transform(artist_names, n -> ${sqlNameKey("n")}),
        [${list}])) > 0
      ORDER BY id`);
  for (const r of rows) {
    const artist = withoutDiscogsMarks(r.artist_names[0] ?? "");
    const c: MasterCandidate = {
      id: Number(r.id),
      artist,
      title: r.title,
      year: r.year && r.year > 0 ? r.year : null,
      genres: r.genres ?? [],
      styles: r.styles ?? [],
      mainRelease: r.main_release === null ? null : Number(r.main_release),
    };
    for (const n of r.artist_names) {
      const key = normaliseName(n);
      if (!byArtist.has(key)) byArtist.set(key, []);
      byArtist.get(key)!.push({ ...c, artist: withoutDiscogsMarks(n) });
    }
  }
  return byArtist;
}

/** Match every played album (the first `budget` that need a request; cached answers are free). */
export async function matchAlbums(
  db: Database,
  albums: readonly PlayedAlbum[],
  options: MatchOptions,
): Promise<MatchReport> {
  const report: MatchReport = {
    matches: [],
    requests: 0,
    fromCache: 0,
    viaCatalogue: 0,
    failed: 0,
  };
  if (await hasCatalogue(options.catalogDir)) {
    const byArtist = await catalogueMasters(
      db,
      options.catalogDir!,
      albums.map((a) => a.artist),
    );
    for (const a of albums) {
      const m = bestMaster(a, byArtist.get(normaliseName(a.artist)) ?? []);
      if (m.master) report.viaCatalogue++;
      report.matches.push(m);
    }
    return report;
  }
  // The cached master searches in one query: thousands of played albums, one lookup each.
  const cached = new Map(
    (await db.all<{ url: string; status: number; body: string | null; fetched_at: Date }>(
      `SELECT url, status, body, fetched_at FROM http_cache
       WHERE starts_with(url, '/database/search?type=master&') AND status IN (200, 404)`,
    )).map((r) => [r.url, r]),
  );
  const canFetch = !options.offline && options.authenticated && options.client !== undefined;
  for (const a of albums) {
    const path = searchPath(
      { type: "master", artist: searchableName(a.artist), release_title: searchableName(a.album) },
      1,
      10,
    );
    const hit = cached.get(path);
    const fresh = hit && Date.now() - new Date(hit.fetched_at).getTime() < CANDIDATE_MAX_AGE_MS;
    const got = fresh || !canFetch || report.requests >= options.budget
      ? {
        status: hit?.status ?? 0,
        body: hit?.body ?? null,
        requested: false,
        fromCache: hit !== undefined,
        error: undefined,
      }
      : await cachedGet(db, path, { client: options.client, offline: false, mayFetch: true });
    if (got.requested) report.requests++;
    if (got.fromCache) report.fromCache++;
    if (got.status !== 200) {
      if (got.error) report.failed++;
      const why = got.error
        ? "the search failed (retried on the next run)"
        : !options.authenticated
        ? "matching by search needs DISCOGS_TOKEN"
        : options.offline
        ? "not searched yet (offline, nothing cached)"
        : got.status === 404
        ? "Discogs has no master by that artist and title"
        : `not searched: the match budget (${options.budget} requests) ran out`;
      report.matches.push({ master: null, rule: null, confidence: null, unmatched: why });
      continue;
    }
    report.matches.push(bestMaster(a, masterResults(JSON.parse(got.body!))));
  }
  return report;
}

/** A pressing of a master, from its versions listing. */
export interface Pressing {
  releaseId: number;
  format: string | null;
  label: string | null;
  country: string | null;
  year: number | null;
  have: number | null;
  want: number | null;
}

/**
 * The pressing to buy among a master's versions: one in `format` (the collector's usual format,
 * e.g. "Vinyl") when there is one, the most collected of those (the easiest to find), then the
 * lowest id.
 */
export function pickPressing(versions: unknown, format: string | null): Pressing | null {
  const items = (versions as { versions?: unknown })?.versions;
  if (!Array.isArray(items)) return null;
  const all = items.map((raw) => {
    const v = (raw ?? {}) as Record<string, unknown>;
    const community = ((v.stats as Record<string, unknown>)?.community ?? {}) as Record<
      string,
      unknown
    >;
    const num = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : null);
    const year = Number(v.released?.toString().slice(0, 4));
    return {
      releaseId: num(v.id) ?? 0,
      format: typeof v.format === "string" && v.format ? v.format : null,
      majors: texts(v.major_formats).map((f) => f.toLowerCase()),
      label: typeof v.label === "string" && v.label ? v.label : null,
      country: typeof v.country === "string" && v.country ? v.country : null,
      year: Number.isInteger(year) && year > 0 ? year : null,
      have: num(community.in_collection),
      want: num(community.in_wantlist),
    };
  }).filter((v) => v.releaseId > 0);
  const inFormat = format
    ? all.filter((v) =>
      v.majors.includes(format.toLowerCase()) ||
      (v.format ?? "").toLowerCase().includes(format.toLowerCase())
    )
    : [];
  const pool = inFormat.length > 0 ? inFormat : all;
  pool.sort((x, y) => (y.have ?? 0) - (x.have ?? 0) || x.releaseId - y.releaseId);
  const best = pool[0];
  if (!best) return null;
  const { majors, ...pressing } = best;
  if (!pressing.format && majors.length) pressing.format = majors.join(", ");
  return pressing;
}

/** The versions page of a master as cached, and the request it cost. */
export async function masterVersions(
  db: Database,
  masterId: number,
  options: MatchOptions & { mayFetch: boolean },
): Promise<{ body: unknown | null; requested: boolean; fromCache: boolean }> {
  const got = await cachedGet(db, `/masters/${masterId}/versions?page=1&per_page=100`, {
    client: options.client,
    offline: options.offline,
    mayFetch: options.mayFetch,
  });
  return {
    body: got.status === 200 && got.body ? JSON.parse(got.body) : null,
    requested: got.requested,
    fromCache: got.fromCache,
  };
}
