/**
 * The prefilter's first cut over the release index (`release_index.ts`): every release of the
 * catalogue scored by a collection's taste, the best `keep` kept — exactly what
 * `lib/pool/catalog_prefilter_scan.sql` computes with DuckDB
 * over the Parquet (the test `tests/catalog_release_index_test.ts` holds the two to the same
 * rows and scores):
 *
 *   score = 3·style + 2.5·artist + 2·label + 1.5·credit (+ decade, only when the rest is > 0)
 *
 * where each field is the best weight (ln(1 + n), computed by DuckDB so both paths add the very
 * same doubles) of the tokens the release shares with the taste; artists and labels match by id
 * or by the hash of their name key. Ties break by release id.
 *
 * The artist, label and credit weights come from the index's postings (`postings.ts`: the
 * releases carrying each of the taste's values, a few reads per value); what is left to read of
 * every release is its styles and year, one pass through each part's typed arrays, the parts
 * shared with the helper thread.
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
  type PartArrays,
  postingsPath,
  readPartArrays,
  type ReleaseIndex,
} from "./release_index.ts";
import { helperThread, waitForHelper } from "../parallel/helper.ts";
import { openPostings, type PostingField, ROW_BITS } from "./postings.ts";

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

/** The best releases: ids, scores, master ids (`NONE`: none), main-release flags, title hashes. */
export interface FirstCut {
  ids: number[];
  scores: number[];
  masters: number[];
  isMain: number[];
  /** `${high}:${low}` of hash(lower(title)). */
  titleHashes: string[];
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

const SCAN_SECTIONS = ["id", "year", "styleOffsets", "styles"] as const;

/** What the picks need of a kept release, read with the part so no second pass reads it. */
const KEPT_SECTIONS = ["master", "isMain", "titleHash"] as const;
type KeptColumns = Pick<PartArrays, (typeof KEPT_SECTIONS)[number]>;

/**
 * The artist, label and credit weights of the releases of one part that share any with the
 * taste (the best weight of each field, as the scan SQL's max() takes it); the rest share none.
 */
class Matched {
  /** Row → 1 + its place in the weight lists, 0 for a release that matched nothing. */
  readonly slots: Int32Array;
  readonly artist: number[] = [];
  readonly label: number[] = [];
  readonly credit: number[] = [];
  constructor(releases: number) {
    this.slots = new Int32Array(releases);
  }
  /** Raise field `into` of row `row` to `w`. */
  raise(row: number, into: "artist" | "label" | "credit", w: number): void {
    let slot = this.slots[row];
    if (slot === 0) {
      this.artist.push(0), this.label.push(0), this.credit.push(0);
      slot = this.slots[row] = this.artist.length;
    }
    if (w > this[into][slot - 1]) this[into][slot - 1] = w;
  }
}

/** Which weight each postings field raises, and the taste's values for it. */
const MATCHED_BY = [
  ["artist", "artist", "artistIds"],
  ["artistKey", "artist", "artistKeys"],
  ["label", "label", "labelIds"],
  ["labelKey", "label", "labelKeys"],
  ["credit", "credit", "creditIds"],
] as const satisfies readonly [PostingField, "artist" | "label" | "credit", keyof CatalogTaste][];

/**
 * The releases of `parts` sharing an artist, label or credit with the taste, and their weights,
 * from the index's postings: a few reads per taste value, whatever the catalogue's size.
 */
function matchTaste(
  index: ReleaseIndex,
  parts: readonly number[],
  taste: CatalogTaste,
): Map<number, Matched> {
  const postings = openPostings(postingsPath(index.dir));
  if (!postings || postings.signature !== index.signature) {
    throw new Error(
      `${postingsPath(index.dir)}: the release index's postings are missing or stale`,
    );
  }
  const matched = new Map<number, Matched>();
  for (const p of parts) matched.set(p, new Matched(index.parts[p].releases));
  const rowMask = (1 << ROW_BITS) - 1;
  try {
    for (const [field, into, tasteField] of MATCHED_BY) {
      postings.expect(field, taste[tasteField].size);
      for (const [value, w] of taste[tasteField] as Map<number | string, number>) {
        const each = (ord: number) => matched.get(ord >>> ROW_BITS)?.raise(ord & rowMask, into, w);
        if (typeof value === "number") postings.releasesOf(field, value, each);
        else {
          const [hi, lo] = value.split(":").map(Number);
          postings.releasesOfPair(field, hi, lo, each);
        }
      }
    }
  } finally {
    postings.close();
  }
  return matched;
}

/** The first and last years whose decade the taste can weigh (1800s to 2100s). */
const FIRST_YEAR = 1800, LAST_YEAR = 2109;

/**
 * Year (1800–2109) → its decade's weight in the taste (0 for a decade it does not have), as an
 * array by year − 1800: one load per release where the scan would divide.
 */
function yearWeights(taste: CatalogTaste): Float64Array {
  const years = new Float64Array(LAST_YEAR - FIRST_YEAR + 1);
  for (const [d, w] of taste.decades) {
    if (!Number.isInteger(d / 10) || d < FIRST_YEAR || d > LAST_YEAR) continue;
    years.fill(w, d - FIRST_YEAR, d - FIRST_YEAR + 10);
  }
  return years;
}

/** Score the parts numbered `parts` into `best`. */
async function scanParts(
  index: ReleaseIndex,
  parts: number[],
  taste: CatalogTaste,
  best: BestK,
  kept: Map<number, KeptColumns>,
): Promise<void> {
  const matched = matchTaste(index, parts, taste);
  const years = yearWeights(taste);
  for (const p of parts) {
    const part: IndexedPart = index.parts[p];
    if (part.releases >= 1 << ROW_BITS) throw new Error(`release index: part ${part.name} too big`);
    const a = await readPartArrays(index, part, [...SCAN_SECTIONS, ...KEPT_SECTIONS]);
    const styleW = new Float64Array(a.styleNames.length);
    a.styleNames.forEach((s, i) => (styleW[i] = taste.styles.get(s) ?? 0));
    scorePart({ a: a as Required<typeof a>, styleW, years, matched: matched.get(p)!, best, p });
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

/** One part as its scan reads it: its arrays, the taste's weights for it, where the best go. */
interface PartScan {
  a: Pick<PartArrays, (typeof SCAN_SECTIONS)[number]>;
  /** The part's style dictionary → the taste's weight. */
  styleW: Float64Array;
  years: Float64Array;
  matched: Matched;
  best: BestK;
  /** The part's number. */
  p: number;
}

/** The scan of one part: every release's score, offered to `best`. */
function scorePart(scan: PartScan): void {
  const n = scan.a.id.length;
  for (let from = 0; from < n; from += ROWS_PER_CALL) {
    scoreRows(scan, from, Math.min(n, from + ROWS_PER_CALL));
  }
}

/** Rows `from` to `to` (exclusive) of one part, scored and offered to `best`. */
function scoreRows(scan: PartScan, from: number, to: number): void {
  const { a, styleW, years, matched, best, p } = scan;
  const id = a.id, year = a.year;
  const so = a.styleOffsets, sv = a.styles;
  const { slots, artist: artists, label: labels, credit: credits } = matched;
  for (let r = from; r < to; r++) {
    let style = 0;
    for (let j = so[r], end = so[r + 1]; j < end; j++) {
      const w = styleW[sv[j]];
      if (w > style) style = w;
    }
    const slot = slots[r] - 1;
    const artist = slot < 0 ? 0 : artists[slot];
    const label = slot < 0 ? 0 : labels[slot];
    const credit = slot < 0 ? 0 : credits[slot];
    const tasteScore = 3 * style + 2.5 * artist + 2 * label + 1.5 * credit;
    if (!(tasteScore > 0)) continue;
    // A year in range adds its decade's weight (+0 where the taste has none: the same double).
    const at = year[r] - FIRST_YEAR;
    const score = at >= 0 && at < years.length ? tasteScore + years[at] : tasteScore;
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
    await scanParts(job.index, job.parts, job.taste, best, kept);
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
  await scanParts(index, mine, taste, best, kept);
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
      await scanParts(index, all.filter((p) => p % 2 === 1), taste, best, kept);
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
