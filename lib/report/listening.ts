/**
 * The report's "What you play" section: what the listening history covers, how much of it
 * matched Discogs, the most-played albums owned or not, the played-not-owned picks' pressings,
 * and the records owned but never played (when the history is long enough). Static HTML: it
 * reads without JavaScript. Absent when the workspace has no `listening` table.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { COVERAGE_DAYS } from "../listening/analyse.ts";

/** One played album as the section lists it. */
export interface ListeningAlbumRow {
  artist: string;
  album: string;
  plays: number;
  weighted_plays: number;
  owned: boolean;
  master_id: number | null;
  match_rule: string | null;
  confidence: number | null;
  pressing_release_id: number | null;
  pressing_format: string | null;
  unmatched_reason: string | null;
}

/** What the section shows. */
export interface ListeningReport {
  plays: number;
  weak: number;
  first: string | null;
  last: string | null;
  days: number;
  bySource: { source: string; plays: number }[];
  albums: number;
  matched: number;
  topAlbums: ListeningAlbumRow[];
  unmatched: ListeningAlbumRow[];
  ownedNeverPlayed: { release_id: number; artist: string; title: string }[] | null;
  ownedNeverPlayedCount: number | null;
}

/** Read the section's data, or null when there is no listening history in the workspace. */
export async function loadListeningReport(db: Database): Promise<ListeningReport | null> {
  if (!(await db.tableExists("listening"))) return null;
  const head = await db.one<
    { plays: number; weak: number; first: string | null; last: string | null; days: number }
  >(
    `SELECT count(*)::INTEGER AS plays, count(*) FILTER (WHERE weight < 1)::INTEGER AS weak,
       strftime(min(played_at), '%Y-%m-%d') AS first, strftime(max(played_at), '%Y-%m-%d') AS last,
       coalesce(date_diff('day', min(played_at), max(played_at)), 0)::INTEGER AS days
     FROM listening`,
  );
  const bySource = await db.all<{ source: string; plays: number }>(
    "SELECT source, count(*)::INTEGER AS plays FROM listening GROUP BY source ORDER BY plays DESC",
  );
  let albums: ListeningAlbumRow[] = [];
  if (await db.tableExists("listening_albums")) {
    albums = await db.all<ListeningAlbumRow>(
      `SELECT artist, album, plays, weighted_plays, owned, master_id, match_rule, confidence,
         pressing_release_id, pressing_format, unmatched_reason
       FROM listening_albums ORDER BY score DESC, artist, album`,
    );
  }
  const days = head?.days ?? 0;
  let never: ListeningReport["ownedNeverPlayed"] = null;
  let neverCount: number | null = null;
  if (days >= COVERAGE_DAYS && (await db.tableExists("owned_never_played"))) {
    neverCount = await db.count("owned_never_played");
    never = await db.all(
      `SELECT release_id, artist, title FROM owned_never_played ORDER BY artist, title LIMIT 30`,
    );
  }
  return {
    plays: head?.plays ?? 0,
    weak: head?.weak ?? 0,
    first: head?.first ?? null,
    last: head?.last ?? null,
    days,
    bySource,
    albums: albums.length,
    matched: albums.filter((a) => a.master_id !== null).length,
    topAlbums: albums.slice(0, 25),
    unmatched: albums.filter((a) => a.master_id === null).slice(0, 15),
    ownedNeverPlayed: never,
    ownedNeverPlayedCount: neverCount,
  };
}

const esc = (value: unknown) =>
  String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const SOURCE_NAMES: Record<string, string> = {
  spotify_extended: "Spotify extended history",
  spotify_account: "Spotify account data",
  lastfm: "Last.fm export",
  spotify_api: "Spotify account (live)",
  lastfm_api: "Last.fm account (live)",
};

/** The section's HTML ("" without a listening history). */
export function listeningSection(r: ListeningReport | null | undefined): string {
  if (!r) return "";
  const pct = r.albums ? Math.round((100 * r.matched) / r.albums) : 0;
  const sources = r.bySource.map((s) => `${esc(SOURCE_NAMES[s.source] ?? s.source)} ${s.plays}`)
    .join(", ");
  const rows = r.topAlbums.map((a) => {
    const master = a.master_id
      ? `<a href="https://www.discogs.com/master/${a.master_id}" rel="noopener">master ${a.master_id}</a> ` +
        `<small>(${esc(a.match_rule?.replace("_", " "))}, ${a.confidence})</small>`
      : `<small>unmatched</small>`;
    const buy = a.owned
      ? "owned"
      : a.pressing_release_id
      ? `<a href="https://www.discogs.com/release/${a.pressing_release_id}" rel="noopener">buy: ${
        esc(a.pressing_format ?? "pressing")
      }</a>`
      : "not owned";
    return `<tr><td>${esc(a.artist)} — ${esc(a.album)}</td><td>${a.plays}</td><td>${
      esc(Math.round(a.weighted_plays * 10) / 10)
    }</td><td>${master}</td><td>${buy}</td></tr>`;
  }).join("\n");
  const unmatched = r.unmatched.length
    ? `<h3>Not matched to Discogs (${r.albums - r.matched})</h3><ul>${
      r.unmatched.map((a) =>
        `<li>${esc(a.artist)} — ${esc(a.album)} <small>(${esc(a.unmatched_reason)})</small></li>`
      ).join("")
    }</ul>`
    : "";
  const never = r.ownedNeverPlayed === null
    ? `<p>Owned, never played: shown once the history covers ${COVERAGE_DAYS} days (it covers ${r.days}).</p>`
    : `<h3>Owned, never played (${r.ownedNeverPlayedCount})</h3><p>Records whose artist and album have no play in ${r.days} days of history.</p><ul>${
      r.ownedNeverPlayed.map((o) =>
        `<li><a href="https://www.discogs.com/release/${o.release_id}" rel="noopener">${
          esc(o.artist)
        } — ${esc(o.title)}</a></li>`
      ).join("")
    }</ul>`;
  return `<section id="listening" aria-labelledby="listening-title">
  <h2 id="listening-title">What you play</h2>
  <p>${r.plays} plays from ${esc(r.first)} to ${
    esc(r.last)
  } (${r.days} days; ${sources}); ${r.weak} weak plays (under 30 s or skipped) count ¼. ${r.matched} of ${r.albums} played albums matched to a Discogs master (${pct}%).</p>
  <table class="listening"><thead><tr><th>Album</th><th>Plays</th><th>Weighted</th><th>Discogs</th><th>On your shelves</th></tr></thead>
  <tbody>
${rows}
  </tbody></table>
  ${unmatched}
  ${never}
</section>`;
}
