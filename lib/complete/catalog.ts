/**
 * Sets from the catalogue (the Discogs data dump as Parquet, layout in lib/catalog/schema.ts)
 * instead of the API: an artist's releases from `release_artists` (`kind = 'main'`; credits as
 * appearances), a label's from `release_labels` (sub-labels from `labels.sublabels`), an album's
 * pressings from `releases.master_id`. No listing request is made; prices still come from
 * release bodies (the dump has no market data).
 *
 * @module
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Database, literal } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import { openReleaseIndex } from "../catalog/release_index.ts";
import { scopeCatalogue, unscopeCatalogue } from "../catalog/scoped.ts";
import {
  emptyGathered,
  type Gathered,
  type ListedItem,
  type Pressing,
  setKey,
  type SetSpec,
} from "./types.ts";

const TABLES = [
  "releases",
  "release_artists",
  "release_labels",
  "release_formats",
  "masters",
  "artists",
  "labels",
];

/** Tables a catalogue must have for sets; the others are worked out from them when absent. */
const REQUIRED = new Set(["releases", "release_artists", "release_labels"]);

/**
 * Stand-ins for the tables a catalogue may lack (the catalog stage writes only the dump files it
 * is given): artist and label names from the credits, masters from the releases' `master_id`.
 */
function standIn(dir: string, table: string): string {
  const releases = tableOf(dir, "releases");
  switch (table) {
    case "artists":
      return `(SELECT artist_id AS id, any_value(name) AS name FROM ${
        tableOf(dir, "release_artists")
      } WHERE artist_id IS NOT NULL GROUP BY artist_id)`;
    case "labels":
      return `(SELECT label_id AS id, any_value(name) AS name,
                      []::STRUCT(id BIGINT, name VARCHAR)[] AS sublabels
               FROM ${
        tableOf(dir, "release_labels")
      } WHERE label_id IS NOT NULL GROUP BY label_id)`;
    case "masters":
      return `(SELECT master_id AS id, arg_min(id, (coalesce(year, 9999), id)) AS main_release,
                      arg_min(title, (coalesce(year, 9999), id)) AS title, min(year) AS year
               FROM ${releases} WHERE master_id IS NOT NULL GROUP BY master_id)`;
    default:
      return "(SELECT NULL::BIGINT AS release_id, NULL::VARCHAR AS name WHERE false)";
  }
}

function tableOf(dir: string, table: string): string {
  if (!existsSync(join(dir, table))) {
    if (!REQUIRED.has(table)) return standIn(dir, table);
    throw new InputError(
      `catalogue ${dir}: no ${table}/ folder; expected the catalogue layout of ` +
        `lib/catalog/schema.ts (one folder of Parquet files per table: ${TABLES.join(", ")})`,
    );
  }
  return `read_parquet(${literal(join(dir, table, "*.parquet"))})`;
}

/** The id of an artist or label called `name` in the catalogue, if there is exactly one best. */
export async function lookUpInCatalog(
  db: Database,
  dir: string,
  kind: "artist" | "label",
  name: string,
): Promise<{ id: number; name: string } | null> {
  const table = tableOf(dir, kind === "artist" ? "artists" : "labels");
  const row = await db.one<{ id: number; name: string }>(
    `SELECT id, name FROM ${table}
     WHERE lower(regexp_replace(name, ' \\(\\d+\\)$', '')) = lower($name)
     ORDER BY id LIMIT 1`,
    { name: name.trim() },
  );
  return row ? { id: Number(row.id), name: row.name } : null;
}

interface Row {
  id: number;
  master_id: number | null;
  title: string;
  year: number | null;
  format: string | null;
  majors: string[] | null;
  role: string | null;
  label: string | null;
  catno: string | null;
  artist: string | null;
}

/** Read every set's releases from the catalogue in `dir`. */
export async function gatherFromCatalog(
  db: Database,
  dir: string,
  sets: SetSpec[],
  options: { withSublabels?: boolean },
): Promise<Gathered> {
  const t = Object.fromEntries(TABLES.map((name) => [name, tableOf(dir, name)]));
  const gathered = emptyGathered();
  // One row per release: its format, major formats, first label and first main artist.
  const releaseRows = (where: string) => `
    SELECT r.id, r.master_id, r.title, r.year, r.format_summary AS format,
      (SELECT list(DISTINCT f.name) FROM ${t.release_formats} f WHERE f.release_id = r.id) AS majors,
      (SELECT l.name FROM ${t.release_labels} l WHERE l.release_id = r.id ORDER BY l.position LIMIT 1) AS label,
      (SELECT l.catno FROM ${t.release_labels} l WHERE l.release_id = r.id ORDER BY l.position LIMIT 1) AS catno,
      (SELECT a.name FROM ${t.release_artists} a WHERE a.release_id = r.id AND a.kind = 'main' ORDER BY a.position LIMIT 1) AS artist
    FROM ${t.releases} r WHERE ${where}`;
  const asItem = (r: Row, role = "Main"): ListedItem => ({
    type: "release",
    releaseId: Number(r.id),
    masterId: r.master_id === null ? null : Number(r.master_id),
    title: r.title,
    artist: r.artist,
    year: r.year,
    format: r.format,
    role,
    label: r.label,
    catno: r.catno,
    have: null,
  });
  const asPressing = (r: Row): Pressing => ({
    releaseId: Number(r.id),
    title: r.title,
    format: r.format,
    majorFormats: r.majors ?? [],
    year: r.year,
    label: r.label,
    catno: r.catno,
    country: null,
    have: null,
  });
  for (const set of sets) {
    const key = setKey(set);
    const entity = set.kind === "artist" ? t.artists : set.kind === "label" ? t.labels : t.masters;
    const nameSql = (from: string) =>
      `SELECT ${set.kind === "master" ? "title" : "name"} AS name FROM ${from} WHERE id = $id`;
    // A catalogue built from a partial artists/labels/masters file (or a sample of one) may
    // lack an entity its releases name: its name then comes from the releases' own credits.
    const found = await db.one<{ name: string }>(nameSql(entity), { id: set.id }) ??
      await db.one<{ name: string }>(
        nameSql(
          standIn(
            dir,
            set.kind === "artist" ? "artists" : set.kind === "label" ? "labels" : "masters",
          ),
        ),
        { id: set.id },
      );
    if (!found) {
      gathered.notFound.add(key);
      continue;
    }
    gathered.names.set(key, found.name);
    let items: ListedItem[] = [];
    if (set.kind === "artist") {
      const rows = await db.all<Row & { kind: string; credit_role: string | null }>(
        `WITH mine AS (SELECT release_id, max(kind) AS kind, any_value(role) AS credit_role
                       FROM ${t.release_artists} WHERE artist_id = $id GROUP BY release_id)
         SELECT x.*, m.kind, m.credit_role FROM (${
          releaseRows("r.id IN (SELECT release_id FROM mine)")
        }) x
         JOIN mine m ON m.release_id = x.id ORDER BY x.id`,
        { id: set.id },
      );
      // Albums as Discogs lists them: one master item per master, its pressings beside.
      const masters = new Map<number, Row[]>();
      for (const r of rows) {
        const role = r.kind === "main" ? "Main" : "Appearance";
        if (r.master_id === null) items.push(asItem(r, role));
        else if (role === "Main" || !masters.has(Number(r.master_id))) {
          masters.set(Number(r.master_id), masters.get(Number(r.master_id)) ?? []);
          if (role !== "Main") items.push(asItem(r, role));
        }
      }
      if (masters.size > 0) {
        const ids = [...masters.keys()];
        const pressings = await db.all<Row>(
          releaseRows(`r.master_id IN (SELECT unnest($ids::JSON::BIGINT[]))`) + " ORDER BY r.id",
          { ids: JSON.stringify(ids) },
        );
        for (const p of pressings) {
          const list = gathered.pressings.get(Number(p.master_id)) ?? [];
          list.push(asPressing(p));
          gathered.pressings.set(Number(p.master_id), list);
        }
        const heads = await db.all<
          { id: number; main_release: number | null; title: string; year: number | null }
        >(
          `SELECT id, main_release, title, year FROM ${t.masters}
           WHERE id IN (SELECT unnest($ids::JSON::BIGINT[]))`,
          { ids: JSON.stringify(ids) },
        );
        for (const m of heads) {
          if (!rows.some((r) => Number(r.master_id) === Number(m.id) && r.kind === "main")) {
            continue;
          }
          items.push({
            type: "master",
            releaseId: m.main_release === null ? null : Number(m.main_release),
            masterId: Number(m.id),
            title: m.title,
            artist: found.name,
            year: m.year,
            format: null,
            role: "Main",
            label: null,
            catno: null,
            have: null,
          });
        }
      }
    } else if (set.kind === "label") {
      const subs = options.withSublabels
        ? (await db.one<{ subs: { id: number; name: string }[] | null }>(
          `SELECT sublabels AS subs FROM ${t.labels} WHERE id = $id`,
          { id: set.id },
        ))?.subs ?? []
        : [];
      if (subs.length) {
        gathered.sublabels.set(key, subs.map((s) => ({ id: Number(s.id), name: s.name })));
      }
      const ids = [set.id, ...subs.map((s) => Number(s.id))];
      const rows = await db.all<Row>(
        releaseRows(`r.id IN (SELECT release_id FROM ${t.release_labels}
                     WHERE label_id IN (SELECT unnest($ids::JSON::BIGINT[])))`) + " ORDER BY r.id",
        { ids: JSON.stringify(ids) },
      );
      items = rows.map((r) => asItem(r));
    } else {
      const rows = await db.all<Row>(
        releaseRows("r.master_id = $id") + " ORDER BY r.id",
        { id: set.id },
      );
      items = rows.map((r) => asItem(r));
      gathered.pressings.set(set.id, rows.map(asPressing));
    }
    gathered.items.set(key, items);
  }
  return gathered;
}

/**
 * Where the owned records' own catalogue rows are read from: the release index's cards of just
 * those releases (the scoped `catalog_*` views, `lib/catalog/scoped.ts`), or the whole Parquet
 * — which is read end to end for them (0.2–0.3 s each read at 5M releases, against a few
 * milliseconds from the cards).
 */
export type OwnedRows = "scoped" | "parquet";

/**
 * Scope the catalogue in `dir` to the records you own, through its release index (built here
 * the first time, as the pool stage would build it); "parquet" when there is no index to be had
 * (a read-only catalogue, `NEXTSPIN_CATALOG_INDEX=off`) and the Parquet is read instead. Call
 * {@link endOwnedRows} after.
 */
export async function scopeOwnedRows(
  db: Database,
  dir: string,
  ids: readonly number[],
  info: (line: string) => void,
): Promise<OwnedRows> {
  // The pool stage says why an index cannot be had; the sets read the Parquet meanwhile.
  const { index } = await openReleaseIndex(db, dir, info);
  if (!index) return "parquet";
  await scopeCatalogue(db, index, ids);
  return "scoped";
}

/** Put the full catalogue views back after {@link scopeOwnedRows} scoped them. */
export async function endOwnedRows(db: Database, dir: string, rows: OwnedRows): Promise<void> {
  if (rows === "scoped") await unscopeCatalogue(db, dir);
}

/** The table a query of the owned records' rows reads. */
const ownedTable = (dir: string, table: string, rows: OwnedRows) =>
  rows === "scoped" ? `catalog_${table}` : tableOf(dir, table);

/**
 * The artists (main credits) and labels of the records you own, counted from the catalogue:
 * with a catalogue, an export needs no enrichment for its sets to be found.
 */
export async function catalogCredits(
  db: Database,
  dir: string,
  rows: OwnedRows = "parquet",
): Promise<{ kind: "artist" | "label"; id: number; name: string; owned: number }[]> {
  if (!(await db.tableExists("collection"))) return [];
  const artists = ownedTable(dir, "release_artists", rows);
  const labels = ownedTable(dir, "release_labels", rows);
  const found = await db.all<{ kind: "artist" | "label"; id: number; name: string; owned: number }>(
    `WITH owned AS (SELECT DISTINCT release_id FROM collection WHERE release_id IS NOT NULL),
     credits AS (
       SELECT 'artist' AS kind, a.artist_id AS id, a.name, a.release_id
       FROM ${artists} a JOIN owned USING (release_id) WHERE a.kind = 'main'
       UNION
       SELECT 'label', l.label_id, l.name, l.release_id
       FROM ${labels} l JOIN owned USING (release_id))
     SELECT kind, id, any_value(name) AS name, count(DISTINCT release_id) AS owned FROM credits
     WHERE id > 0 AND lower(regexp_replace(name, ' \\(\\d+\\)$', '')) NOT IN
       ('various', 'unknown artist', 'not on label', 'no label', 'unknown')
     GROUP BY kind, id ORDER BY owned DESC, kind, id`,
  );
  return found.map((r) => ({ ...r, id: Number(r.id), owned: Number(r.owned) }));
}

/** Master and format of owned releases, from the catalogue. */
export async function catalogReleaseFacts(
  db: Database,
  dir: string,
  ids: readonly number[],
  rows: OwnedRows = "parquet",
): Promise<Map<number, { masterId: number | null; format: string | null }>> {
  if (ids.length === 0) return new Map();
  const found = await db.all<{ id: number; master_id: number | null; format: string | null }>(
    `SELECT id, master_id, format_summary AS format FROM ${ownedTable(dir, "releases", rows)}
     WHERE id IN (SELECT unnest($ids::JSON::BIGINT[]))`,
    { ids: JSON.stringify(ids) },
  );
  return new Map(found.map((r) => [Number(r.id), {
    masterId: r.master_id === null ? null : Number(r.master_id),
    format: r.format,
  }]));
}
