/**
 * The evaluation harness's folds and metrics, in one place: which records each fold hides, and
 * how a ranking of the candidates is scored against them. The main harness
 * (`lib/recommend/evaluate.ts`), the real-user path (`evaluate_real_user.ts`) and the twin-picks
 * harness (`lib/twins/evaluate.ts`) all score through here, so a figure means the same in each.
 *
 * Metrics of one ranking (best first) against the hidden records:
 * - hit@10, hit@50: 1 when a hidden record is in the top 10 / 50, else 0;
 * - recall@50: hidden records in the top 50 ÷ hidden records;
 * - recall@k≥hidden: the same in the top k = max(50, hidden): with more than 50 hidden records
 *   recall@50 cannot reach 1, this can;
 * - nDCG@50: Σ 1/log2(position + 1) over the hidden records in the top 50, ÷ the best possible
 *   (every one of the first min(hidden, 50) positions a hidden record);
 * - MRR: Σ 1/position over every hidden record in the whole ranking ÷ hidden records (the mean
 *   reciprocal rank of the hidden records; a record ranked last still counts a little).
 *
 * @module
 */

import { seededRandom } from "../embed/projection.ts";
import { rowDot } from "../embed/similarity.ts";

/** The cut-off of hit@50, recall@50, nDCG@50 and coverage: the length of a served list. */
export const TOP = 50;

/** The k of recall@k≥hidden for this many hidden records: max(50, hidden). */
export function recallK(hidden: number): number {
  return Math.max(TOP, hidden);
}

/** The metrics of one ranking. */
export interface RankingMetrics {
  hitAt10: number;
  hitAt50: number;
  recallAt50: number;
  /** Recall in the top {@link recallK}(hidden). */
  recallAtHidden: number;
  ndcgAt50: number;
  mrr: number;
}

/**
 * Score one ranking (candidate indexes, best first) against the hidden records (`isHidden`),
 * `hidden` of them in all (hidden records the ranking never reaches count as misses).
 */
export function rankingMetrics(
  ranking: readonly number[],
  isHidden: (candidate: number) => boolean,
  hidden: number,
): RankingMetrics {
  const n = Math.max(1, hidden);
  const k = recallK(hidden);
  let hit10 = 0, in50 = 0, inK = 0, dcg = 0, rr = 0;
  for (let position = 0; position < ranking.length; position++) {
    if (!isHidden(ranking[position])) continue;
    if (position < 10) hit10 = 1;
    if (position < TOP) {
      in50++;
      dcg += 1 / Math.log2(position + 2);
    }
    if (position < k) inK++;
    rr += 1 / (position + 1);
  }
  let ideal = 0;
  for (let position = 0; position < Math.min(hidden, TOP); position++) {
    ideal += 1 / Math.log2(position + 2);
  }
  return {
    hitAt10: hit10,
    hitAt50: in50 > 0 ? 1 : 0,
    recallAt50: in50 / n,
    recallAtHidden: inK / n,
    ndcgAt50: ideal > 0 ? dcg / ideal : 0,
    mrr: rr / n,
  };
}

/**
 * The records each fold hides: `hiddenCount` of `size` indexes per fold, by a seeded
 * Fisher–Yates shuffle (fold f uses seed × 1000 + f), so every harness hides the same records
 * for the same seed.
 */
export function hiddenFolds(
  size: number,
  hiddenCount: number,
  folds: number,
  seed: number,
): Set<number>[] {
  const out: Set<number>[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const rng = seededRandom(seed * 1000 + fold);
    const order = [...Array(size).keys()];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    out.push(new Set(order.slice(0, hiddenCount)));
  }
  return out;
}

/** How many records a fold hides: `share` of the collection, at least one. */
export function hiddenCountOf(size: number, share = 0.2): number {
  return Math.max(1, Math.round(size * share));
}

/**
 * Intra-list diversity of `top`: 1 − the mean pairwise dot product of their (L2-normalised)
 * vectors, rows of `vectors` with `dims` columns; 0 for fewer than two.
 */
export function diversityOf(vectors: Float32Array, dims: number, top: readonly number[]): number {
  let pairs = 0;
  let similarity = 0;
  for (let a = 0; a < top.length; a++) {
    for (let b = a + 1; b < top.length; b++) {
      similarity += rowDot(vectors, top[a], vectors, top[b], dims);
      pairs++;
    }
  }
  return pairs ? 1 - similarity / pairs : 0;
}

/** Metrics averaged over folds, plus coverage, per recommender. */
export interface FoldSummary extends RankingMetrics {
  folds: number;
  diversity: number;
  /** Distinct candidates in any fold's top 50 ÷ every candidate any fold offered. */
  coverage: number;
}

/** Sums a recommender's metrics over folds (see {@link FoldSums.summary}). */
export class FoldSums {
  readonly #sums = new Map<string, { m: RankingMetrics; diversity: number; folds: number }>();
  readonly #covered = new Map<string, Set<string>>();
  readonly #offered = new Set<string>();

  /** Count candidates (by key) a fold offered: the denominator of coverage. */
  offer(keys: Iterable<string>): void {
    for (const k of keys) this.#offered.add(k);
  }

  /** Add one fold of one recommender: its metrics, diversity and top-50 candidate keys. */
  add(label: string, m: RankingMetrics, diversity = 0, top: Iterable<string> = []): void {
    const s = this.#sums.get(label) ?? {
      m: { hitAt10: 0, hitAt50: 0, recallAt50: 0, recallAtHidden: 0, ndcgAt50: 0, mrr: 0 },
      diversity: 0,
      folds: 0,
    };
    for (const key of Object.keys(s.m) as (keyof RankingMetrics)[]) s.m[key] += m[key];
    s.diversity += diversity;
    s.folds++;
    this.#sums.set(label, s);
    const covered = this.#covered.get(label) ?? new Set<string>();
    for (const k of top) covered.add(k);
    this.#covered.set(label, covered);
  }

  /** Every recommender's fold means, in the order they were first added. */
  summary(): [string, FoldSummary][] {
    return [...this.#sums].map(([label, s]) => {
      const mean = Object.fromEntries(
        Object.entries(s.m).map(([k, v]) => [k, v / s.folds]),
      ) as unknown as RankingMetrics;
      return [label, {
        ...mean,
        folds: s.folds,
        diversity: s.diversity / s.folds,
        coverage: this.#offered.size ? this.#covered.get(label)!.size / this.#offered.size : 0,
      }];
    });
  }
}
