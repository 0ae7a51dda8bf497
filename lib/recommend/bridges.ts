/**
 * Prototyping missing links: the taste shelves of a recommendation context, the pairs of shelves
 * furthest apart, and bridge candidates between two shelves under interchangeable bridging rules,
 * so rules can be compared side by side. `recommendMissingLinks` (kinds/missing_links.ts) serves the
 * `max-min` rule on each shelf's own scale (`relative: true` here: a similarity divided by the
 * shelf's cohesion, see `shelfCohesion`), with a floor and MMR diversification; here each rule
 * ranks plainly (at most two records per artist) so the rules themselves are what differs.
 *
 * A record's similarities to the two shelves' centroids are `a` and `b` (cosines, −1..1):
 * - `max-min`: min(a, b) — as close as possible to the further shelf.
 * - `harmonic`: 2ab / (a + b) on a, b clamped at 0 — high only when both are, softer than min.
 * - `product`: a · b on a, b clamped at 0 — rewards one strong side more than the others do.
 * - `mean`: (a + b) / 2 — the naive rule: a record deep inside one shelf can win.
 *
 * @example
 * ```ts
 * const [pair] = shelfPairs(ctx);
 * compareBridgeRules(ctx, pair, ["max-min", "harmonic", "product"], { top: 10 });
 * ```
 *
 * @module
 */

import { normalizeName } from "../embed/features.ts";
import { rowDot } from "../embed/similarity.ts";
import type { RecommendContext } from "./context.ts";
import {
  MAX_LINKED_SHELF_COSINE,
  MIN_BRIDGE_CLOSENESS,
  shelfCloseness,
  shelfCohesion,
} from "./kinds/missing_links.ts";

/** A bridging rule: a score from the two shelf similarities (higher is a better bridge). */
export type BridgeRule = (a: number, b: number) => number;

const pos = (x: number) => (x > 0 ? x : 0);

/** The bridging rules, by name. */
export const BRIDGE_RULES = {
  "max-min": (a: number, b: number) => Math.min(a, b),
  harmonic: (a: number, b: number) => {
    const [x, y] = [pos(a), pos(b)];
    return x + y > 0 ? (2 * x * y) / (x + y) : 0;
  },
  product: (a: number, b: number) => pos(a) * pos(b),
  mean: (a: number, b: number) => (a + b) / 2,
} as const satisfies Record<string, BridgeRule>;

/** A rule's name. */
export type BridgeRuleName = keyof typeof BRIDGE_RULES;

/** One shelf (taste cluster) of the collection. */
export interface Shelf {
  shelf: number;
  name: string;
  records: number;
  /** A few of its records, most wanted first: "Artist – Title". */
  examples: string[];
}

/** The collection's shelves, biggest first. */
export function shelves(ctx: RecommendContext, examples = 3): Shelf[] {
  return ctx.shelves.map((name, shelf) => {
    const members = ctx.collection.filter((_, i) => ctx.clustering.assignments[i] === shelf);
    const top = [...members].sort((a, b) => (b.want ?? -1) - (a.want ?? -1))
      .slice(0, examples).map((c) => `${c.artist} – ${c.title}`);
    return { shelf, name, records: members.length, examples: top };
  }).sort((a, b) => b.records - a.records || a.shelf - b.shelf);
}

/** Two shelves and how far apart their centroids are (1 − cosine). */
export interface ShelfPair {
  a: number;
  b: number;
  shelf_a: string;
  shelf_b: string;
  distance: number;
}

/** Every pair of shelves, most distant first (the order `recommendMissingLinks` goes through). */
export function shelfPairs(ctx: RecommendContext): ShelfPair[] {
  const { k, centroids } = ctx.clustering;
  const pairs: ShelfPair[] = [];
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      pairs.push({
        a,
        b,
        shelf_a: ctx.shelves[a],
        shelf_b: ctx.shelves[b],
        distance: 1 - rowDot(centroids, a, centroids, b, ctx.dims),
      });
    }
  }
  return pairs.sort((x, y) => y.distance - x.distance || x.a - y.a || x.b - y.b);
}

/** A pair of shelves as the served rule sees it: can it be linked, and how well? */
export interface LinkablePair extends ShelfPair {
  /** Cosine of the two centroids; at or above {@link MAX_LINKED_SHELF_COSINE} they are one taste. */
  cosine: number;
  /** The best record's smaller closeness to the two shelves, each on its shelf's own scale. */
  best_closeness: number;
  /** Pool records at or above {@link MIN_BRIDGE_CLOSENESS} to both shelves. */
  bridges: number;
  /** Whether `recommendMissingLinks` can serve links for this pair. */
  linkable: boolean;
}

/**
 * Every pair of shelves, most distant first, with what the served rule finds between them: how
 * close the best record comes to both, and how many records pass the floor.
 */
export function linkablePairs(ctx: RecommendContext): LinkablePair[] {
  const cohesion = shelfCohesion(ctx);
  return shelfPairs(ctx).map((pair) => {
    let best = -Infinity;
    let bridges = 0;
    for (let i = 0; i < ctx.pool.length; i++) {
      const closeness = Math.min(
        shelfCloseness(ctx, cohesion, i, pair.a),
        shelfCloseness(ctx, cohesion, i, pair.b),
      );
      if (closeness > best) best = closeness;
      if (closeness >= MIN_BRIDGE_CLOSENESS) bridges++;
    }
    const cosine = 1 - pair.distance;
    return {
      ...pair,
      cosine,
      best_closeness: best,
      bridges,
      linkable: cosine < MAX_LINKED_SHELF_COSINE && bridges > 0,
    };
  });
}

/** A bridge candidate between two shelves. */
export interface Bridge {
  rank: number;
  pool_index: number;
  artist: string;
  title: string;
  similarity_a: number;
  similarity_b: number;
  score: number;
  lowest_price: number | null;
  currency: string | null;
}

/** Options for {@link rankBridges}. */
export interface BridgeOptions {
  top?: number;
  /** Only records with a known lowest price at or under this. */
  budget?: number;
  /** At most this many records per artist (default 2, as the served list). */
  perArtist?: number;
  /**
   * Judge each similarity on its shelf's own scale (divided by the shelf's cohesion), as the
   * served list does; `score` is then on that scale, `similarity_a`/`_b` stay raw cosines.
   */
  relative?: boolean;
}

/** The top bridges between the shelves of `pair` under `rule` (ties by pool order). */
export function rankBridges(
  ctx: RecommendContext,
  pair: Pick<ShelfPair, "a" | "b">,
  rule: BridgeRule | BridgeRuleName,
  options: BridgeOptions = {},
): Bridge[] {
  const score = typeof rule === "function" ? rule : BRIDGE_RULES[rule];
  if (!score) throw new RangeError(`unknown bridging rule ${rule}`);
  const k = ctx.clustering.k;
  if (pair.a === pair.b || Math.max(pair.a, pair.b) >= k || Math.min(pair.a, pair.b) < 0) {
    throw new RangeError(`shelves ${pair.a} and ${pair.b} are not two of the ${k} shelves`);
  }
  const top = options.top ?? 10;
  const perArtist = options.perArtist ?? 2;
  const scale = options.relative ? shelfCohesion(ctx) : undefined;
  const [da, db] = scale ? [scale[pair.a], scale[pair.b]] : [1, 1];
  const scored = ctx.pool.map((c, i) => {
    const a = ctx.centroidSims[i * k + pair.a];
    const b = ctx.centroidSims[i * k + pair.b];
    return { i, a, b, score: score(a / da, b / db), c };
  }).filter(({ c }) =>
    options.budget === undefined || (c.lowestPrice !== null && c.lowestPrice <= options.budget)
  ).sort((x, y) => y.score - x.score || x.i - y.i);
  const artists = new Map<string, number>();
  const out: Bridge[] = [];
  for (const { i, a, b, score: s, c } of scored) {
    if (out.length >= top) break;
    const artist = normalizeName(c.artist);
    if ((artists.get(artist) ?? 0) >= perArtist) continue;
    artists.set(artist, (artists.get(artist) ?? 0) + 1);
    out.push({
      rank: out.length + 1,
      pool_index: i,
      artist: c.artist,
      title: c.title,
      similarity_a: a,
      similarity_b: b,
      score: s,
      lowest_price: c.lowestPrice,
      currency: c.currency,
    });
  }
  return out;
}

/** Each rule's top bridges for one pair of shelves, by rule name. */
export function compareBridgeRules(
  ctx: RecommendContext,
  pair: Pick<ShelfPair, "a" | "b">,
  rules: readonly BridgeRuleName[] = Object.keys(BRIDGE_RULES) as BridgeRuleName[],
  options: BridgeOptions = {},
): Record<string, Bridge[]> {
  return Object.fromEntries(rules.map((name) => [name, rankBridges(ctx, pair, name, options)]));
}

/**
 * Side by side, ready to show: row r holds `Rank` and each rule's r-th bridge under the rule's name
 * ("Artist – Title (a / b)").
 */
export function sideBySide(lists: Record<string, Bridge[]>): Record<string, string | number>[] {
  const length = Math.max(0, ...Object.values(lists).map((l) => l.length));
  return Array.from({ length }, (_, r) => ({
    Rank: r + 1,
    ...Object.fromEntries(
      Object.entries(lists).map(([name, list]) => {
        const b = list[r];
        return [
          name,
          b
            ? `${b.artist} – ${b.title} (${b.similarity_a.toFixed(2)} / ${
              b.similarity_b.toFixed(2)
            })`
            : "",
        ];
      }),
    ),
  }));
}

/**
 * How the rules agree, ready to show: for every two rules, the share of their top lists they have
 * in common (`Rule`, then one column per rule).
 */
export function ruleAgreement(
  lists: Record<string, Bridge[]>,
): { Rule: string; [other: string]: string | number }[] {
  const names = Object.keys(lists);
  return names.map((x) => ({
    Rule: x,
    ...Object.fromEntries(names.map((y) => {
      const ys = new Set(lists[y].map((b) => b.pool_index));
      const size = Math.min(lists[x].length, lists[y].length);
      const shared = lists[x].filter((b) => ys.has(b.pool_index)).length;
      return [y, size ? shared / size : 1];
    })),
  }));
}

/** The balance of a list: mean of the weaker side and mean gap between the two similarities. */
export function bridgeBalance(
  lists: Record<string, Bridge[]>,
): { rule: string; weaker_side: number; stronger_side: number; gap: number }[] {
  return Object.entries(lists).map(([rule, list]) => {
    const n = list.length || 1;
    const mean = (f: (b: Bridge) => number) => list.reduce((s, b) => s + f(b), 0) / n;
    return {
      rule,
      weaker_side: mean((b) => Math.min(b.similarity_a, b.similarity_b)),
      stronger_side: mean((b) => Math.max(b.similarity_a, b.similarity_b)),
      gap: mean((b) => Math.abs(b.similarity_a - b.similarity_b)),
    };
  });
}
