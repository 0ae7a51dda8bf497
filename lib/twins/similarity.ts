/**
 * How alike two collections are, weighing *what* they share: two collectors who both own the
 * same 150-copy white label are twins; two who both own a record with 40,000 haves are not.
 *
 * Overlap is measured at four levels — the same release (pressing), the same master (any
 * pressing of the album), the same artist and the same label — and every shared item is
 * weighted by its rarity:
 *
 * - where Discogs' `have` is known (release and master level): `w = ln(1 + H / have)` with
 *   {@link HAVE_SCALE} `H` = 10,000 (have 150 → 4.2, have 2,000 → 1.8, have 40,000 → 0.22);
 * - otherwise (artists, labels, records nobody enriched): an IDF over the compared collections,
 *   `w = ln(1 + N / df)`, N collections compared (yours included), df of them holding the item.
 *
 * Per level the score is a weighted cosine (Ochiai) of the two sets:
 * `Σ shared w / √(Σ yours w · Σ theirs w)`, between 0 and 1, so a 5,000-record collection
 * cannot win by size: its own records weigh on the denominator. The blend is
 * {@link LEVEL_WEIGHTS}: 0.35 release + 0.30 master + 0.20 artist + 0.15 label.
 *
 * @example
 * ```ts
 * const result = compareCollections(mine, [{ name: "alice", holdings }], { have });
 * console.log(result[0].similarity, result[0].components.master);
 * ```
 *
 * @module
 */

/** One record a collection holds, reduced to the keys the levels compare. */
export interface Holding {
  releaseId: number;
  /** `m:<master id>`, or `w:<artist|title>` when no master id is known (see keys.ts). */
  masterKey: string;
  /** Normalised artist names (placeholders such as "Various" left out). */
  artists: readonly string[];
  /** Normalised label names (placeholders left out). */
  labels: readonly string[];
}

/** A collection to compare. */
export interface ComparedCollection {
  name: string;
  holdings: readonly Holding[];
}

/** The four levels, in blend order. */
export const LEVELS = ["release", "master", "artist", "label"] as const;
/** One level of overlap. */
export type Level = typeof LEVELS[number];

/** The blend of the level scores into one similarity (sums to 1). */
export const LEVEL_WEIGHTS: Readonly<Record<Level, number>> = {
  release: 0.35,
  master: 0.30,
  artist: 0.20,
  label: 0.15,
};

/** `H` in `ln(1 + H / have)`: a record 10,000 collectors own weighs ln 2 ≈ 0.69. */
export const HAVE_SCALE = 10_000;

/** A shared record is "rare" below this many Discogs haves (the reason names them). */
export const RARE_HAVE = 200;

/** What is known about rarity from outside the compared collections. */
export interface Rarity {
  /** Discogs `have` by release id, where known. */
  have?: ReadonlyMap<number, number>;
  /** Discogs `have` by master key (the most-owned known pressing), where known. */
  masterHave?: ReadonlyMap<string, number>;
}

/** One shared item with its weight. */
export interface SharedItem {
  key: string;
  weight: number;
  /** Discogs have when known. */
  have: number | null;
}

/** How one collection compares with yours. */
export interface Comparison {
  name: string;
  similarity: number;
  components: Record<Level, number>;
  /** Shared items per level, heaviest (rarest) first. */
  shared: Record<Level, SharedItem[]>;
  /** Shared masters (albums, any pressing). */
  sharedRecords: number;
  /** Shared masters with fewer than {@link RARE_HAVE} haves on Discogs. */
  sharedRare: number;
  /** Distinct masters in their collection. */
  records: number;
}

function keysAt(h: readonly Holding[], level: Level): Set<string> {
  const out = new Set<string>();
  for (const x of h) {
    if (level === "release") out.add(`r:${x.releaseId}`);
    else if (level === "master") out.add(x.masterKey);
    else for (const k of level === "artist" ? x.artists : x.labels) out.add(k);
  }
  return out;
}

/** Rarity weight of `have` Discogs owners. */
export function haveWeight(have: number): number {
  return Math.log(1 + HAVE_SCALE / Math.max(1, have));
}

/** Rarity weight from how many of `n` compared collections hold an item. */
export function dfWeight(df: number, n: number): number {
  return Math.log(1 + n / Math.max(1, df));
}

/**
 * Compare `mine` with each of `others`, best first (ties by name). Every collection given counts
 * for the document frequencies, so add all of them in one call.
 */
export function compareCollections(
  mine: readonly Holding[],
  others: readonly ComparedCollection[],
  rarity: Rarity = {},
): Comparison[] {
  const n = others.length + 1;
  const sets = new Map<Level, { mine: Set<string>; theirs: Set<string>[] }>();
  const weights = new Map<Level, Map<string, { weight: number; have: number | null }>>();
  for (const level of LEVELS) {
    const m = keysAt(mine, level);
    const t = others.map((o) => keysAt(o.holdings, level));
    sets.set(level, { mine: m, theirs: t });
    const df = new Map<string, number>();
    for (const s of [m, ...t]) for (const k of s) df.set(k, (df.get(k) ?? 0) + 1);
    const w = new Map<string, { weight: number; have: number | null }>();
    for (const [k, d] of df) {
      let have: number | null = null;
      if (level === "release") have = rarity.have?.get(Number(k.slice(2))) ?? null;
      else if (level === "master") have = rarity.masterHave?.get(k) ?? null;
      w.set(k, { weight: have !== null ? haveWeight(have) : dfWeight(d, n), have });
    }
    weights.set(level, w);
  }
  const total = (s: Set<string>, w: Map<string, { weight: number }>) => {
    let sum = 0;
    for (const k of s) sum += w.get(k)!.weight;
    return sum;
  };
  const mineTotals = new Map(LEVELS.map((l) => [l, total(sets.get(l)!.mine, weights.get(l)!)]));
  const out = others.map((o, index): Comparison => {
    const components = {} as Record<Level, number>;
    const shared = {} as Record<Level, SharedItem[]>;
    let similarity = 0;
    for (const level of LEVELS) {
      const w = weights.get(level)!;
      const { mine: m, theirs } = sets.get(level)!;
      const t = theirs[index];
      const items: SharedItem[] = [];
      for (const k of t) if (m.has(k)) items.push({ key: k, ...w.get(k)! });
      items.sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : 1));
      const both = items.reduce((s, x) => s + x.weight, 0);
      const denominator = Math.sqrt(mineTotals.get(level)! * total(t, w));
      components[level] = denominator > 0 ? both / denominator : 0;
      shared[level] = items;
      similarity += LEVEL_WEIGHTS[level] * components[level];
    }
    return {
      name: o.name,
      similarity,
      components,
      shared,
      sharedRecords: shared.master.length,
      sharedRare: shared.master.filter((x) => x.have !== null && x.have < RARE_HAVE).length,
      records: sets.get("master")!.theirs[index].size,
    };
  });
  return out.sort((a, b) => b.similarity - a.similarity || (a.name < b.name ? -1 : 1));
}
