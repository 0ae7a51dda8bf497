/**
 * The world of the Complete the Set tests: a collector chosen from the fake Discogs' catalogue
 * (an artist with albums of several pressings and a CD among them, a label with repeated albums,
 * a sub-label, a label of more than 100 releases), and the expected sets computed from the
 * catalogue itself rather than from the listings the code reads.
 *
 * @module
 */
import { Database } from "../lib/db/mod.ts";
import { assert } from "../lib/testing/assert.ts";
import type { Catalogue, CatalogueRelease } from "./fake_discogs/catalogue.ts";

/** A catalogue of its own (not the default one other tests share), since a test edits prices. */
export const CATALOGUE = { electronicSample: 12_001 };
export const USER = "set_collector";

export const isVinyl = (r: CatalogueRelease) => r.formats.some((f) => f.name === "Vinyl");

/** The test's world, chosen from the catalogue by what it must exercise. */
export interface World {
  artist: number;
  label: number;
  sublabel: number;
  bigLabel: number;
  collection: number[];
  wants: number[];
  appearance: number;
  unofficial: number;
  /** A missing lone vinyl record of the artist made unavailable (no copy for sale). */
  soldOut: number;
}

/** Whether one artist and title (as words) on the label is always one master. */
function foldsLikeMasters(c: Catalogue, labelId: number): boolean {
  const words = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  const albums = new Map<string, Set<string>>();
  for (const r of c.releasesOnLabel(labelId)) {
    const key = `${words(r.artists.map((a) => a.name).join(" "))}|${words(r.title)}`;
    const set = albums.get(key) ?? new Set();
    set.add(r.masterId ? `m${r.masterId}` : `r${r.id}`);
    albums.set(key, set);
  }
  return [...albums.values()].every((s) => s.size === 1);
}

export function chooseWorld(c: Catalogue): World {
  const vinylVersions = (m: number) => c.versionsOf(m).filter(isVinyl);
  // An artist with albums of several pressings (at most 3 on vinyl, so all get priced), a CD
  // among them, and records without a master.
  const artist = [...c.artists.values()].filter((a) => a.name !== "Various").map((a) => {
    const rs = c.releasesOf(a.id);
    const masters = [...new Set(rs.flatMap((r) => (r.masterId ? [r.masterId] : [])))];
    const ok = rs.every((r) => r.source !== "gustw") &&
      masters.every((m) => vinylVersions(m).length <= 3) &&
      rs.some((r) => !isVinyl(r)) && rs.filter((r) => !r.masterId && isVinyl(r)).length >= 3;
    return { a, score: ok ? masters.filter((m) => c.versionsOf(m).length >= 2).length : -1 };
  }).sort((x, y) => y.score - x.score || x.a.id - y.a.id)[0].a.id;
  const label = [...c.labels.values()].map((l) => {
    const rs = c.releasesOnLabel(l.id);
    const byMaster = new Map<number, number>();
    for (const r of rs.filter(isVinyl)) {
      if (r.masterId) byMaster.set(r.masterId, (byMaster.get(r.masterId) ?? 0) + 1);
    }
    const ok = rs.length >= 8 && rs.length <= 30 && !/not on label/i.test(l.name) &&
      rs.every((r) => r.source !== "gustw" && !r.artists.some((a) => a.id === artist)) &&
      rs.some((r) => !isVinyl(r)) && [...byMaster.values()].every((n) => n <= 3) &&
      foldsLikeMasters(c, l.id);
    return { l, score: ok ? [...byMaster.values()].filter((n) => n > 1).length : -1 };
  }).sort((x, y) => y.score - x.score || x.l.id - y.l.id)[0].l.id;
  const onLabel = new Set(c.releasesOnLabel(label).map((r) => r.id));
  const sublabel = [...c.labels.values()].find((l) => {
    const rs = c.releasesOnLabel(l.id);
    return l.id !== label && rs.length >= 3 && rs.length <= 6 && rs.every(isVinyl) &&
      rs.every((r) => !onLabel.has(r.id) && r.source !== "gustw" && r.labels.length === 1);
  })!.id;
  // A label listing names no masters, so the code folds its releases by artist and title; the
  // labels chosen are ones where that is exactly the catalogue's masters (a release without a
  // master titled like an album of the same artist would be folded into it).
  const bigLabel = [...c.labels.values()].find((l) => {
    const n = c.releasesOnLabel(l.id).length;
    return n > 100 && n <= 200 && !/not on label/i.test(l.name) && foldsLikeMasters(c, l.id);
  })!.id;
  const own: number[] = [];
  const wants: number[] = [];
  const rs = c.releasesOf(artist);
  const masters = [...new Set(rs.flatMap((r) => (r.masterId ? [r.masterId] : [])))].sort((a, b) =>
    a - b
  );
  // Own a vinyl pressing of every other album; of one album with a CD, only the CD.
  masters.forEach((m, i) => {
    const v = c.versionsOf(m);
    const cd = v.find((r) => !isVinyl(r));
    if (cd && v.some(isVinyl) && !own.includes(cd.id) && i % 2 === 1) own.push(cd.id);
    else if (i % 2 === 0 && v.some(isVinyl)) own.push(v.filter(isVinyl).at(-1)!.id);
  });
  const lone = rs.filter((r) => !r.masterId && isVinyl(r)).sort((a, b) => a.id - b.id);
  own.push(lone[0].id);
  const soldOut = lone[1].id;
  // Want a pressing of an album not owned on vinyl.
  const missingAlbum = masters.find((m) =>
    !c.versionsOf(m).some((r) => own.includes(r.id) && isVinyl(r)) &&
    vinylVersions(m).length > 0
  );
  if (missingAlbum) wants.push(vinylVersions(missingAlbum).at(-1)!.id);
  const labelVinyl = c.releasesOnLabel(label).filter(isVinyl).sort((a, b) => a.id - b.id);
  own.push(...labelVinyl.filter((_, i) => i % 3 === 0).map((r) => r.id));
  wants.push(labelVinyl[1].id);
  own.push(c.releasesOnLabel(sublabel)[0].id);
  const others = [...c.releases.values()].filter((r) =>
    isVinyl(r) && r.source !== "gustw" && !r.artists.some((a) => a.id === artist) &&
    !onLabel.has(r.id)
  );
  return {
    artist,
    label,
    sublabel,
    bigLabel,
    collection: own,
    wants,
    appearance: others[0].id,
    unofficial: others[1].id,
    soldOut,
  };
}

/** An entry as the test counts it: its vinyl (or any) pressings and whether one is owned. */
export interface Expected {
  key: string;
  pressings: CatalogueRelease[];
}

/** The artist's entries, by album or by pressing, computed from the catalogue. */
export function artistEntries(c: Catalogue, w: World, vinylOnly: boolean, byPressing: boolean) {
  const keep = (r: CatalogueRelease) => !vinylOnly || isVinyl(r);
  const out: Expected[] = [];
  const masters = new Set<number>();
  for (const r of c.releasesOf(w.artist)) {
    if (r.masterId) masters.add(r.masterId);
    else if (keep(r)) out.push({ key: `release:${r.id}`, pressings: [r] });
  }
  for (const m of masters) {
    const v = c.versionsOf(m).filter(keep);
    if (v.length === 0) continue;
    if (byPressing) out.push(...v.map((r) => ({ key: `release:${r.id}`, pressings: [r] })));
    else out.push({ key: `master:${m}`, pressings: v });
  }
  return out;
}

/** A label's entries by album (one per master, or per release without one). */
export function labelEntries(c: Catalogue, ids: number[], vinylOnly: boolean, byPressing: boolean) {
  const groups = new Map<string, CatalogueRelease[]>();
  for (const id of ids) {
    for (const r of c.releasesOnLabel(id)) {
      if (vinylOnly && !isVinyl(r)) continue;
      const key = !byPressing && r.masterId ? `master:${r.masterId}` : `release:${r.id}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
  }
  return [...groups].map(([key, pressings]) => ({ key, pressings }));
}

export function tally(entries: Expected[], owned: Set<number>) {
  const missing = entries.filter((e) => !e.pressings.some((r) => owned.has(r.id)));
  // The cheapest copy of a missing entry: the lowest price among its pressings for sale.
  const cheapest = missing.map((e) => {
    const prices = e.pressings.filter((r) => r.numForSale > 0 && r.lowestPrice !== null)
      .map((r) => r.lowestPrice!);
    return prices.length ? Math.min(...prices) : null;
  });
  return {
    total: entries.length,
    owned: entries.length - missing.length,
    missing,
    cost: Math.round(cheapest.reduce((s: number, p) => s + (p ?? 0), 0) * 100) / 100,
    noCopy: cheapest.filter((p) => p === null).length,
  };
}

export interface SetRow {
  set_kind: string;
  set_id: number;
  set_name: string;
  owned: number;
  total: number;
  pct: number;
  missing: number;
  in_wantlist: number;
  priced: number;
  cost_to_complete: number;
  no_copy_for_sale: number;
  unpriced: number;
  format: string;
  why: string;
}

export interface MissingRow {
  set_kind: string;
  set_id: number;
  release_id: number | null;
  master_id: number | null;
  cheapest_release_id: number | null;
  lowest_price: number | null;
  num_for_sale: number | null;
  in_wantlist: boolean;
  why: string;
}

export async function tables(path: string): Promise<{ sets: SetRow[]; missing: MissingRow[] }> {
  const db = await Database.open(path, { readOnly: true });
  try {
    const sets = await db.all<SetRow>("SELECT * FROM set_completion ORDER BY rank");
    const missing = await db.all<MissingRow>(
      "SELECT * FROM set_missing ORDER BY set_kind, set_id, release_id, master_id",
    );
    const num = <T>(rows: T[]) =>
      rows.map((r) =>
        Object.fromEntries(
          Object.entries(r as Record<string, unknown>).map((
            [k, v],
          ) => [k, typeof v === "bigint" ? Number(v) : v]),
        ) as T
      );
    return { sets: num(sets), missing: num(missing) };
  } finally {
    db.close();
  }
}

export const setOf = (t: { sets: SetRow[] }, kind: string, id: number) => {
  const row = t.sets.find((s) => s.set_kind === kind && s.set_id === id);
  assert(
    row,
    `a ${kind} ${id} row in set_completion: ${JSON.stringify(t.sets.map((s) => s.set_name))}`,
  );
  return row;
};
