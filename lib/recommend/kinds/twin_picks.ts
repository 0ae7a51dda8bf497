/**
 * **Twin picks** — "they have, you don't": pool records the collections closest to yours own
 * (`deno task twins`, `lib/twins/`), ranked by how many and how close the twins owning them are
 * (their support: Σ similarity), by taste fit to your shelves and by value. Only records with
 * twin support compete, so without `--with…` the list is empty and the other lists are as before.
 *
 * @module
 */

import { valueScore } from "../../score/formulas.ts";
import { nearestShelf, type RecommendContext } from "../context.ts";
import { eligible, meanSd, sharedTokens, valueFacts } from "../lists.ts";
import type { ListOptions, Recommendation, Recommender } from "../recommender.ts";
import { GEM_TASTE_FIELD_WEIGHTS, tasteScores } from "../taste.ts";

/** The blend: support leads; taste fit (gem taste) and value refine, as z-scores over the picks. */
export const TWIN_PICK_WEIGHTS = { support: 1, taste: 0.5, value: 0.25 } as const;

/** Twin picks by one artist at most, so one twin's favourite artist does not fill the list. */
export const TWIN_PICKS_PER_ARTIST = 2;

/**
 * The twin-pick score of every pool record (NaN for records no twin owns), and its parts.
 */
export function twinPickScores(
  ctx: RecommendContext,
  priceWeight = 1,
): { scores: Float64Array; support: Float64Array; taste: Float64Array; value: Float64Array } {
  const n = ctx.pool.length;
  const scores = new Float64Array(n).fill(NaN);
  const support = Float64Array.from(ctx.pool, (c) => c.twinSupport ?? 0);
  const owned = [...support.keys()].filter((i) => support[i] > 0);
  const taste = new Float64Array(n);
  const value = new Float64Array(n).fill(NaN);
  if (owned.length === 0) return { scores, support, taste, value };
  const all = tasteScores(
    ctx.tokenLift,
    ctx.tokenField,
    ctx.poolTokens,
    ctx.unseenLift,
    undefined,
    { fieldWeights: GEM_TASTE_FIELD_WEIGHTS, imputeMissing: true },
  );
  for (const i of owned) {
    taste[i] = all[i];
    const c = ctx.pool[i];
    if (c.want !== null && c.have !== null) {
      value[i] = Math.log(
        valueScore(
          { want: c.want, have: c.have, lowestPrice: c.lowestPrice, numForSale: null },
          priceWeight,
        ) +
          1e-6,
      );
    }
  }
  const zs = meanSd(owned.map((i) => Math.log(support[i])));
  const zt = meanSd(owned.map((i) => taste[i]));
  const known = owned.filter((i) => !Number.isNaN(value[i])).map((i) => value[i]);
  const zv = meanSd(known.length ? known : [0]);
  for (const i of owned) {
    scores[i] = TWIN_PICK_WEIGHTS.support * (Math.log(support[i]) - zs.mean) / zs.sd +
      TWIN_PICK_WEIGHTS.taste * (taste[i] - zt.mean) / zt.sd +
      (Number.isNaN(value[i]) ? 0 : TWIN_PICK_WEIGHTS.value * (value[i] - zv.mean) / zv.sd);
  }
  return { scores, support, taste, value };
}

/** Twin picks, best first, at most {@link TWIN_PICKS_PER_ARTIST} per artist, with reasons. */
export function recommendTwinPicks(
  ctx: RecommendContext,
  options: ListOptions = {},
): Recommendation[] {
  const top = options.top ?? 20;
  const { scores, support, taste, value } = twinPickScores(ctx, options.priceWeight ?? 1);
  const ranked = [...scores.keys()].filter((i) =>
    !Number.isNaN(scores[i]) && eligible(ctx, i, options)
  )
    .sort((a, b) => scores[b] - scores[a] || a - b);
  const perArtist = new Map<string, number>();
  const out: Recommendation[] = [];
  for (const i of ranked) {
    if (out.length >= top) break;
    const c = ctx.pool[i];
    const artist = c.artist.toLowerCase();
    if (artist !== "various" && (perArtist.get(artist) ?? 0) >= TWIN_PICKS_PER_ARTIST) continue;
    perArtist.set(artist, (perArtist.get(artist) ?? 0) + 1);
    const owners = c.twinOwners ?? [];
    const { shelf, similarity } = nearestShelf(ctx, i);
    const fit = sharedTokens(ctx, c, 3);
    const facts = valueFacts(c);
    out.push({
      kind: twinPicks.name,
      rank: out.length + 1,
      poolIndex: i,
      score: scores[i],
      components: {
        twin_support: support[i],
        twins: owners.length,
        taste: taste[i],
        ...(Number.isNaN(value[i]) ? {} : { log_value: value[i] }),
      },
      why: `owned by ${owners.length === 1 ? "your twin" : `${owners.length} of your twins`} ` +
        owners.slice(0, 3).join(", ") +
        (owners.length > 3 ? ` and ${owners.length - 3} more` : "") +
        ` (support ${support[i].toFixed(2)})` +
        `; near your ${ctx.shelves[shelf]} shelf (similarity ${similarity.toFixed(2)})` +
        (fit.length ? `: ${fit.join(", ")}` : "") + (facts ? `; ${facts}` : ""),
    });
  }
  return out;
}

/** The twin picks recommender. */
export const twinPicks: Recommender = {
  name: "twin_pick",
  label: "Twin picks",
  description: "They have, you don't: records the collectors closest to your taste own.",
  plural: "twin picks",
  needs: "other collections (deno task twins --with …)",
  rank: recommendTwinPicks,
};
