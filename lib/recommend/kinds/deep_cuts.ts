/**
 * **Deep cuts**: pool records by artists you already collect that few own and many want.
 *
 * @module
 */

import { normalizeName, PLACEHOLDER_NAMES } from "../../embed/features.ts";
import { formatCount } from "../../score/why.ts";
import type { RecommendContext } from "../context.ts";
import { eligible, priceFact } from "../lists.ts";
import type { ListOptions, Recommendation, Recommender } from "../recommender.ts";

/**
 * Records of an artist the collection must hold before their other records are deep cuts: one
 * record is a passing purchase, not an artist you collect.
 */
export const MIN_OWNED_BY_ARTIST = 2;

/**
 * Deep cuts of one artist at most: a few, so one prolific artist does not fill the list, but
 * more than two, because a collection's deep-cut artists are few once an artist must be owned
 * twice.
 */
export const DEEP_CUTS_PER_ARTIST = 3;

/** Records per artist the collection holds (placeholders like "Various" left out). */
function ownedByArtist(ctx: RecommendContext): Map<string, number> {
  const owned = new Map<string, number>();
  for (const c of ctx.collection) {
    for (const a of c.artists) {
      const name = normalizeName(a);
      if (name && !PLACEHOLDER_NAMES.has(name)) owned.set(name, (owned.get(name) ?? 0) + 1);
    }
  }
  return owned;
}

/**
 * Records by artists you collect whose have and want are not known yet (catalogue candidates),
 * closest to your shelves first: priced with the shortlist, they can become deep cuts.
 */
export function deepCutsToPrice(ctx: RecommendContext, options: ListOptions = {}): number[] {
  const owned = ownedByArtist(ctx);
  const k = ctx.clustering.k;
  const found: { i: number; sim: number }[] = [];
  ctx.pool.forEach((c, i) => {
    // Only records pricing can reach by id: matching id-less rows by search is not worth it here.
    if (c.releaseId === null || (c.have !== null && c.want !== null)) return;
    if (!eligible(ctx, i, options)) return;
    if (!c.artists.some((a) => (owned.get(normalizeName(a)) ?? 0) >= MIN_OWNED_BY_ARTIST)) return;
    let sim = -Infinity;
    for (let s = 0; s < k; s++) sim = Math.max(sim, ctx.centroidSims[i * k + s]);
    found.push({ i, sim });
  });
  found.sort((a, b) => b.sim - a.sim || a.i - b.i);
  return found.slice(0, options.top ?? 20).map((f) => f.i);
}

/** Deep cuts: pool records by artists in the collection, rarely owned and relatively wanted. */
export function recommendDeepCuts(
  ctx: RecommendContext,
  options: ListOptions = {},
): Recommendation[] {
  const top = options.top ?? 20;
  const owned = ownedByArtist(ctx);
  const scored: { i: number; score: number; artist: string; count: number }[] = [];
  ctx.pool.forEach((c, i) => {
    if (c.have === null || c.want === null || !eligible(ctx, i, options)) return;
    const match = c.artists.map(normalizeName)
      .find((a) => (owned.get(a) ?? 0) >= MIN_OWNED_BY_ARTIST);
    if (!match) return;
    // Rare (few have it) and wanted relative to how many have it.
    const score = ((c.want + 1) / (c.have + 1)) / Math.log2(c.have + 2);
    scored.push({ i, score, artist: match, count: owned.get(match)! });
  });
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  const perArtist = new Map<string, number>();
  const out: Recommendation[] = [];
  for (const s of scored) {
    if (out.length >= top) break;
    if ((perArtist.get(s.artist) ?? 0) >= DEEP_CUTS_PER_ARTIST) continue;
    perArtist.set(s.artist, (perArtist.get(s.artist) ?? 0) + 1);
    const c = ctx.pool[s.i];
    out.push({
      kind: deepCuts.name,
      rank: out.length + 1,
      poolIndex: s.i,
      score: s.score,
      components: {
        want_have_ratio: (c.want! + 1) / (c.have! + 1),
        have: c.have!,
        owned_by_artist: s.count,
      },
      why:
        `by ${c.artists[0] ?? c.artist} (you own ${s.count}): only ${
          formatCount(c.have!)
        } have it, ` +
        `${formatCount(c.want!)} want it` +
        (priceFact(c) ? `, ${priceFact(c)}` : ""),
    });
  }
  return out;
}

/** The deep cuts recommender. */
export const deepCuts: Recommender = {
  name: "deep_cut",
  label: "Deep cuts",
  description: "Rarely owned, much-wanted records by artists you collect.",
  plural: "deep cuts",
  rank: recommendDeepCuts,
  toPrice: deepCutsToPrice,
};
