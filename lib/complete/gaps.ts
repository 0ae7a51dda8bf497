/**
 * Set gaps: the missing records of the sets you are close to finishing (tables `set_completion`
 * and `set_missing`, written by `deno task complete`). The `sets` candidate source adds them to
 * the pool (lib/pool/sources/sets.ts) and the set-gap recommender serves them
 * (lib/recommend/kinds/set_gaps.ts), reading which sets each pool record would help finish from
 * {@link withSetGaps}.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import type { Candidate, SetGap } from "../recommend/candidates.ts";
import { nameKey } from "./sets.ts";

/** A set at least this share complete (percent, as `set_completion.pct`) is nearly complete… */
export const NEARLY_COMPLETE_PCT = 50;
/**
 * …and so is one this few records from complete, whatever its share (a 4-record set you own 1
 * of); a set you own nothing of never is.
 */
export const NEARLY_COMPLETE_MISSING = 3;

const GAPS_SQL = (await Deno.readTextFile(new URL("./gaps.sql", import.meta.url)))
  .replace("{min_pct}", String(NEARLY_COMPLETE_PCT))
  .replace("{max_missing}", String(NEARLY_COMPLETE_MISSING));

/** One row of {@link GAPS_SQL}: a missing record of a nearly-complete set. */
export interface GapRow {
  set_kind: string;
  set_id: number;
  set_name: string;
  owned: number;
  total: number;
  pct: number;
  set_missing_count: number;
  set_why: string;
  set_currency: string | null;
  counted_by: string;
  buy_release_id: number;
  master_id: number | null;
  title: string;
  year: number | null;
  format: string | null;
  label: string | null;
  catno: string | null;
  lowest_price: number | null;
  num_for_sale: number | null;
  currency: string | null;
  in_wantlist: boolean;
  artist: string;
  discogs_url: string | null;
}

/** The query of the missing records of nearly-complete sets (columns: {@link GapRow}). */
export function setGapsSql(): string {
  return GAPS_SQL;
}

/** Whether the workspace has the set tables (`deno task complete` has run). */
export async function hasSetTables(db: Database): Promise<boolean> {
  return (await db.tableExists("set_completion")) && (await db.tableExists("set_missing"));
}

/**
 * What the set's records are called, as its reason says it: `Moving Shadow 12"s from 1994` out of
 * `9 of 10 Moving Shadow 12"s from 1994; the last one is $14.00`. `set_completion` keeps the
 * set's noun only inside its reason (lib/complete/why.ts), so it is read back from there; a
 * reason of another shape gives the set's name.
 */
export function setWhat(why: string, name: string): string {
  const m = why.match(/^\d+ of \d+ (.+?); /);
  return m ? m[1] : name;
}

/**
 * `pool` candidates with the nearly-complete sets they are missing from (nearest to complete
 * first), when the workspace has set tables; the others are left as they are.
 */
export async function withSetGaps(db: Database, pool: Candidate[]): Promise<Candidate[]> {
  if (!(await hasSetTables(db))) return pool;
  const rows = await db.all<GapRow>(GAPS_SQL);
  const gapOf = (r: GapRow): SetGap => ({
    kind: r.set_kind,
    id: Number(r.set_id),
    name: r.set_name,
    what: setWhat(r.set_why, r.set_name),
    owned: Number(r.owned),
    total: Number(r.total),
    pct: Number(r.pct),
    missing: Number(r.set_missing_count),
    inWantlist: r.in_wantlist === true,
    albums: albumKeys(r),
  });
  // An artist's set counted by album is filled by any pressing of a missing album, so the label
  // set's pressing of an album the artist's set misses too finishes both (not the other way: a
  // label's set wants a pressing on that label). A label listing names no masters: its albums
  // are matched by artist and title, as the sets fold them.
  const artistAlbums = new Map<string, SetGap[]>();
  for (const r of rows) {
    if (r.set_kind !== "artist" || r.counted_by !== "album") continue;
    for (const k of albumKeys(r)) artistAlbums.set(k, [...(artistAlbums.get(k) ?? []), gapOf(r)]);
  }
  const byKey = new Map<string, SetGap[]>();
  for (const r of rows) {
    const key = `release:${Number(r.buy_release_id)}`;
    const gaps = byKey.get(key) ?? [];
    const filled = [gapOf(r), ...albumKeys(r).flatMap((k) => artistAlbums.get(k) ?? [])];
    for (const g of filled) {
      if (gaps.some((x) => x.kind === g.kind && x.id === g.id)) continue;
      gaps.push({ ...g, albums: [...new Set([...albumKeys(r), ...g.albums])] });
    }
    byKey.set(key, gaps);
  }
  for (const c of pool) {
    const gaps = byKey.get(c.key);
    if (gaps) c.setGaps = gaps.sort(closerFirst);
  }
  return pool;
}

/** The album a missing record is: its master, and its artist and title as the sets fold them. */
function albumKeys(r: GapRow): string[] {
  const keys = r.master_id === null ? [] : [`master:${Number(r.master_id)}`];
  if (r.artist) keys.push(`work:${nameKey(r.artist)}|${r.title.toLowerCase().trim()}`);
  return keys;
}

/** Nearest to complete first: higher share, then fewer missing, then the set's key. */
export function closerFirst(a: SetGap, b: SetGap): number {
  return b.pct - a.pct || a.missing - b.missing || a.kind.localeCompare(b.kind) || a.id - b.id;
}
