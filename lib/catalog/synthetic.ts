/**
 * Seeded synthetic Discogs dumps, for tests and the `catalog` benchmark: releases with the real
 * element mix (images in the 2020 generation, main artists with name variations and joins,
 * several labels and formats, release and track credits with roles, tracklists with sub-tracks,
 * identifiers, videos, companies, notes), ≈ 4 KB of XML per release like the real file, plus
 * masters, artists and labels. Written streaming (plain or gzip), never whole in memory.
 *
 * Both generations of the format come from the same draws: with one seed, the 2020 file
 * (`status`, `<images>`, empty children written out, non-ASCII as numeric entities) and today's
 * (no `status`, no images, empty children omitted, UTF-8 as is) hold the same catalogue, so
 * their tables differ only in `releases.status`.
 *
 * @example
 * ```ts
 * const counts = await writeSyntheticDump("data/bench/r.xml.gz", {
 *   kind: "releases", count: 1000, seed: 7, generation: "today",
 * });
 * counts.rows.release_artists; // rows the catalogue must hold for this file
 * ```
 *
 * @module
 */

import { createGzip } from "node:zlib";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { DumpKind } from "./schema.ts";
import { seededRandom } from "../stats/mod.ts";

/** Which format generation to write. */
export type DumpGeneration = "2020" | "today";

/** Options for {@link writeSyntheticDump}. */
export interface SyntheticOptions {
  kind: DumpKind;
  /** Records to write. */
  count: number;
  seed: number;
  generation: DumpGeneration;
  /** Gzip the output (default: the path ends in `.gz`). */
  gzip?: boolean;
}

/** What a synthetic file holds: records, rows per catalogue table, XML bytes, first/last id. */
export interface SyntheticCounts {
  records: number;
  rows: Record<string, number>;
  xmlBytes: number;
  firstId: number;
  lastId: number;
}

export { seededRandom } from "../stats/mod.ts";

// Vocabulary: enough variety for realistic compression and dictionary sizes, with the
// characters that need escaping (&, <, ", ') and non-ASCII names the real file has.
const FIRST = [
  "Jesper",
  "Cari",
  "Alexi",
  "Heiko",
  "Johannes",
  "Karl",
  "Mika",
  "Ana",
  "Zoë",
  "Björn",
  "Dillinja",
  "Lena",
  "Marc",
  "Ólafur",
  "Søren",
  "Jürgen",
  "Nina",
  "Roni",
  "Kai",
  "Théo",
  "Ludmila",
  "Hiroshi",
  "Fatou",
  "Pablo",
  "Iris",
  "Omar",
  "Grace",
  "Tomasz",
  "Aiko",
  "Sven",
];
const LAST = [
  "Dahlbäck",
  "Lekebusch",
  "Delano",
  "Laux",
  "Heil",
  "Bissler",
  "Vainio",
  "Moura",
  "Keller",
  "Åberg",
  "Size",
  "Weiß",
  "Craig",
  "Arnalds",
  "Møller",
  "Schröder",
  "Kraviz",
  "O'Neil",
  "Nakamura",
  "Diallo",
  "Ortega",
  "Lindqvist",
  "Novak",
  "Brandt",
  "Watson",
  "Heard",
  "Çelik",
];
const WORDS = [
  "Stockholm",
  "Night",
  "Dub",
  "Groove",
  "Machine",
  "Deep",
  "Soul",
  "Rhythm",
  "Moments",
  "Time",
  "Silver",
  "Echo",
  "Tribe",
  "River",
  "Static",
  "Motion",
  "Blue",
  "Velvet",
  "Sun",
  "Östermalm",
  "Paradise",
  "Signal",
  "Drift",
  "Orbit",
  "Future",
  "Kings",
  "Wax",
  "Dream",
  "Theory",
  "Pulse",
  "Garden",
  "Lights",
  "Mirror",
  "Heat",
  "Nova",
  "Journey",
  "Amor",
  "Café",
  "Rock & Roll",
  "Don't Stop",
  "<Untitled>",
  '"Live"',
  "Vol. 2",
  "Part I",
  "(Remix)",
];
const GROUPS = ["The", "DJ", "MC", "Los", "Die", "Les", "Orchestra", "Quartet", "Sound", "Crew"];
const ROLES = [
  "Written-By",
  "Written-By",
  "Written-By",
  "Producer",
  "Composed By",
  "Vocals",
  "Music By",
  "Remix",
  "Lyrics By",
  "Guitar",
  "Drums",
  "Bass",
  "Mastered By",
  "Lead Vocals",
  "Engineer",
  "Featuring",
  "Arranged By",
  "Mixed By",
  "Backing Vocals",
  "Piano",
  "Recorded By",
  "Executive-Producer",
  "Photography By",
  "Design",
  "Engineer [Assistant]",
  "Written-By, Producer",
  "Music By [All Tracks By]",
  "Co-producer",
];
const JOINS = [",", ",", "&", "Feat.", "/", "And", "With", "Featuring", "vs."];
const GENRES = [
  "Electronic",
  "Rock",
  "Pop",
  "Jazz",
  "Funk / Soul",
  "Hip Hop",
  "Classical",
  "Reggae",
  "Folk, World, & Country",
  "Latin",
  "Blues",
  "Stage & Screen",
  "Non-Music",
  "Children's",
];
const STYLES = [
  "Deep House",
  "Techno",
  "Tech House",
  "House",
  "Drum n Bass",
  "Jungle",
  "Dub",
  "Ambient",
  "Disco",
  "Soul",
  "Jazz-Funk",
  "Hard Bop",
  "Punk",
  "Indie Rock",
  "Synth-pop",
  "Downtempo",
  "Trance",
  "Experimental",
  "Breakbeat",
  "Garage House",
  "Minimal",
  "Acid",
  "Electro",
  "Roots",
  "Schlager",
  "Ballad",
  "Baroque",
  "Opera",
  "Boom Bap",
  "Soundtrack",
  "Folk",
  "Bossa Nova",
];
const COUNTRIES = [
  "US",
  "UK",
  "Germany",
  "France",
  "Netherlands",
  "Sweden",
  "Japan",
  "Italy",
  "Canada",
  "Belgium",
  "Europe",
  "Brazil",
  "Jamaica",
  "Finland",
  "Spain",
  "Australia",
  "Côte d'Ivoire",
];
const FORMATS: [string, string[]][] = [
  ["Vinyl", ['12"', "33 ⅓ RPM", "45 RPM", '7"', "LP", "Album", "EP", "Single", "Reissue"]],
  ["CD", ["Album", "Compilation", "Mixed", "Enhanced", "Promo"]],
  ["Cassette", ["Album", "Single", "Limited Edition"]],
  ["File", ["MP3", "FLAC", "WAV", "320 kbps"]],
  ["CDr", ["Promo", "Album"]],
];
const QUALITIES = [
  "Correct",
  "Needs Vote",
  "Needs Vote",
  "Complete and Correct",
  "Needs Minor Changes",
];
const ID_TYPES = [
  "Matrix / Runout",
  "Barcode",
  "Label Code",
  "Rights Society",
  "Mastering SID Code",
];
const COMPANY_TYPES: [number, string][] = [
  [23, "Recorded At"],
  [17, "Pressed By"],
  [13, "Phonographic Copyright (p)"],
  [14, "Copyright (c)"],
  [29, "Mastered At"],
  [10, "Distributed By"],
  [21, "Published By"],
];

/** Random helpers over one PRNG. */
class Draw {
  constructor(readonly next: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A count skewed towards small values with a long tail, mean ≈ `mean`. */
  count(mean: number, max: number): number {
    return Math.min(max, Math.floor(-Math.log(1 - this.next()) * mean));
  }
  words(lo: number, hi: number): string {
    const n = this.int(lo, hi);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.pick(WORDS));
    return out.join(" ");
  }
  person(): string {
    return this.chance(0.3)
      ? `${this.pick(GROUPS)} ${this.pick(WORDS)}`
      : `${this.pick(FIRST)} ${this.pick(LAST)}`;
  }
  artistId(): number {
    return this.int(1, 9_000_000);
  }
}

// Escaping. Text needs &, <, >; attributes also ". The 2020 files carry non-ASCII as numeric
// character references (the sample's re-serialisation), today's as plain UTF-8.
const TEXT_RE = /[&<>]/g;
const ATTR_RE = /[&<>"]/g;
const NON_ASCII_RE = /[^\n -~]/gu;
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
const escapeOne = (c: string) => ESCAPES[c];
const numeric = (c: string) => `&#${c.codePointAt(0)};`;

/** A writer of one generation's XML into a string array. */
class Xml {
  readonly old: boolean;
  readonly parts: string[] = [];
  constructor(generation: DumpGeneration) {
    this.old = generation === "2020";
  }
  text(s: string): string {
    const t = s.replace(TEXT_RE, escapeOne);
    return this.old ? t.replace(NON_ASCII_RE, numeric) : t;
  }
  attr(s: string): string {
    const t = s.replace(ATTR_RE, escapeOne);
    return this.old ? t.replace(NON_ASCII_RE, numeric) : t;
  }
  /** `<tag>text</tag>`; an empty or absent value is `<tag/>` in 2020 files, left out today. */
  el(tag: string, value: string | number | null): void {
    if (value === null || value === "") {
      if (this.old) this.parts.push(`<${tag}/>`);
      return;
    }
    this.parts.push(`<${tag}>${typeof value === "number" ? value : this.text(value)}</${tag}>`);
  }
  raw(s: string): void {
    this.parts.push(s);
  }
}

/** A credit as drawn: what the catalogue keeps of it. */
interface Credit {
  id: number;
  name: string;
  anv: string | null;
  join: string | null;
  role: string | null;
  tracks: string | null;
}

/** Counts of catalogue rows, accumulated as records are drawn. */
type RowCounts = Record<string, number>;

function addRows(rows: RowCounts, table: string, n: number): void {
  rows[table] = (rows[table] ?? 0) + n;
}

function writeCredit(x: Xml, c: Credit): void {
  x.raw(`<artist><id>${c.id}</id>`);
  x.el("name", c.name);
  x.el("anv", c.anv);
  x.el("join", c.join);
  x.el("role", c.role);
  x.el("tracks", c.tracks);
  x.raw("</artist>");
}

function drawCredits(d: Draw, n: number, main: boolean): Credit[] {
  const out: Credit[] = [];
  for (let i = 0; i < n; i++) {
    const name = d.person();
    out.push({
      id: d.artistId(),
      name,
      anv: d.chance(0.25) ? name.split(" ")[0] : null,
      join: main && i < n - 1 ? d.pick(JOINS) : null,
      role: main ? null : d.pick(ROLES),
      tracks: !main && d.chance(0.15) ? `A${d.int(1, 3)}, B${d.int(1, 3)}` : null,
    });
  }
  return out;
}

function duration(d: Draw): string | null {
  return d.chance(0.5) ? null : `${d.int(1, 12)}:${String(d.int(0, 59)).padStart(2, "0")}`;
}

/** One release in `x`, counting its rows into `rows`. */
function release(d: Draw, x: Xml, id: number, rows: RowCounts): void {
  x.raw(x.old ? `<release id="${id}" status="Accepted">` : `<release id="${id}">`);
  const images = d.count(2.5, 12);
  // Image sizes are drawn for both generations so the twins stay in step.
  const heights = Array.from({ length: images }, () => d.int(300, 600));
  if (x.old && images > 0) {
    x.raw("<images>");
    for (let i = 0; i < images; i++) {
      x.raw(
        `<image type="${i === 0 ? "primary" : "secondary"}" uri="" uri150="" width="600" height="${
          heights[i]
        }"/>`,
      );
    }
    x.raw("</images>");
  }
  const artists = drawCredits(d, d.chance(0.8) ? 1 : d.int(2, 3), true);
  x.raw("<artists>");
  for (const a of artists) writeCredit(x, a);
  x.raw("</artists>");
  x.el("title", d.words(1, 4));
  const labels = d.chance(0.85) ? 1 : d.int(2, 3);
  x.raw("<labels>");
  for (let i = 0; i < labels; i++) {
    const name = `${d.pick(WORDS)} ${d.chance(0.5) ? "Records" : d.pick(WORDS)}`;
    const catno = d.chance(0.1) ? "none" : `${name.slice(0, 3).toUpperCase()} ${d.int(1, 999)}`;
    x.raw(`<label name="${x.attr(name)}" catno="${x.attr(catno)}" id="${d.int(1, 2_300_000)}"/>`);
  }
  x.raw("</labels>");
  const extras = drawCredits(d, d.count(3.8, 40), false);
  if (extras.length > 0) {
    x.raw("<extraartists>");
    for (const c of extras) writeCredit(x, c);
    x.raw("</extraartists>");
  } else if (x.old) x.raw("<extraartists/>");
  const formats = d.chance(0.9) ? 1 : 2;
  let descriptions = 0;
  x.raw("<formats>");
  for (let i = 0; i < formats; i++) {
    const [name, pool] = d.pick(FORMATS);
    const text = d.chance(0.15) ? d.pick(["Gatefold", "Red", "180g", "Clear"]) : "";
    x.raw(`<format name="${name}" qty="${d.chance(0.85) ? 1 : d.int(2, 4)}" text="${text}">`);
    const n = d.int(1, 5);
    descriptions += n;
    x.raw("<descriptions>");
    for (let j = 0; j < n; j++) x.el("description", d.pick(pool));
    x.raw("</descriptions></format>");
  }
  x.raw("</formats>");
  const genres = d.chance(0.75) ? 1 : d.int(2, 3);
  x.raw("<genres>");
  for (let i = 0; i < genres; i++) x.el("genre", d.pick(GENRES));
  x.raw("</genres>");
  const styles = d.chance(0.15) ? 0 : d.int(1, 3);
  if (styles > 0) {
    x.raw("<styles>");
    for (let i = 0; i < styles; i++) x.el("style", d.pick(STYLES));
    x.raw("</styles>");
  }
  x.el("country", d.chance(0.97) ? d.pick(COUNTRIES) : null);
  const year = d.int(1950, 2025);
  const released = d.chance(0.1)
    ? null
    : d.chance(0.5)
    ? String(year)
    : `${year}-${String(d.int(0, 12)).padStart(2, "0")}-00`;
  x.el("released", released);
  if (d.chance(0.65)) {
    x.el(
      "notes",
      `${d.words(3, 30)}.\n\nRecorded at ${d.pick(WORDS)} Studio & mastered by ${d.person()}.\n${
        d.words(2, 12)
      }`,
    );
  }
  x.el("data_quality", d.pick(QUALITIES));
  if (d.chance(0.6)) {
    x.raw(
      `<master_id is_main_release="${d.chance(0.3) ? "true" : "false"}">${
        d.int(1, 3_000_000)
      }</master_id>`,
    );
  }
  const tracks = 1 + d.count(9, 60);
  let trackCredits = 0;
  x.raw("<tracklist>");
  for (let t = 0; t < tracks; t++) {
    const position = tracks <= 8 ? `${t < tracks / 2 ? "A" : "B"}${t + 1}` : String(t + 1);
    x.raw("<track>");
    x.el("position", position);
    x.el("title", d.words(1, 5));
    x.el("duration", duration(d));
    if (d.chance(0.2)) {
      x.raw("<artists>");
      for (const a of drawCredits(d, d.int(1, 2), true)) writeCredit(x, a);
      x.raw("</artists>");
    }
    if (d.chance(0.3)) {
      const credits = drawCredits(d, d.int(1, 3), false);
      trackCredits += credits.length;
      x.raw("<extraartists>");
      for (const c of credits) writeCredit(x, { ...c, tracks: null });
      x.raw("</extraartists>");
    }
    if (d.chance(0.01)) {
      x.raw("<sub_tracks>");
      for (let s = 1; s <= 3; s++) {
        x.raw(`<track><position>${t + 1}.${s}</position>`);
        x.el("title", d.words(1, 3));
        x.el("duration", null);
        x.raw("</track>");
      }
      x.raw("</sub_tracks>");
    }
    x.raw("</track>");
  }
  x.raw("</tracklist>");
  const identifiers = d.count(1.7, 20);
  if (identifiers > 0) {
    x.raw("<identifiers>");
    for (let i = 0; i < identifiers; i++) {
      x.raw(
        `<identifier type="${x.attr(d.pick(ID_TYPES))}" description="${
          x.attr(d.chance(0.5) ? `Side ${d.pick(["A", "B", "C", "D"])} Runout` : "")
        }" value="${x.attr(`${d.pick(WORDS).toUpperCase()} ${d.int(100, 99999)} A1`)}"/>`,
      );
    }
    x.raw("</identifiers>");
  }
  const videos = d.count(2.3, 20);
  if (videos > 0) {
    x.raw("<videos>");
    for (let i = 0; i < videos; i++) {
      const who = artists[0].name;
      x.raw(
        `<video src="https://www.youtube.com/watch?v=${d.int(1e9, 9e9).toString(36)}" duration="${
          d.int(60, 600)
        }" embed="true">`,
      );
      x.el("title", `${who} - ${d.words(1, 3)}`);
      x.el(
        "description",
        `https://www.discogs.com/release/${id}\n\n${who} - ${d.words(2, 8)}`,
      );
      x.raw("</video>");
    }
    x.raw("</videos>");
  }
  const companies = d.count(1.7, 20);
  if (companies > 0) {
    x.raw("<companies>");
    for (let i = 0; i < companies; i++) {
      const [type, typeName] = d.pick(COMPANY_TYPES);
      const cid = d.int(1, 2_300_000);
      x.raw(`<company><id>${cid}</id>`);
      x.el("name", `${d.pick(WORDS)} ${d.pick(["GmbH", "Ltd.", "Studios", "Pressing"])}`);
      x.el("catno", d.chance(0.2) ? `C-${d.int(1, 999)}` : null);
      x.raw(
        `<entity_type>${type}</entity_type><entity_type_name>${
          x.text(typeName)
        }</entity_type_name><resource_url>https://api.discogs.com/labels/${cid}</resource_url>`,
      );
      x.raw("</company>");
    }
    x.raw("</companies>");
  }
  x.raw("</release>\n");
  addRows(rows, "releases", 1);
  addRows(rows, "release_artists", artists.length + extras.length + trackCredits);
  addRows(rows, "release_labels", labels);
  addRows(rows, "release_genres", genres);
  addRows(rows, "release_styles", styles);
  addRows(rows, "release_formats", formats);
  addRows(rows, "format_descriptions", descriptions);
  addRows(rows, "tracks", tracks);
}

function master(d: Draw, x: Xml, id: number, rows: RowCounts): void {
  x.raw(`<master id="${id}"><main_release>${d.int(1, 30_000_000)}</main_release>`);
  if (x.old) {
    x.raw(`<images><image type="primary" uri="" uri150="" width="300" height="300"/></images>`);
  }
  const artists = drawCredits(d, d.chance(0.85) ? 1 : 2, true);
  x.raw("<artists>");
  for (const a of artists) writeCredit(x, a);
  x.raw("</artists><genres>");
  const genres = d.int(1, 2);
  for (let i = 0; i < genres; i++) x.el("genre", d.pick(GENRES));
  x.raw("</genres>");
  const styles = d.int(0, 3);
  if (styles > 0) {
    x.raw("<styles>");
    for (let i = 0; i < styles; i++) x.el("style", d.pick(STYLES));
    x.raw("</styles>");
  }
  x.el("year", d.chance(0.1) ? 0 : d.int(1950, 2025));
  x.el("title", d.words(1, 4));
  x.el("data_quality", d.pick(QUALITIES));
  x.raw("</master>\n");
  addRows(rows, "masters", 1);
}

function refs(d: Draw, x: Xml, tag: string, n: number): void {
  x.raw(`<${tag}>`);
  for (let i = 0; i < n; i++) x.raw(`<name id="${d.artistId()}">${x.text(d.person())}</name>`);
  x.raw(`</${tag}>`);
}

function artist(d: Draw, x: Xml, id: number, rows: RowCounts): void {
  x.raw("<artist>");
  const hasImage = d.chance(0.4);
  if (x.old && hasImage) {
    x.raw(`<images><image type="primary" uri="" uri150="" width="600" height="450"/></images>`);
  }
  x.raw(`<id>${id}</id>`);
  const name = d.person();
  x.el("name", name);
  x.el("realname", d.chance(0.4) ? `${d.pick(FIRST)} ${d.pick(LAST)}` : null);
  x.el("profile", d.chance(0.5) ? d.words(4, 30) : null);
  x.el("data_quality", d.pick(QUALITIES));
  const variations = d.count(1.5, 10);
  if (variations > 0) {
    x.raw("<namevariations>");
    for (let i = 0; i < variations; i++) x.el("name", `${name} ${i + 1}`);
    x.raw("</namevariations>");
  }
  const aliases = d.count(1, 8);
  if (aliases > 0) refs(d, x, "aliases", aliases);
  if (d.chance(0.2)) refs(d, x, "groups", d.int(1, 3));
  if (d.chance(0.1)) {
    // Members come as the real file has them: each `<name id>` preceded by its bare `<id>`.
    x.raw("<members>");
    for (let i = d.int(2, 5); i > 0; i--) {
      const member = d.artistId();
      x.raw(`<id>${member}</id><name id="${member}">${x.text(d.person())}</name>`);
    }
    x.raw("</members>");
  }
  x.raw("</artist>\n");
  addRows(rows, "artists", 1);
}

function label(d: Draw, x: Xml, id: number, rows: RowCounts): void {
  x.raw(`<label><id>${id}</id>`);
  x.el("name", `${d.pick(WORDS)} ${d.pick(["Records", "Music", "Recordings", "Sound"])}`);
  x.el("contactinfo", d.chance(0.3) ? `${d.words(2, 6)}\nP.O. Box ${d.int(1, 9999)}` : null);
  x.el("profile", d.chance(0.5) ? d.words(4, 30) : null);
  x.el("data_quality", d.pick(QUALITIES));
  if (d.chance(0.3)) {
    x.raw(`<parentLabel id="${d.int(1, 2_300_000)}">${x.text(d.words(1, 2))}</parentLabel>`);
  }
  const subs = d.count(0.8, 10);
  if (subs > 0) {
    x.raw("<sublabels>");
    for (let i = 0; i < subs; i++) {
      x.raw(`<label id="${d.int(1, 2_300_000)}">${x.text(d.words(1, 2))}</label>`);
    }
    x.raw("</sublabels>");
  }
  x.raw("</label>\n");
  addRows(rows, "labels", 1);
}

const RECORD_WRITERS: Record<
  DumpKind,
  (d: Draw, x: Xml, id: number, rows: RowCounts) => void
> = { releases: release, masters: master, artists: artist, labels: label };

/**
 * The records of a synthetic dump as XML text, `batch` records per yielded string (for
 * streaming), with the file's opening and closing root tags. `rows` is filled in as it goes.
 */
export function* syntheticXml(
  options: Omit<SyntheticOptions, "gzip">,
  rows: RowCounts,
  ids: { first: number; last: number },
  batch = 500,
): Generator<string> {
  const d = new Draw(seededRandom(options.seed));
  const write = RECORD_WRITERS[options.kind];
  yield `<${options.kind}>\n`;
  let id = 0;
  for (let done = 0; done < options.count;) {
    const x = new Xml(options.generation);
    const end = Math.min(options.count, done + batch);
    for (; done < end; done++) {
      // Real ids have gaps (deleted records); one id in ten is skipped.
      id += d.chance(0.1) ? 2 : 1;
      if (done === 0) ids.first = id;
      write(d, x, id, rows);
    }
    ids.last = id;
    yield x.parts.join("");
  }
  yield `</${options.kind}>\n`;
}

/**
 * Write a synthetic dump to `path` (gzip when the name ends in `.gz` unless `gzip` says
 * otherwise), streaming, and return what it holds.
 */
export async function writeSyntheticDump(
  path: string,
  options: SyntheticOptions,
): Promise<SyntheticCounts> {
  const gzip = options.gzip ?? path.endsWith(".gz");
  const rows: RowCounts = {};
  const ids = { first: 0, last: 0 };
  const file = createWriteStream(path);
  const sink = gzip ? createGzip({ level: 6 }) : file;
  if (gzip) (sink as ReturnType<typeof createGzip>).pipe(file);
  const encoder = new TextEncoder();
  let xmlBytes = 0;
  const finished = new Promise<void>((resolve, reject) => {
    file.on("close", resolve);
    file.on("error", reject);
    sink.on("error", reject);
  });
  for (const text of syntheticXml(options, rows, ids)) {
    const bytes = encoder.encode(text);
    xmlBytes += bytes.length;
    if (!sink.write(bytes)) await once(sink, "drain");
  }
  sink.end();
  await finished;
  return { records: options.count, rows, xmlBytes, firstId: ids.first, lastId: ids.last };
}

if (import.meta.main) {
  // `deno run -A lib/catalog/synthetic.ts releases 1000 out.xml.gz [seed] [2020|today]`
  const [kind, count, path, seed = "1", generation = "today"] = Deno.args;
  if (!kind || !count || !path) {
    console.error(
      "usage: synthetic.ts <releases|masters|artists|labels> COUNT FILE [SEED] [2020|today]",
    );
    Deno.exit(2);
  }
  const counts = await writeSyntheticDump(path, {
    kind: kind as DumpKind,
    count: Number(count),
    seed: Number(seed),
    generation: generation as DumpGeneration,
  });
  console.log(JSON.stringify(counts));
}
