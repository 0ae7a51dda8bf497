/**
 * The reference the fast dump parser is tested against: saxes (a conformant streaming XML
 * parser) builds a small tree of each record, and the record is read off that tree in the most
 * direct way. It shares nothing with the fast parser but the value rules of `values.ts`
 * (ids, years), so a disagreement on any fixture points at how one of them reads XML. Too slow
 * for a whole dump (see `deno task bench xmlparsers`); used by tests.
 *
 * @module
 */

import { SaxesParser } from "saxes";
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
} from "./schema.ts";
import { RECORD_ELEMENT, toInt, toRef, yearOf } from "./values.ts";

/** An element of a record: its name, attributes, child elements and own text. */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Character data and CDATA directly inside it (not its children's). */
  text: string;
}

function all(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}

function last(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return all(node, name).at(-1);
}

function text(node: XmlNode | undefined): string | null {
  return node === undefined || node.text === "" ? null : node.text;
}

function attr(node: XmlNode, name: string): string | null {
  return Object.hasOwn(node.attrs, name) ? node.attrs[name] : null;
}

function nonEmpty(value: string | null): string | null {
  return value === "" ? null : value;
}

/** All `grand` children of every `child` of `node` (`artists/artist`). */
function nested(node: XmlNode, child: string, grand: string): XmlNode[] {
  return all(node, child).flatMap((c) => all(c, grand));
}

function strings(node: XmlNode, child: string, grand: string): string[] {
  return nested(node, child, grand).map(text).filter((t): t is string => t !== null);
}

function refs(node: XmlNode, child: string, grand: string): DumpRef[] {
  return nested(node, child, grand)
    .filter((n) => text(n) !== null)
    .map((n) => ({ id: toInt(attr(n, "id")), name: text(n)! }));
}

function credit(node: XmlNode): DumpCredit {
  return {
    id: toInt(text(last(node, "id"))),
    name: text(last(node, "name")) ?? "",
    anv: text(last(node, "anv")),
    join: text(last(node, "join")),
    role: text(last(node, "role")),
    tracks: text(last(node, "tracks")),
  };
}

/** The extraartists of a track and its sub-tracks, in document order, tracks filled in. */
function trackCredits(track: XmlNode): DumpCredit[] {
  const out: DumpCredit[] = [];
  for (const child of track.children) {
    if (child.name === "extraartists") out.push(...all(child, "artist").map(credit));
    if (child.name === "sub_tracks") out.push(...all(child, "track").flatMap(trackCredits));
  }
  const position = text(last(track, "position"));
  return out.map((c) => (c.tracks === null ? { ...c, tracks: position } : c));
}

function release(node: XmlNode): DumpRelease {
  const released = text(last(node, "released"));
  const master = last(node, "master_id");
  const tracks = nested(node, "tracklist", "track");
  return {
    id: toInt(attr(node, "id"))!,
    status: nonEmpty(attr(node, "status")),
    title: text(last(node, "title")) ?? "",
    artists: nested(node, "artists", "artist").map(credit),
    credits: [
      ...nested(node, "extraartists", "artist").map(credit),
      ...tracks.flatMap(trackCredits),
    ],
    labels: nested(node, "labels", "label").map((l) => ({
      id: toInt(attr(l, "id")),
      name: attr(l, "name") ?? "",
      catno: nonEmpty(attr(l, "catno")),
    })),
    formats: nested(node, "formats", "format").map((f): DumpFormat => ({
      name: attr(f, "name") ?? "",
      qty: toInt(attr(f, "qty")),
      text: nonEmpty(attr(f, "text")),
      descriptions: strings(f, "descriptions", "description"),
    })),
    genres: strings(node, "genres", "genre"),
    styles: strings(node, "styles", "style"),
    country: text(last(node, "country")),
    released,
    year: yearOf(released),
    data_quality: text(last(node, "data_quality")),
    master_id: toRef(text(master)),
    is_main_release: master !== undefined && attr(master, "is_main_release") === "true",
    track_count: tracks.length,
  };
}

function master(node: XmlNode): DumpMaster {
  return {
    id: toInt(attr(node, "id"))!,
    main_release: toRef(text(last(node, "main_release"))),
    title: text(last(node, "title")) ?? "",
    year: toRef(text(last(node, "year"))),
    data_quality: text(last(node, "data_quality")),
    artists: nested(node, "artists", "artist").map(credit),
    genres: strings(node, "genres", "genre"),
    styles: strings(node, "styles", "style"),
  };
}

function artist(node: XmlNode): DumpArtist {
  return {
    id: toInt(text(last(node, "id")) ?? attr(node, "id"))!,
    name: text(last(node, "name")) ?? "",
    realname: text(last(node, "realname")),
    data_quality: text(last(node, "data_quality")),
    name_variations: strings(node, "namevariations", "name"),
    aliases: refs(node, "aliases", "name"),
    groups: refs(node, "groups", "name"),
    members: refs(node, "members", "name"),
  };
}

function label(node: XmlNode): DumpLabel {
  const parent = last(node, "parentLabel");
  return {
    id: toInt(text(last(node, "id")) ?? attr(node, "id"))!,
    name: text(last(node, "name")) ?? "",
    data_quality: text(last(node, "data_quality")),
    parent: parent && text(parent) !== null
      ? { id: toInt(attr(parent, "id")), name: text(parent)! }
      : null,
    sublabels: refs(node, "sublabels", "label"),
  };
}

const BUILDERS: { [K in DumpKind]: (node: XmlNode) => DumpRecordOf[K] } = {
  releases: release,
  masters: master,
  artists: artist,
  labels: label,
};

/**
 * Parses a dump file with saxes; `onRecord` gets every record, built from its element tree.
 * Errors are saxes' own.
 */
export class ReferenceDumpParser<K extends DumpKind> {
  readonly #sax = new SaxesParser({ position: false });
  readonly #decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  #depth = 0;
  #stack: XmlNode[] = [];

  constructor(kind: K, onRecord: (record: DumpRecordOf[K]) => void) {
    const element = RECORD_ELEMENT[kind];
    const build = BUILDERS[kind] as (node: XmlNode) => DumpRecordOf[K];
    this.#sax.on("opentag", (tag) => {
      this.#depth++;
      const inRecord = this.#stack.length > 0;
      if (!inRecord && !(this.#depth === 2 && tag.name === element)) return;
      const node: XmlNode = {
        name: tag.name,
        attrs: tag.attributes as Record<string, string>,
        children: [],
        text: "",
      };
      if (inRecord) this.#stack.at(-1)!.children.push(node);
      this.#stack.push(node);
    });
    const addText = (t: string) => {
      if (this.#stack.length > 0) this.#stack.at(-1)!.text += t;
    };
    this.#sax.on("text", addText);
    this.#sax.on("cdata", addText);
    this.#sax.on("closetag", () => {
      this.#depth--;
      if (this.#stack.length === 0) return;
      const node = this.#stack.pop()!;
      if (this.#stack.length === 0) onRecord(build(node));
    });
    this.#sax.on("error", (e) => {
      throw e;
    });
  }

  /** Feed the next bytes. */
  write(chunk: Uint8Array): void {
    this.#sax.write(this.#decoder.decode(chunk, { stream: true }));
  }

  /** The input is complete. */
  end(): void {
    const rest = this.#decoder.decode();
    if (rest) this.#sax.write(rest);
    this.#sax.close();
  }
}
