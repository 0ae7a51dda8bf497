/**
 * The release index: what the catalogue prefilter needs of every release, as flat typed arrays
 * one file per releases part, so a collection's taste is scored over millions of releases in
 * one pass through memory instead of DuckDB joining every artist, label, style and credit row of
 * the catalogue (the cost that grew with the catalogue: ≈ 2 s per million releases).
 *
 * Per part `<catalog>/.index/<part>.bin` holds, for every release of the part in id order: its
 * id, year, master id, whether it is the main release, the hash of its lower-cased title, and
 * lists (offsets + values) of its styles (part-local dictionary), main artists and labels (id
 * and the 64-bit hash of the name key, as `catalog_name_key` gives it), and the artists it
 * credits in a role that counts as taste (`IGNORED_CREDIT_ROLES` left out). `<part>.cards`
 * holds each release's own rows of the catalogue tables as one compact JSON line (`cardOffsets`
 * point into it), so the prefilter's later steps, the pool rows and the facts read a few thousand
 * releases without scanning the tables (see `scoped.ts`). `postings.bin` (`postings.ts`) lists
 * the releases carrying each artist, label and credit. `id_counts_artist.parquet` and
 * `id_counts_label.parquet` hold the catalogue-wide releases per main artist id and per label id
 * (the market's counts).
 *
 * The index is built from the catalogue's own Parquet at the end of `deno task catalog`, or the
 * first time the complete or pool stage needs it (a
 * part at a time, each written atomically, so an interrupted build resumes) and is rebuilt for
 * a part whose files changed (size or modification time) or when this module's
 * {@link RELEASE_INDEX_VERSION} changes.
 *
 * @example
 * ```ts
 * const index = await ensureReleaseIndex(db, "data/catalog", console.error);
 * for (const part of index.parts) {
 *   const arrays = await readPartArrays(index, part); // typed arrays of that part
 * }
 * ```
 *
 * @module
 */

import { closeSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { type Database, literal } from "../db/mod.ts";
import { writeAtomically, writeTextAtomically } from "../fs/atomic.ts";
import { IGNORED_CREDIT_ROLES } from "../embed/features.ts";
import { NAME_KEY_MACROS_SQL } from "./name_key.ts";
import { buildPostings, FIELD_SECTIONS, openPostings } from "./postings.ts";

/** Bump when what a part's files hold changes: every part is then rebuilt. */
export const RELEASE_INDEX_VERSION = 4;

/** Where the index lives inside a catalogue directory. */
export const RELEASE_INDEX_DIR = ".index";

/** The tables a part's index is built from (each has the same part file name). */
export const INDEXED_TABLES = [
  "releases",
  "release_artists",
  "release_labels",
  "release_genres",
  "release_styles",
] as const;

/** DuckDB's memory while parts are indexed (it spills to disk beyond it). */
const INDEX_BUILD_MEMORY = "1GB";

/** Null in the index's integer columns (ids are ≥ 1; years 1800–2100). */
export const NONE = -1;

const MAGIC = "NSRIDX01";

/** The typed arrays of one part. */
export interface PartArrays {
  /** Release ids, ascending. */
  id: Int32Array;
  /** Year or {@link NONE}. */
  year: Int32Array;
  /** Master id or {@link NONE}. */
  master: Int32Array;
  /** 1 main release, 0 not, {@link NONE} unknown. */
  isMain: Int8Array;
  /** hash(lower(title)) as two 32-bit halves (high, low) per release. */
  titleHash: Uint32Array;
  styleOffsets: Uint32Array;
  /** Index into the part's `styles` dictionary. */
  styles: Uint16Array;
  artistOffsets: Uint32Array;
  artistIds: Int32Array;
  /** hash(catalog_name_key(name)) halves, two per artist entry. */
  artistKeys: Uint32Array;
  labelOffsets: Uint32Array;
  labelIds: Int32Array;
  labelKeys: Uint32Array;
  creditOffsets: Uint32Array;
  creditIds: Int32Array;
  cardOffsets: Float64Array;
  /** The part's style dictionary. */
  styleNames: string[];
}

type SectionName = Exclude<keyof PartArrays, "styleNames">;

const SECTION_TYPES: Record<SectionName, "i32" | "u32" | "i8" | "u16" | "f64"> = {
  id: "i32",
  year: "i32",
  master: "i32",
  isMain: "i8",
  titleHash: "u32",
  styleOffsets: "u32",
  styles: "u16",
  artistOffsets: "u32",
  artistIds: "i32",
  artistKeys: "u32",
  labelOffsets: "u32",
  labelIds: "i32",
  labelKeys: "u32",
  creditOffsets: "u32",
  creditIds: "i32",
  cardOffsets: "f64",
};

const CTORS = {
  i32: Int32Array,
  u32: Uint32Array,
  i8: Int8Array,
  u16: Uint16Array,
  f64: Float64Array,
} as const;

/** What a part's index was built from: its files' sizes and modification times. */
interface PartSource {
  version: number;
  roles: string;
  files: Record<string, [number, number]>;
}

/** One indexed part. */
export interface IndexedPart {
  /** The part's file name (`000000001-000219431.parquet`). */
  name: string;
  firstId: number;
  lastId: number;
  releases: number;
}

/** An index ready to read. */
export interface ReleaseIndex {
  dir: string;
  parts: IndexedPart[];
  /** Seconds spent building parts that were missing or stale (0 when all were there). */
  builtSeconds: number;
  builtParts: number;
  /** What identifies the indexed contents (every part's files), for caches derived from them. */
  signature: string;
}

const indexDir = (catalog: string) => join(catalog, RELEASE_INDEX_DIR);
const binPath = (catalog: string, part: string) =>
  join(indexDir(catalog), part.replace(/\.parquet$/, ".bin"));
const cardsPath = (catalog: string, part: string) =>
  join(indexDir(catalog), part.replace(/\.parquet$/, ".cards"));
/** The counts of one kind of id (`artist`, `label`). */
const countsPath = (catalog: string, kind: IdKind) =>
  join(indexDir(catalog), `id_counts_${kind}.parquet`);
/** Where the counts were kept before they were split by kind (removed when they are built). */
const oldCountsPath = (catalog: string) => join(indexDir(catalog), "id_counts.parquet");
/** Bump when the counts files' layout changes: they are then built again. */
const COUNTS_LAYOUT = 2;

/** The kinds of id the market counts releases by. */
export type IdKind = "artist" | "label";
const countsMetaPath = (catalog: string) => join(indexDir(catalog), "id_counts.json");

/** The index's postings file (`postings.ts`): which releases carry each id and name key. */
export const postingsPath = (catalog: string) => join(indexDir(catalog), "postings.bin");

async function partSource(catalog: string, part: string): Promise<PartSource> {
  const files: Record<string, [number, number]> = {};
  for (const table of INDEXED_TABLES) {
    const info = await Deno.stat(join(catalog, table, part));
    files[table] = [info.size, info.mtime?.getTime() ?? 0];
  }
  return { version: RELEASE_INDEX_VERSION, roles: IGNORED_CREDIT_ROLES, files };
}

/** The header of a part's `.bin`: its sections and what it was built from. */
interface PartHeader {
  source: PartSource;
  releases: number;
  styleNames: string[];
  sections: Record<SectionName, [offset: number, length: number]>;
}

/** A part file's header and where its sections start; undefined when it is not one. */
async function headerOf(
  file: Deno.FsFile,
): Promise<{ header: PartHeader; base: number } | undefined> {
  const head = new Uint8Array(16);
  if (!(await readFully(file, 0, head))) return undefined;
  if (new TextDecoder().decode(head.subarray(0, 8)) !== MAGIC) return undefined;
  const view = new DataView(head.buffer);
  const json = new Uint8Array(view.getUint32(8, true));
  if (!(await readFully(file, 16, json))) return undefined;
  return { header: JSON.parse(new TextDecoder().decode(json)), base: view.getUint32(12, true) };
}

/** The header of the part file at `path`; undefined when there is none (or not a whole one). */
async function readHeader(path: string): Promise<PartHeader | undefined> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  try {
    return (await headerOf(file))?.header;
  } finally {
    file.close();
  }
}

const sameSource = (a: PartSource, b: PartSource) => JSON.stringify(a) === JSON.stringify(b);

/** The part files every indexed table has, in id order. */
async function partNames(catalog: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(join(catalog, "releases"))) {
    if (e.isFile && e.name.endsWith(".parquet")) names.push(e.name);
  }
  return names.sort();
}

const file = (catalog: string, table: string, part: string) => literal(join(catalog, table, part));

/** Integer column values of a DuckDB result as numbers (nulls as {@link NONE}). */
function ints(values: unknown[]): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === null || v === undefined ? NONE : Number(v);
  }
  return out;
}

/** Offsets (release i's values are [off[i], off[i+1])) from the release id of each value row. */
function offsetsOf(ids: Int32Array, rowReleaseIds: unknown[]): Uint32Array {
  const off = new Uint32Array(ids.length + 1);
  let r = 0;
  for (let i = 0; i < rowReleaseIds.length; i++) {
    const id = Number(rowReleaseIds[i]);
    while (r < ids.length && ids[r] < id) off[++r] = i;
    if (ids[r] !== id) throw new Error(`release index: row of release ${id} has no release`);
  }
  while (r < ids.length) off[++r] = rowReleaseIds.length;
  return off;
}

/** Build the index files of one part from its Parquet files. */
async function buildPart(db: Database, catalog: string, part: string): Promise<number> {
  const source = await partSource(catalog, part);
  const f = (table: string) => file(catalog, table, part);
  const rel = await db.columnsOf(
    `SELECT id, year, master_id, CASE WHEN is_main_release IS NULL THEN -1
              WHEN is_main_release THEN 1 ELSE 0 END AS is_main,
            (hash(lower(title)) >> 32)::UBIGINT AS th, (hash(lower(title)) & 4294967295)::UBIGINT AS tl
     FROM read_parquet(${f("releases")}) ORDER BY id`,
  );
  const id = ints(rel.id);
  const n = id.length;
  const titleHash = new Uint32Array(2 * n);
  for (let i = 0; i < n; i++) {
    titleHash[2 * i] = Number(rel.th[i]);
    titleHash[2 * i + 1] = Number(rel.tl[i]);
  }
  const styleRows = await db.columnsOf(
    `SELECT DISTINCT release_id, style FROM read_parquet(${f("release_styles")})
     WHERE style IS NOT NULL ORDER BY release_id, style`,
  );
  const styleNames = [...new Set(styleRows.style as string[])].sort();
  const styleIndex = new Map(styleNames.map((s, i) => [s, i]));
  const keyed = async (sql: string) => {
    const rows = await db.columnsOf(sql);
    const keys = new Uint32Array(2 * rows.release_id.length);
    for (let i = 0; i < rows.release_id.length; i++) {
      keys[2 * i] = Number(rows.kh[i]);
      keys[2 * i + 1] = Number(rows.kl[i]);
    }
    return { offsets: offsetsOf(id, rows.release_id), ids: ints(rows.ref_id), keys };
  };
  const keyCols = (col: string) =>
    `(hash(catalog_name_key(${col})) >> 32)::UBIGINT AS kh,
     (hash(catalog_name_key(${col})) & 4294967295)::UBIGINT AS kl`;
  await db.run(NAME_KEY_MACROS_SQL);
  const artists = await keyed(
    `SELECT DISTINCT release_id, artist_id AS ref_id, ${keyCols("name")}
     FROM read_parquet(${f("release_artists")}) WHERE kind = 'main'
     ORDER BY release_id, ref_id, kh, kl`,
  );
  const labels = await keyed(
    `SELECT DISTINCT release_id, label_id AS ref_id, ${keyCols("name")}
     FROM read_parquet(${f("release_labels")}) ORDER BY release_id, ref_id, kh, kl`,
  );
  const credits = await db.columnsOf(
    `SELECT DISTINCT release_id, artist_id FROM read_parquet(${f("release_artists")})
     WHERE kind = 'credit' AND artist_id IS NOT NULL
       AND NOT regexp_matches(lower(coalesce(role, '')), ${literal(IGNORED_CREDIT_ROLES)})
     ORDER BY release_id, artist_id`,
  );
  // DuckDB writes the cards itself (one JSON line per release, in id order); the offsets are
  // where each line starts.
  let cardOffsets: Float64Array = new Float64Array(0);
  await writeAtomically(cardsPath(catalog, part), async (tmp) => {
    await db.run(`COPY (${CARDS_SQL(f)}) TO ${literal(tmp)} (FORMAT json)`);
    cardOffsets = await lineOffsets(tmp, n);
  });
  const arrays: Omit<PartArrays, "styleNames"> = {
    id,
    year: ints(rel.year),
    master: ints(rel.master_id),
    isMain: Int8Array.from(rel.is_main as number[], Number),
    titleHash,
    styleOffsets: offsetsOf(id, styleRows.release_id),
    styles: Uint16Array.from(styleRows.style as string[], (s) => styleIndex.get(s)!),
    artistOffsets: artists.offsets,
    artistIds: artists.ids,
    artistKeys: artists.keys,
    labelOffsets: labels.offsets,
    labelIds: labels.ids,
    labelKeys: labels.keys,
    creditOffsets: offsetsOf(id, credits.release_id),
    creditIds: ints(credits.artist_id),
    cardOffsets,
  };
  await writeAtomically(
    binPath(catalog, part),
    (tmp) => writeSections(tmp, { source, releases: n, styleNames }, arrays),
  );
  return n;
}

/** Write a part's `.bin`: magic, header length, header JSON, then each section 8-byte aligned. */
async function writeSections(
  path: string,
  meta: Omit<PartHeader, "sections">,
  arrays: Omit<PartArrays, "styleNames">,
): Promise<void> {
  const names = Object.keys(SECTION_TYPES) as SectionName[];
  const sections = {} as PartHeader["sections"];
  // Offsets are relative to the end of the (padded) header, which is not known yet.
  let at = 0;
  for (const name of names) {
    sections[name] = [at, arrays[name].length];
    at += Math.ceil(arrays[name].byteLength / 8) * 8;
  }
  const json = new TextEncoder().encode(JSON.stringify({ ...meta, sections }));
  const headLength = Math.ceil((16 + json.length) / 8) * 8;
  const file = new Uint8Array(headLength + at);
  file.set(new TextEncoder().encode(MAGIC));
  new DataView(file.buffer).setUint32(8, json.length, true);
  new DataView(file.buffer).setUint32(12, headLength, true);
  file.set(json, 16);
  for (const name of names) {
    const a = arrays[name];
    file.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), headLength + sections[name][0]);
  }
  await Deno.writeFile(path, file);
}

/**
 * Each release's own rows of the indexed tables as one JSON object of text lists, with only the
 * columns the scoped catalogue serves (`scoped.ts` names and types them back): `r` its
 * `releases` row [id, title, year, country, master_id, format_summary], `a` its
 * `release_artists` rows [position, kind m|c, artist_id, name, join, role], `l` its labels
 * [position, label_id, name, catno], `g` genres, `s` styles. Lists without keys keep a card
 * near 600 bytes of JSON: it is read as is, never inflated, so reading thousands stays cheap.
 */
function CARDS_SQL(f: (table: string) => string): string {
  const t = (col: string) => `${col}::VARCHAR`;
  return `WITH a AS (
      SELECT release_id, list([${t("position")}, CASE kind WHEN 'main' THEN 'm' ELSE 'c' END,
                               ${t("artist_id")}, name, "join", role]) AS a
      FROM read_parquet(${f("release_artists")}) GROUP BY release_id),
    l AS (
      SELECT release_id, list([${t("position")}, ${t("label_id")}, name, catno]) AS l
      FROM read_parquet(${f("release_labels")}) GROUP BY release_id),
    g AS (SELECT release_id, list(genre) AS g FROM read_parquet(${f("release_genres")})
          GROUP BY release_id),
    s AS (SELECT release_id, list(style) AS s FROM read_parquet(${f("release_styles")})
          GROUP BY release_id)
    SELECT [${t("r.id")}, r.title, ${t("r.year")}, r.country, ${t("r.master_id")},
            r.format_summary] AS r, a.a, l.l, g.g, s.s
    FROM read_parquet(${f("releases")}) r
    LEFT JOIN a ON a.release_id = r.id LEFT JOIN l ON l.release_id = r.id
    LEFT JOIN g ON g.release_id = r.id LEFT JOIN s ON s.release_id = r.id
    ORDER BY r.id`;
}

/** Where each of the `n` lines of a file starts (and where the last one ends). */
async function lineOffsets(path: string, n: number): Promise<Float64Array> {
  const offsets = new Float64Array(n + 1);
  const file = await Deno.open(path);
  try {
    const buf = new Uint8Array(1 << 22);
    let base = 0, line = 0;
    for (;;) {
      const got = await file.read(buf);
      if (got === null) break;
      const chunk = buf.subarray(0, got);
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) {
        line++;
        if (line <= n) offsets[line] = base + at + 1;
      }
      base += got;
    }
    if (line !== n) throw new Error(`release index: ${line} cards written for ${n} releases`);
  } finally {
    file.close();
  }
  return offsets;
}

/**
 * Make sure every part of the catalogue in `dir` is indexed (building the missing and stale
 * ones, each written atomically) and the catalogue-wide counts are current; returns the index.
 * Throws when the index cannot be written (a read-only catalogue): the caller scans instead.
 * While parts are built, `info` gets a line every `progressEveryMs` (5 s): parts done, releases a
 * second, time left.
 */
export async function ensureReleaseIndex(
  db: Database,
  dir: string,
  info: (line: string) => void,
  options: { progressEveryMs?: number } = {},
): Promise<ReleaseIndex> {
  const started = performance.now();
  const names = await partNames(dir);
  await Deno.mkdir(indexDir(dir), { recursive: true });
  const parts: IndexedPart[] = [];
  let built = 0;
  // Bounded like the catalog stage's DuckDB: a part's cards are grouped in memory.
  const limit = await db.one<{ v: string }>("SELECT current_setting('memory_limit') AS v");
  let capped = false;
  const sources: PartSource[] = [];
  // Which parts are missing or stale, first: the progress counts them.
  const plan: { name: string; header: PartHeader | undefined; stale: boolean }[] = [];
  for (const name of names) {
    const want = await partSource(dir, name);
    sources.push(want);
    const header = await readHeader(binPath(dir, name));
    plan.push({ name, header, stale: !header || !sameSource(header.source, want) });
  }
  const stale = plan.filter((p) => p.stale).length;
  const every = options.progressEveryMs ?? 5_000;
  let lastLine = performance.now();
  let releasesBuilt = 0;
  try {
    for (const { name, stale: rebuild, header: found } of plan) {
      let header = found;
      if (rebuild) {
        if (built === 0) {
          info(
            `catalogue: indexing its releases for the prefilter (once per catalogue): ` +
              `${stale} of ${names.length} parts …`,
          );
        }
        if (!capped) {
          await db.run(`SET memory_limit = '${INDEX_BUILD_MEMORY}'`);
          capped = true;
        }
        await buildPart(db, dir, name);
        header = await readHeader(binPath(dir, name));
        if (!header) throw new Error(`${binPath(dir, name)}: the index part was not written`);
        built++;
        releasesBuilt += header.releases;
        const now = performance.now();
        if (built < stale && now - lastLine >= every) {
          lastLine = now;
          const seconds = (now - started) / 1000;
          const left = (seconds / built) * (stale - built);
          info(
            `catalogue: indexed ${built} of ${stale} parts (${
              Math.round(releasesBuilt / seconds).toLocaleString("en-US")
            } releases/s, about ${formatSeconds(left)} left)`,
          );
        }
      }
      const [first, last] = name.replace(/\.parquet$/, "").split("-").map(Number);
      parts.push({ name, firstId: first, lastId: last, releases: header!.releases });
    }
  } finally {
    if (capped && limit) await db.run(`SET memory_limit = ${literal(limit.v)}`);
  }
  await removeOrphans(dir, names);
  const countsSignature = JSON.stringify(sources);
  if (built > 0 || (await readCountsSignature(dir)) !== countsSignature) {
    await buildCounts(db, dir, countsSignature);
  }
  if (built > 0 || !postingsCurrent(dir, countsSignature)) {
    info(
      "catalogue: listing which releases carry each artist, label and credit (the index's " +
        "postings, ≈ 2.5 s per million releases) …",
    );
    const index = { dir, parts } as ReleaseIndex;
    await buildPostings(postingsPath(dir), parts.map((_, p) => p), async (p, field) => {
      const { offsets, values } = FIELD_SECTIONS[field];
      const a = await readPartArrays(index, parts[p], [offsets, values]);
      return { offsets: a[offsets]!, values: a[values]! };
    }, countsSignature);
  }
  const builtSeconds = built > 0 ? (performance.now() - started) / 1000 : 0;
  if (built > 0) {
    info(
      `catalogue: indexed ${built} of ${names.length} parts in ${builtSeconds.toFixed(1)} s ` +
        `(${join(dir, RELEASE_INDEX_DIR)}; kept until the catalogue changes)`,
    );
  }
  return { dir, parts, builtSeconds, builtParts: built, signature: countsSignature };
}

/**
 * The release index of the catalogue in `dir` ({@link ensureReleaseIndex}: built the first time,
 * kept until the catalogue changes), or why there is none to be had — the catalogue is then
 * read by scanning its Parquet, the same rows, slower: `NEXTSPIN_CATALOG_INDEX=off` asks for the
 * scan, and a catalogue that cannot take its index (read-only, a full disk) is still a catalogue.
 *
 * @example
 * ```ts
 * const { index, reason } = await openReleaseIndex(db, "data/catalog", console.error);
 * if (!index) console.error(`scanning: ${reason}`);
 * ```
 */
export async function openReleaseIndex(
  db: Database,
  dir: string,
  info: (line: string) => void,
): Promise<
  { index: ReleaseIndex; reason?: undefined } | {
    index?: undefined;
    reason: string;
    /** The scan was asked for: nothing to warn of. */
    asked: boolean;
  }
> {
  if (Deno.env.get("NEXTSPIN_CATALOG_INDEX") === "off") {
    return { reason: "NEXTSPIN_CATALOG_INDEX=off asks for the scan", asked: true };
  }
  try {
    return { index: await ensureReleaseIndex(db, dir, info) };
  } catch (error) {
    const where = error instanceof Deno.errors.PermissionDenied ||
        (error as { code?: string }).code === "EROFS"
      ? "could not be written there"
      : "could not be built";
    return { reason: `the release index ${where} (${(error as Error).message})`, asked: false };
  }
}

/** Index files of parts the catalogue no longer has. */
async function removeOrphans(dir: string, names: string[]): Promise<void> {
  const keep = new Set(names.map((n) => n.replace(/\.parquet$/, "")));
  for await (const e of Deno.readDir(indexDir(dir))) {
    // Part files only (`000000001-000219431.bin`): postings.bin is the whole index's.
    const m = /^(\d+-\d+)\.(bin|cards)$/.exec(e.name);
    if (m && !keep.has(m[1])) {
      await Deno.remove(join(indexDir(dir), e.name)).catch(() => {});
    }
  }
}

/** A duration as "42 s" or "3 min". */
const formatSeconds = (s: number) => (s < 90 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`);

/** Whether the postings file is there, whole, and built from these parts. */
function postingsCurrent(dir: string, signature: string): boolean {
  const postings = openPostings(postingsPath(dir));
  postings?.close();
  return postings?.signature === signature;
}

async function readCountsSignature(dir: string): Promise<string | undefined> {
  try {
    const meta = JSON.parse(await Deno.readTextFile(countsMetaPath(dir)));
    return meta.layout === COUNTS_LAYOUT ? meta.signature : undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/**
 * The catalogue-wide counts the market needs: releases per main artist id and per label id
 * (count of distinct releases), one Parquet per kind (`id`, `n` as integers, sorted by id) that
 * DuckDB joins with the few thousand ids a run asks for ({@link idCountsFiles}), and their
 * signature beside it. A kind of its own and 32-bit columns: that join reads every row (the
 * ids asked for are spread over the whole range), and these columns decode in half the time of
 * one file with a `kind` column and 64-bit ones (56 against 113 ms at 5M releases).
 */
async function buildCounts(db: Database, dir: string, signature: string): Promise<void> {
  const glob = (table: string) => literal(join(dir, table, "*.parquet"));
  const counted: Record<IdKind, string> = {
    artist: `SELECT artist_id::INTEGER AS id, count(DISTINCT release_id)::INTEGER AS n
             FROM read_parquet(${glob("release_artists")})
             WHERE kind = 'main' AND artist_id IS NOT NULL GROUP BY artist_id ORDER BY id`,
    label: `SELECT label_id::INTEGER AS id, count(DISTINCT release_id)::INTEGER AS n
            FROM read_parquet(${glob("release_labels")}) WHERE label_id IS NOT NULL
            GROUP BY label_id ORDER BY id`,
  };
  for (const [kind, sql] of Object.entries(counted) as [IdKind, string][]) {
    await writeAtomically(
      countsPath(dir, kind),
      (tmp) => db.run(`COPY (${sql}) TO ${literal(tmp)} (FORMAT parquet)`),
    );
  }
  await writeTextAtomically(
    countsMetaPath(dir),
    JSON.stringify({ signature, layout: COUNTS_LAYOUT }),
  );
  await Deno.remove(oldCountsPath(dir)).catch(() => {});
}

/** The Parquet of catalogue-wide releases per id (`id`, `n`) of each kind. */
export function idCountsFiles(index: ReleaseIndex): Record<IdKind, string> {
  return { artist: countsPath(index.dir, "artist"), label: countsPath(index.dir, "label") };
}

/** Binary search: the position of `id` in ascending `ids`, or -1. */
export function findId(ids: Int32Array, id: number): number {
  let lo = 0, hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid];
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Read a part's typed arrays (all sections, or only `only`). */
export async function readPartArrays(
  index: ReleaseIndex,
  part: IndexedPart,
  only?: readonly SectionName[],
): Promise<Partial<PartArrays> & { styleNames: string[] }> {
  const path = binPath(index.dir, part.name);
  const file = await Deno.open(path);
  try {
    const found = await headerOf(file);
    if (!found) throw new Error(`${path}: not a release index part`);
    const { header, base } = found;
    const out: Partial<PartArrays> & { styleNames: string[] } = { styleNames: header.styleNames };
    for (const name of only ?? (Object.keys(SECTION_TYPES) as SectionName[])) {
      const [offset, length] = header.sections[name];
      const Ctor = CTORS[SECTION_TYPES[name]];
      const bytes = new Uint8Array(length * Ctor.BYTES_PER_ELEMENT);
      await readExactly(file, base + offset, bytes);
      // deno-lint-ignore no-explicit-any
      (out as any)[name] = new Ctor(bytes.buffer, 0, length);
    }
    return out;
  } finally {
    file.close();
  }
}

/** Read `into.length` bytes at `at`; false when the file ends first. */
async function readFully(file: Deno.FsFile, at: number, into: Uint8Array): Promise<boolean> {
  await file.seek(at, Deno.SeekMode.Start);
  let read = 0;
  while (read < into.length) {
    const n = await file.read(into.subarray(read));
    if (n === null) return false;
    read += n;
  }
  return true;
}

async function readExactly(file: Deno.FsFile, at: number, into: Uint8Array): Promise<void> {
  if (!(await readFully(file, at, into))) throw new Error("release index: a part file ends early");
}

/**
 * The cards (JSON lines, see {@link CARDS_SQL}) of the given release ids the catalogue holds,
 * read straight from each part's `.cards`, as one buffer of newline-terminated lines; ids it
 * does not hold are skipped.
 */
export async function readCards(
  index: ReleaseIndex,
  ids: Iterable<number>,
): Promise<{ bytes: Uint8Array; cards: number }> {
  const byPart = new Map<IndexedPart, number[]>();
  for (const id of new Set(ids)) {
    const part = partOf(index, id);
    if (!part) continue;
    const list = byPart.get(part) ?? [];
    list.push(id);
    byPart.set(part, list);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (const [part, wanted] of byPart) {
    const arrays = await cardLocations(index, part);
    // Synchronous positioned reads: thousands of small ones, each one call, far cheaper than
    // an await (or a seek and a read).
    const fd = openSync(cardsPath(index.dir, part.name), "r");
    try {
      for (const id of wanted.sort((a, b) => a - b)) {
        const i = findId(arrays.id!, id);
        if (i < 0) continue;
        const from = arrays.cardOffsets![i], to = arrays.cardOffsets![i + 1];
        const bytes = new Uint8Array(to - from);
        let read = 0;
        while (read < bytes.length) {
          const n = readSync(fd, bytes, read, bytes.length - read, from + read);
          if (n === 0) throw new Error("release index: a cards file ends early");
          read += n;
        }
        chunks.push(bytes);
        total += bytes.length;
      }
    } finally {
      closeSync(fd);
    }
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { bytes, cards: chunks.length };
}

/**
 * Each part's ids and card offsets, read once per catalogue and process: the complete stage's
 * scope and the pool stage's three share them (60 MB at 5M releases, read in 40–100 ms). Only the
 * last catalogue's are kept; a rebuilt part changes the index's signature, and with it the key.
 */
let locations: { key: string; parts: Map<string, Promise<Partial<PartArrays>>> } | undefined;

function cardLocations(index: ReleaseIndex, part: IndexedPart): Promise<Partial<PartArrays>> {
  const key = `${index.dir}\n${index.signature}`;
  if (locations?.key !== key) locations = { key, parts: new Map() };
  let found = locations.parts.get(part.name);
  if (!found) {
    found = readPartArrays(index, part, ["id", "cardOffsets"]);
    locations.parts.set(part.name, found);
  }
  return found;
}

/** The part whose id range holds `id`. */
function partOf(index: ReleaseIndex, id: number): IndexedPart | undefined {
  let lo = 0, hi = index.parts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const p = index.parts[mid];
    if (id < p.firstId) hi = mid - 1;
    else if (id > p.lastId) lo = mid + 1;
    else return p;
  }
  return undefined;
}
