/**
 * Builds each kind's record from the {@link Scanner} positioned on the record's start tag: the
 * fields `schema.ts` describes are read, everything else is skipped. Lists append and scalars
 * keep the last value, so a repeated element reads as the saxes reference reads it.
 *
 * @module
 */

import type {
  DumpArtist,
  DumpCredit,
  DumpFormat,
  DumpKind,
  DumpLabel,
  DumpMaster,
  DumpRecordOf,
  DumpRef,
  DumpRelease,
  DumpReleaseLabel,
} from "./schema.ts";
import type { Scanner } from "./scanner.ts";
import { toInt, toRef, yearOf } from "./values.ts";

function nonEmpty(text: string | null): string | null {
  return text === null || text.length === 0 ? null : text;
}

/** `<artist>` of `artists` or `extraartists`. */
function readCredit(sc: Scanner): DumpCredit {
  let id: number | null = null;
  let name = "";
  let anv: string | null = null;
  let join: string | null = null;
  let role: string | null = null;
  let tracks: string | null = null;
  if (!sc.selfClosing) {
    while (sc.nextChild("artist")) {
      switch (sc.name) {
        case "id":
          id = toInt(sc.text());
          break;
        case "name":
          name = sc.text() ?? "";
          break;
        case "anv":
          anv = sc.text();
          break;
        case "join":
          join = sc.text();
          break;
        case "role":
          role = sc.text();
          break;
        case "tracks":
          tracks = sc.text();
          break;
        default:
          sc.skip();
      }
    }
  }
  return { id, name, anv, join, role, tracks };
}

/** The `<artist>` children of the element just opened (`artists` or `extraartists`). */
function readCredits(sc: Scanner, parent: string, out: DumpCredit[]): void {
  if (sc.selfClosing) return;
  while (sc.nextChild(parent)) {
    if (sc.name === "artist") out.push(readCredit(sc));
    else sc.skip();
  }
}

/** The non-empty texts of the `child` elements of the element just opened. */
function readStrings(sc: Scanner, parent: string, child: string, out: string[]): void {
  if (sc.selfClosing) return;
  while (sc.nextChild(parent)) {
    if (sc.name === child) {
      const text = sc.text();
      if (text !== null) out.push(text);
    } else sc.skip();
  }
}

/** `<child id="…">Name</child>` children, those without a name left out. */
function readRefs(sc: Scanner, parent: string, child: string, out: DumpRef[]): void {
  if (sc.selfClosing) return;
  while (sc.nextChild(parent)) {
    if (sc.name === child) {
      const id = toInt(sc.attr("id"));
      const name = sc.text();
      if (name !== null) out.push({ id, name });
    } else sc.skip();
  }
}

function readReleaseLabels(sc: Scanner, out: DumpReleaseLabel[]): void {
  if (sc.selfClosing) return;
  while (sc.nextChild("labels")) {
    if (sc.name === "label") {
      out.push({
        id: toInt(sc.attr("id")),
        name: sc.attr("name") ?? "",
        catno: nonEmpty(sc.attr("catno")),
      });
    }
    sc.skip();
  }
}

function readFormats(sc: Scanner, out: DumpFormat[]): void {
  if (sc.selfClosing) return;
  while (sc.nextChild("formats")) {
    if (sc.name !== "format") {
      sc.skip();
      continue;
    }
    const name = sc.attr("name") ?? "";
    const qty = toInt(sc.attr("qty"));
    const text = nonEmpty(sc.attr("text"));
    const descriptions: string[] = [];
    if (!sc.selfClosing) {
      while (sc.nextChild("format")) {
        if ((sc.name as string) === "descriptions") {
          readStrings(sc, "descriptions", "description", descriptions);
        } else sc.skip();
      }
    }
    out.push({ name, qty, text, descriptions });
  }
}

/**
 * A `<track>`: its extraartists (and its sub-tracks') are appended to `out` in document order;
 * those naming no tracks of their own get the track's position.
 */
function readTrack(sc: Scanner, out: DumpCredit[]): void {
  if (sc.selfClosing) return;
  const first = out.length;
  let position: string | null = null;
  while (sc.nextChild("track")) {
    switch (sc.name) {
      case "position":
        position = sc.text();
        break;
      case "extraartists":
        readCredits(sc, "extraartists", out);
        break;
      case "sub_tracks":
        if (sc.selfClosing) break;
        while (sc.nextChild("sub_tracks")) {
          if ((sc.name as string) === "track") readTrack(sc, out);
          else sc.skip();
        }
        break;
      default:
        sc.skip();
    }
  }
  if (position !== null) {
    for (let i = first; i < out.length; i++) if (out[i].tracks === null) out[i].tracks = position;
  }
}

/** Reads a `<tracklist>`; returns its number of (top-level) tracks. */
function readTracklist(sc: Scanner, out: DumpCredit[]): number {
  if (sc.selfClosing) return 0;
  let count = 0;
  while (sc.nextChild("tracklist")) {
    if (sc.name === "track") {
      count++;
      readTrack(sc, out);
    } else sc.skip();
  }
  return count;
}

function readRelease(sc: Scanner): DumpRelease {
  const id = toInt(sc.attr("id"));
  const status = nonEmpty(sc.attr("status"));
  let title = "";
  let country: string | null = null;
  let released: string | null = null;
  let dataQuality: string | null = null;
  let masterId: number | null = null;
  let isMainRelease = false;
  let trackCount = 0;
  const artists: DumpCredit[] = [];
  const credits: DumpCredit[] = [];
  const trackCredits: DumpCredit[] = [];
  const labels: DumpReleaseLabel[] = [];
  const formats: DumpFormat[] = [];
  const genres: string[] = [];
  const styles: string[] = [];
  if (!sc.selfClosing) {
    while (sc.nextChild("release")) {
      switch (sc.name) {
        case "artists":
          readCredits(sc, "artists", artists);
          break;
        case "title":
          title = sc.text() ?? "";
          break;
        case "labels":
          readReleaseLabels(sc, labels);
          break;
        case "extraartists":
          readCredits(sc, "extraartists", credits);
          break;
        case "formats":
          readFormats(sc, formats);
          break;
        case "genres":
          readStrings(sc, "genres", "genre", genres);
          break;
        case "styles":
          readStrings(sc, "styles", "style", styles);
          break;
        case "country":
          country = sc.text();
          break;
        case "released":
          released = sc.text();
          break;
        case "data_quality":
          dataQuality = sc.text();
          break;
        case "master_id":
          isMainRelease = sc.attr("is_main_release") === "true";
          masterId = toRef(sc.text());
          break;
        case "tracklist":
          trackCount += readTracklist(sc, trackCredits);
          break;
        default:
          sc.skip();
      }
    }
  }
  if (id === null) sc.fail(sc.p, "a <release> without an id attribute ends here");
  for (const credit of trackCredits) credits.push(credit);
  return {
    id,
    status,
    title,
    artists,
    credits,
    labels,
    formats,
    genres,
    styles,
    country,
    released,
    year: yearOf(released),
    data_quality: dataQuality,
    master_id: masterId,
    is_main_release: isMainRelease,
    track_count: trackCount,
  };
}

function readMaster(sc: Scanner): DumpMaster {
  const id = toInt(sc.attr("id"));
  let mainRelease: number | null = null;
  let title = "";
  let year: number | null = null;
  let dataQuality: string | null = null;
  const artists: DumpCredit[] = [];
  const genres: string[] = [];
  const styles: string[] = [];
  if (!sc.selfClosing) {
    while (sc.nextChild("master")) {
      switch (sc.name) {
        case "main_release":
          mainRelease = toRef(sc.text());
          break;
        case "artists":
          readCredits(sc, "artists", artists);
          break;
        case "genres":
          readStrings(sc, "genres", "genre", genres);
          break;
        case "styles":
          readStrings(sc, "styles", "style", styles);
          break;
        case "year":
          year = toRef(sc.text());
          break;
        case "title":
          title = sc.text() ?? "";
          break;
        case "data_quality":
          dataQuality = sc.text();
          break;
        default:
          sc.skip();
      }
    }
  }
  if (id === null) sc.fail(sc.p, "a <master> without an id attribute ends here");
  return {
    id,
    main_release: mainRelease,
    title,
    year,
    data_quality: dataQuality,
    artists,
    genres,
    styles,
  };
}

function readArtist(sc: Scanner): DumpArtist {
  let id = toInt(sc.attr("id"));
  let name = "";
  let realname: string | null = null;
  let dataQuality: string | null = null;
  const nameVariations: string[] = [];
  const aliases: DumpRef[] = [];
  const groups: DumpRef[] = [];
  const members: DumpRef[] = [];
  if (!sc.selfClosing) {
    while (sc.nextChild("artist")) {
      switch (sc.name) {
        case "id": {
          const t = sc.text();
          if (t !== null) id = toInt(t);
          break;
        }
        case "name":
          name = sc.text() ?? "";
          break;
        case "realname":
          realname = sc.text();
          break;
        case "data_quality":
          dataQuality = sc.text();
          break;
        case "namevariations":
          readStrings(sc, "namevariations", "name", nameVariations);
          break;
        case "aliases":
          readRefs(sc, "aliases", "name", aliases);
          break;
        case "groups":
          readRefs(sc, "groups", "name", groups);
          break;
        case "members":
          // 2020-era files also list each member's <id> beside its <name id="…">: read names only.
          readRefs(sc, "members", "name", members);
          break;
        default:
          sc.skip();
      }
    }
  }
  if (id === null) sc.fail(sc.p, "an <artist> without an <id> ends here");
  return {
    id,
    name,
    realname,
    data_quality: dataQuality,
    name_variations: nameVariations,
    aliases,
    groups,
    members,
  };
}

function readLabel(sc: Scanner): DumpLabel {
  let id = toInt(sc.attr("id"));
  let name = "";
  let dataQuality: string | null = null;
  let parent: DumpRef | null = null;
  const sublabels: DumpRef[] = [];
  if (!sc.selfClosing) {
    while (sc.nextChild("label")) {
      switch (sc.name) {
        case "id": {
          const t = sc.text();
          if (t !== null) id = toInt(t);
          break;
        }
        case "name":
          name = sc.text() ?? "";
          break;
        case "data_quality":
          dataQuality = sc.text();
          break;
        case "parentLabel": {
          const parentId = toInt(sc.attr("id"));
          const parentName = sc.text();
          parent = parentName === null ? null : { id: parentId, name: parentName };
          break;
        }
        case "sublabels":
          readRefs(sc, "sublabels", "label", sublabels);
          break;
        default:
          sc.skip();
      }
    }
  }
  if (id === null) sc.fail(sc.p, "a <label> without an <id> ends here");
  return { id, name, data_quality: dataQuality, parent, sublabels };
}

/** The record builder of each kind: called with the record's start tag just read. */
export const RECORD_READERS: { [K in DumpKind]: (sc: Scanner) => DumpRecordOf[K] } = {
  releases: readRelease,
  masters: readMaster,
  artists: readArtist,
  labels: readLabel,
};
