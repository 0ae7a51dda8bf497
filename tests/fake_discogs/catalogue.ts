/**
 * The fake Discogs' synthetic catalogue: a seeded, deterministic stand-in for the Discogs
 * database, built from the fixtures so that search, artist/label/master listings, release
 * bodies and users' collections all agree with each other.
 *
 * What goes in (see `../shared/fixtures/README.md`):
 * - the 315 recorded `GET /releases/{id}` bodies of gustw (real release, artist, label and
 *   master ids; their bodies are served byte for byte);
 * - the 6,368 release ids of `pools/marketplace_listings.csv` (the id comes from
 *   `release_page`; lowest price and copies for sale from its listings);
 * - a seeded sample of `pools/electronic_1990s_releases.csv` (no ids there: release
 *   {@link ELECTRONIC_ID_BASE} + the row's line number, a range no real id reaches);
 * - optionally another collection's releases ({@link CatalogueOptions.extra}, their own ids
 *   kept), so the evaluation's real-user path can hide any collection in the catalogue.
 *
 * The same artist or label name gets the same id everywhere (the real id from the gustw bodies
 * where the name matches, else one from {@link ARTIST_ID_BASE} / {@link LABEL_ID_BASE}).
 * Releases of one artist with the same title are versions of one master (the real gustw master
 * id when a gustw release is among them, else one from {@link MASTER_ID_BASE}); some lone
 * releases get a master of their own, as on Discogs.
 *
 * ```ts
 * const catalogue = await loadCatalogue();          // built once per process, then cached
 * const dub = searchCatalogue(catalogue, { type: "release", style: "Dub" });
 * const { hidden, kept } = pickHidden(catalogue.gustwIds, 0.2);
 * catalogue.releasesOf(catalogue.release(hidden[0])!.artists[0].id);
 * ```
 *
 * @module
 */

const FIXTURES = new URL("../../../shared/fixtures/", import.meta.url);

/** Release ids of the electronic pool rows: this + the row's 1-based position in the file. */
export const ELECTRONIC_ID_BASE = 90_000_000;
/** Invented artist ids start above this (real Discogs artist ids are far below). */
export const ARTIST_ID_BASE = 80_000_000;
/** Invented label ids start above this. */
export const LABEL_ID_BASE = 85_000_000;
/** Invented master ids start above this. */
export const MASTER_ID_BASE = 95_000_000;
/** The seed used when none is given. */
export const DEFAULT_SEED = 11;
/** How many distinct rows of the electronic pool go in by default. */
export const DEFAULT_ELECTRONIC_SAMPLE = 12_000;
/** Discogs lets a search reach this many results, no more (later pages are an error). */
export const SEARCH_RESULT_LIMIT = 10_000;

/** An artist or label credit: the id and name used everywhere in the catalogue. */
export interface Credit {
  id: number;
  name: string;
}

/** A label credit with its catalogue number. */
export interface LabelCredit extends Credit {
  catno: string;
}

/** A Discogs format entry (`formats[]` of a release body). */
export interface Format {
  name: string;
  qty: string;
  descriptions: string[];
}

/** Where a catalogue release came from. */
export type ReleaseSource = "gustw" | "marketplace" | "electronic" | "extra";

/** One release of the catalogue. */
export interface CatalogueRelease {
  id: number;
  title: string;
  /** 0 when unknown. */
  year: number;
  country: string;
  artists: Credit[];
  labels: LabelCredit[];
  masterId: number | null;
  genres: string[];
  styles: string[];
  formats: Format[];
  have: number;
  want: number;
  rating: { count: number; average: number };
  lowestPrice: number | null;
  numForSale: number;
  thumb: string;
  coverImage: string;
  source: ReleaseSource;
}

/** A master: the versions of one artist's title. */
export interface CatalogueMaster {
  id: number;
  title: string;
  artists: Credit[];
  mainRelease: number;
  year: number;
  genres: string[];
  styles: string[];
  /** Release ids, oldest first. */
  versions: number[];
}

/** An artist or a label, with its release ids (catalogue order). */
export interface CatalogueEntity {
  id: number;
  name: string;
  releases: number[];
}

/** Options for {@link loadCatalogue} / {@link buildCatalogue}. */
export interface CatalogueOptions {
  /** Seeds every invented value and the sample (default {@link DEFAULT_SEED}). */
  seed?: number;
  /** Distinct electronic pool rows to include (default {@link DEFAULT_ELECTRONIC_SAMPLE}). */
  electronicSample?: number;
  /** Another collection's releases to add (ids kept; ids already in the catalogue are skipped). */
  extra?: ExtraCollection;
}

/** A release added to the catalogue with its own id: a record of another collection. */
export interface ExtraRelease {
  id: number;
  title: string;
  /** 0 when unknown. */
  year: number;
  country: string;
  /** Artists by name; a given id is used when the name has none in the catalogue yet. */
  artists: { name: string; id?: number }[];
  labels: { name: string; id?: number; catno: string }[];
  masterId?: number | null;
  genres: string[];
  styles: string[];
  formats: Format[];
  have: number;
  want: number;
  lowestPrice: number | null;
  numForSale?: number;
}

/** Releases of another collection for the catalogue (see {@link CatalogueOptions.extra}). */
export interface ExtraCollection {
  /** Names the catalogue in logs. */
  name: string;
  releases: ExtraRelease[];
}

/** A master's community and market figures, summed over its versions. */
export interface MasterStats {
  have: number;
  want: number;
  lowestPrice: number | null;
  numForSale: number;
}

/** A search hit: which entity, in Discogs' result order. */
export interface SearchHit {
  type: "release" | "master" | "artist" | "label";
  id: number;
}

/** The filters of `GET /database/search` the fake understands (all optional). */
export interface SearchParams {
  type?: string;
  q?: string;
  /** Matches "Artist - Title". */
  title?: string;
  release_title?: string;
  artist?: string;
  label?: string;
  genre?: string;
  style?: string;
  /** A year (`1994`) or a range (`1990-1995`). */
  year?: string;
  format?: string;
  country?: string;
  catno?: string;
}

type Json = Record<string, unknown>;

/** FNV-1a over the seed and a key: the same key always gives the same number. */
function hash(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/** A number in [0, 1) fixed by the seed and the key. */
function unit(seed: number, key: string): number {
  return hash(seed, key) / 4_294_967_296;
}

function pick<T>(seed: number, key: string, items: readonly T[]): T {
  return items[hash(seed, key) % items.length];
}

/** Minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF), scanning with indexOf. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let field: string;
    if (text.charCodeAt(i) === 34) {
      // A quoted field: up to the quote not followed by another quote.
      let j = i + 1;
      field = "";
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) {
          field += text.slice(j);
          i = n;
          break;
        }
        field += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          field += '"';
          j = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    row.push(field);
    const c = text.charCodeAt(i);
    if (c === 44) {
      i++;
      if (i === n) row.push("");
    } else {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      i++;
      rows.push(row);
      row = [];
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

/** A CSV file's rows, each read by column name through `get(row, name)`. */
async function readCsv(
  path: string,
): Promise<{ header: string[]; rows: string[][]; get: (row: string[], name: string) => string }> {
  const [header, ...rows] = parseCsv(await Deno.readTextFile(new URL(path, FIXTURES)));
  const index = new Map(header.map((h, i) => [h, i]));
  return {
    header,
    rows: rows.filter((r) => r.length > 1),
    get: (row, name) => row[index.get(name) ?? -1] ?? "",
  };
}

/** Names as printed in the pools: invisible marks and the export's `*` (name variation) off. */
function cleanName(name: string): string {
  return name.replace(/[\u200e\u200f]/g, "").replace(/\*+$/, "").replace(/\s+/g, " ").trim();
}

const nameKey = (name: string) => cleanName(name).toLowerCase();

/** Lower-case words, for token matching. */
function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}$]+/u).filter((w) => w !== "");
}

function slug(text: string): string {
  return text.replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "");
}

/** Marketplace pool genres (lower-case, some really styles) as Discogs genre + styles. */
const MARKETPLACE_GENRES: Record<string, { genre: string; styles: string[] }> = {
  "hip hop": {
    genre: "Hip Hop",
    styles: ["Boom Bap", "Instrumental", "Conscious", "Jazzy Hip-Hop"],
  },
  experimental: { genre: "Electronic", styles: ["Experimental", "Abstract", "Drone", "Noise"] },
  house: { genre: "Electronic", styles: ["House", "Deep House", "Tech House", "Acid House"] },
  ambient: { genre: "Electronic", styles: ["Ambient", "Downtempo", "Drone", "Dub"] },
  fusion: { genre: "Jazz", styles: ["Fusion", "Jazz-Funk", "Jazz-Rock", "Soul-Jazz"] },
  funk: { genre: "Funk / Soul", styles: ["Funk", "Soul", "Disco", "P.Funk"] },
  "new wave": { genre: "Rock", styles: ["New Wave", "Synth-pop", "Post-Punk", "Pop Rock"] },
};

const COUNTRIES = ["US", "UK", "Germany", "France", "Japan", "Netherlands", "Italy", "Europe"];

function marketplaceFormat(format: string, limited: boolean): Format[] {
  const descriptions: Record<string, string[]> = {
    LP: ["LP", "Album"],
    '12"': ['12"', "33 ⅓ RPM"],
    '7"': ['7"', "45 RPM", "Single"],
    '10"': ['10"'],
  };
  const d = [...(descriptions[format] ?? [format])];
  if (limited) d.push("Limited Edition");
  return [{ name: "Vinyl", qty: "1", descriptions: d }];
}

function electronicFormat(seed: number, key: string, format: string): Format[] {
  if (format === "Vinyl") {
    return [{
      name: "Vinyl",
      qty: "1",
      descriptions: pick(seed, `fmt:${key}`, [['12"'], ['12"', "33 ⅓ RPM"], ["LP", "Album"], [
        '7"',
        "45 RPM",
      ]]),
    }];
  }
  if (format === "CD") return [{ name: "CD", qty: "1", descriptions: ["Album"] }];
  return [{ name: format, qty: "1", descriptions: [] }];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const num = (text: string) => (text.trim() === "" ? NaN : Number(text));

/** A searchable, listable copy of the Discogs database, small enough for a test. */
export class Catalogue {
  /** Every release, by id (gustw first, then marketplace, then electronic). */
  readonly releases = new Map<number, CatalogueRelease>();
  /** Every master, by id. */
  readonly masters = new Map<number, CatalogueMaster>();
  /** Every artist, by id. */
  readonly artists = new Map<number, CatalogueEntity>();
  /** Every label, by id. */
  readonly labels = new Map<number, CatalogueEntity>();
  /** The 315 gustw release ids, in the order of the recorded file. */
  readonly gustwIds: number[] = [];
  /** The seed it was built with. */
  readonly seed: number;
  readonly #recorded = new Map<number, string>();
  readonly #artistIds = new Map<string, number>();
  readonly #labelIds = new Map<string, number>();
  readonly #invented = { artist: ARTIST_ID_BASE, label: LABEL_ID_BASE };
  readonly #masterStats = new Map<number, MasterStats>();
  #finished = false;
  /** Popularity order per type, for search. */
  #order: { release: number[]; master: number[]; artist: number[]; label: number[] } = {
    release: [],
    master: [],
    artist: [],
    label: [],
  };
  #text = new Map<
    number,
    {
      all: string[];
      title: string[];
      artist: string[];
      label: string[];
      release: string[];
      catno: string[];
    }
  >();

  constructor(seed: number) {
    this.seed = seed;
  }

  /** A release, or undefined. */
  release(id: number): CatalogueRelease | undefined {
    return this.releases.get(id);
  }

  /** A master, or undefined. */
  master(id: number): CatalogueMaster | undefined {
    return this.masters.get(id);
  }

  /** Releases crediting the artist (catalogue order); [] for an unknown id. */
  releasesOf(artistId: number): CatalogueRelease[] {
    return (this.artists.get(artistId)?.releases ?? []).map((id) => this.releases.get(id)!);
  }

  /** Releases on the label (catalogue order); [] for an unknown id. */
  releasesOnLabel(labelId: number): CatalogueRelease[] {
    return (this.labels.get(labelId)?.releases ?? []).map((id) => this.releases.get(id)!);
  }

  /** The versions of a master, oldest first; [] for an unknown id. */
  versionsOf(masterId: number): CatalogueRelease[] {
    return (this.masters.get(masterId)?.versions ?? []).map((id) => this.releases.get(id)!);
  }

  /** The id the catalogue gives an artist name (`*` and case ignored), or undefined. */
  artistId(name: string): number | undefined {
    return this.#artistIds.get(nameKey(name));
  }

  /** The id the catalogue gives a label name, or undefined. */
  labelId(name: string): number | undefined {
    return this.#labelIds.get(nameKey(name));
  }

  /** The recorded body text of a gustw release (exactly as recorded), or undefined. */
  recordedBody(id: number): string | undefined {
    return this.#recorded.get(id);
  }

  /**
   * The `GET /releases/{id}` body text: the recorded one for gustw releases, else one made
   * from the catalogue with `resource_url`s on `origin`; undefined for ids not in it.
   */
  releaseBody(id: number, origin = "https://api.discogs.com"): string | undefined {
    const recorded = this.#recorded.get(id);
    if (recorded !== undefined) return recorded;
    const r = this.releases.get(id);
    return r === undefined ? undefined : JSON.stringify(synthesizedBody(r, origin));
  }

  // ---- building ----

  /** @internal */
  registerName(kind: "artist" | "label", name: string, realId?: number): Credit {
    const ids = kind === "artist" ? this.#artistIds : this.#labelIds;
    const entities = kind === "artist" ? this.artists : this.labels;
    const key = nameKey(name);
    let id = ids.get(key);
    if (id === undefined) {
      id = realId ?? ++this.#invented[kind];
      ids.set(key, id);
    }
    if (!entities.has(id)) entities.set(id, { id, name: cleanName(name), releases: [] });
    return { id, name: entities.get(id)!.name };
  }

  /** @internal */
  add(release: CatalogueRelease, recorded?: string): void {
    this.releases.set(release.id, release);
    if (recorded !== undefined) {
      this.#recorded.set(release.id, recorded);
      this.gustwIds.push(release.id);
    }
    for (const a of release.artists) this.artists.get(a.id)?.releases.push(release.id);
    for (const l of new Set(release.labels.map((l) => l.id))) {
      this.labels.get(l)?.releases.push(release.id);
    }
  }

  /** @internal Masters, search order and search text, once every release is in. */
  finish(): void {
    const groups = new Map<string, CatalogueRelease[]>();
    for (const r of this.releases.values()) {
      const key = `${r.artists[0]?.id ?? 0}:${r.title.toLowerCase().replace(/\s+/g, " ").trim()}`;
      const group = groups.get(key);
      if (group) group.push(r);
      else groups.set(key, [r]);
    }
    let nextMaster = MASTER_ID_BASE + 1;
    for (const [key, group] of groups) {
      // Recorded (gustw) and given (extra) master ids are kept; the rest are grouped here.
      const fixed = (r: CatalogueRelease) =>
        r.source === "gustw" || (r.source === "extra" && r.masterId !== null);
      const real = group.find((r) => fixed(r) && r.masterId !== null)?.masterId ?? null;
      const open = group.filter((r) => !fixed(r));
      let masterId = real;
      if (
        masterId === null && open.length > 0 &&
        (open.length > 1 || unit(this.seed, `master:${key}`) < 0.5)
      ) {
        masterId = nextMaster++;
      }
      for (const r of open) r.masterId = masterId;
    }
    for (const r of this.releases.values()) {
      if (r.masterId === null) continue;
      const master = this.masters.get(r.masterId);
      if (master) master.versions.push(r.id);
      else {
        this.masters.set(r.masterId, {
          id: r.masterId,
          title: r.title,
          artists: r.artists,
          mainRelease: r.id,
          year: r.year,
          genres: r.genres,
          styles: r.styles,
          versions: [r.id],
        });
      }
    }
    const older = (a: CatalogueRelease, b: CatalogueRelease) =>
      (a.year || 9999) - (b.year || 9999) || a.id - b.id;
    for (const m of this.masters.values()) {
      const versions = m.versions.map((id) => this.releases.get(id)!).sort(older);
      m.versions = versions.map((v) => v.id);
      const main = versions[0];
      Object.assign(m, {
        title: main.title,
        artists: main.artists,
        mainRelease: main.id,
        year: versions.find((v) => v.year > 0)?.year ?? 0,
        genres: main.genres,
        styles: main.styles,
      });
    }
    this.#finished = true;
    // Most collected first, then by id: sort [weight, id] pairs, not lookups in a comparator.
    const ranked = (pairs: [number, number][]) =>
      pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1]).map((p) => p[1]);
    this.#order = {
      release: ranked([...this.releases.values()].map((r) => [r.have, r.id])),
      master: ranked([...this.masters.keys()].map((id) => [this.masterStats(id).have, id])),
      artist: ranked([...this.artists.values()].map((a) => [a.releases.length, a.id])),
      label: ranked([...this.labels.values()].map((l) => [l.releases.length, l.id])),
    };
  }

  /** Have, want, lowest price and copies for sale summed over a master's versions. */
  masterStats(id: number): MasterStats {
    const known = this.#masterStats.get(id);
    if (known) return known;
    const versions = this.versionsOf(id);
    const prices = versions.map((v) => v.lowestPrice).filter((p): p is number => p !== null);
    const stats = {
      have: versions.reduce((s, v) => s + v.have, 0),
      want: versions.reduce((s, v) => s + v.want, 0),
      lowestPrice: prices.length ? Math.min(...prices) : null,
      numForSale: versions.reduce((s, v) => s + v.numForSale, 0),
    };
    if (this.#finished) this.#masterStats.set(id, stats);
    return stats;
  }

  /** Words of each release for text filters, made on the first search (start-up stays fast). */
  #index(): void {
    if (this.#text.size > 0) return;
    for (const r of this.releases.values()) {
      const artist = words(r.artists.map((a) => a.name).join(" "));
      const title = words(r.title);
      const label = words(r.labels.map((l) => l.name).join(" "));
      const catno = words(r.labels.map((l) => l.catno).join(" "));
      this.#text.set(r.id, {
        all: [...artist, ...title, ...label, ...catno],
        title: [...artist, ...title],
        artist,
        label,
        release: title,
        catno,
      });
    }
  }

  /** @internal See {@link searchCatalogue}. */
  search(params: SearchParams): SearchHit[] {
    this.#index();
    const tokens = (text?: string) => (text ? words(text) : []);
    const q = tokens(params.q),
      title = tokens(params.title),
      releaseTitle = tokens(params.release_title);
    const artist = tokens(params.artist),
      label = tokens(params.label),
      catno = tokens(params.catno);
    const lc = (t?: string) => t?.trim().toLowerCase() || undefined;
    const genre = lc(params.genre), style = lc(params.style), format = lc(params.format);
    const country = lc(params.country);
    const years = params.year?.match(/^\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*$/);
    const yearFrom = years ? Number(years[1]) : undefined;
    const yearTo = years ? Number(years[2] ?? years[1]) : undefined;
    const has = (haystack: string[], needles: string[]) =>
      needles.every((n) => haystack.some((w) => w.startsWith(n)));
    const anyIs = (list: string[], want?: string) =>
      want === undefined || list.some((x) => x.toLowerCase() === want);
    const releaseFacets = genre || style || format || country || params.year || catno.length ||
      releaseTitle.length;
    const matchRelease = (r: CatalogueRelease, year = r.year) => {
      const t = this.#text.get(r.id)!;
      return has(t.all, q) && has(t.title, title) && has(t.release, releaseTitle) &&
        has(t.artist, artist) && has(t.label, label) &&
        has(t.catno, catno) &&
        anyIs(r.genres, genre) && anyIs(r.styles, style) && anyIs(formatWords(r.formats), format) &&
        (country === undefined || r.country.toLowerCase() === country) &&
        (yearFrom === undefined || (year >= yearFrom && year <= yearTo!));
    };
    const type = lc(params.type);
    const hits: SearchHit[] = [];
    if (type === undefined || type === "artist") {
      if (!releaseFacets && label.length === 0) {
        for (const id of this.#order.artist) {
          const name = words(this.artists.get(id)!.name);
          if (has(name, q) && has(name, title) && has(name, artist)) {
            hits.push({ type: "artist", id });
          }
        }
      }
    }
    if (type === undefined || type === "label") {
      if (!releaseFacets && artist.length === 0) {
        for (const id of this.#order.label) {
          const name = words(this.labels.get(id)!.name);
          if (has(name, q) && has(name, title) && has(name, label)) {
            hits.push({ type: "label", id });
          }
        }
      }
    }
    if (type === undefined || type === "master") {
      for (const id of this.#order.master) {
        const m = this.masters.get(id)!;
        const main = this.releases.get(m.mainRelease)!;
        if (matchRelease(main, m.year || main.year)) hits.push({ type: "master", id });
      }
    }
    if (type === undefined || type === "release") {
      for (const id of this.#order.release) {
        if (matchRelease(this.releases.get(id)!)) hits.push({ type: "release", id });
      }
    }
    return hits;
  }
}

/** The strings Discogs lists as a release's `format` in search results. */
export function formatWords(formats: Format[]): string[] {
  return formats.flatMap((f) => [f.name, ...f.descriptions]);
}

/** "Artist - Title" (Discogs' search title); "Artist1 & Artist2" for several. */
export function displayTitle(r: { artists: Credit[]; title: string }): string {
  return `${r.artists.map((a) => a.name).join(" & ") || "Unknown Artist"} - ${r.title}`;
}

function synthesizedBody(r: CatalogueRelease, origin: string): Json {
  const body: Json = {
    id: r.id,
    status: "Accepted",
    year: r.year,
    resource_url: `${origin}/releases/${r.id}`,
    uri: `https://www.discogs.com/release/${r.id}-${slug(displayTitle(r))}`,
    artists: r.artists.map((a, i) => ({
      name: a.name,
      anv: "",
      join: i < r.artists.length - 1 ? "&" : "",
      role: "",
      tracks: "",
      id: a.id,
      resource_url: `${origin}/artists/${a.id}`,
    })),
    artists_sort: r.artists.map((a) => a.name).join(" & "),
    labels: r.labels.map((l) => ({
      name: l.name,
      catno: l.catno,
      entity_type: "1",
      entity_type_name: "Label",
      id: l.id,
      resource_url: `${origin}/labels/${l.id}`,
    })),
    series: [],
    companies: [],
    formats: r.formats,
    data_quality: "Needs Vote",
    community: {
      have: r.have,
      want: r.want,
      rating: r.rating,
      data_quality: "Needs Vote",
      status: "Accepted",
    },
    format_quantity: r.formats.reduce((s, f) => s + Number(f.qty || 1), 0),
    date_added: "2015-01-01T00:00:00-08:00",
    date_changed: "2024-01-01T00:00:00-08:00",
    num_for_sale: r.numForSale,
    lowest_price: r.lowestPrice,
    title: r.title,
    country: r.country,
    released: r.year ? String(r.year) : "",
    identifiers: [],
    videos: [],
    genres: r.genres,
    styles: r.styles,
    tracklist: [],
    extraartists: [],
    images: [{
      type: "primary",
      uri: r.coverImage,
      resource_url: r.coverImage,
      uri150: r.thumb,
      width: 600,
      height: 600,
    }],
    thumb: r.thumb,
    estimated_weight: 230,
    blocked_from_sale: false,
    is_offensive: false,
  };
  if (r.masterId !== null) {
    body.master_id = r.masterId;
    body.master_url = `${origin}/masters/${r.masterId}`;
  }
  return body;
}

function images(id: number): { thumb: string; coverImage: string } {
  return {
    thumb: `https://i.discogs.com/fake/R-150-${id}.jpg`,
    coverImage: `https://i.discogs.com/fake/R-${id}.jpg`,
  };
}

/** Build a catalogue from the fixtures (no caching; see {@link loadCatalogue}). */
export async function buildCatalogue(options: CatalogueOptions = {}): Promise<Catalogue> {
  const seed = options.seed ?? DEFAULT_SEED;
  const sample = options.electronicSample ?? DEFAULT_ELECTRONIC_SAMPLE;
  const catalogue = new Catalogue(seed);
  const [gustwText, marketplace, electronic] = await Promise.all([
    Deno.readTextFile(new URL("api/releases/gustw_releases.jsonl", FIXTURES)),
    readCsv("pools/marketplace_listings.csv"),
    readCsv("pools/electronic_1990s_releases.csv"),
  ]);

  // 1. gustw: real ids everywhere; first, so their names claim the real ids.
  for (const line of gustwText.split("\n")) {
    if (line.trim() === "") continue;
    const b = JSON.parse(line);
    const artists = (b.artists ?? []).map((a: Json) =>
      catalogue.registerName("artist", String(a.name), Number(a.id))
    );
    const labels = (b.labels ?? []).map((l: Json) => ({
      ...catalogue.registerName("label", String(l.name), Number(l.id)),
      catno: String(l.catno ?? ""),
    }));
    const image = (b.images ?? [])[0] ?? {};
    catalogue.add({
      id: b.id,
      title: b.title,
      year: b.year ?? 0,
      country: b.country ?? "",
      artists,
      labels,
      masterId: b.master_id || null,
      genres: b.genres ?? [],
      styles: b.styles ?? [],
      formats: (b.formats ?? []).map((f: Json) => ({
        name: String(f.name),
        qty: String(f.qty ?? "1"),
        descriptions: (f.descriptions as string[]) ?? [],
      })),
      have: b.community?.have ?? 0,
      want: b.community?.want ?? 0,
      rating: b.community?.rating ?? { count: 0, average: 0 },
      lowestPrice: typeof b.lowest_price === "number" ? b.lowest_price : null,
      numForSale: b.num_for_sale ?? 0,
      thumb: b.thumb ?? image.uri150 ?? "",
      coverImage: image.uri ?? "",
      source: "gustw",
    }, line);
  }

  // 1b. another collection's releases, ids kept, before the pools so their names keep any id
  // given and a pool row of the same id does not replace them.
  for (const x of options.extra?.releases ?? []) {
    if (catalogue.releases.has(x.id)) continue;
    catalogue.add({
      id: x.id,
      title: cleanName(x.title) || "Untitled",
      year: x.year,
      country: x.country,
      artists: (x.artists.length ? x.artists : [{ name: "Unknown Artist" }]).map((a) =>
        catalogue.registerName("artist", a.name, a.id)
      ),
      labels: (x.labels.length ? x.labels : [{ name: "Not On Label", catno: "none" }]).map((l) => ({
        ...catalogue.registerName("label", l.name, l.id),
        catno: l.catno,
      })),
      masterId: x.masterId ?? null,
      genres: x.genres,
      styles: x.styles,
      formats: x.formats,
      have: x.have,
      want: x.want,
      rating: { count: 0, average: 0 },
      lowestPrice: x.lowestPrice,
      numForSale: x.numForSale ??
        (x.lowestPrice === null ? 0 : 1 + (hash(seed, `sale:${x.id}`) % 6)),
      ...images(x.id),
      source: "extra",
    });
  }

  // 2. marketplace listings: one release per id, priced from its listings.
  const listings = new Map<number, Record<string, string>[]>();
  const asRecord = (table: typeof marketplace, row: string[]) => {
    const record: Record<string, string> = {};
    table.header.forEach((name, i) => record[name] = row[i] ?? "");
    return record;
  };
  for (const cells of marketplace.rows) {
    const row = asRecord(marketplace, cells);
    const id = Number(row.release_page.match(/\/release\/(\d+)/)?.[1]);
    if (!Number.isFinite(id) || id === 0) continue;
    const list = listings.get(id);
    if (list) list.push(row);
    else listings.set(id, [row]);
  }
  for (const [id, rows] of listings) {
    if (catalogue.releases.has(id)) continue;
    const row = rows[0];
    const genre = MARKETPLACE_GENRES[row.genre] ??
      { genre: "Electronic", styles: [cleanName(row.genre) || "Experimental"] };
    const styles = [...new Set([genre.styles[0], pick(seed, `style:${id}`, genre.styles)])];
    const prices = rows.map((r) => num(r.price)).filter((p) => Number.isFinite(p));
    const year = Math.trunc(num(row.year));
    const votes = Math.trunc(num(row.votes));
    const have = Math.max(0, Math.trunc(num(row.have)) || 0);
    catalogue.add({
      id,
      title: cleanName(row.title),
      year: Number.isFinite(year) ? year : 0,
      country: pick(seed, `country:${id}`, COUNTRIES),
      artists: [catalogue.registerName("artist", row.artist || "Unknown Artist")],
      labels: [{
        ...catalogue.registerName("label", row.label_name || "Not On Label"),
        catno: cleanName(row.label_code.split(",")[0]) || "none",
      }],
      masterId: null,
      genres: [genre.genre],
      styles,
      formats: marketplaceFormat(row.release_format, row.limited_edition === "1"),
      have,
      want: Math.max(0, Math.trunc(num(row.want)) || 0),
      rating: {
        count: Number.isFinite(votes) ? votes : 0,
        average: Number.isFinite(num(row.rating)) ? num(row.rating) : 0,
      },
      lowestPrice: prices.length ? round2(Math.min(...prices)) : null,
      numForSale: rows.length + (hash(seed, `sale:${id}`) % 6),
      ...images(id),
      source: "marketplace",
    });
  }

  // 3. a seeded sample of the electronic pool (distinct artist+title+label+year).
  const seen = new Set<string>();
  const candidates: { line: number; cells: string[]; rank: number }[] = [];
  const columns = ["artist", "title", "label", "release_year"].map((c) =>
    electronic.header.indexOf(c)
  );
  electronic.rows.forEach((cells, i) => {
    const key = columns.map((c) => cells[c]).join("|").toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    candidates.push({ line: i + 1, cells, rank: hash(seed, `sample:${key}`) });
  });
  const chosen = candidates.sort((a, b) => a.rank - b.rank || a.line - b.line).slice(0, sample)
    .sort((a, b) => a.line - b.line);
  for (const { line, cells } of chosen) {
    const row = asRecord(electronic, cells);
    const id = ELECTRONIC_ID_BASE + line;
    const label = catalogue.registerName("label", row.label || "Not On Label");
    const price = num(row["lowest_price_(USD)"]);
    const initials = label.name.replace(/[^A-Za-z]/g, "").slice(0, 3).toUpperCase() || "NOL";
    catalogue.add({
      id,
      title: cleanName(row.title),
      year: Math.trunc(num(row.release_year)) || 0,
      country: row.country,
      artists: [catalogue.registerName("artist", row.artist || "Unknown Artist")],
      labels: [{
        ...label,
        catno: `${initials}${String(hash(seed, `catno:${id}`) % 1000).padStart(3, "0")}`,
      }],
      masterId: null,
      genres: row.genre ? row.genre.split(",").map((g) => g.trim()) : ["Electronic"],
      styles: row.styles ? row.styles.split(",").map((s) => s.trim()).filter((s) => s) : [],
      formats: electronicFormat(seed, String(id), row.format),
      have: Math.trunc(num(row.have)) || 0,
      want: Math.trunc(num(row.want)) || 0,
      rating: {
        count: Math.trunc(num(row.num_ratings)) || 0,
        average: Number.isFinite(num(row.mean_rating)) ? num(row.mean_rating) : 0,
      },
      lowestPrice: Number.isFinite(price) ? round2(price) : null,
      numForSale: Number.isFinite(price) ? 1 + (hash(seed, `sale:${id}`) % 30) : 0,
      ...images(id),
      source: "electronic",
    });
  }
  catalogue.finish();
  return catalogue;
}

const cache = new Map<string, Promise<Catalogue>>();

/**
 * The catalogue for these options, built on first use and shared by the whole process (one with
 * an `extra` collection is built each time: each is used once, and they are big).
 */
export function loadCatalogue(options: CatalogueOptions = {}): Promise<Catalogue> {
  if (options.extra) return buildCatalogue(options);
  const key = `${options.seed ?? DEFAULT_SEED}:${
    options.electronicSample ?? DEFAULT_ELECTRONIC_SAMPLE
  }`;
  let built = cache.get(key);
  if (!built) {
    built = buildCatalogue(options);
    cache.set(key, built);
    built.catch(() => cache.delete(key));
  }
  return built;
}

/**
 * Every hit of a `GET /database/search` query, in the order the fake serves them (per type:
 * artists, labels, masters, releases; within a type the most collected first). Text filters
 * (`q`, `title`, `artist`, `label`, …) match whole words by prefix, case-insensitively; `genre`,
 * `style`, `format`, `country` match one value exactly (case-insensitively); `year` is a year or
 * a range. Artists and labels only answer name filters.
 */
export function searchCatalogue(
  catalogue: Catalogue,
  params: SearchParams | URLSearchParams,
): SearchHit[] {
  const p: SearchParams = params instanceof URLSearchParams
    ? Object.fromEntries([...params].filter(([, v]) => v.trim() !== ""))
    : params;
  return catalogue.search(p);
}

/**
 * Split release ids into `hidden` (about `share` of them, chosen by the seed) and `kept`, both
 * in the input order: e.g. hide 20% of gustw's collection in the catalogue, give the user the
 * rest.
 */
export function pickHidden(
  ids: readonly number[],
  share: number,
  seed = DEFAULT_SEED,
): { hidden: number[]; kept: number[] } {
  const count = Math.round(ids.length * share);
  const ranked = [...ids].sort((a, b) =>
    hash(seed, `hide:${a}`) - hash(seed, `hide:${b}`) || a - b
  );
  const hidden = new Set(ranked.slice(0, count));
  return { hidden: ids.filter((id) => hidden.has(id)), kept: ids.filter((id) => !hidden.has(id)) };
}

// ---- Discogs-shaped items ----

const userData = { in_wantlist: false, in_collection: false };

/** One `results[]` item of `GET /database/search`, with `resource_url`s on `origin`. */
export function searchResult(catalogue: Catalogue, hit: SearchHit, origin: string): Json {
  if (hit.type === "artist" || hit.type === "label") {
    const e = (hit.type === "artist" ? catalogue.artists : catalogue.labels).get(hit.id)!;
    const first = catalogue.releases.get(e.releases[0]);
    return {
      id: e.id,
      type: hit.type,
      user_data: userData,
      master_id: null,
      master_url: null,
      uri: `/${hit.type}/${e.id}-${slug(e.name)}`,
      title: e.name,
      thumb: first?.thumb ?? "",
      cover_image: first?.coverImage ?? "",
      resource_url: `${origin}/${hit.type}s/${e.id}`,
    };
  }
  const release = hit.type === "release"
    ? catalogue.releases.get(hit.id)!
    : catalogue.releases.get(catalogue.masters.get(hit.id)!.mainRelease)!;
  const master = hit.type === "master" ? catalogue.masters.get(hit.id)! : undefined;
  const stats = master ? catalogue.masterStats(master.id) : release;
  const year = master ? master.year : release.year;
  const masterId = master ? master.id : release.masterId;
  const item: Json = {
    country: release.country,
    ...(year ? { year: String(year) } : {}),
    format: formatWords(release.formats),
    label: release.labels.map((l) => l.name),
    type: hit.type,
    genre: release.genres,
    style: release.styles,
    id: hit.id,
    barcode: [],
    user_data: userData,
    master_id: masterId ?? 0,
    master_url: masterId ? `${origin}/masters/${masterId}` : null,
    uri: `/${hit.type}/${hit.id}-${slug(displayTitle(release))}`,
    catno: release.labels[0]?.catno ?? "",
    title: displayTitle(release),
    thumb: release.thumb,
    cover_image: release.coverImage,
    resource_url: `${origin}/${hit.type}s/${hit.id}`,
    community: { want: stats.want, have: stats.have },
  };
  if (hit.type === "release") {
    item.format_quantity = release.formats.reduce((s, f) => s + Number(f.qty || 1), 0);
    item.formats = release.formats.map((f) => ({ ...f }));
  }
  return item;
}

/**
 * A listing's `format` text: each format's descriptions (`12"`, `LP, Album`), or its name when
 * it has none. (Discogs also names a format that is not vinyl first, `CD, Album`; the fake keeps
 * its older text, which the candidates test's picks were recorded against.)
 */
export function formatText(formats: Format[]): string {
  return formats.map((f) => f.descriptions.length ? f.descriptions.join(", ") : f.name).join(", ");
}

const communityStats = (have: number, want: number) => ({
  community: { in_wantlist: want, in_collection: have },
  user: { in_wantlist: 0, in_collection: 0 },
});

/** Sort listing items like Discogs' `sort` (year, title, format) and `sort_order`. */
function sortItems(items: Json[], sort: string | null, order: string | null): Json[] {
  const field = sort === "title" || sort === "format" ? sort : "year";
  const sign = order === "desc" ? -1 : 1;
  const value = (i: Json) => field === "year" ? Number(i.year) || 9999 : String(i[field] ?? "");
  return items.sort((a, b) => {
    const x = value(a), y = value(b);
    return sign * (x < y ? -1 : x > y ? 1 : 0) || (a.id as number) - (b.id as number);
  });
}

/**
 * `releases[]` of `GET /artists/{id}/releases`: one `master` item per master the artist has
 * versions of (with `main_release`), one `release` item per release without a master.
 */
export function artistListing(
  catalogue: Catalogue,
  artistId: number,
  origin: string,
  sort: string | null = null,
  order: string | null = null,
): Json[] | undefined {
  const artist = catalogue.artists.get(artistId);
  if (!artist) return undefined;
  const items: Json[] = [];
  const masters = new Set<number>();
  for (const r of catalogue.releasesOf(artistId)) {
    const artistName = r.artists.map((a) => a.name).join(" & ");
    if (r.masterId !== null) {
      if (masters.has(r.masterId)) continue;
      masters.add(r.masterId);
      const m = catalogue.masters.get(r.masterId)!;
      const main = catalogue.releases.get(m.mainRelease)!;
      const s = catalogue.masterStats(m.id);
      items.push({
        id: m.id,
        title: m.title,
        type: "master",
        main_release: m.mainRelease,
        artist: m.artists.map((a) => a.name).join(" & "),
        role: "Main",
        resource_url: `${origin}/masters/${m.id}`,
        year: m.year,
        thumb: main.thumb,
        stats: communityStats(s.have, s.want),
      });
    } else {
      items.push({
        id: r.id,
        title: r.title,
        type: "release",
        main_release: undefined,
        artist: artistName,
        role: "Main",
        resource_url: `${origin}/releases/${r.id}`,
        year: r.year,
        thumb: r.thumb,
        status: "Accepted",
        format: formatText(r.formats),
        label: r.labels.map((l) => l.name).join(", "),
        stats: communityStats(r.have, r.want),
      });
    }
  }
  for (const i of items) if (i.main_release === undefined) delete i.main_release;
  return sortItems(items, sort, order);
}

/** `releases[]` of `GET /labels/{id}/releases`: every release on the label. */
export function labelListing(
  catalogue: Catalogue,
  labelId: number,
  origin: string,
  sort: string | null = null,
  order: string | null = null,
): Json[] | undefined {
  if (!catalogue.labels.has(labelId)) return undefined;
  const items = catalogue.releasesOnLabel(labelId).map((r) => ({
    status: "Accepted",
    thumb: r.thumb,
    format: formatText(r.formats),
    title: r.title,
    catno: r.labels.find((l) => l.id === labelId)?.catno ?? "",
    year: r.year,
    resource_url: `${origin}/releases/${r.id}`,
    artist: r.artists.map((a) => a.name).join(" & "),
    id: r.id,
    stats: communityStats(r.have, r.want),
  }));
  return sortItems(items, sort, order);
}

/** The body of `GET /masters/{id}`, or undefined. */
export function masterBody(
  catalogue: Catalogue,
  masterId: number,
  origin: string,
): Json | undefined {
  const m = catalogue.masters.get(masterId);
  if (!m) return undefined;
  const main = catalogue.releases.get(m.mainRelease)!;
  const latest = catalogue.versionsOf(masterId).at(-1)!;
  const s = catalogue.masterStats(masterId);
  return {
    id: m.id,
    main_release: m.mainRelease,
    most_recent_release: latest.id,
    resource_url: `${origin}/masters/${m.id}`,
    uri: `https://www.discogs.com/master/${m.id}-${slug(displayTitle(m))}`,
    versions_url: `${origin}/masters/${m.id}/versions`,
    main_release_url: `${origin}/releases/${m.mainRelease}`,
    most_recent_release_url: `${origin}/releases/${latest.id}`,
    num_for_sale: s.numForSale,
    lowest_price: s.lowestPrice,
    images: [{
      type: "primary",
      uri: main.coverImage,
      resource_url: main.coverImage,
      uri150: main.thumb,
      width: 600,
      height: 600,
    }],
    genres: m.genres,
    styles: m.styles,
    year: m.year,
    tracklist: [],
    artists: m.artists.map((a) => ({
      name: a.name,
      anv: "",
      join: "",
      role: "",
      tracks: "",
      id: a.id,
      resource_url: `${origin}/artists/${a.id}`,
    })),
    title: m.title,
    data_quality: "Correct",
    videos: [],
  };
}

/** `versions[]` of `GET /masters/{id}/versions`, or undefined. */
export function versionsListing(
  catalogue: Catalogue,
  masterId: number,
  origin: string,
): Json[] | undefined {
  if (!catalogue.masters.has(masterId)) return undefined;
  return catalogue.versionsOf(masterId).map((r) => ({
    id: r.id,
    label: r.labels.map((l) => l.name).join(", "),
    country: r.country,
    title: r.title,
    major_formats: [...new Set(r.formats.map((f) => f.name))],
    format: formatText(r.formats),
    catno: r.labels[0]?.catno ?? "",
    released: r.year ? String(r.year) : "",
    status: "Accepted",
    resource_url: `${origin}/releases/${r.id}`,
    thumb: r.thumb,
    stats: communityStats(r.have, r.want),
  }));
}

/** The body of `GET /artists/{id}` or `GET /labels/{id}` for a catalogue entity. */
export function entityBody(
  catalogue: Catalogue,
  kind: "artist" | "label",
  id: number,
  origin: string,
): Json | undefined {
  const e = (kind === "artist" ? catalogue.artists : catalogue.labels).get(id);
  if (!e) return undefined;
  return {
    id: e.id,
    name: e.name,
    resource_url: `${origin}/${kind}s/${e.id}`,
    uri: `https://www.discogs.com/${kind}/${e.id}-${slug(e.name)}`,
    releases_url: `${origin}/${kind}s/${e.id}/releases`,
    images: [],
    profile: "",
    data_quality: "Needs Vote",
  };
}
