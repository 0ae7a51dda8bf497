/**
 * What the plays say against the shelves: every played album matched to a Discogs master and
 * marked owned or not (table `listening_albums`), every played artist with the records you own of
 * them (`listening_artists`), the pressing to buy for the most-played albums you do not own, and
 * the records you own but never play (`owned_never_played`) — the last only when the history
 * covers at least {@link COVERAGE_DAYS} days, because a short history says nothing about a record
 * played twice a year.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import type { DiscogsClient } from "../discogs/client.ts";
import { ensureCache } from "../discogs/cache.ts";
import { literal } from "../db/mod.ts";
import { join } from "node:path";
import {
  type AlbumMatch,
  bestMaster,
  DEFAULT_MATCH_BUDGET,
  hasCatalogue,
  masterVersions,
  MATCH_RULES,
  matchAlbums,
  pickPressing,
  type PlayedAlbum,
  playedAlbums,
  type Pressing,
} from "./match.ts";
import { normaliseName, sameExactly, sqlNameKey } from "./names.ts";

/** Days of history needed before "owned, never played" is shown (a year: seasonal records). */
export const COVERAGE_DAYS = 365;

/** Played albums you do not own that get a pressing to buy (the most played first). */
export const PRESSINGS = 40;

/** Options for {@link analyseListening}. */
export interface AnalyseOptions {
  client?: DiscogsClient;
  offline: boolean;
  authenticated: boolean;
  /** Requests for matching and pressings (cached answers are free). */
  budget?: number;
  catalogDir?: string;
}

/** What {@link analyseListening} found. */
export interface ListeningAnalysis {
  albums: number;
  matched: number;
  unmatched: number;
  /** Matched by rule. */
  byRule: Record<string, number>;
  owned: number;
  playedNotOwned: number;
  withPressing: number;
  artists: number;
  ownedNeverPlayed: number | null;
  coverageDays: number;
  requests: number;
  fromCache: number;
  viaCatalogue: boolean;
  /** Albums matched through the collection's own records (no request). */
  viaCollection: number;
  /** The collector's usual format (the pressing to buy is in it). */
  format: string | null;
  /** The most-played albums with no match: artist — album (why). */
  unmatchedTop: string[];
  warnings: string[];
}

interface Owned {
  release_id: number;
  master_id: number | null;
  artist: string;
  title: string;
  artists: string[];
  formats: string[];
}

async function ownedRecords(db: Database): Promise<Owned[]> {
  if (!(await db.tableExists("collection"))) return [];
  const enriched = await db.tableExists("releases");
  return await db.all<Owned>(
    enriched
      ? `SELECT c.release_id, any_value(r.master_id) AS master_id,
           any_value(coalesce(r.artist, c.artist_display, c.artist)) AS artist,
           any_value(coalesce(r.title, c.title)) AS title,
           any_value(coalesce(r.artists, [coalesce(c.artist_display, c.artist)])) AS artists,
           any_value(coalesce(r.formats, [c.format])) AS formats
         FROM collection c LEFT JOIN releases r USING (release_id)
         GROUP BY c.release_id ORDER BY c.release_id`
      : `SELECT release_id, NULL::BIGINT AS master_id,
           any_value(coalesce(artist_display, artist)) AS artist, any_value(title) AS title,
           [any_value(coalesce(artist_display, artist))] AS artists, [any_value(format)] AS formats
         FROM collection GROUP BY release_id ORDER BY release_id`,
  );
}

/** The format most of the collection is in (Vinyl, CD, Cassette), or null for none. */
export function usualFormat(owned: readonly { formats: (string | null)[] }[]): string | null {
  const counts = new Map<string, number>();
  for (const o of owned) {
    const text = (o.formats ?? []).join(", ").toLowerCase();
    for (const f of ["Vinyl", "CD", "Cassette"]) {
      const words = f === "Vinyl" ? /vinyl|\blp\b|12"|7"|10"/ : new RegExp(`\\b${f.toLowerCase()}`);
      if (words.test(text)) counts.set(f, (counts.get(f) ?? 0) + 1);
    }
  }
  let best: string | null = null;
  for (const [f, n] of counts) if (best === null || n > counts.get(best)!) best = f;
  return best;
}

/** The master of the owned record that is this album (by its names), with the rule. */
function collectionMatch(
  a: PlayedAlbum,
  ownedByKey: ReadonlyMap<string, readonly Owned[]>,
): AlbumMatch | null {
  for (const o of ownedByKey.get(key(a.artist, a.album)) ?? []) {
    if (!o.master_id) continue;
    const found = bestMaster(a, [{
      id: Number(o.master_id),
      artist: o.artist,
      title: o.title,
      year: null,
      genres: [],
      styles: [],
      mainRelease: null,
    }]);
    if (found.master) return found;
  }
  return null;
}

const key = (artist: string, title: string) =>
  `${normaliseName(artist)}\u0000${normaliseName(title)}`;

/** Match, mark owned, pick pressings and write the listening tables. */
export async function analyseListening(
  db: Database,
  options: AnalyseOptions,
): Promise<ListeningAnalysis> {
  const budget = options.budget ?? DEFAULT_MATCH_BUDGET;
  await ensureCache(db);
  const albums = await playedAlbums(db);
  const viaCatalogue = await hasCatalogue(options.catalogDir);
  const owned = await ownedRecords(db);
  // Albums you own are matched through your own records first: their Discogs master is known,
  // so no search is spent on them.
  const ownedByKey = new Map<string, Owned[]>();
  for (const o of owned) {
    const k = key(o.artist ?? "", o.title ?? "");
    if (!ownedByKey.has(k)) ownedByKey.set(k, []);
    ownedByKey.get(k)!.push(o);
  }
  const fromCollection = albums.map((a) => collectionMatch(a, ownedByKey));
  const rest = albums.filter((_, i) => fromCollection[i] === null);
  const searched = await matchAlbums(db, rest, { ...options, budget });
  let next = 0;
  const matching = {
    ...searched,
    matches: fromCollection.map((m) => m ?? searched.matches[next++]),
  };
  const format = usualFormat(owned);
  const ownedByMaster = new Map<number, number>();
  const ownedByName = new Map<string, number>();
  const ownedArtists = new Map<string, number>();
  for (const o of owned) {
    if (o.master_id) ownedByMaster.set(Number(o.master_id), Number(o.release_id));
    ownedByName.set(key(o.artist ?? "", o.title ?? ""), Number(o.release_id));
    for (const a of new Set((o.artists ?? []).filter(Boolean).map(normaliseName))) {
      ownedArtists.set(a, (ownedArtists.get(a) ?? 0) + 1);
    }
  }
  let requests = matching.requests, fromCache = matching.fromCache;
  const rows: Record<string, unknown>[] = [];
  let pressingsLeft = PRESSINGS;
  for (const [i, a] of albums.entries()) {
    const m = matching.matches[i];
    const ownedRelease = (m.master && ownedByMaster.get(m.master.id)) ??
      ownedByName.get(key(a.artist, a.album)) ??
      (m.master ? ownedByName.get(key(m.master.artist, m.master.title)) : undefined) ?? null;
    let pressing: Pressing | null = null;
    if (m.master && ownedRelease === null && pressingsLeft > 0) {
      pressingsLeft--;
      if (viaCatalogue) {
        pressing = await cataloguePressing(db, options.catalogDir!, m.master.id, format) ??
          (m.master.mainRelease ? emptyPressing(m.master.mainRelease) : null);
      } else {
        const v = await masterVersions(db, m.master.id, {
          ...options,
          budget,
          // One request per pressing, bounded by PRESSINGS rather than the match budget.
          mayFetch: true,
        });
        if (v.requested) requests++;
        if (v.fromCache) fromCache++;
        pressing = v.body ? pickPressing(v.body, format) : null;
      }
    }
    rows.push(albumRow(a, m, ownedRelease, pressing));
  }
  await db.transaction(async () => {
    await db.run(ALBUMS_DDL);
    await db.insertRows("listening_albums", rows);
  });
  const artists = await writeArtists(
    db,
    ownedArtists,
    viaCatalogue ? options.catalogDir : undefined,
  );
  const coverage = await coverageDays(db);
  const neverPlayed = await writeOwnedNeverPlayed(db, owned, albums, coverage);
  const matched = rows.filter((r) => r.master_id !== null).length;
  const byRule: Record<string, number> = {};
  for (const r of rows) {
    if (r.match_rule) byRule[r.match_rule as string] = (byRule[r.match_rule as string] ?? 0) + 1;
  }
  const warnings: string[] = [];
  if (!viaCatalogue && !options.authenticated && albums.length > 0) {
    warnings.push(
      "matching plays to Discogs masters needs DISCOGS_TOKEN (or a catalogue in data/catalog): " +
        `${albums.length} played albums are listed unmatched`,
    );
  }
  const notOwned = rows.filter((r) => r.master_id !== null && !r.owned);
  return {
    albums: rows.length,
    matched,
    unmatched: rows.length - matched,
    byRule,
    owned: rows.filter((r) => r.owned).length,
    playedNotOwned: notOwned.length,
    withPressing: notOwned.filter((r) => r.pressing_release_id !== null).length,
    artists,
    ownedNeverPlayed: neverPlayed,
    coverageDays: coverage,
    requests: requests,
    fromCache,
    viaCatalogue,
    viaCollection: fromCollection.filter((m) => m !== null).length,
    format,
    unmatchedTop: rows.filter((r) => r.master_id === null).slice(0, 10).map((r) =>
      `${r.artist} — ${r.album} (${r.unmatched_reason})`
    ),
    warnings,
  };
}

const emptyPressing = (releaseId: number): Pressing => ({
  releaseId,
  format: null,
  label: null,
  country: null,
  year: null,
  have: null,
  want: null,
});

/** A master's pressing from the catalogue: one in the collector's format, main release first. */
async function cataloguePressing(
  db: Database,
  dir: string,
  masterId: number,
  format: string | null,
): Promise<Pressing | null> {
  try {
    const row = await db.one<{ id: number; format_summary: string | null; year: number | null }>(
      `SELECT id, format_summary, year FROM read_parquet(${
        literal(join(dir, "releases", "*.parquet"))
      })
       WHERE master_id = $master
       ORDER BY (format_summary ILIKE $format) DESC, is_main_release DESC, id LIMIT 1`,
      { master: masterId, format: `%${format ?? "Vinyl"}%` },
    );
    if (!row) return null;
    return { ...emptyPressing(Number(row.id)), format: row.format_summary, year: row.year };
  } catch {
    return null; // a catalogue without its releases table: the master's main release is used
  }
}

function albumRow(
  a: PlayedAlbum,
  m: Awaited<ReturnType<typeof matchAlbums>>["matches"][number],
  ownedRelease: number | null,
  pressing: Pressing | null,
): Record<string, unknown> {
  return {
    artist: a.artist,
    album: a.album,
    plays: a.plays,
    weighted_plays: a.weightedPlays,
    score: a.score,
    first_played: a.firstPlayed,
    last_played: a.lastPlayed,
    master_id: m.master?.id ?? null,
    discogs_artist: m.master?.artist ?? null,
    discogs_title: m.master?.title ?? null,
    year: m.master?.year ?? null,
    genres: m.master?.genres ?? [],
    styles: m.master?.styles ?? [],
    confidence: m.confidence,
    match_rule: m.rule,
    match_says: m.rule ? MATCH_RULES[m.rule].says : null,
    unmatched_reason: m.unmatched,
    owned: ownedRelease !== null,
    owned_release_id: ownedRelease,
    pressing_release_id: pressing?.releaseId ?? null,
    pressing_format: pressing?.format ?? null,
    pressing_label: pressing?.label ?? null,
    pressing_country: pressing?.country ?? null,
    pressing_year: pressing?.year ?? null,
    pressing_have: pressing?.have ?? null,
    pressing_want: pressing?.want ?? null,
  };
}

const ALBUMS_DDL = `CREATE OR REPLACE TABLE listening_albums (
  artist VARCHAR, album VARCHAR, plays INTEGER, weighted_plays DOUBLE, score DOUBLE,
  first_played TIMESTAMP, last_played TIMESTAMP, master_id BIGINT, discogs_artist VARCHAR,
  discogs_title VARCHAR, year INTEGER, genres VARCHAR[], styles VARCHAR[], confidence DOUBLE,
  match_rule VARCHAR, match_says VARCHAR, unmatched_reason VARCHAR, owned BOOLEAN,
  owned_release_id BIGINT, pressing_release_id BIGINT, pressing_format VARCHAR,
  pressing_label VARCHAR, pressing_country VARCHAR, pressing_year INTEGER,
  pressing_have INTEGER, pressing_want INTEGER)`;

/**
 * `listening_artists`: plays per artist (merged by normalised name), the records owned of them,
 * and — with a catalogue — the Discogs artist, by the same rules as albums (exact, normalised;
 * several artists of one name stay unmatched rather than guessed).
 */
async function writeArtists(
  db: Database,
  ownedArtists: Map<string, number>,
  catalogDir: string | undefined,
): Promise<number> {
  const rows = await db.all<{ artist: string; plays: number; weighted: number; albums: number }>(
    `SELECT artist, count(*)::INTEGER AS plays, sum(weight)::DOUBLE AS weighted,
       count(DISTINCT album)::INTEGER AS albums
     FROM listening GROUP BY artist ORDER BY plays DESC, artist`,
  );
  const merged = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    const k = normaliseName(r.artist);
    const m = merged.get(k);
    if (m) {
      m.plays = (m.plays as number) + r.plays;
      m.weighted_plays = (m.weighted_plays as number) + r.weighted;
      m.albums_played = (m.albums_played as number) + r.albums;
      continue;
    }
    merged.set(k, {
      artist: r.artist,
      plays: r.plays,
      weighted_plays: r.weighted,
      albums_played: r.albums,
      owned_records: ownedArtists.get(k) ?? 0,
      in_collection: ownedArtists.has(k),
      artist_id: null,
      confidence: null,
      match_rule: null,
    });
  }
  if (catalogDir) {
    const found = await catalogueArtists(db, catalogDir, [...merged.keys()]);
    for (const [k, row] of merged) {
      const same = found.get(k) ?? [];
      // One name, one artist: a name several Discogs artists share is not guessed.
      if (same.length !== 1) continue;
      const exact = sameExactly(same[0].name, String(row.artist));
      row.artist_id = same[0].id;
      row.match_rule = exact ? "exact" : "normalised";
      row.confidence = MATCH_RULES[exact ? "exact" : "normalised"].confidence;
    }
  }
  await db.transaction(async () => {
    await db.run(`CREATE OR REPLACE TABLE listening_artists (artist VARCHAR, plays INTEGER,
      weighted_plays DOUBLE, albums_played INTEGER, owned_records INTEGER, in_collection BOOLEAN,
      artist_id BIGINT, confidence DOUBLE, match_rule VARCHAR)`);
    await db.insertRows("listening_artists", [...merged.values()]);
  });
  return merged.size;
}

/** Catalogue artists whose normalised name is one of `names`, by that name. */
async function catalogueArtists(
  db: Database,
  dir: string,
  names: string[],
): Promise<Map<string, { id: number; name: string }[]>> {
  const out = new Map<string, { id: number; name: string }[]>();
  if (names.length === 0) return out;
  let rows: { id: number; name: string }[];
  try {
    rows = await db.all<{ id: number; name: string }>(
      `SELECT id, name FROM read_parquet(${literal(join(dir, "artists", "*.parquet"))})
       WHERE ${sqlNameKey("name")} IN (${names.map(literal).join(", ")})`,
    );
  } catch {
    return out; // a catalogue without its artists table yet
  }
  for (const r of rows) {
    const k = normaliseName(r.name);
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push({ id: Number(r.id), name: r.name });
  }
  return out;
}

/** Days between the first and the last play. */
export async function coverageDays(db: Database): Promise<number> {
  const row = await db.one<{ days: number | null }>(
    `SELECT date_diff('day', min(played_at), max(played_at))::INTEGER AS days FROM listening`,
  );
  return row?.days ?? 0;
}

/**
 * `owned_never_played`: records whose artist has no play and whose album has no play. Empty
 * (and null returned) when the history covers less than {@link COVERAGE_DAYS} days.
 */
async function writeOwnedNeverPlayed(
  db: Database,
  owned: readonly Owned[],
  albums: readonly PlayedAlbum[],
  coverage: number,
): Promise<number | null> {
  const playedArtists = new Set(
    (await db.all<{ artist: string }>("SELECT DISTINCT artist FROM listening"))
      .map((r) => normaliseName(r.artist)),
  );
  const playedAlbums = new Set(albums.map((a) => key(a.artist, a.album)));
  const enough = coverage >= COVERAGE_DAYS;
  const rows = enough
    ? owned.filter((o) =>
      !(o.artists ?? []).some((a) => a && playedArtists.has(normaliseName(a))) &&
      !playedArtists.has(normaliseName(o.artist ?? "")) &&
      !playedAlbums.has(key(o.artist ?? "", o.title ?? ""))
    ).map((o) => ({
      release_id: Number(o.release_id),
      artist: o.artist,
      title: o.title,
      format: (o.formats ?? []).filter(Boolean).join("; ") || null,
      history_days: coverage,
    }))
    : [];
  await db.transaction(async () => {
    await db.run(`CREATE OR REPLACE TABLE owned_never_played (release_id BIGINT, artist VARCHAR,
      title VARCHAR, format VARCHAR, history_days INTEGER)`);
    await db.insertRows("owned_never_played", rows);
  });
  return enough ? rows.length : null;
}

/** The stage's lines about matching. */
export function analysisLines(a: ListeningAnalysis): string[] {
  if (a.albums === 0) return [];
  const pct = (n: number) => `${Math.round((100 * n) / Math.max(1, a.albums))}%`;
  const rules = Object.entries(a.byRule).map(([r, n]) => `${n} ${r}`).join(", ");
  const lines = [
    `matched ${a.matched} of ${a.albums} played albums to Discogs masters (${pct(a.matched)}` +
    (rules ? `: ${rules}` : "") + `), ${a.viaCollection} through your own records and ` +
    `${a.matched - a.viaCollection} ${a.viaCatalogue ? "through the catalogue" : "by search"}; ` +
    `${a.requests} requests and ${a.fromCache} cached answers`,
    `${a.owned} played albums are in your collection; ${a.playedNotOwned} matched ones are not ` +
    `(${a.withPressing} with a ${a.format ? `${a.format} ` : ""}pressing to buy)`,
  ];
  if (a.unmatchedTop.length > 0) {
    // One reason for all of them (no token, offline) is said once, not after every album.
    const reasons = new Set(a.unmatchedTop.map((u) => u.replace(/^.* \((.*)\)$/, "$1")));
    const shown = a.unmatchedTop.slice(0, 5).map((u) =>
      reasons.size === 1 ? u.replace(/ \([^()]*\)$/, "") : u
    );
    lines.push(
      `${a.unmatched} unmatched (most played first${
        reasons.size === 1 ? `; ${[...reasons][0]}` : ""
      }): ${shown.join("; ")}${a.unmatched > 5 ? "; …" : ""} (table listening_albums)`,
    );
  }
  lines.push(
    a.ownedNeverPlayed === null
      ? `owned, never played: not shown — the history covers ${a.coverageDays} days, ` +
        `it needs ${COVERAGE_DAYS}`
      : `owned, never played: ${a.ownedNeverPlayed} records (history of ${a.coverageDays} days)`,
  );
  return lines;
}
