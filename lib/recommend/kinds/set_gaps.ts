/**
 * **Set gaps** — "complete the set": the pool records missing from the sets you are close to
 * finishing (`deno task complete`, lib/complete/gaps.ts; the `sets` candidate source adds them),
 * nearest-to-complete set first (share complete, then fewest missing), then cheapest, then by
 * taste fit; at most {@link SET_GAPS_PER_SET} per set, so one set does not fill the list, and one
 * pressing per album (a record another set misses too tells so). Only
 * records with a set gap compete, so without the set tables the list is empty and the other
 * lists are as before.
 *
 * @module
 */

import { formatPrice } from "../../score/why.ts";
import type { RecommendContext } from "../context.ts";
import type { Candidate, SetGap } from "../candidates.ts";
import { eligible, hasNoMarketData, NO_MARKET_DATA } from "../lists.ts";
import type { ListOptions, Recommendation, Recommender } from "../recommender.ts";
import { GEM_TASTE_FIELD_WEIGHTS, tasteScores } from "../taste.ts";

/** Picks from one set at most: the list shows several sets rather than one set's whole gap. */
export const SET_GAPS_PER_SET = 2;

/** How close a set is to complete, higher is closer: its share plus a bonus for few missing. */
export function closeness(gap: SetGap): number {
  return gap.pct / 100 + 1 / (1 + gap.missing);
}

/** "the last of 10 Moving Shadow 12"s from 1994 you are missing" / "one of the 3 …". */
export function gapText(gap: SetGap): string {
  const head = gap.missing === 1
    ? `the last of ${gap.total} ${gap.what} you are missing`
    : `one of the ${gap.missing} ${gap.what} you are missing (you own ${gap.owned} of ` +
      `${gap.total})`;
  return head + (gap.inWantlist ? "; on your wantlist" : "");
}

/** "$14.00, 6 for sale", "none for sale", "no market data yet" or "not priced yet". */
function priceText(c: Candidate): string {
  if (c.lowestPrice !== null) {
    const many = c.numForSale ?? null;
    return formatPrice(c.lowestPrice, c.currency) + (many ? `, ${many} for sale` : "");
  }
  if (c.numForSale === 0) return "none for sale";
  return hasNoMarketData(c) ? NO_MARKET_DATA : "not priced yet";
}

/** Set gaps, nearest-to-complete set first, at most {@link SET_GAPS_PER_SET} per set. */
export function recommendSetGaps(
  ctx: RecommendContext,
  options: ListOptions = {},
): Recommendation[] {
  const top = options.top ?? 20;
  const gappy = [...ctx.pool.keys()].filter((i) =>
    (ctx.pool[i].setGaps?.length ?? 0) > 0 && eligible(ctx, i, options)
  );
  if (gappy.length === 0) return [];
  const taste = tasteScores(
    ctx.tokenLift,
    ctx.tokenField,
    ctx.poolTokens,
    ctx.unseenLift,
    undefined,
    { fieldWeights: GEM_TASTE_FIELD_WEIGHTS, imputeMissing: true },
  );
  const gapOf = (i: number) => ctx.pool[i].setGaps![0];
  const price = (i: number) => ctx.pool[i].lowestPrice ?? Infinity;
  const ranked = gappy.sort((a, b) =>
    closeness(gapOf(b)) - closeness(gapOf(a)) || price(a) - price(b) ||
    taste[b] - taste[a] || a - b
  );
  const perSet = new Map<string, number>();
  // One pressing per album: the set's cheapest pressing and another set's both fill it.
  const albums = new Set<string>();
  const out: Recommendation[] = [];
  for (const i of ranked) {
    if (out.length >= top) break;
    const c = ctx.pool[i];
    // A record missing from two sets counts against (and is told by) the closer one.
    const gap = gapOf(i);
    const set = `${gap.kind}:${gap.id}`;
    if ((perSet.get(set) ?? 0) >= SET_GAPS_PER_SET) continue;
    if (gap.albums.some((a) => albums.has(a))) continue;
    gap.albums.forEach((a) => albums.add(a));
    perSet.set(set, (perSet.get(set) ?? 0) + 1);
    const also = c.setGaps!.length > 1
      ? `; also missing from ${c.setGaps!.slice(1).map((g) => g.name).join(", ")}`
      : "";
    out.push({
      kind: setGaps.name,
      rank: out.length + 1,
      poolIndex: i,
      score: closeness(gap),
      components: {
        set_pct: gap.pct,
        set_missing: gap.missing,
        taste: taste[i],
        ...(c.lowestPrice === null ? {} : { lowest_price: c.lowestPrice }),
      },
      why: `${gapText(gap)}; ${priceText(c)}${also}`,
    });
  }
  return out;
}

/** The set gaps recommender. */
export const setGaps: Recommender = {
  name: "set_gap",
  label: "Complete the set",
  description:
    "The records missing from the discographies and label catalogues you are close to finishing.",
  plural: "set gaps",
  needs: "sets (deno task complete)",
  rank: recommendSetGaps,
};
