/**
 * Which sets to complete: every artist and label the collection holds at least `--min-owned`
 * records of (the credits of the cached release bodies and of a username import, as the pool's
 * listings seeds count them), plus the ones named with `--artist`, `--label`, `--master` (a
 * Discogs id, or a name you own records of). And what you own and want, for counting.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { ensureCache } from "../discogs/cache.ts";
import { InputError } from "../errors.ts";
import { RELEASE_INFO_DDL } from "../ingest/mod.ts";
import type { OwnedCopy } from "./fold.ts";
import type { SetKind, SetSpec } from "./types.ts";

const SEEDS_SQL = await Deno.readTextFile(new URL("../pool/neighbour_seeds.sql", import.meta.url));
const HOLDINGS_SQL = await Deno.readTextFile(new URL("./holdings.sql", import.meta.url));

/**
 * Records of an artist or label you must own before its set is worked out. Two can be chance (a
 * single and a compilation track); three is collecting. It also bounds the requests: the bundled
 * sample's 315 records (gustw's) credit 461 artists and labels, 130 twice or more, 70 three times
 * or more.
 */
export const DEFAULT_MIN_OWNED = 3;

/** An artist or label of the collection, with the records credited to it. */
export interface OwnedCredit {
  kind: "artist" | "label";
  id: number;
  name: string;
  owned: number;
}

/** Every artist and label of the collection, most owned first. */
export async function ownedCredits(db: Database, currency: string): Promise<OwnedCredit[]> {
  if (!(await db.tableExists("collection"))) return [];
  await ensureCache(db);
  await db.run(RELEASE_INFO_DDL);
  const rows = await db.all<OwnedCredit>(SEEDS_SQL, { currency });
  return rows.map((r) => ({ ...r, id: Number(r.id), owned: Number(r.owned) }));
}

/** The copies you own (release, master, format). */
export async function ownedCopies(db: Database): Promise<OwnedCopy[]> {
  if (!(await db.tableExists("collection"))) return [];
  const sql = await withStandIns(db, HOLDINGS_SQL);
  const rows = await db.all<
    { release_id: number; master_id: number | null; format: string | null }
  >(
    sql,
  );
  return rows.map((r) => ({
    releaseId: Number(r.release_id),
    masterId: r.master_id === null ? null : Number(r.master_id),
    format: r.format,
  }));
}

/** The releases on your wantlist, with their masters where known. */
export async function wantedReleases(
  db: Database,
): Promise<{ releaseId: number; masterId: number | null }[]> {
  if (!(await db.tableExists("wantlist"))) return [];
  const sql = await withStandIns(
    db,
    `SELECT DISTINCT w.release_id, coalesce(r.master_id, i.master_id) AS master_id
     FROM wantlist w LEFT JOIN {releases} r USING (release_id)
     LEFT JOIN {release_info} i USING (release_id) WHERE w.release_id IS NOT NULL`,
  );
  const rows = await db.all<{ release_id: number; master_id: number | null }>(sql);
  return rows.map((r) => ({
    releaseId: Number(r.release_id),
    masterId: r.master_id === null ? null : Number(r.master_id),
  }));
}

async function withStandIns(db: Database, sql: string): Promise<string> {
  const releases = (await db.tableExists("releases"))
    ? "releases"
    : "(SELECT NULL::BIGINT AS release_id, NULL::BIGINT AS master_id, []::VARCHAR[] AS formats WHERE false)";
  const info = (await db.tableExists("release_info"))
    ? "release_info"
    : "(SELECT NULL::BIGINT AS release_id, NULL::BIGINT AS master_id, []::VARCHAR[] AS formats WHERE false)";
  return sql.replaceAll("{releases}", releases).replaceAll("{release_info}", info);
}

/** A name as compared: case, Discogs' `(2)` suffix and the `*` name-variation mark off. */
export const nameKey = (name: string): string =>
  name.toLowerCase().replace(/ \(\d+\)$/, "").replace(/\*$/, "").replace(/\s+/g, " ").trim();

/** Options for {@link chooseSets}. */
export interface SetChoice {
  minOwned: number;
  artists: readonly string[];
  labels: readonly string[];
  masters: readonly string[];
  /** Looks a name up elsewhere (the catalogue) when the collection does not credit it. */
  lookUp?(kind: "artist" | "label", name: string): Promise<{ id: number; name: string } | null>;
}

/**
 * The sets of a run: the named ones first (in the order given), then the collection's artists
 * and labels with at least `minOwned` records, most owned first. `minOwned` 0 turns the automatic
 * sets off. A name that matches nothing is an {@link InputError} naming the flag and what would
 * work.
 */
export async function chooseSets(
  credits: readonly OwnedCredit[],
  choice: SetChoice,
): Promise<SetSpec[]> {
  const sets: SetSpec[] = [];
  const seen = new Set<string>();
  const push = (s: SetSpec) => {
    const key = `${s.kind}:${s.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    sets.push(s);
  };
  const named: [SetKind, readonly string[]][] = [
    ["artist", choice.artists],
    ["label", choice.labels],
    ["master", choice.masters],
  ];
  for (const [kind, values] of named) {
    for (const raw of values) {
      const value = raw.trim();
      if (/^\d+$/.test(value) && Number(value) > 0) {
        const credit = credits.find((c) => c.kind === kind && c.id === Number(value));
        push({
          kind,
          id: Number(value),
          name: credit?.name ?? null,
          ownedCopies: credit?.owned ?? 0,
          asked: true,
        });
        continue;
      }
      if (kind === "master") {
        throw new InputError(
          `--master "${raw}": expected a Discogs master id (the number in ` +
            `discogs.com/master/ID-…)`,
        );
      }
      const key = nameKey(value);
      const found = credits.filter((c) => c.kind === kind && nameKey(c.name) === key);
      if (found.length > 0) {
        const c = found[0];
        push({ kind, id: c.id, name: c.name, ownedCopies: c.owned, asked: true });
        continue;
      }
      const elsewhere = value === "" ? null : await choice.lookUp?.(kind, value);
      if (elsewhere) {
        push({ kind, id: elsewhere.id, name: elsewhere.name, ownedCopies: 0, asked: true });
        continue;
      }
      const near = credits.filter((c) =>
        c.kind === kind && key.length >= 3 && nameKey(c.name).includes(key)
      ).slice(0, 3).map((c) => `${c.name} (${c.id})`);
      throw new InputError(
        `--${kind} "${raw}": no ${kind} of that name among the records you own` +
          (near.length ? ` (did you mean ${near.join(", ")}?)` : "") +
          `; give the Discogs ${kind} id instead (the number in discogs.com/${kind}/ID-…)`,
      );
    }
  }
  if (choice.minOwned > 0) {
    for (const c of credits) {
      if (c.owned < choice.minOwned) continue;
      push({ kind: c.kind, id: c.id, name: c.name, ownedCopies: c.owned, asked: false });
    }
  }
  return sets;
}
