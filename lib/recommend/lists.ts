/**
 * What the recommenders share when they build a list: who may be picked (budget, exclusions),
 * diversification (MMR with a per-artist cap), the tokens a record shares with the collection
 * and its market facts in words.
 *
 * @module
 */

import { creditShares, normalizeName, PLACEHOLDER_NAMES } from "../embed/features.ts";
import { rowDot } from "../embed/similarity.ts";
import { formatCount, formatPrice } from "../score/why.ts";
import { suspectPriceRule } from "../score/suspect.ts";
import type { Candidate } from "./candidates.ts";
import type { RecommendContext } from "./context.ts";
import { describeCredit, describeToken } from "./explain.ts";
import type { ListOptions } from "./recommender.ts";
import { tasteFit } from "./taste.ts";

/** Mean and standard deviation (1 when flat), for z-scores without allocating. */
export function meanSd(values: ArrayLike<number>): { mean: number; sd: number } {
  const n = values.length || 1;
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < values.length; i++) variance += (values[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(variance / n) || 1 };
}

/**
 * The strongest tokens a record shares with the collection, in words. Only tokens the collection
 * really has: a rare artist the collector never bought can still have a positive lift (one copy
 * in a big catalogue weighs less than the smoothing), and "artist you collect" must be true.
 */
export function sharedTokens(ctx: RecommendContext, c: Candidate, n: number): string[] {
  const credits = creditShares(c.credits);
  return tasteFit(ctx.taste, c).matches.filter((m) => (ctx.taste.collection.get(m.token) ?? 0) > 0)
    .slice(0, n).map((m) => {
      // A shared credit says who and how, and how many records you own that credit them.
      const credit = m.token.startsWith("credit:")
        ? credits.get(m.token.slice("credit:".length))
        : undefined;
      return credit
        ? describeCredit(credit.name, credit.role, ctx.taste.collection.get(m.token)!)
        : describeToken(m.token);
    });
}

function withinBudget(c: Candidate, budget?: number): boolean {
  return budget === undefined || (c.lowestPrice !== null && c.lowestPrice <= budget);
}

const suspectRules = new WeakMap<RecommendContext, (c: Candidate) => string | null>();

/**
 * Why pool record `i`'s lowest price looks like a damaged or mislisted copy (null when it does
 * not): the score stage's rule (lib/score/suspect.ts), fitted on the collection's and the pool's
 * prices together, per currency and format.
 */
export function suspectPrice(ctx: RecommendContext, i: number): string | null {
  let rule = suspectRules.get(ctx);
  if (!rule) {
    const priced = (c: Candidate) => ({
      lowestPrice: c.lowestPrice,
      currency: c.currency,
      format: c.formats[0] ?? null,
    });
    const fitted = suspectPriceRule([...ctx.collection, ...ctx.pool].map(priced));
    rule = (c) => fitted(priced(c));
    suspectRules.set(ctx, rule);
  }
  return rule(ctx.pool[i]);
}

/**
 * Whether pool record `i` may be picked: within budget, not excluded, and (unless
 * `keepSuspectPrices`) not at a suspect lowest price.
 */
export function eligible(ctx: RecommendContext, i: number, options: ListOptions): boolean {
  return withinBudget(ctx.pool[i], options.budget) && !options.exclude?.has(i) &&
    (options.keepSuspectPrices === true || suspectPrice(ctx, i) === null);
}

/**
 * What a pick with no market data at all says instead of its figures: catalogue candidates
 * (the data dump has no have/want or prices) until shortlist pricing has fetched them.
 */
export const NO_MARKET_DATA = "no market data yet";

/** Nothing is known of its market: no have, want, price, nor copies for sale. */
export function hasNoMarketData(c: Candidate): boolean {
  return c.have === null && c.want === null && c.lowestPrice === null &&
    (c.numForSale ?? null) === null;
}

/** "80 want / 100 have, from $10.00" (what is known of it), or "no market data yet". */
export function valueFacts(c: Candidate): string {
  if (hasNoMarketData(c)) return NO_MARKET_DATA;
  const parts: string[] = [];
  if (c.want !== null && c.have !== null) {
    parts.push(`${formatCount(c.want)} want / ${formatCount(c.have)} have`);
  }
  const price = priceFact(c);
  if (price) parts.push(price);
  return parts.join(", ");
}

/** "from $10.00", "none for sale" (priced, no copy listed), or "" when not known. */
export function priceFact(c: Candidate): string {
  if (c.lowestPrice !== null) return `from ${formatPrice(c.lowestPrice, c.currency)}`;
  return c.numForSale === 0 ? "none for sale" : "";
}

/**
 * Greedy maximal marginal relevance: pick the best remaining candidate by
 * `λ·score − (1−λ)·max similarity to what is already picked`, at most `perArtist` per artist
 * ("Various" and other placeholder names are no one artist: compilations are not capped).
 * `artists` remembers each record's capped artist across calls (the self-tuning's folds).
 */
export function diversify(
  ctx: RecommendContext,
  ranked: readonly number[],
  relevance: (i: number) => number,
  top: number,
  lambda: number,
  perArtist = 2,
  artists?: Map<number, string | null>,
): number[] {
  const pool = ranked.slice(0, Math.max(top * 8, 100));
  const m = pool.length;
  if (m === 0) return [];
  const rel = pool.map(relevance);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of rel) (lo = Math.min(lo, v), hi = Math.max(hi, v));
  const norm = rel.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 1));
  const artist = pool.map((i) => {
    if (!artists) return cappedArtist(ctx, i);
    let a = artists.get(i);
    if (a === undefined) artists.set(i, a = cappedArtist(ctx, i));
    return a;
  });
  // Lazy greedy: a candidate's redundancy (its largest cosine to what is chosen, from 0) only
  // grows as picks are added, so the MMR it last had is an upper bound on what it has now.
  // Candidates wait in a max-heap by that bound (ties: the earlier in the window first, as a
  // full pass picks); the top one is brought up to date with the picks made since it was last
  // scored, and taken if it is still on top. The same list as scoring every candidate against
  // every pick, with a few cosines per pick instead of one per candidate: 2.7 → 1.3 ms per
  // served fold list in the tuning, which builds hundreds.
  const redundancy = new Float64Array(m);
  const bound = new Float64Array(m);
  const seenPicks = new Int32Array(m); // picks `redundancy[p]` has been compared with
  const heap = new Int32Array(m);
  let size = 0;
  const above = (a: number, b: number) => bound[a] > bound[b] || (bound[a] === bound[b] && a < b);
  const push = (p: number) => {
    let c = size++;
    while (c > 0) {
      const parent = (c - 1) >> 1;
      if (!above(p, heap[parent])) break;
      heap[c] = heap[parent];
      c = parent;
    }
    heap[c] = p;
  };
  const pop = (): number => {
    const top = heap[0];
    const last = heap[--size];
    let c = 0;
    while (true) {
      const l = 2 * c + 1;
      if (l >= size) break;
      const child = l + 1 < size && above(heap[l + 1], heap[l]) ? l + 1 : l;
      if (!above(heap[child], last)) break;
      heap[c] = heap[child];
      c = child;
    }
    if (size > 0) heap[c] = last;
    return top;
  };
  for (let p = 0; p < m; p++) {
    bound[p] = lambda * norm[p];
    // NaN or -Infinity: a full pass never picks it (nothing beats -Infinity strictly).
    if (bound[p] > -Infinity) push(p);
  }
  const perArtistCount = new Map<string, number>();
  const chosen: number[] = [];
  const v = ctx.poolVectors;
  while (chosen.length < top && size > 0) {
    const p = pop();
    const a = artist[p];
    // Counts only grow: an artist at the cap stays there.
    if (a !== null && (perArtistCount.get(a) ?? 0) >= perArtist) continue;
    if (seenPicks[p] < chosen.length) {
      for (let c = seenPicks[p]; c < chosen.length; c++) {
        const cos = rowDot(v, pool[p], v, chosen[c], ctx.dims);
        if (cos > redundancy[p]) redundancy[p] = cos;
      }
      seenPicks[p] = chosen.length;
      const mmr = lambda * norm[p] - (1 - lambda) * redundancy[p];
      bound[p] = mmr;
      if (mmr > -Infinity) push(p);
      continue;
    }
    chosen.push(pool[p]);
    if (a !== null) perArtistCount.set(a, (perArtistCount.get(a) ?? 0) + 1);
  }
  return chosen;
}

/** The artist the per-artist cap counts record `i` under (null: a compilation, no one artist). */
export function cappedArtist(ctx: RecommendContext, i: number): string | null {
  const name = normalizeName(ctx.pool[i].artist);
  return PLACEHOLDER_NAMES.has(name) ? null : name;
}
