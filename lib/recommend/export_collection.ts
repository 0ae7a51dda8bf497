/**
 * A collection given as a Discogs CSV export (collection or wantlist: a wantlist is taste too),
 * for the evaluation harness. An export carries artist, title, label, catalogue number, format
 * and year but no genres or styles, so these come from reference rows (the pool, the fake
 * Discogs catalogue) that share the record's artist and title, else its artist (the artist's
 * most frequent genres and styles there). The export is read by ingest's own reader
 * (`readExport`, every variant ingest accepts) into an in-memory database, never the workspace.
 *
 * Have and want: an export has none, and hidden records without them would stand out among pool
 * rows that have them (the popularity baseline would never rank them, the gems would treat them
 * as unknown), so each record gets a seeded invented have/want ({@link inventedCommunity}),
 * the same on the file-pool path and in the fake catalogue of the real-user path. No price.
 *
 * @module
 */

import { basename, extname } from "node:path";
import { Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import { type ExportKind, readExport } from "../ingest/mod.ts";
import type { Candidate } from "./candidates.ts";

/** How an export's records got their genres and styles. */
export interface ExportEnrichment {
  records: number;
  /** Records whose artist and title matched a reference row with styles. */
  byTitle: number;
  /** Records whose artist (only) matched reference rows with styles. */
  byArtist: number;
  /** Records whose label (only) matched reference rows with styles. */
  byLabel: number;
  /** Records left without styles. */
  none: number;
}

/** An export read as harness candidates. */
export interface ExportCollection {
  name: string;
  kind: ExportKind;
  candidates: Candidate[];
  enrichment: ExportEnrichment;
  /** Rows ingest rejected (line and reason). */
  rejected: number;
}

/** A row genres and styles can be taken from. */
export interface ReferenceRow {
  artist: string;
  title: string;
  label: string | null;
  genres: readonly string[];
  styles: readonly string[];
}

/** Discogs' "Artist (2)" suffix, a trailing "*" and case do not make another artist. */
export function artistKey(name: string): string {
  return name.toLowerCase().replace(/\s*\(\d+\)\s*$/, "").replace(/\*+$/, "").replace(
    /^the\s+/,
    "",
  ).replace(/\s+/g, " ").trim();
}

const titleKey = (title: string) => title.toLowerCase().replace(/\s+/g, " ").trim();

/** A label name without Discogs' "(2)" suffix, case and spacing. */
const labelKey = (name: string) => artistKey(name);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The most frequent values of these lists, most frequent first (ties by name), at most `n`. */
function mostFrequent(lists: readonly (readonly string[])[], n: number): string[] {
  const counts = new Map<string, number>();
  for (const list of lists) for (const v of new Set(list)) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n).map((
    e,
  ) => e[0]);
}

/** Look-ups of reference rows by artist + title and by artist (rows with styles only). */
export class ReferenceIndex {
  readonly #byTitle = new Map<string, ReferenceRow>();
  readonly #byArtist = new Map<string, ReferenceRow[]>();
  readonly #byLabel = new Map<string, ReferenceRow[]>();

  constructor(rows: Iterable<ReferenceRow>) {
    for (const r of rows) {
      if (r.styles.length === 0) continue;
      const artist = artistKey(r.artist);
      const key = `${artist}\u0000${titleKey(r.title)}`;
      if (!this.#byTitle.has(key)) this.#byTitle.set(key, r);
      push(this.#byArtist, artist, r);
      // "Not On Label" and the like say nothing about a record's sound.
      const label = r.label ? labelKey(r.label) : "";
      if (label && !/^not on label/.test(label)) push(this.#byLabel, label, r);
    }
  }

  /** Genres and styles for a record, and how they were found. */
  lookup(
    artist: string,
    title: string,
    label: string | null = null,
  ): { genres: string[]; styles: string[]; by: "title" | "artist" | "label" } | undefined {
    const a = artistKey(artist);
    const exact = this.#byTitle.get(`${a}\u0000${titleKey(title)}`);
    if (exact) return { genres: [...exact.genres], styles: [...exact.styles], by: "title" };
    const byArtist = this.#byArtist.get(a);
    const byLabel = label ? this.#byLabel.get(labelKey(label)) : undefined;
    const rows = byArtist ?? byLabel;
    if (!rows) return undefined;
    return {
      genres: mostFrequent(rows.map((r) => r.genres), 2),
      styles: mostFrequent(rows.map((r) => r.styles), 3),
      by: byArtist ? "artist" : "label",
    };
  }
}

/**
 * A seeded invented have and want for a release id (have 20–2,019, want 0.2–1.5× have), so a
 * record without community figures looks like one with them.
 */
export function inventedCommunity(releaseId: number): { have: number; want: number } {
  // A 32-bit integer hash of the id (the fake's synthesized releases use the same idea).
  let h = Math.imul(releaseId ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  const have = 20 + (h % 2000);
  return { have, want: Math.round(have * (0.2 + ((h >>> 11) % 14) / 10)) };
}

/** The collector's name of an export: "mouse-reeve collection", "jelambert wantlist". */
export function exportName(path: string, kind: ExportKind): string {
  const stem = basename(path, extname(path));
  const who = stem.replace(/[-_ ]?(collection|wantlist)([-_ ].*)?$/i, "") || stem;
  return `${who} ${kind}`;
}

/** Whether an export is a wantlist (by its file name; else a collection). */
export function exportKindOf(path: string): ExportKind {
  const name = basename(path).toLowerCase();
  return name.includes("wantlist") || /(^|[-_ ])wants?([-_ .]|$)/.test(name)
    ? "wantlist"
    : "collection";
}

/**
 * Read an export as harness candidates, one per release id (the first row of a release),
 * genres and styles from `reference` where its artist and title (or artist) match.
 */
export async function candidatesFromExport(
  path: string,
  reference: ReferenceIndex,
  options: { kind?: ExportKind } = {},
): Promise<ExportCollection> {
  const kind = options.kind ?? exportKindOf(path);
  const db = await Database.open(":memory:");
  let rows: Record<string, unknown>[];
  let rejected: number;
  try {
    const read = await readExport(db, path, kind);
    rows = read.rows;
    rejected = read.rejects.length;
  } finally {
    db.close();
  }
  const seen = new Set<number>();
  const enrichment: ExportEnrichment = {
    records: 0,
    byTitle: 0,
    byArtist: 0,
    byLabel: 0,
    none: 0,
  };
  const candidates: Candidate[] = [];
  for (const r of rows) {
    const releaseId = Number(r.release_id);
    if (!Number.isFinite(releaseId) || seen.has(releaseId)) continue;
    seen.add(releaseId);
    const artist = String(r.artist_display ?? r.artist ?? "");
    const title = String(r.title ?? "");
    const label = typeof r.label === "string" ? r.label : "";
    const found = reference.lookup(artist, title, label.split(", ")[0] || null);
    enrichment.records++;
    if (found?.by === "title") enrichment.byTitle++;
    else if (found?.by === "artist") enrichment.byArtist++;
    else if (found?.by === "label") enrichment.byLabel++;
    else enrichment.none++;
    candidates.push({
      key: `release:${releaseId}`,
      releaseId,
      artist,
      title,
      artists: artist ? [artist] : [],
      // As collection_candidates.sql splits an export's label cell.
      labels: label ? label.split(", ").filter((l) => l) : [],
      genres: found?.genres ?? [],
      styles: found?.styles ?? [],
      year: typeof r.released_year === "number" && r.released_year > 0 ? r.released_year : null,
      country: null,
      formats: typeof r.format === "string" && r.format ? [r.format] : [],
      ...inventedCommunity(releaseId),
      lowestPrice: null,
      currency: null,
    });
  }
  if (candidates.length === 0) throw new InputError(`${path}: no records with a release id`);
  return { name: exportName(path, kind), kind, candidates, enrichment, rejected };
}
