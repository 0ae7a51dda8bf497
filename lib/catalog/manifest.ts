/**
 * The catalogue's manifest `catalog.json`: which dump file each entity was built from (path,
 * size, mtime), its complete parts (file, id range, rows per table, and where in the
 * decompressed file the part ends, so a rerun can resume after it), whether the entity is
 * finished, and its counts. It is rewritten atomically after every complete part, so it never
 * lists a part that is not fully on disk; Parquet files it does not list are leftovers of an
 * interrupted run and are removed by the next one.
 *
 * @module
 */

import { join } from "node:path";
import { writeTextAtomically } from "../fs/atomic.ts";
import { type DumpKind, MANIFEST_FILE } from "./schema.ts";

/** The dump file an entity is built from. */
export interface CatalogSource {
  path: string;
  /** Compressed size in bytes (as on disk). */
  size: number;
  /** Modification time, ISO 8601. */
  mtime: string;
}

/** One complete part of an entity: the same records cut into every table of the entity. */
export interface CatalogPart {
  /** File name in each table directory, `<first id>-<last id>.parquet` (9 digits each). */
  file: string;
  first_id: number;
  last_id: number;
  /** Records (releases, masters, …) in the part. */
  records: number;
  /** Rows per table. */
  rows: Record<string, number>;
  /** Offset in the decompressed file just after the part's last record. */
  end_offset: number;
  /** sha1 of the decompressed bytes just before `end_offset`, to check a resumed file. */
  tail_sha1: string;
}

/** What the catalogue holds of one entity. */
export interface CatalogEntity {
  source: CatalogSource;
  finished: boolean;
  parts: CatalogPart[];
  /** Records and rows per table over all parts. */
  counts: { records: number; rows: Record<string, number> };
}

/** The whole manifest. */
export interface CatalogManifest {
  version: 1;
  updated_at: string;
  /** The source of each entity, by kind (also inside each entity; here for a quick look). */
  sources: Partial<Record<DumpKind, CatalogSource>>;
  entities: Partial<Record<DumpKind, CatalogEntity>>;
}

/** An empty manifest. */
export function emptyManifest(): CatalogManifest {
  return { version: 1, updated_at: new Date().toISOString(), sources: {}, entities: {} };
}

/** Read the manifest of catalogue `dir`, or an empty one when there is none. */
export async function readCatalogManifest(dir: string): Promise<CatalogManifest> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(dir, MANIFEST_FILE));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return emptyManifest();
    throw error;
  }
  const manifest = JSON.parse(text) as CatalogManifest;
  manifest.sources ??= {};
  manifest.entities ??= {};
  return manifest;
}

/** Write the manifest of catalogue `dir` atomically. */
export async function writeCatalogManifest(dir: string, manifest: CatalogManifest): Promise<void> {
  manifest.updated_at = new Date().toISOString();
  for (const [kind, entity] of Object.entries(manifest.entities)) {
    manifest.sources[kind as DumpKind] = entity.source;
  }
  await writeTextAtomically(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n");
}

/** Totals of a list of parts. */
export function partCounts(parts: readonly CatalogPart[]): CatalogEntity["counts"] {
  const rows: Record<string, number> = {};
  let records = 0;
  for (const part of parts) {
    records += part.records;
    for (const [table, n] of Object.entries(part.rows)) rows[table] = (rows[table] ?? 0) + n;
  }
  return { records, rows };
}

/** The describable identity of a file on disk. */
export async function describeSource(path: string): Promise<CatalogSource> {
  const stat = await Deno.stat(path);
  return { path, size: stat.size, mtime: (stat.mtime ?? new Date(0)).toISOString() };
}

/** A part's file name: first and last id, zero-padded to 9 digits. */
export function partFileName(firstId: number, lastId: number): string {
  return `${String(firstId).padStart(9, "0")}-${String(lastId).padStart(9, "0")}.parquet`;
}
