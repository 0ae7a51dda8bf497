/**
 * The prefilter's first cut over the release index (`release_index.ts`): every release of the
 * catalogue scored by a collection's taste, in one pass through each part's typed arrays, the
 * best `keep` kept — exactly what `lib/pool/catalog_prefilter_scan.sql` computes with DuckDB
 * over the Parquet (the test `tests/catalog_release_index_test.ts` holds the two to the same
 * rows and scores):
 *
 *   score = 3·style + 2.5·artist + 2·label + 1.5·credit (+ decade, only when the rest is > 0)
 *
 * where each field is the best weight (ln(1 + n), computed by DuckDB so both paths add the very
 * same doubles) of the tokens the release shares with the taste; artists and labels match by id
 * or by the hash of their name key. Ties break by release id.
 *
 * @example
 * ```ts
 * const cut = await firstCut(index, taste, 21_000);
 * cut.ids[0]; // the best release
 * ```
 *
 * @module
 */

import {
  type IndexedPart,
  NONE,
  type PartArrays,
  readPartArrays,
  type ReleaseIndex,
} from "./release_index.ts";
import { helperThread, waitForHelper } from "../parallel/helper.ts";

/** A collection's taste as the first cut reads it: each token's weight ln(1 + n). */
export interface CatalogTaste {
  styles: Map<string, number>;
  artistIds: Map<number, number>;
  /** Name-key hashes as `${high}:${low}` (the halves of DuckDB's `hash(key)`). */
  artistKeys: Map<string, number>;
  labelIds: Map<number, number>;
  labelKeys: Map<string, number>;
  creditIds: Map<number, number>;
  /** Decade (1990) → weight. */
  decades: Map<number, number>;
}

/** The best releases: ids, scores, master ids ({@link NONE}), main-release flags, title hashes. */
export interface FirstCut {
  ids: number[];
  scores: number[];
  masters: number[];
  isMain: number[];
  /** `${high}:${low}` of hash(lower(title)). */
  titleHashes: string[];
}

/** Open addressing from 32-bit ints to weights (ids are ≥ 1, so 0 marks an empty slot). */
class IntWeights {
  readonly keys: Int32Array;
  readonly values: Float64Array;
  readonly mask: number;
  constructor(entries: Map<number, number>) {
    let size = 16;
    while (size < entries.size * 4) size *= 2;
    this.keys = new Int32Array(size);
    this.values = new Float64Array(size);
    this.mask = size - 1;
    for (const [k, v] of entries) {
      if (k <= 0) continue;
      let slot = Math.imul(k, 0x9e3779b1) >>> 0 & this.mask;
      while (this.keys[slot] !== 0 && this.keys[slot] !== k) slot = (slot + 1) & this.mask;
      this.keys[slot] = k;
      this.values[slot] = v;
    }
  }
  get(k: number): number {
    if (k <= 0) return 0;
    let slot = Math.imul(k, 0x9e3779b1) >>> 0 & this.mask;
    for (;;) {
      const key = this.keys[slot];
      if (key === k) return this.values[slot];
      if (key === 0) return 0;
      slot = (slot + 1) & this.mask;
    }
  }
}

/** Open addressing from 64-bit hashes (two halves) to weights. */
class PairWeights {
  readonly keys: Uint32Array;
  readonly used: Uint8Array;
  readonly values: Float64Array;
  readonly mask: number;
  readonly empty: boolean;
  constructor(entries: Map<string, number>) {
    let size = 16;
    while (size < entries.size * 4) size *= 2;
    this.keys = new Uint32Array(2 * size);
    this.used = new Uint8Array(size);
    this.values = new Float64Array(size);
    this.mask = size - 1;
    this.empty = entries.size === 0;
    for (const [key, v] of entries) {
      const [hi, lo] = key.split(":").map(Number);
      let slot = (Math.imul(lo ^ hi, 0x9e3779b1) >>> 0) & this.mask;
      while (this.used[slot] && !(this.keys[2 * slot] === hi && this.keys[2 * slot + 1] === lo)) {
        slot = (slot + 1) & this.mask;
      }
      this.used[slot] = 1;
      this.keys[2 * slot] = hi;
      this.keys[2 * slot + 1] = lo;
      this.values[slot] = v;
    }
  }
  get(hi: number, lo: number): number {
    let slot = (Math.imul(lo ^ hi, 0x9e3779b1) >>> 0) & this.mask;
    for (;;) {
      if (!this.used[slot]) return 0;
      if (this.keys[2 * slot] === hi && this.keys[2 * slot + 1] === lo) return this.values[slot];
      slot = (slot + 1) & this.mask;
    }
  }
}

/** A bounded heap of the best (score desc, id asc); its root is the worst kept. */
class BestK {
  readonly scores: Float64Array;
  readonly ids: Int32Array;
  readonly where: Int32Array; // part number << 20 | row, to find the release's columns later
  size = 0;
  constructor(readonly capacity: number) {
    this.scores = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
    this.where = new Int32Array(capacity);
  }
  /** Whether (a, ia) ranks below (b, ib). */
  private static worse(a: number, ia: number, b: number, ib: number): boolean {
    return a < b || (a === b && ia > ib);
  }
  offer(score: number, id: number, where: number): void {
    if (this.size < this.capacity) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!BestK.worse(score, id, this.scores[p], this.ids[p])) break;
        this.scores[i] = this.scores[p];
        this.ids[i] = this.ids[p];
        this.where[i] = this.where[p];
        i = p;
      }
      this.scores[i] = score;
      this.ids[i] = id;
      this.where[i] = where;
      return;
    }
    if (!BestK.worse(this.scores[0], this.ids[0], score, id)) return;
    // Replace the root and sift down.
    let i = 0;
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      const r = l + 1;
      if (r < n && BestK.worse(this.scores[r], this.ids[r], this.scores[l], this.ids[l])) c = r;
      if (!BestK.worse(this.scores[c], this.ids[c], score, id)) break;
      this.scores[i] = this.scores[c];
      this.ids[i] = this.ids[c];
      this.where[i] = this.where[c];
      i = c;
    }
    this.scores[i] = score;
    this.ids[i] = id;
    this.where[i] = where;
  }
  /** Would (score, id) be kept? (cheap test before the full offer) */
  admits(score: number, id: number): boolean {
    return this.size < this.capacity || BestK.worse(this.scores[0], this.ids[0], score, id);
  }
}

const ROW_BITS = 20;

const SCAN_SECTIONS = [
  "id",
  "year",
  "styleOffsets",
  "styles",
  "artistOffsets",
  "artistIds",
  "labelOffsets",
  "labelIds",
  "creditOffsets",
  "creditIds",
] as const;

/** What the picks need of a kept release, read with the part so no second pass reads it. */
const KEPT_SECTIONS = ["master", "isMain", "titleHash"] as const;
type KeptColumns = Pick<PartArrays, (typeof KEPT_SECTIONS)[number]>;

/** The taste as lookup structures the scan reads. */
interface Lookups {
  taste: CatalogTaste;
  artistIds: IntWeights;
  labelIds: IntWeights;
  creditIds: IntWeights;
  artistKeys: PairWeights;
  labelKeys: PairWeights;
  decades: Float64Array;
  /** The best credit, artist and label weights of the taste (0 without any). */
  maxCredit: number;
  maxArtist: number;
  maxLabel: number;
}

function lookups(taste: CatalogTaste): Lookups {
  const decades = new Float64Array(31); // (decade - 1800) / 10 → weight; 1800–2100
  for (const [d, w] of taste.decades) {
    const at = (d - 1800) / 10;
    if (Number.isInteger(at) && at >= 0 && at < decades.length) decades[at] = w;
  }
  return {
    taste,
    artistIds: new IntWeights(taste.artistIds),
    labelIds: new IntWeights(taste.labelIds),
    creditIds: new IntWeights(taste.creditIds),
    artistKeys: new PairWeights(taste.artistKeys),
    labelKeys: new PairWeights(taste.labelKeys),
    decades,
    maxCredit: bestWeight(taste.creditIds),
    maxArtist: Math.max(bestWeight(taste.artistIds), bestWeight(taste.artistKeys)),
    maxLabel: Math.max(bestWeight(taste.labelIds), bestWeight(taste.labelKeys)),
  };
}

/** The best weight of a taste field (0 when it is empty). */
const bestWeight = (m: Map<unknown, number>) =>
  [...m.values()].reduce((best, w) => (w > best ? w : best), 0);

/** Score the parts numbered `parts` into `best`. */
async function scanParts(
  index: ReleaseIndex,
  parts: number[],
  l: Lookups,
  best: BestK,
  kept: Map<number, KeptColumns>,
): Promise<void> {
  const sections = [
    ...SCAN_SECTIONS,
    ...KEPT_SECTIONS,
    ...(l.artistKeys.empty ? [] : ["artistKeys"] as const),
    ...(l.labelKeys.empty ? [] : ["labelKeys"] as const),
  ];
  for (const p of parts) {
    const part: IndexedPart = index.parts[p];
    if (part.releases >= 1 << ROW_BITS) throw new Error(`release index: part ${part.name} too big`);
    const a = await readPartArrays(index, part, sections);
    const styleW = new Float64Array(a.styleNames.length);
    a.styleNames.forEach((s, i) => (styleW[i] = l.taste.styles.get(s) ?? 0));
    scorePart(a as Required<typeof a>, styleW, l, best, p);
    kept.set(p, { master: a.master!, isMain: a.isMain!, titleHash: a.titleHash! });
  }
}

/**
 * Releases scored per call of {@link scoreRows}: the engine optimises a function called many
 * times, and all of it, where one long loop per part is compiled on the stack again at each part
 * and again each time a branch it had not seen is taken (measured on 5M releases: each thread's
 * scoring 0.43–0.48 s in one call per part, 0.25–0.26 s in calls of 1,024 releases).
 */
const ROWS_PER_CALL = 1024;

/** The scan of one part: every release's score, offered to `best`. */
function scorePart(
  a: Pick<PartArrays, (typeof SCAN_SECTIONS)[number]> & Partial<PartArrays>,
  styleW: Float64Array,
  l: Lookups,
  best: BestK,
  p: number,
): void {
  for (let from = 0; from < a.id.length; from += ROWS_PER_CALL) {
    scoreRows(a, styleW, l, best, p, from, Math.min(a.id.length, from + ROWS_PER_CALL));
  }
}

/** Rows `from` to `to` (exclusive) of one part, scored and offered to `best`. */
function scoreRows(
  a: Pick<PartArrays, (typeof SCAN_SECTIONS)[number]> & Partial<PartArrays>,
  styleW: Float64Array,
  l: Lookups,
  best: BestK,
  p: number,
  from: number,
  to: number,
): void {
  const { artistIds, labelIds, creditIds, artistKeys, labelKeys, decades, maxCredit } = l;
  const id = a.id, year = a.year;
  const so = a.styleOffsets, sv = a.styles;
  const ao = a.artistOffsets, ai = a.artistIds, ak = a.artistKeys;
  const lo = a.labelOffsets, li = a.labelIds, lk = a.labelKeys;
  const co = a.creditOffsets, ci = a.creditIds;
  const { maxArtist, maxLabel } = l;
  for (let r = from; r < to; r++) {
    let style = 0;
    for (let j = so[r], end = so[r + 1]; j < end; j++) {
      const w = styleW[sv[j]];
      if (w > style) style = w;
    }
    const y = year[r];
    let decade = 0, hasDecade = false;
    if (y !== NONE) {
      const at = Math.floor(y / 10) - 180;
      if (at >= 0 && at < decades.length) (decade = decades[at]), (hasDecade = true);
    }
    // Once the kept set is full, most releases cannot enter it even if every field they have not
    // been looked up in yet matched the taste's best weight: each bound is the score with those
    // fields at their best, summed in the score's own order (so never below the score, rounding
    // included), and a release under it is left, exactly as a full lookup would leave it.
    let bound = 3 * style + 2.5 * maxArtist + 2 * maxLabel + 1.5 * maxCredit;
    if (!best.admits(hasDecade ? bound + decade : bound, id[r])) continue;
    let artist = 0;
    for (let j = ao[r], end = ao[r + 1]; j < end; j++) {
      const w = artistIds.get(ai[j]);
      if (w > artist) artist = w;
      if (ak) {
        const wk = artistKeys.get(ak[2 * j], ak[2 * j + 1]);
        if (wk > artist) artist = wk;
      }
    }
    bound = 3 * style + 2.5 * artist + 2 * maxLabel + 1.5 * maxCredit;
    if (!best.admits(hasDecade ? bound + decade : bound, id[r])) continue;
    let label = 0;
    for (let j = lo[r], end = lo[r + 1]; j < end; j++) {
      const w = labelIds.get(li[j]);
      if (w > label) label = w;
      if (lk) {
        const wk = labelKeys.get(lk[2 * j], lk[2 * j + 1]);
        if (wk > label) label = wk;
      }
    }
    // Credits are most of a release's ids: the same bound once more before they are looked up.
    bound = 3 * style + 2.5 * artist + 2 * label + 1.5 * maxCredit;
    if (!best.admits(hasDecade ? bound + decade : bound, id[r])) continue;
    let credit = 0;
    for (let j = co[r], end = co[r + 1]; j < end; j++) {
      const w = creditIds.get(ci[j]);
      if (w > credit) credit = w;
    }
    const tasteScore = 3 * style + 2.5 * artist + 2 * label + 1.5 * credit;
    if (!(tasteScore > 0)) continue;
    const score = hasDecade ? tasteScore + decade : tasteScore;
    if (best.admits(score, id[r])) best.offer(score, id[r], (p << ROW_BITS) | r);
  }
}

/** A first cut handed to the helper thread: its parts, and shared buffers for the result. */
export interface FirstCutJob {
  kind: "first_cut";
  index: ReleaseIndex;
  parts: number[];
  taste: CatalogTaste;
  keep: number;
  /** header [state, size]; then scores, ids, where. */
  shared: SharedArrayBuffer;
}

const STATE = { pending: 0, done: 1, failed: 2 } as const;

function jobViews(shared: SharedArrayBuffer, keep: number) {
  return {
    header: new Int32Array(shared, 0, 4),
    scores: new Float64Array(shared, 16, keep),
    ids: new Int32Array(shared, 16 + 8 * keep, keep),
    where: new Int32Array(shared, 16 + 12 * keep, keep),
    master: new Int32Array(shared, 16 + 16 * keep, keep),
    isMain: new Int32Array(shared, 16 + 20 * keep, keep),
    titleHash: new Uint32Array(shared, 16 + 24 * keep, 2 * keep),
  };
}

/** Bytes of a job's shared buffer. */
const jobBytes = (keep: number) => 16 + 32 * keep;

/** Run a {@link FirstCutJob} (on the helper thread) and wake the thread waiting for it. */
export async function runFirstCutJob(job: FirstCutJob): Promise<void> {
  const views = jobViews(job.shared, job.keep);
  try {
    const best = new BestK(job.keep);
    const kept = new Map<number, KeptColumns>();
    await scanParts(job.index, job.parts, lookups(job.taste), best, kept);
    views.scores.set(best.scores.subarray(0, best.size));
    views.ids.set(best.ids.subarray(0, best.size));
    views.where.set(best.where.subarray(0, best.size));
    for (let i = 0; i < best.size; i++) {
      const c = kept.get(best.where[i] >>> ROW_BITS)!, r = best.where[i] & ((1 << ROW_BITS) - 1);
      views.master[i] = c.master[r];
      views.isMain[i] = c.isMain[r];
      views.titleHash[2 * i] = c.titleHash[2 * r];
      views.titleHash[2 * i + 1] = c.titleHash[2 * r + 1];
    }
    views.header[1] = best.size;
    Atomics.store(views.header, 0, STATE.done);
  } catch {
    Atomics.store(views.header, 0, STATE.failed);
  }
  Atomics.notify(views.header, 0);
}

/**
 * Score every release of the index by `taste` and keep the best `keep` (score desc, id asc), with
 * the columns the picks' rules need (master, main release, title hash). With more than one part
 * and a helper thread, the helper scores every other part while this thread scores the rest
 * (the same code on each; merging two best-`keep` sets keeps the same best `keep`).
 */
export async function firstCut(
  index: ReleaseIndex,
  taste: CatalogTaste,
  keep: number,
  options: { helper?: boolean } = {},
): Promise<FirstCut> {
  const l = lookups(taste);
  const best = new BestK(keep);
  const all = index.parts.map((_, p) => p);
  const helper = all.length > 1 && options.helper !== false ? helperThread() : null;
  let shared: SharedArrayBuffer | undefined;
  let mine = all;
  if (helper) {
    shared = new SharedArrayBuffer(jobBytes(keep));
    const theirs = all.filter((p) => p % 2 === 1);
    try {
      helper.postMessage({ kind: "first_cut", index, parts: theirs, taste, keep, shared });
      mine = all.filter((p) => p % 2 === 0);
    } catch {
      shared = undefined;
    }
  }
  const kept = new Map<number, KeptColumns>();
  await scanParts(index, mine, l, best, kept);
  if (shared) {
    const views = jobViews(shared, keep);
    const finished = waitForHelper(
      () => Atomics.load(views.header, 0) !== STATE.pending,
      views.header,
      0,
    );
    if (finished && Atomics.load(views.header, 0) === STATE.done) {
      // The helper's kept rows carry their own columns: a one-row "part" each, marked by a
      // negative where (-1 - i, i its row in the shared buffer).
      for (let i = 0; i < views.header[1]; i++) {
        if (best.admits(views.scores[i], views.ids[i])) {
          best.offer(views.scores[i], views.ids[i], -1 - i);
        }
      }
    } else {
      // The helper failed or never answered: score its parts here.
      shared = undefined;
      await scanParts(index, all.filter((p) => p % 2 === 1), l, best, kept);
    }
  }
  const views = shared ? jobViews(shared, keep) : undefined;
  // Best first.
  const order = Array.from({ length: best.size }, (_, i) => i).sort((x, y) =>
    best.scores[y] - best.scores[x] || best.ids[x] - best.ids[y]
  );
  const cut: FirstCut = { ids: [], scores: [], masters: [], isMain: [], titleHashes: [] };
  for (const i of order) {
    const where = best.where[i];
    cut.ids.push(best.ids[i]);
    cut.scores.push(best.scores[i]);
    if (where < 0) {
      const h = -1 - where;
      cut.masters.push(views!.master[h]);
      cut.isMain.push(views!.isMain[h]);
      cut.titleHashes.push(`${views!.titleHash[2 * h]}:${views!.titleHash[2 * h + 1]}`);
    } else {
      const c = kept.get(where >>> ROW_BITS)!, r = where & ((1 << ROW_BITS) - 1);
      cut.masters.push(c.master[r]);
      cut.isMain.push(c.isMain[r]);
      cut.titleHashes.push(`${c.titleHash[2 * r]}:${c.titleHash[2 * r + 1]}`);
    }
  }
  return cut;
}
