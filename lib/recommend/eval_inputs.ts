/**
 * What `deno task evaluate` measures on, besides the workspace: the pool (the workspace's, or
 * pool files read by the pool stage's own loader) and other collections — recorded release
 * bodies (`--bodies`), CSV exports (`--export`, enriched by `export_collection.ts`) and every
 * fixture collection with metadata (`--collections fixtures`).
 *
 * @module
 */

import { Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import { buildPool } from "../pool/mod.ts";
import { filesSource } from "../pool/sources/files.ts";
import { loadCatalogue } from "../../tests/fake_discogs/catalogue.ts";
import { candidatesFromBodies } from "./bodies.ts";
import type { Candidate } from "./candidates.ts";
import {
  candidatesFromExport,
  type ExportEnrichment,
  exportName,
  ReferenceIndex,
  type ReferenceRow,
} from "./export_collection.ts";
import { loadPoolCandidates } from "./load.ts";

/** The fixtures folder beside a checkout (`../shared/fixtures/`). */
export const FIXTURES = new URL("../../../shared/fixtures/", import.meta.url);

/** The full fixture pool: both pool files (README's "full fixture pool"). */
export const FIXTURE_POOL_FILES = [
  "pools/electronic_1990s_releases.csv",
  "pools/marketplace_listings.csv",
];

/**
 * Every fixture collection with metadata, as bodies or exports. gustw's CSV export is left out
 * (its bodies are the same 315 records, richer); `seed_enriched_collection.csv` is a 4-row
 * format sample, below any minimum.
 */
export const FIXTURE_COLLECTIONS: readonly { file: string; kind: "bodies" | "export" }[] = [
  { file: "api/releases/gustw_releases.jsonl", kind: "bodies" },
  { file: "api/releases/greg-dubrow_releases_reserialized.jsonl", kind: "bodies" },
  { file: "exports/mouse-reeve_collection.csv", kind: "export" },
  { file: "exports/mouse-reeve_wantlist.csv", kind: "export" },
  { file: "exports/jelambert_collection.csv", kind: "export" },
  { file: "exports/jelambert_wantlist.csv", kind: "export" },
  { file: "exports/davide-bergamini_collection.csv", kind: "export" },
];

/**
 * Collections smaller than this are skipped (with a message): a 20% fold of fewer than 20
 * records hides fewer than 4, and one record more or less found swings recall by 25% or more.
 */
export const MIN_COLLECTION = 20;

/** A collection to evaluate. */
export interface EvalCollection {
  name: string;
  /** Where it came from (a file path, or "workspace"). */
  source: string;
  candidates: Candidate[];
  /** For exports: how many records got genres and styles from the reference rows. */
  enrichment?: ExportEnrichment;
}

/** A fixture path as a file path. */
export const fixturePath = (file: string) => new URL(file, FIXTURES).pathname;

/**
 * Pool candidates from pool files (CSV, Parquet, JSONL), read by the pool stage's files source
 * into an in-memory workspace (nothing owned yet: the harness removes each collection's own).
 */
export async function poolFromFiles(files: readonly string[]): Promise<Candidate[]> {
  const db = await Database.open(":memory:");
  try {
    // The pool stage reads what the collector owns from these; here nobody owns anything.
    await db.run(
      "CREATE TABLE collection (release_id BIGINT, artist_display VARCHAR, title VARCHAR); " +
        "CREATE TABLE releases (release_id BIGINT, master_id BIGINT)",
    );
    await buildPool(db, { files: [...files], offline: true, sources: [filesSource] });
    return await loadPoolCandidates(db);
  } finally {
    db.close();
  }
}

/**
 * Reference rows for an export's genres and styles: the full fixture pool's rows (their own
 * styles) first, then the fake Discogs catalogue's releases.
 */
export async function referenceIndex(fixturePool?: readonly Candidate[]): Promise<ReferenceIndex> {
  const pool = fixturePool ?? await poolFromFiles(FIXTURE_POOL_FILES.map(fixturePath));
  const catalogue = await loadCatalogue();
  const rows: ReferenceRow[] = [
    ...pool.map((c) => ({
      artist: c.artist,
      title: c.title,
      label: c.labels[0] ?? null,
      genres: c.genres,
      styles: c.styles,
    })),
    ...[...catalogue.releases.values()].map((r) => ({
      artist: r.artists[0]?.name ?? "",
      title: r.title,
      label: r.labels[0]?.name ?? null,
      genres: r.genres,
      styles: r.styles,
    })),
  ];
  return new ReferenceIndex(rows);
}

/** Read a `--bodies` file as a collection (named after the file: "gustw", "greg-dubrow"). */
export async function bodiesCollection(path: string): Promise<EvalCollection> {
  const stem = path.split("/").pop()!.replace(/\.(jsonl|ndjson)$/i, "");
  const name = stem.replace(/_releases.*$/, "") || stem;
  return { name, source: path, candidates: await candidatesFromBodies(path) };
}

/** Read a `--export` file as a collection, styles from `reference`. */
export async function exportCollection(
  path: string,
  reference: ReferenceIndex,
): Promise<EvalCollection> {
  const read = await candidatesFromExport(path, reference);
  return {
    name: read.name,
    source: path,
    candidates: read.candidates,
    enrichment: read.enrichment,
  };
}

/** The files `--collections fixtures` stands for, by kind. */
export function fixtureFiles(): { bodies: string[]; exports: string[] } {
  return {
    bodies: FIXTURE_COLLECTIONS.filter((c) => c.kind === "bodies").map((c) => fixturePath(c.file)),
    exports: FIXTURE_COLLECTIONS.filter((c) => c.kind === "export").map((c) => fixturePath(c.file)),
  };
}

/** `--collections VALUE`: only "fixtures" is known. */
export function parseCollectionsFlag(values: readonly string[]): boolean {
  for (const v of values) {
    if (v !== "fixtures") {
      throw new InputError(
        `--collections ${v}: unknown; --collections fixtures evaluates every fixture collection`,
      );
    }
  }
  return values.length > 0;
}

export { exportName };
