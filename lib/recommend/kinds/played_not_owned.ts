/**
 * **Played, not owned**: the albums you play most (weighted plays, recent plays counting more)
 * with no pressing in your collection, each as the pressing to buy in your usual format, with
 * its Discogs master and the match that found it. Comes from `deno task listen`; empty without
 * a listening history.
 *
 * @module
 */

import { formatCount } from "../../score/why.ts";
import type { RecommendContext } from "../context.ts";
import { eligible, priceFact } from "../lists.ts";
import type { ListOptions, Recommendation, Recommender } from "../recommender.ts";

/** The most played albums you do not own, best first. */
export function recommendPlayedNotOwned(
  ctx: RecommendContext,
  options: ListOptions = {},
): Recommendation[] {
  const played = ctx.played;
  if (!played || played.size === 0) return [];
  const top = options.top ?? 20;
  const scored: { i: number; score: number }[] = [];
  ctx.pool.forEach((c, i) => {
    const p = played.get(c.key);
    // Budget and suspect prices apply as to every list; taste does not: you already play it.
    if (p && eligible(ctx, i, options)) scored.push({ i, score: p.score });
  });
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  return scored.slice(0, top).map((s, n) => {
    const c = ctx.pool[s.i];
    const p = played.get(c.key)!;
    const weak = p.weightedPlays < p.plays ? ` (${round1(p.weightedPlays)} weighted)` : "";
    return {
      kind: playedNotOwned.name,
      rank: n + 1,
      poolIndex: s.i,
      score: s.score,
      components: {
        plays: p.plays,
        weighted_plays: p.weightedPlays,
        recency_weighted: s.score,
        ...(p.masterId !== null ? { master_id: p.masterId } : {}),
        ...(p.confidence !== null ? { match_confidence: p.confidence } : {}),
      },
      why: `you played ${p.artist} — ${p.album} ${formatCount(p.plays)} times${weak}` +
        (p.lastPlayed ? `, last on ${p.lastPlayed},` : "") + " and own no pressing; " +
        (p.masterId !== null
          ? `Discogs master ${p.masterId} (${p.rule?.replace("_", " ")} match, confidence ` +
            `${p.confidence})`
          : "the same artist and title in your candidates") +
        (c.formats[0] ? `; this pressing: ${c.formats[0]}` : "") +
        (priceFact(c) ? `, ${priceFact(c)}` : ""),
    };
  });
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The played-not-owned recommender. */
export const playedNotOwned: Recommender = {
  name: "played_not_owned",
  label: "Played, not owned",
  description: "The albums you stream most that have no pressing on your shelves.",
  plural: "played, not owned",
  needs: "a listening history (deno task listen)",
  rank: recommendPlayedNotOwned,
};
