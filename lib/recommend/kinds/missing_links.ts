/**
 * **Missing links**: records between two shelves that are far apart — close to both, each on
 * its shelf's own scale.
 *
 * @module
 */

import { normalizeName, PLACEHOLDER_NAMES } from "../../embed/features.ts";
import { rowDot } from "../../embed/similarity.ts";
import type { Candidate } from "../candidates.ts";
import type { RecommendContext } from "../context.ts";
import { diversify, eligible, hasNoMarketData, NO_MARKET_DATA, sharedTokens } from "../lists.ts";
import type { ListOptions, Recommendation, Recommender } from "../recommender.ts";

/**
 * A bridge must sit at least this close to each of its two shelves, relative to how close the
 * shelf's own records sit to it ({@link shelfCohesion}): below it a "link" shares nothing but the
 * format, and a shorter honest list is better than padding.
 */
export const MIN_BRIDGE_CLOSENESS = 0.3;

/**
 * Shelves whose centroids are at least this similar are two views of one taste (e.g. Jungle and
 * Drum n Bass), not corners to link.
 */
export const MAX_LINKED_SHELF_COSINE = 0.5;

/** What a shelf's records are made of: their artists, labels and styles (normalised names). */
interface ShelfVocabulary {
  artists: Set<string>;
  labels: Set<string>;
  styles: Set<string>;
}

function shelfVocabularies(ctx: RecommendContext): ShelfVocabulary[] {
  const shelves = Array.from({ length: ctx.clustering.k }, () => ({
    artists: new Set<string>(),
    labels: new Set<string>(),
    styles: new Set<string>(),
  }));
  ctx.collection.forEach((c, i) => {
    const shelf = shelves[ctx.clustering.assignments[i]];
    for (const a of c.artists) {
      if (!PLACEHOLDER_NAMES.has(normalizeName(a))) shelf.artists.add(normalizeName(a));
    }
    for (const l of c.labels) shelf.labels.add(normalizeName(l));
    for (const st of c.styles) shelf.styles.add(normalizeName(st));
  });
  return shelves;
}

/**
 * What a record has in common with one shelf, in the record's own spelling, most telling first:
 * an artist on that shelf, then a label, then styles (at most two in all).
 */
function sharedWithShelf(
  shelf: ShelfVocabulary,
  c: Candidate,
  alreadyNamed: ReadonlySet<string> = new Set(),
): string[] {
  const found = [
    ...c.artists.filter((a) => shelf.artists.has(normalizeName(a))).map((a) => `${a} (artist)`),
    ...c.labels.filter((l) => shelf.labels.has(normalizeName(l))).map((l) => `${l} (label)`),
    ...c.styles.filter((st) => shelf.styles.has(normalizeName(st))),
  ];
  const unique = [...new Set(found)];
  const fresh = unique.filter((t) => !alreadyNamed.has(t));
  return (fresh.length ? fresh : unique).slice(0, 2);
}

/** "A", "A and B". */
function listed(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : items[0];
}

/**
 * How tightly each shelf holds together: the median cosine of its records to its centroid. An
 * eclectic shelf (psychedelic rock next to indie) is loose, a one-style shelf tight; a pool
 * record's similarity to a shelf is judged on that shelf's own scale.
 */
export function shelfCohesion(ctx: RecommendContext): Float32Array {
  const { k, assignments, centroids } = ctx.clustering;
  const sims: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < ctx.collection.length; i++) {
    const shelf = assignments[i];
    sims[shelf].push(rowDot(ctx.collectionVectors, i, centroids, shelf, ctx.dims));
  }
  return Float32Array.from(sims, (list) => {
    if (list.length === 0) return 1;
    list.sort((x, y) => x - y);
    return Math.max(list[list.length >> 1], 1e-6);
  });
}

/**
 * How close pool record `i` sits to shelf `shelf` on that shelf's own scale: its similarity to
 * the centroid divided by the shelf's cohesion (1 = as close as the shelf's typical record).
 */
export function shelfCloseness(
  ctx: RecommendContext,
  cohesion: Float32Array,
  i: number,
  shelf: number,
): number {
  return ctx.centroidSims[i * ctx.clustering.k + shelf] / cohesion[shelf];
}

/**
 * Missing links: for the most distant pairs of shelves, the pool records closest to both — the
 * smaller of the two similarities, each on its shelf's scale, is maximised — with at least
 * {@link MIN_BRIDGE_CLOSENESS} to each side. Pairs are taken most distant first, a third of the
 * list each, until the list is full or no pair has a real bridge left.
 */
export function recommendMissingLinks(
  ctx: RecommendContext,
  options: ListOptions = {},
): Recommendation[] {
  const top = options.top ?? 20;
  const k = ctx.clustering.k;
  if (k < 2) return [];
  const cohesion = shelfCohesion(ctx);
  const sides = shelfVocabularies(ctx);
  const pairs: { a: number; b: number; distance: number }[] = [];
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const cosine = rowDot(ctx.clustering.centroids, a, ctx.clustering.centroids, b, ctx.dims);
      if (cosine < MAX_LINKED_SHELF_COSINE) pairs.push({ a, b, distance: 1 - cosine });
    }
  }
  pairs.sort((x, y) => y.distance - x.distance || x.a - y.a || x.b - y.b);
  const perPair = Math.ceil(top / Math.min(3, Math.max(1, pairs.length)));
  const out: Recommendation[] = [];
  const seen = new Set<number>();
  for (const { a, b, distance } of pairs) {
    if (out.length >= top) break;
    // A bridge is close to both shelves: maximise the smaller of the two (relative) closenesses.
    const bridge = (i: number) =>
      Math.min(shelfCloseness(ctx, cohesion, i, a), shelfCloseness(ctx, cohesion, i, b));
    const ranked = [...ctx.pool.keys()]
      .filter((i) => !seen.has(i) && eligible(ctx, i, options) && bridge(i) >= MIN_BRIDGE_CLOSENESS)
      .sort((x, y) => bridge(y) - bridge(x) || x - y);
    if (ranked.length === 0) continue;
    const take = Math.min(perPair, top - out.length);
    for (const i of diversify(ctx, ranked, bridge, take, options.diversity ?? 0.8)) {
      seen.add(i);
      const c = ctx.pool[i];
      // What ties it to each side, naming on the second side what the first did not.
      const fromA = sharedWithShelf(sides[a], c);
      const fromB = sharedWithShelf(sides[b], c, new Set(fromA));
      const ties = fromA.length && fromB.length
        ? `${listed(fromA)} on the ${ctx.shelves[a]} side, ${listed(fromB)} on the ${
          ctx.shelves[b]
        } side`
        : sharedTokens(ctx, c, 2).join(", ");
      out.push({
        kind: missingLinks.name,
        rank: 0,
        poolIndex: i,
        score: bridge(i),
        components: {
          similarity_a: ctx.centroidSims[i * k + a],
          similarity_b: ctx.centroidSims[i * k + b],
          closeness_a: shelfCloseness(ctx, cohesion, i, a),
          closeness_b: shelfCloseness(ctx, cohesion, i, b),
          shelf_distance: distance,
        },
        why: `links your ${ctx.shelves[a]} and your ${ctx.shelves[b]} shelves ` +
          `(similarity ${ctx.centroidSims[i * k + a].toFixed(2)} and ${
            ctx.centroidSims[i * k + b].toFixed(2)
          })` +
          (ties ? `: ${ties}` : "") +
          (hasNoMarketData(ctx.pool[i]) ? `; ${NO_MARKET_DATA}` : ""),
      });
    }
  }
  return out.sort((x, y) => y.score - x.score || x.poolIndex - y.poolIndex)
    .map((r, i) => ({ ...r, rank: i + 1 }));
}

/** The missing links recommender. */
export const missingLinks: Recommender = {
  name: "missing_link",
  label: "Missing links",
  description: "Records between two of your shelves that are far apart: close to both.",
  plural: "missing links",
  rank: recommendMissingLinks,
};
