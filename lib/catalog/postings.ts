/**
 * The release index's postings: for each field the prefilter matches a taste by — main artist
 * id, label id, credited artist id, and the name-key hashes of main artists and labels — which
 * releases carry each value. The first cut (`release_scan.ts`) looks up only the taste's own
 * values here, a few hundred to a few thousand, instead of looking up every id of every release
 * of the catalogue (51M artist and credit rows at 5M releases); the scan that is left reads each
 * release's styles and year.
 *
 * One file, `<catalog>/.index/postings.bin`, built from the parts' arrays after they are
 * indexed: a magic, the header (JSON: what it was built from and where each section starts),
 * then per field a bucket directory and the entries grouped by bucket. A value's bucket is a
 * multiplicative hash of it; a bucket's entries are (value, release) pairs side by side (a
 * name-key hash is two halves), the release as its part number and row ({@link ordinal}).
 * Reading one value costs two small positioned reads: its bucket's bounds, then the bucket's
 * entries (a few, plus the value's own).
 *
 * @example
 * ```ts
 * const postings = openPostings(path)!;
 * postings.releasesOf("credit", 4242, (ord) => seen.add(ord));
 * postings.close();
 * ```
 *
 * @module
 */

import { closeSync, openSync, readSync } from "node:fs";
import { writeAtomically } from "../fs/atomic.ts";

/** Bump when the file's layout or what it holds changes: it is rebuilt. */
export const POSTINGS_VERSION = 3;

const MAGIC = "NSPOST01";

/** The fields the prefilter matches by. */
export const POSTING_FIELDS = ["artist", "artistKey", "label", "labelKey", "credit"] as const;
export type PostingField = (typeof POSTING_FIELDS)[number];

/** Which of a part's sections each field is read from; keys are hash halves, two per value. */
export const FIELD_SECTIONS = {
  artist: { offsets: "artistOffsets", values: "artistIds", pair: false },
  artistKey: { offsets: "artistOffsets", values: "artistKeys", pair: true },
  label: { offsets: "labelOffsets", values: "labelIds", pair: false },
  labelKey: { offsets: "labelOffsets", values: "labelKeys", pair: true },
  credit: { offsets: "creditOffsets", values: "creditIds", pair: false },
} as const;

/** Rows of a part in an ordinal's low bits (the part number is in the high ones). */
export const ROW_BITS = 20;
const MAX_PARTS = 2 ** (32 - ROW_BITS);

/** A release as one unsigned 32-bit number: its part number and row. */
export const ordinal = (part: number, row: number) => ((part << ROW_BITS) | row) >>> 0;

/** Bucket of an id (ids are ≥ 1) among 2^bits buckets. */
const idBucket = (id: number, bits: number) => (Math.imul(id, 0x9e3779b1) >>> 0) >>> (32 - bits);

/** Bucket of a 64-bit hash given as halves. */
const pairBucket = (hi: number, lo: number, bits: number) =>
  (Math.imul(Math.imul(hi, 0x85ebca6b) ^ lo, 0x9e3779b1) >>> 0) >>> (32 - bits);

/** One field in the file: its bucket count (as bits) and where its sections start. */
interface FieldHeader {
  bits: number;
  entries: number;
  pair: boolean;
  /** Byte offsets from the file start: bucket starts (u32 × 2^bits + 1), then the entries. */
  dir: number;
  entriesAt: number;
}

/** u32s per entry: the value (one, or a hash's two halves), then the release. */
const widthOf = (pair: boolean) => (pair ? 3 : 2);

interface Header {
  version: number;
  /** What the postings were built from (the index's signature). */
  signature: string;
  fields: Record<PostingField, FieldHeader>;
}

/** What the build reads of each part: a field's offsets and values. */
export type ReadField = (
  part: number,
  field: PostingField,
) => Promise<{ offsets: Uint32Array; values: Int32Array | Uint32Array }>;

/** About how many entries a bucket holds. */
const ENTRIES_PER_BUCKET = 16;

/**
 * Bytes of a directory read whole rather than a bucket's bounds at a time, per value to look up:
 * one positioned read costs about as long as reading this much in one go.
 */
const READ_BYTES_PER_LOOKUP = 4096;

/** Entries held in memory at once while a field is built (values and releases: 8–12 bytes each). */
const SLAB_ENTRIES = 24_000_000;

/** Whether a value is one the postings hold: ids ≥ 1, hashes not (0, 0) (a null name). */
const valid = (values: Int32Array | Uint32Array, j: number, pair: boolean) =>
  pair ? values[2 * j] !== 0 || values[2 * j + 1] !== 0 : values[j] > 0;

/**
 * Build `path` from the `parts` parts (their release counts) through `read`, atomically. Memory
 * stays bounded: a field with more entries than {@link SLAB_ENTRIES} is filled a slab of buckets
 * at a time, each slab reading the parts again.
 */
export async function buildPostings(
  path: string,
  parts: readonly number[],
  read: ReadField,
  signature: string,
  options: { slabEntries?: number } = {},
): Promise<void> {
  if (parts.length > MAX_PARTS) throw new Error(`postings: more than ${MAX_PARTS} parts`);
  await writeAtomically(path, async (tmp) => {
    const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
    try {
      // The header's size is not known until the fields are: it goes last, in a reserved head
      // (the signature, and room for the fields' offsets).
      const HEAD = align8(16 + new TextEncoder().encode(JSON.stringify(signature)).length + 4096);
      let at = HEAD;
      const fields = {} as Record<PostingField, FieldHeader>;
      for (const field of POSTING_FIELDS) {
        const slab = options.slabEntries ?? SLAB_ENTRIES;
        const built = await buildField(file, at, parts, field, read, slab);
        fields[field] = built.header;
        at = built.end;
      }
      const json = new TextEncoder().encode(
        JSON.stringify({ version: POSTINGS_VERSION, signature, fields } satisfies Header),
      );
      if (16 + json.length > HEAD) throw new Error("postings: header too long");
      const head = new Uint8Array(16 + json.length);
      head.set(new TextEncoder().encode(MAGIC));
      new DataView(head.buffer).setUint32(8, json.length, true);
      head.set(json, 16);
      await writeAt(file, 0, head);
    } finally {
      file.close();
    }
  });
}

async function writeAt(file: Deno.FsFile, at: number, bytes: Uint8Array): Promise<void> {
  await file.seek(at, Deno.SeekMode.Start);
  let written = 0;
  while (written < bytes.length) written += await file.write(bytes.subarray(written));
}

const bytesOf = (a: Uint32Array | Int32Array) =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** One field's directory, values and releases, written from byte `start`; returns its end. */
async function buildField(
  file: Deno.FsFile,
  start: number,
  parts: readonly number[],
  field: PostingField,
  read: ReadField,
  slab: number,
): Promise<{ header: FieldHeader; end: number }> {
  const { pair } = FIELD_SECTIONS[field];
  // Buckets: about 16 entries each (one read of ~128 bytes), from the values' count (the last
  // offset of each part); the directory is then small enough to read whole for a big taste.
  let upper = 0;
  for (const p of parts) {
    const { offsets } = await read(p, field);
    upper += offsets[offsets.length - 1];
  }
  let bits = 10;
  while (bits < 30 && 2 ** bits * ENTRIES_PER_BUCKET < upper) bits++;
  const buckets = 2 ** bits;
  const counts = new Uint32Array(buckets + 1);
  for (const p of parts) {
    const { values } = await read(p, field);
    const n = pair ? values.length / 2 : values.length;
    for (let j = 0; j < n; j++) {
      if (!valid(values, j, pair)) continue;
      counts[
        pair ? pairBucket(values[2 * j], values[2 * j + 1], bits) : idBucket(values[j], bits)
      ]++;
    }
  }
  // Bucket starts (prefix sums), in place.
  let entries = 0;
  for (let b = 0; b <= buckets; b++) {
    const c = counts[b];
    counts[b] = entries;
    entries += c;
  }
  const width = widthOf(pair);
  const header: FieldHeader = {
    bits,
    entries,
    pair,
    dir: start,
    entriesAt: align8(start + 4 * (buckets + 1)),
  };
  await writeAt(file, header.dir, bytesOf(counts));
  // Slabs of whole buckets, each filled by one more pass over the parts.
  for (let first = 0; first < buckets;) {
    let last = first;
    while (last < buckets && counts[last + 1] - counts[first] <= slab) last++;
    if (last === first) last = first + 1; // one bucket bigger than a slab: alone
    const base = counts[first], size = counts[last] - base;
    const slabEntries = new Uint32Array(width * size);
    const cursor = counts.slice(first, last);
    for (const p of parts) {
      const { offsets, values: v } = await read(p, field);
      for (let r = 0; r + 1 < offsets.length; r++) {
        for (let j = offsets[r], end = offsets[r + 1]; j < end; j++) {
          if (!valid(v, j, pair)) continue;
          const b = pair ? pairBucket(v[2 * j], v[2 * j + 1], bits) : idBucket(v[j], bits);
          if (b < first || b >= last) continue;
          const at = width * (cursor[b - first]++ - base);
          if (pair) (slabEntries[at] = v[2 * j]), (slabEntries[at + 1] = v[2 * j + 1]);
          else slabEntries[at] = v[j];
          slabEntries[at + width - 1] = ordinal(p, r);
        }
      }
    }
    await writeAt(file, header.entriesAt + 4 * width * base, bytesOf(slabEntries));
    first = last;
  }
  return { header, end: align8(header.entriesAt + 4 * width * entries) };
}

/** An open postings file. */
export interface Postings {
  /** What it was built from. */
  signature: string;
  /**
   * Say how many values of `field` are about to be looked up: enough of them, and its whole
   * bucket directory is read at once instead of two numbers per value.
   */
  expect(field: PostingField, values: number): void;
  /**
   * Call `each` with every release carrying id `value` in `field` (a non-pair field). `each` must
   * not look anything up itself: the bucket it is called from is read into a reused buffer.
   */
  releasesOf(field: PostingField, value: number, each: (ord: number) => void): void;
  /** Call `each` with every release carrying the hash (`hi`, `lo`) in a pair field. */
  releasesOfPair(field: PostingField, hi: number, lo: number, each: (ord: number) => void): void;
  close(): void;
}

/** Open `path`; undefined when there is no such file or it is not a whole postings file. */
export function openPostings(path: string): Postings | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return undefined;
    throw error;
  }
  // Positioned reads (one call each, no seek): a value costs two of them.
  const readAt = (at: number, into: Uint8Array): boolean => {
    let got = 0;
    while (got < into.length) {
      const n = readSync(fd, into, got, into.length - got, at + got);
      if (n === 0) return false;
      got += n;
    }
    return true;
  };
  const head = new Uint8Array(16);
  let header: Header | undefined;
  try {
    if (readAt(0, head) && new TextDecoder().decode(head.subarray(0, 8)) === MAGIC) {
      const json = new Uint8Array(new DataView(head.buffer).getUint32(8, true));
      if (readAt(16, json)) header = JSON.parse(new TextDecoder().decode(json));
    }
  } catch {
    header = undefined;
  }
  if (!header || header.version !== POSTINGS_VERSION) {
    closeSync(fd);
    return undefined;
  }
  const fields = header.fields;
  const bounds = new Uint32Array(2);
  const boundsBytes = new Uint8Array(bounds.buffer);
  /** Directories read whole (see `expect`). */
  const dirs = new Map<FieldHeader, Uint32Array>();
  // One buffer the buckets are read into, grown as a bigger one comes (not one per bucket).
  let scratch = new Uint32Array(4096);
  let scratchBytes = new Uint8Array(scratch.buffer);
  /** How many u32s of `scratch` the bucket's entries (`widthOf(pair)` u32s each) fill. */
  const bucket = (f: FieldHeader, b: number): number => {
    const dir = dirs.get(f);
    if (dir) (bounds[0] = dir[b]), (bounds[1] = dir[b + 1]);
    else if (!readAt(f.dir + 4 * b, boundsBytes)) throw new Error(`${path}: ends early`);
    const width = widthOf(f.pair);
    const length = width * (bounds[1] - bounds[0]);
    if (length > scratch.length) {
      scratch = new Uint32Array(2 * length);
      scratchBytes = new Uint8Array(scratch.buffer);
    }
    if (!readAt(f.entriesAt + 4 * width * bounds[0], scratchBytes.subarray(0, 4 * length))) {
      throw new Error(`${path}: ends early`);
    }
    return length;
  };
  return {
    signature: header.signature,
    expect(field, values) {
      const f = fields[field];
      const bytes = 4 * (2 ** f.bits + 1);
      if (dirs.has(f) || f.entries === 0 || values * READ_BYTES_PER_LOOKUP < bytes) return;
      const dir = new Uint32Array(2 ** f.bits + 1);
      if (!readAt(f.dir, new Uint8Array(dir.buffer))) throw new Error(`${path}: ends early`);
      dirs.set(f, dir);
    },
    releasesOf(field, value, each) {
      const f = fields[field];
      if (value <= 0 || f.entries === 0) return;
      const n = bucket(f, idBucket(value, f.bits));
      const e = scratch;
      for (let i = 0; i < n; i += 2) if (e[i] === value) each(e[i + 1]);
    },
    releasesOfPair(field, hi, lo, each) {
      const f = fields[field];
      if ((hi === 0 && lo === 0) || f.entries === 0) return;
      const n = bucket(f, pairBucket(hi, lo, f.bits));
      const e = scratch;
      for (let i = 0; i < n; i += 3) if (e[i] === hi && e[i + 1] === lo) each(e[i + 2]);
    },
    close: () => closeSync(fd),
  };
}
