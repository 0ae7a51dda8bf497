/**
 * The evaluation harness: hide a seeded random 20% of a collection inside the pool, recommend
 * from the remaining 80%, and see where the hidden records land — over several folds, for Next
 * Spin's registered recommenders that declare an `evaluation` (the gems) and the baselines,
 * ranking the whole pool (no sampled negatives).
 *
 * Metrics: hit@10 and hit@50 (share of folds with a hidden record in the top 10 / 50),
 * recall@50 (share of hidden records in the top 50), MRR (mean reciprocal rank of the hidden
 * records), catalogue coverage (share of candidates that appear in any fold's top 50) and
 * intra-list diversity (1 − mean pairwise cosine of the top 50 in the embedding space).
 *
 * Hidden records are reduced to what a pool row carries (`asPoolRow`, at the pool's share of
 * each fact) so they cannot be told apart by richer data.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { seededRandom } from "../embed/projection.ts";
import { rowDot } from "../embed/similarity.ts";
import {
  genreBaseline,
  popularityBaseline,
  randomBaseline,
  type Scorer,
  tfidfKnnBaseline,
} from "./baselines.ts";
import { asPoolRow, type Candidate, poolShares } from "./candidates.ts";
import { buildContext, type ContextOptions, type RecommendContext } from "./context.ts";
import { RECOMMENDERS } from "./kinds/mod.ts";
import type { Recommender } from "./recommender.ts";

/** One recommender's figures on one collection. */
export interface EvaluationRow {
  collection: string;
  recommender: string;
  folds: number;
  hidden_per_fold: number;
  candidates: number;
  hit_at_10: number;
  hit_at_50: number;
  recall_at_50: number;
  mrr: number;
  coverage: number;
  diversity: number;
}

/** Options for {@link evaluateCollection}. */
export interface EvaluateOptions {
  folds?: number;
  seed?: number;
  hiddenShare?: number;
  /**
   * Passed to every fold's context: gem signal weights (`--signals`) and the catalogue's label
   * and artist relations.
   */
  context?: Pick<ContextOptions, "signalWeights" | "relations">;
  /** Only these recommenders, by name (default: all). */
  only?: readonly string[];
}

/** A recommender under test: the full ranking of the candidates, best first. */
export type Ranker = (
  visible: Candidate[],
  candidates: Candidate[],
  fold: number,
  ctx: RecommendContext,
) => number[];

function fromScorer(scorer: Scorer, seed: number): Ranker {
  return (visible, candidates, fold) => {
    const scores = scorer(visible, candidates, seed + fold);
    return [...scores.keys()].sort((a, b) => scores[b] - scores[a] || a - b);
  };
}

/**
 * A registered recommender as served — exactly the code the recommend stage runs: its top 50,
 * then the rest of the pool by its evaluation score.
 */
function fromRecommender(
  recommender: Recommender,
  score: (ctx: RecommendContext) => Float64Array,
): Ranker {
  return (_visible, _candidates, _fold, ctx) => {
    // Taste is measured, not the market: a hidden record at a junk price is still a hit.
    const served = recommender.rank(ctx, { top: 50, keepSuspectPrices: true })
      .map((r) => r.poolIndex);
    const seen = new Set(served);
    const scores = score(ctx);
    const remaining = [...scores.keys()].filter((i) => !seen.has(i)).sort((a, b) =>
      scores[b] - scores[a] || a - b
    );
    return [...served, ...remaining];
  };
}

/**
 * The recommenders the harness compares, by name: every registered recommender with an
 * `evaluation` (in registry order), then the baselines.
 */
export function recommenders(
  seed: number,
  registry: readonly Recommender[] = RECOMMENDERS,
): Record<string, Ranker> {
  const served = registry.flatMap((r) =>
    r.evaluation ? [[r.evaluation.name, fromRecommender(r, r.evaluation.score)] as const] : []
  );
  return {
    ...Object.fromEntries(served),
    "tf-idf kNN (baseline)": fromScorer(tfidfKnnBaseline, seed),
    "popularity (baseline)": fromScorer(popularityBaseline, seed),
    "genre only (baseline)": fromScorer(genreBaseline, seed),
    "random (baseline)": fromScorer(randomBaseline, seed),
  };
}

/** Evaluate every recommender on one collection against one pool. */
export function evaluateCollection(
  name: string,
  collection: readonly Candidate[],
  pool: readonly Candidate[],
  options: EvaluateOptions = {},
): EvaluationRow[] {
  const folds = options.folds ?? 5;
  const seed = options.seed ?? 42;
  const share = options.hiddenShare ?? 0.2;
  const hiddenCount = Math.max(1, Math.round(collection.length * share));
  const rankers = Object.fromEntries(
    Object.entries(recommenders(seed)).filter(([name]) => options.only?.includes(name) ?? true),
  );
  const shares = poolShares(pool);
  const sums = new Map<
    string,
    {
      hit10: number;
      hit50: number;
      recall: number;
      mrr: number;
      diversity: number;
      covered: Set<string>;
    }
  >();
  let candidateCount = 0;
  // Coverage is over every candidate any fold offered (folds hide different records).
  const everyCandidate = new Set<string>();
  for (let fold = 0; fold < folds; fold++) {
    const rng = seededRandom(seed * 1000 + fold);
    const order = [...collection.keys()];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const hidden = new Set(order.slice(0, hiddenCount));
    const visible = collection.filter((_, i) => !hidden.has(i));
    const candidates = [
      ...pool,
      ...collection.filter((_, i) => hidden.has(i)).map((c) => asPoolRow(c, shares)),
    ];
    candidateCount = candidates.length;
    for (const c of candidates) everyCandidate.add(c.key);
    const isHidden = (i: number) => i >= pool.length;
    // One embedding space per fold: the recommenders', also used to measure diversity.
    const space = buildContext(visible, candidates, options.context);
    for (const [label, rank] of Object.entries(rankers)) {
      const ranking = rank(visible, candidates, fold, space);
      const top50 = ranking.slice(0, 50);
      const s = sums.get(label) ??
        { hit10: 0, hit50: 0, recall: 0, mrr: 0, diversity: 0, covered: new Set<string>() };
      s.hit10 += ranking.slice(0, 10).some(isHidden) ? 1 : 0;
      s.hit50 += top50.some(isHidden) ? 1 : 0;
      s.recall += top50.filter(isHidden).length / hiddenCount;
      let rr = 0;
      ranking.forEach((candidate, position) => {
        if (isHidden(candidate)) rr += 1 / (position + 1);
      });
      s.mrr += rr / hiddenCount;
      let pairs = 0;
      let similarity = 0;
      for (let a = 0; a < top50.length; a++) {
        for (let b = a + 1; b < top50.length; b++) {
          similarity += rowDot(
            space.poolVectors,
            top50[a],
            space.poolVectors,
            top50[b],
            space.dims,
          );
          pairs++;
        }
      }
      s.diversity += pairs ? 1 - similarity / pairs : 0;
      for (const i of top50) s.covered.add(candidates[i].key);
      sums.set(label, s);
    }
  }
  return [...sums].map(([recommender, s]) => ({
    collection: name,
    recommender,
    folds,
    hidden_per_fold: hiddenCount,
    candidates: candidateCount,
    hit_at_10: s.hit10 / folds,
    hit_at_50: s.hit50 / folds,
    recall_at_50: s.recall / folds,
    mrr: s.mrr / folds,
    coverage: s.covered.size / everyCandidate.size,
    diversity: s.diversity / folds,
  }));
}

const EVALUATION_SQL = await Deno.readTextFile(new URL("./evaluation.sql", import.meta.url));

/** Replace the `evaluation` table with these rows. */
export function writeEvaluation(db: Database, rows: EvaluationRow[]): Promise<number> {
  return db.replaceTable("evaluation", EVALUATION_SQL, { rows: JSON.stringify(rows) });
}

/** The pool without the collection's own releases: those are what the harness hides. */
export function candidatesFor(
  collection: readonly Candidate[],
  pool: readonly Candidate[],
): Candidate[] {
  const keys = new Set(collection.map((c) => c.key));
  return pool.filter((p) => !keys.has(p.key));
}

/**
 * The evaluation harness on a workspace, as `deno task evaluate` runs it: the collection's own
 * releases are removed from the pool ({@link candidatesFor}), then {@link evaluateCollection}.
 */
export function evaluateWorkspace(
  collection: readonly Candidate[],
  pool: readonly Candidate[],
  options: EvaluateOptions & { name?: string } = {},
): EvaluationRow[] {
  return evaluateCollection(
    options.name ?? "your collection",
    collection,
    candidatesFor(collection, pool),
    options,
  );
}

/** The evaluation as an aligned text table, one row per collection and recommender. */
export function evaluationText(rows: readonly EvaluationRow[]): string {
  const header = [
    "collection",
    "recommender",
    "hit@10",
    "hit@50",
    "recall@50",
    "MRR",
    "coverage",
    "diversity",
  ];
  const cells = rows.map((r) => [
    r.collection,
    r.recommender,
    r.hit_at_10.toFixed(2),
    r.hit_at_50.toFixed(2),
    r.recall_at_50.toFixed(3),
    r.mrr.toFixed(3),
    r.coverage.toFixed(4),
    r.diversity.toFixed(3),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i < 2 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ");
  return [header, ...cells].map(line).join("\n");
}
