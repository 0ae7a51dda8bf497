/**
 * The catalogue's relations between labels and between artists that gem signals read: each
 * label's family (its parent label, so the sub-labels of one parent are one family) and each
 * artist's aliases, groups and members (`catalog_labels`, `catalog_artists`, lib/catalog/open.ts).
 * Only names the collection or the pool carry are loaded; names are normalised
 * (`normalizeName`), since pool rows name labels and artists, not their ids.
 *
 * @module
 */

import type { Database } from "../../db/mod.ts";
import { attachCatalog, catalogExists } from "../../catalog/open.ts";
import { withoutDiscogsSuffix } from "../../discogs/release.ts";
import { normalizeName } from "../../embed/features.ts";
import type { Candidate } from "../candidates.ts";

/** How one artist is related to another. */
export type ArtistRelation = "alias" | "group" | "member";

/** An artist related to another: its normalised name, its name as written, how. */
export interface ArtistKin {
  name: string;
  display: string;
  relation: ArtistRelation;
}

/** Label families and artist relations, by normalised name. */
export interface CatalogRelations {
  /** Label → its family: the parent label's name (a label without a parent: its own). */
  labelFamily: ReadonlyMap<string, string>;
  /** A family's name as Discogs writes it (without its `(2)` suffix), by its normalised name. */
  familyNames: ReadonlyMap<string, string>;
  /** Artist → its aliases, the groups it is in and its members (normalised names). */
  artistKin: ReadonlyMap<string, readonly ArtistKin[]>;
}

const sql = (name: string) => Deno.readTextFile(new URL(`./${name}`, import.meta.url));
const LABEL_FAMILIES_SQL = await sql("label_families.sql");
const ARTIST_KIN_SQL = await sql("artist_kin.sql");

/** Relations from rows as the catalogue gives them (names as Discogs writes them). */
export function relationsOf(
  labels: readonly { name: string; parent_name: string | null }[],
  artists: readonly {
    name: string;
    aliases: readonly string[];
    groups: readonly string[];
    members: readonly string[];
  }[],
): CatalogRelations {
  const labelFamily = new Map<string, string>();
  const familyNames = new Map<string, string>();
  for (const l of labels) {
    const family = l.parent_name ?? l.name;
    labelFamily.set(normalizeName(l.name), normalizeName(family));
    familyNames.set(normalizeName(family), withoutDiscogsSuffix(family));
  }
  const artistKin = new Map<string, ArtistKin[]>();
  for (const a of artists) {
    const key = normalizeName(a.name);
    const kin = artistKin.get(key) ?? [];
    const add = (names: readonly string[], relation: ArtistRelation) => {
      for (const n of names ?? []) {
        const name = normalizeName(n);
        if (name && name !== key && !kin.some((k) => k.name === name)) {
          kin.push({ name, display: withoutDiscogsSuffix(n), relation });
        }
      }
    };
    add(a.aliases, "alias");
    add(a.groups, "group");
    add(a.members, "member");
    artistKin.set(key, kin);
  }
  return { labelFamily, familyNames, artistKin };
}

/**
 * The relations of the labels and artists `records` name, from the catalogue in `dir`; undefined
 * when there is no catalogue there or it has neither a labels nor an artists table.
 */
export async function loadCatalogRelations(
  db: Database,
  dir: string,
  records: readonly Candidate[],
): Promise<CatalogRelations | undefined> {
  if (!(await catalogExists(dir))) return undefined;
  const attached = await attachCatalog(db, dir);
  const hasLabels = attached.tables.includes("labels");
  const hasArtists = attached.tables.includes("artists");
  if (!hasLabels && !hasArtists) return undefined;
  const names = (pick: (c: Candidate) => readonly string[]) =>
    JSON.stringify([...new Set(records.flatMap((c) => pick(c).map(normalizeName)))]);
  const labels = hasLabels
    ? await db.all<{ name: string; parent_name: string | null }>(LABEL_FAMILIES_SQL, {
      names: names((c) => c.labels),
    })
    : [];
  const artists = hasArtists
    ? await db.all<{ name: string; aliases: string[]; groups: string[]; members: string[] }>(
      ARTIST_KIN_SQL,
      { names: names((c) => c.artists) },
    )
    : [];
  return relationsOf(labels, artists);
}
