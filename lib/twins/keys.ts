/**
 * The keys collections are compared on, made the same way for every source (an export, a
 * username import, the enriched `releases`): artist and label names as the export writes them,
 * folded; and a master key, so any pressing of an album matches any other.
 *
 * @module
 */

import { PLACEHOLDER_NAMES } from "../embed/features.ts";

/** Fold a name for matching: lower case, no accents, no ` (2)` suffix or `*`, single spaces. */
export function foldName(name: string): string {
  return name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
    .replace(/ \(\d+\)/g, "").replace(/\*/g, "").replace(/[^\p{L}\p{N}&+]+/gu, " ").trim();
}

/** Joins inside an artist credit ("A & B", "A Featuring B", "A, B", "A Vs. B", "A / B"). */
const ARTIST_JOINS = /\s+(?:&|feat\.?|featuring|ft\.|vs\.?|with|\/)\s+|,\s+/i;

/**
 * The artists of a credit: each one's matching key and its name as written (without the ` (2)`
 * suffix), placeholders ("Various", "Unknown Artist") left out.
 */
export function artistParts(credit: string | null): { key: string; name: string }[] {
  if (!credit) return [];
  const seen = new Set<string>();
  const out: { key: string; name: string }[] = [];
  for (const part of credit.split(ARTIST_JOINS)) {
    const key = foldName(part);
    if (key === "" || PLACEHOLDER_NAMES.has(key) || seen.has(key)) continue;
    seen.add(key);
    out.push({ key, name: part.replace(/ \(\d+\)$/, "").trim() });
  }
  return out;
}

/** The artists of a credit, folded, placeholders ("Various", "Unknown Artist") left out. */
export function artistKeys(credit: string | null): string[] {
  return artistParts(credit).map((p) => p.key);
}

/** The labels of an export's `Label` cell ("BMG, RCA"), folded, "Not On Label" left out. */
export function labelKeys(labels: string | readonly string[] | null): string[] {
  if (!labels) return [];
  const list = typeof labels === "string" ? labels.split(/,\s+/) : labels;
  const names = list.map(foldName).filter((n) => n !== "" && !n.startsWith("not on label"));
  return [...new Set(names)].filter((n) => !PLACEHOLDER_NAMES.has(n));
}

/** The album a record is a pressing of, by artist and title, when no master id is known. */
export function workKey(artist: string | null, title: string | null): string {
  return `w:${foldName(artist ?? "")}|${foldName(title ?? "")}`;
}

/**
 * Master keys for a set of records: `m:<master id>` when Discogs gave one, else the master id
 * some other pressing of the same artist and title has, else the work key itself.
 */
export function masterKeys(
  records: readonly { masterId: number | null; artist: string | null; title: string | null }[],
): string[] {
  const byWork = new Map<string, number>();
  for (const r of records) {
    if (r.masterId !== null) byWork.set(workKey(r.artist, r.title), r.masterId);
  }
  return records.map((r) => {
    if (r.masterId !== null) return `m:${r.masterId}`;
    const work = workKey(r.artist, r.title);
    const id = byWork.get(work);
    return id !== undefined ? `m:${id}` : work;
  });
}
