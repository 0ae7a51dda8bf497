/**
 * Twin picks in the evaluation harness, as a candidate source and as a ranker: hide a seeded
 * random 20% of a collection, compare what is left with the community (the twins are found
 * again on every fold, from the visible 80% only, so nothing hidden leaks into the similarity),
 * add what the twins own to the candidates, and see where the hidden records land:
 *
 * - `twin picks`: the twin picks list as served (top 50), then the rest of the twin-supported
 *   records by the twin-pick score; records no twin owns come last;
 * - `next-spin gems`: the gems on the same candidates, for comparison;
 * - `gems + twin picks`: the gem score (z) plus {@link BLEND_WEIGHT} × the twin support
 *   (Σ similarity of the twins owning the record, 0 when none does).
 *
 * A simulated community (collectors who each own a random 30% of the *whole* collection and
 * some pool records) checks the mechanism when real twins exist; it is labelled as such.
 *
 * @module
 */

import { seededRandom } from "../embed/projection.ts";
import { FoldSums, hiddenCountOf, hiddenFolds, rankingMetrics, TOP } from "../recommend/metrics.ts";
import { asPoolRow, type Candidate, poolShares } from "../recommend/candidates.ts";
import { buildContext, type ContextOptions, type RecommendContext } from "../recommend/context.ts";
import { type EvaluationRow, evaluationRow } from "../recommend/evaluate.ts";
import { gemScores, gemWeightsOf, recommendGems } from "../recommend/kinds/gems.ts";
import { recommendTwinPicks, twinPickScores } from "../recommend/kinds/twin_picks.ts";
import { meanSd } from "../recommend/lists.ts";
import { blendFor } from "../recommend/tune/mod.ts";
import { compareAll, type TwinRecord, twinSupport, YOU } from "./mod.ts";

/**
 * Weight of the twin support in the blended ranking: gem score (z) + BLEND_WEIGHT × support, so
 * a record owned by one twin of similarity 0.3 gains 0.6 standard deviations of gem score.
 * Chosen on the harness (sample, 3 folds, simulated community): 2 → recall@50 0.794, 5 → 0.735,
 * 10 → 0.571, against 0.778 for the gems alone.
 */
export const BLEND_WEIGHT = 2;

/** Options for {@link evaluateTwins}. */
export interface TwinEvaluationOptions {
  folds?: number;
  seed?: number;
  hiddenShare?: number;
  /** Passed to every fold's context (gem signal weights, as in the main harness). */
  context?: Pick<ContextOptions, "signalWeights" | "relations">;
}

/** A candidate for a record only a twin list knows. */
function candidateOf(r: TwinRecord): Candidate {
  return {
    key: `release:${r.releaseId}`,
    releaseId: r.releaseId,
    artist: r.artist ?? "",
    title: r.title ?? "",
    artists: r.artist ? [r.artist] : [],
    labels: r.label ? [r.label.split(/,\s+/)[0]] : [],
    genres: r.genres,
    styles: r.styles,
    year: r.year,
    country: r.country,
    formats: r.format ? [r.format.split(",")[0]] : [],
    have: r.have,
    want: r.want,
    lowestPrice: r.lowestPrice,
    numForSale: r.numForSale,
    currency: r.currency,
  };
}

type Ranker = (ctx: RecommendContext) => number[];

const byScore = (scores: ArrayLike<number>, skip: Set<number>) =>
  [...Array(scores.length).keys()].filter((i) => !skip.has(i)).sort((a, b) => {
    const x = Number.isNaN(scores[a]) ? -Infinity : scores[a];
    const y = Number.isNaN(scores[b]) ? -Infinity : scores[b];
    return y - x || a - b;
  });

const RANKERS: Record<string, Ranker> = {
  "twin picks": (ctx) => {
    const served = recommendTwinPicks(ctx, { top: 50, keepSuspectPrices: true })
      .map((r) => r.poolIndex);
    return [...served, ...byScore(twinPickScores(ctx).scores, new Set(served))];
  },
  "next-spin gems": (ctx) => {
    const served = recommendGems(ctx, { top: 50, keepSuspectPrices: true }).map((r) => r.poolIndex);
    // The rest by the blend the gems served (lib/recommend/tune), as the harness orders them.
    return [
      ...served,
      ...byScore(
        gemScores(ctx, 1, gemWeightsOf(ctx, blendFor(ctx).weights)).scores,
        new Set(served),
      ),
    ];
  },
  "gems + twin picks": (ctx) => {
    const gem = gemScores(ctx, 1, gemWeightsOf(ctx, blendFor(ctx).weights)).scores;
    const g = meanSd(gem);
    // Support in similarity units (0–1 per twin), not z-scored: a faint twin stays faint.
    const blended = gem.map((v, i) =>
      (v - g.mean) / g.sd + BLEND_WEIGHT * (ctx.pool[i].twinSupport ?? 0)
    );
    return byScore(blended, new Set());
  },
};

/**
 * Evaluate twin picks on one collection (`collection`, with `mine` its own records as
 * {@link TwinRecord}s) against `pool` and a community (other collections' records).
 */
export function evaluateTwins(
  name: string,
  collection: readonly Candidate[],
  mine: readonly TwinRecord[],
  pool: readonly Candidate[],
  community: readonly TwinRecord[],
  options: TwinEvaluationOptions = {},
): EvaluationRow[] {
  const folds = options.folds ?? 5;
  const seed = options.seed ?? 42;
  const hiddenCount = hiddenCountOf(collection.length, options.hiddenShare ?? 0.2);
  const owned = mine.filter((r) => r.collection === YOU && r.list === "collection");
  const sums = new FoldSums();
  const shares = poolShares(pool);
  let candidateCount = 0;
  // The same hidden 20% as the main harness (lib/recommend/evaluate.ts) for this seed.
  for (const hiddenIdx of hiddenFolds(collection.length, hiddenCount, folds, seed)) {
    const hiddenIds = new Set([...hiddenIdx].map((i) => collection[i].releaseId));
    const visible = collection.filter((_, i) => !hiddenIdx.has(i));
    const records = [...owned.filter((r) => !hiddenIds.has(r.releaseId)), ...community];
    const comparisons = compareAll(records);
    const supported = twinSupport(records, comparisons);
    const poolKeys = new Set(pool.map((c) => c.key));
    const hidden = collection.filter((_, i) => hiddenIdx.has(i)).map((c) => asPoolRow(c, shares));
    const hiddenKeys = new Set(hidden.map((c) => c.key));
    // Twin picks as a candidate source: what the twins own joins the pool.
    const extra = supported.filter((s) => {
      const key = `release:${s.record.releaseId}`;
      return !poolKeys.has(key) && !hiddenKeys.has(key);
    }).map((s) => candidateOf(s.record));
    const candidates = [...pool, ...extra, ...hidden].map((c) => ({ ...c }));
    candidateCount = candidates.length;
    // Support by master too: a twin's other pressing of a hidden album supports it.
    const byMaster = new Map(supported.map((s) => [s.record.masterKey, s]));
    const masterOf = new Map(owned.map((r) => [r.releaseId, r.masterKey]));
    const byRelease = new Map(supported.map((s) => [s.record.releaseId, s]));
    for (const c of candidates) {
      const s = (c.releaseId !== null ? byRelease.get(c.releaseId) : undefined) ??
        (c.releaseId !== null && masterOf.has(c.releaseId)
          ? byMaster.get(masterOf.get(c.releaseId)!)
          : undefined);
      if (s) (c.twinSupport = s.support), (c.twinOwners = s.owners);
    }
    const isHidden = (i: number) => i >= candidates.length - hidden.length;
    const ctx = buildContext(visible, candidates, options.context);
    sums.offer(candidates.map((c) => c.key));
    for (const [label, rank] of Object.entries(RANKERS)) {
      const ranking = rank(ctx);
      // Diversity is not measured here: the main harness reports it for the gems.
      sums.add(
        label,
        rankingMetrics(ranking, isHidden, hiddenCount),
        0,
        ranking.slice(0, TOP).map((i) => candidates[i].key),
      );
    }
  }
  return sums.summary().map(([recommender, s]) =>
    evaluationRow(name, "file pool", recommender, s, hiddenCount, candidateCount)
  );
}

/**
 * A simulated community: `n` collectors, each owning a seeded random `share` of your whole
 * collection (hidden records included) plus `extra` random pool records. Only a check that the
 * mechanism finds records real twins own; it is no evidence about real collectors.
 */
export function simulatedCommunity(
  mine: readonly TwinRecord[],
  pool: readonly Candidate[],
  options: { n?: number; share?: number; extra?: number; seed?: number } = {},
): TwinRecord[] {
  const rng = seededRandom((options.seed ?? 42) + 7);
  const owned = mine.filter((r) => r.collection === YOU && r.list === "collection");
  const withIds = pool.filter((c) => c.releaseId !== null);
  const out: TwinRecord[] = [];
  for (let k = 0; k < (options.n ?? 5); k++) {
    const name = `simulated twin ${k + 1}`;
    for (const r of owned) {
      if (rng() < (options.share ?? 0.3)) out.push({ ...r, collection: name });
    }
    for (let e = 0; e < (options.extra ?? 50) && withIds.length > 0; e++) {
      const c = withIds[Math.floor(rng() * withIds.length)];
      out.push({
        collection: name,
        list: "collection",
        releaseId: c.releaseId!,
        masterId: null,
        masterKey: `w:${c.key}`,
        artist: c.artist,
        title: c.title,
        label: c.labels[0] ?? null,
        format: c.formats[0] ?? null,
        year: c.year,
        country: c.country,
        genres: c.genres,
        styles: c.styles,
        have: c.have,
        want: c.want,
        lowestPrice: c.lowestPrice,
        numForSale: c.numForSale ?? null,
        currency: c.currency,
        thumbnailUrl: null,
        mediaCondition: null,
        sleeveCondition: null,
      });
    }
  }
  return out;
}
