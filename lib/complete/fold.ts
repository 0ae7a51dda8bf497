/**
 * From a set's listing to its entries: what is in the set (role, compilations, format), one
 * entry per album (Discogs master) unless `--pressings`, and which entries you own and want.
 * Pure: no I/O, so the counting rules are tested on their own (fold_test.ts).
 *
 * How entries are counted:
 * - an artist's set is the releases where the artist's role is `Main` (appearances, remixes and
 *   other credits with `--appearances`, unofficial releases with `--unofficial`), compilations
 *   (a format marked `Comp`) only with `--compilations`;
 * - a label's set is every release on it (and its sub-labels with `--with-sublabels`);
 * - a master's set is every pressing of that album;
 * - by album: the pressings of one master are one entry, owned when you own any of them in the
 *   collected format; a label listing names no masters, so its releases of one artist and title
 *   are one album;
 * - `--pressings`: every pressing is an entry of its own;
 * - `--format`: an entry is in the set when it (or one of its pressings) is in the format; an
 *   album whose pressings were not read within the budget stays in the set, marked unchecked.
 *
 * @module
 */

import { inFormat } from "./format.ts";
import type { ListedItem, Pressing, SetKind } from "./types.ts";

/** A copy you own, as far as the workspace knows it. */
export interface OwnedCopy {
  releaseId: number;
  masterId: number | null;
  format: string | null;
}

/** What you own and want, indexed. */
export interface Holdings {
  ownedReleases: Map<number, OwnedCopy>;
  ownedMasters: Map<number, OwnedCopy[]>;
  wantedReleases: Set<number>;
  wantedMasters: Set<number>;
}

/** Build {@link Holdings} from owned copies and wanted releases. */
export function holdingsOf(
  owned: readonly OwnedCopy[],
  wanted: readonly { releaseId: number; masterId: number | null }[],
): Holdings {
  const ownedMasters = new Map<number, OwnedCopy[]>();
  for (const c of owned) {
    if (c.masterId === null) continue;
    const list = ownedMasters.get(c.masterId) ?? [];
    list.push(c);
    ownedMasters.set(c.masterId, list);
  }
  return {
    ownedReleases: new Map(owned.map((c) => [c.releaseId, c])),
    ownedMasters,
    wantedReleases: new Set(wanted.map((w) => w.releaseId)),
    wantedMasters: new Set(wanted.flatMap((w) => (w.masterId === null ? [] : [w.masterId]))),
  };
}

/** Which listing entries count, and how. */
export interface FoldOptions {
  format: string;
  pressings: boolean;
  appearances: boolean;
  compilations: boolean;
  unofficial: boolean;
}

/** A pressing worth pricing for an entry. */
export interface Candidate {
  releaseId: number;
  format: string | null;
  have: number | null;
}

/** One entry of a set: an album (or, with `--pressings`, one pressing). */
export interface SetEntry {
  /** `master:1`, `release:2` or `album:<artist>|<title>`, unique within the set. */
  key: string;
  masterId: number | null;
  /** The listed release (a master's main release). */
  releaseId: number | null;
  title: string;
  artist: string | null;
  year: number | null;
  format: string | null;
  label: string | null;
  catno: string | null;
  /** The pressings in the collected format, most collected first (what pricing reads). */
  candidates: Candidate[];
  owned: boolean;
  inWantlist: boolean;
  /** False when the entry's format could not be checked (pressings not read). */
  formatChecked: boolean;
}

const norm = (s: string | null) =>
  (s ?? "").toLowerCase().replace(/ \(\d+\)/g, "").replace(/[*'’"]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ").trim();

const isCompilation = (format: string | null) => format !== null && /\bcomp\b/i.test(format);

/** Whether an item's credit belongs in the set. */
export function creditCounts(item: ListedItem, kind: SetKind, options: FoldOptions): boolean {
  if (kind !== "artist") return true;
  if (item.role === "Main") return true;
  if (item.role === "UnofficialRelease") return options.unofficial;
  return options.appearances;
}

const pressingFormat = (p: Pressing) =>
  p.format ?? (p.majorFormats.length ? p.majorFormats.join(", ") : null);

/** The entries of one set, folded by album unless `options.pressings`. */
export function entriesOf(
  kind: SetKind,
  items: readonly ListedItem[],
  pressings: ReadonlyMap<number, readonly Pressing[]>,
  holdings: Holdings,
  options: FoldOptions,
): SetEntry[] {
  const byKey = new Map<string, SetEntry>();
  const add = (entry: SetEntry) => {
    const known = byKey.get(entry.key);
    if (!known) {
      byKey.set(entry.key, entry);
      return;
    }
    for (const c of entry.candidates) {
      if (!known.candidates.some((k) => k.releaseId === c.releaseId)) known.candidates.push(c);
    }
    known.year = minYear(known.year, entry.year);
    known.formatChecked &&= entry.formatChecked;
  };
  const ownsMaster = (masterId: number | null) =>
    masterId !== null &&
    (holdings.ownedMasters.get(masterId) ?? []).some((c) =>
      inFormat(c.format, options.format) !== false
    );
  for (const item of items) {
    if (!creditCounts(item, kind, options)) continue;
    if (item.type === "master" && item.masterId !== null) {
      const known = pressings.get(item.masterId);
      const inFmt = known?.filter((p) => inFormat(pressingFormat(p), options.format) !== false);
      const usable = inFmt?.filter((p) => options.compilations || !isCompilation(p.format));
      if (
        known && known.length > 0 && !options.compilations && usable?.length === 0 &&
        inFmt!.length > 0
      ) continue; // only compilations
      if (usable !== undefined && usable.length === 0 && !ownsMaster(item.masterId)) continue;
      const candidates = (usable ?? []).map((p) => ({
        releaseId: p.releaseId,
        format: pressingFormat(p),
        have: p.have,
      }));
      if (options.pressings && usable !== undefined) {
        for (const p of usable) {
          add(entry(`release:${p.releaseId}`, item, {
            releaseId: p.releaseId,
            year: p.year ?? item.year,
            format: pressingFormat(p),
            label: p.label,
            catno: p.catno,
            candidates: [{ releaseId: p.releaseId, format: pressingFormat(p), have: p.have }],
            formatChecked: true,
          }));
        }
        continue;
      }
      if (candidates.length === 0 && item.releaseId !== null) {
        candidates.push({ releaseId: item.releaseId, format: null, have: item.have });
      }
      const years = (usable ?? []).map((p) => p.year).filter((y): y is number => y !== null);
      add(entry(`master:${item.masterId}`, item, {
        year: minYear(item.year, years.length ? Math.min(...years) : null),
        format: candidates[0]?.format ?? null,
        label: usable?.[0]?.label ?? item.label,
        catno: usable?.[0]?.catno ?? item.catno,
        candidates,
        formatChecked: usable !== undefined || options.format === "any" ||
          ownsMaster(item.masterId),
      }));
      continue;
    }
    if (item.releaseId === null) continue;
    const fmt = inFormat(item.format, options.format);
    if (fmt === false) continue;
    // The artist's own compilations; an appearance is most often on one, and counts as asked.
    if (
      !options.compilations && kind === "artist" && item.role === "Main" &&
      isCompilation(item.format)
    ) continue;
    const key = options.pressings || kind === "master"
      ? `release:${item.releaseId}`
      : item.masterId !== null
      ? `master:${item.masterId}`
      : kind === "label"
      ? `album:${norm(item.artist)}|${norm(item.title)}`
      : `release:${item.releaseId}`;
    add(entry(key, item, {
      candidates: [{ releaseId: item.releaseId, format: item.format, have: item.have }],
      formatChecked: fmt !== undefined,
    }));
  }
  const entries = [...byKey.values()];
  for (const e of entries) {
    e.candidates.sort((a, b) => (b.have ?? 0) - (a.have ?? 0) || a.releaseId - b.releaseId);
    const ids = e.candidates.map((c) => c.releaseId);
    if (e.releaseId !== null && !ids.includes(e.releaseId)) ids.push(e.releaseId);
    const byAlbum = !options.pressings && kind !== "master";
    e.owned = ids.some((id) => {
      const copy = holdings.ownedReleases.get(id);
      return copy !== undefined && inFormat(copy.format, options.format) !== false;
    }) || (byAlbum && ownsMaster(e.masterId));
    e.inWantlist = ids.some((id) => holdings.wantedReleases.has(id)) ||
      (byAlbum && e.masterId !== null && holdings.wantedMasters.has(e.masterId));
  }
  return entries.sort((a, b) =>
    (a.year ?? 9999) - (b.year ?? 9999) || a.title.localeCompare(b.title) ||
    a.key.localeCompare(b.key)
  );
}

function minYear(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

function entry(
  key: string,
  item: ListedItem,
  over: Partial<SetEntry> & Pick<SetEntry, "candidates" | "formatChecked">,
): SetEntry {
  return {
    key,
    masterId: item.masterId,
    releaseId: item.releaseId,
    title: item.title,
    artist: item.artist,
    year: item.year,
    format: item.format,
    label: item.label,
    catno: item.catno,
    owned: false,
    inWantlist: false,
    ...over,
  };
}
