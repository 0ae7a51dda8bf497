/**
 * The evaluation harness: hide a seeded random 20% of a collection inside the pool, recommend
 * from the remaining 80%, and see where the hidden records land — over several folds, for Next
 * Spin's registered recommenders that declare an `evaluation` (the gems) and the baselines,
 * ranking the whole pool (no sampled negatives).
 *
 * Metrics (defined in `metrics.ts`, shared with the real-user path and the twin-picks harness):
 * hit@10 and hit@50 (share of folds with a hidden record in the top 10 / 50), recall@50 (share
 * of hidden records in the top 50), recall@k≥hidden (in the top max(50, hidden)), nDCG@50, MRR
 * (mean reciprocal rank of the hidden records), catalogue coverage (share of candidates that
 * appear in any fold's top 50) and intra-list diversity (1 − mean pairwise cosine of the top 50
 * in the embedding space).
 *
 * Hidden records are reduced to what a pool row carries (`asPoolRow`, at the pool's share of
 * each fact) so they cannot be told apart by richer data.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
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
import {
  diversityOf,
  type FoldSummary,
  FoldSums,
  hiddenCountOf,
  hiddenFolds,
  rankingMetrics,
  recallK,
  TOP,
} from "./metrics.ts";

/** Which path a row measures: a pool file holding the hidden records, or what sourcing fetched. */
export type EvaluationPath = "file pool" | "real user";

/** One recommender's figures on one collection, on one path. */
export interface EvaluationRow {
  collection: string;
  path: EvaluationPath;
  recommender: string;
  folds: number;
  hidden_per_fold: number;
  candidates: number;
  hit_at_10: number;
  hit_at_50: number;
  recall_at_50: number;
  /** Recall in the top `recall_k` = max(50, hidden per fold) (lib/recommend/metrics.ts). */
  recall_at_hidden: number;
  recall_k: number;
  ndcg_at_50: number;
  mrr: number;
  coverage: number;
  diversity: number;
}

/** A harness row from a fold summary (lib/recommend/metrics.ts). */
export function evaluationRow(
  collection: string,
  path: EvaluationPath,
  recommender: string,
  s: FoldSummary,
  hiddenPerFold: number,
  candidates: number,
): EvaluationRow {
  return {
    collection,
    path,
    recommender,
    folds: s.folds,
    hidden_per_fold: hiddenPerFold,
    candidates,
    hit_at_10: s.hitAt10,
    hit_at_50: s.hitAt50,
    recall_at_50: s.recallAt50,
    recall_at_hidden: s.recallAtHidden,
    recall_k: recallK(hiddenPerFold),
    ndcg_at_50: s.ndcgAt50,
    mrr: s.mrr,
    coverage: s.coverage,
    diversity: s.diversity,
  };
}

/** Options for {@link evaluateCollection}. */
export interface EvaluateOptions {
  folds?: number;
  seed?: number;
  hiddenShare?: number;
  /**
   * When given, seconds are added here by step: `context` (the embedding space of each fold)
   * and each recommender's ranking and scoring (for the benchmark).
   */
  timings?: Record<string, number>;
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

/** Evaluate every recommender on one collection against one pool (the file-pool path). */
export function evaluateCollection(
  name: string,
  collection: readonly Candidate[],
  pool: readonly Candidate[],
  options: EvaluateOptions = {},
): EvaluationRow[] {
  const folds = options.folds ?? 5;
  const seed = options.seed ?? 42;
  const hiddenCount = hiddenCountOf(collection.length, options.hiddenShare ?? 0.2);
  const rankers = Object.fromEntries(
    Object.entries(recommenders(seed)).filter(([name]) => options.only?.includes(name) ?? true),
  );
  const shares = poolShares(pool);
  const sums = new FoldSums();
  let candidateCount = 0;
  hiddenFolds(collection.length, hiddenCount, folds, seed).forEach((hidden, fold) => {
    const visible = collection.filter((_, i) => !hidden.has(i));
    const candidates = [
      ...pool,
      ...collection.filter((_, i) => hidden.has(i)).map((c) => asPoolRow(c, shares)),
    ];
    candidateCount = candidates.length;
    // Coverage is over every candidate any fold offered (folds hide different records).
    sums.offer(candidates.map((c) => c.key));
    const isHidden = (i: number) => i >= pool.length;
    const timings = options.timings;
    const timed = <T>(step: string, body: () => T): T => {
      if (!timings) return body();
      const t0 = performance.now();
      const out = body();
      timings[step] = (timings[step] ?? 0) + (performance.now() - t0) / 1000;
      return out;
    };
    // One embedding space per fold: the recommenders', also used to measure diversity.
    const space = timed("context", () => buildContext(visible, candidates, options.context));
    for (const [label, rank] of Object.entries(rankers)) {
      timed(label, () => {
        const ranking = rank(visible, candidates, fold, space);
        const top50 = ranking.slice(0, TOP);
        sums.add(
          label,
          rankingMetrics(ranking, isHidden, hiddenCount),
          diversityOf(space.poolVectors, space.dims, top50),
          top50.map((i) => candidates[i].key),
        );
      });
    }
  });
  return sums.summary().map(([recommender, s]) =>
    evaluationRow(name, "file pool", recommender, s, hiddenCount, candidateCount)
  );
}

const EVALUATION_SQL = await Deno.readTextFile(new URL("./evaluation.sql", import.meta.url));

/** Replace the `evaluation` table with these rows. */
export function writeEvaluation(db: Database, rows: EvaluationRow[]): Promise<number> {
  return db.replaceTable("evaluation", EVALUATION_SQL, { rows: JSON.stringify(rows) });
}

/**
 * The pool without the collection's own releases (those are what the harness hides), nor other
 * copies of them by artist and title: the pool stage leaves those out of a collector's pool too
 * (`lib/pool/pool.sql`), and a pool file given to the harness may hold them.
 */
export function candidatesFor(
  collection: readonly Candidate[],
  pool: readonly Candidate[],
): Candidate[] {
  const keys = new Set(collection.map((c) => c.key));
  const titles = new Set(collection.map(titleKey));
  return pool.filter((p) => !keys.has(p.key) && !titles.has(titleKey(p)));
}

const titleKey = (c: Candidate) => `${c.artist.toLowerCase()}\u0000${c.title.toLowerCase()}`;

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

/** The harness's baselines are named "… (baseline)"; the rest are Next Spin's recommenders. */
export const isBaseline = (recommender: string) => recommender.endsWith("(baseline)");

/** The gems' row of a table: the served gems on the real-user path, else the gem ranking. */
function gemsRow(rows: readonly EvaluationRow[]): EvaluationRow | undefined {
  return rows.find((r) => r.recommender.startsWith("gems as served")) ??
    rows.find((r) => r.recommender === "next-spin gems");
}

/** Gems ÷ the best baseline on recall@50 and recall@k≥hidden, for one collection and path. */
export interface GemsRatio {
  collection: string;
  path: EvaluationPath;
  recall_at_50: number | null;
  recall_at_50_baseline: string | null;
  recall_at_hidden: number | null;
  recall_at_hidden_baseline: string | null;
}

/** One table per collection and path, in the order rows came. */
export function evaluationGroups(rows: readonly EvaluationRow[]): EvaluationRow[][] {
  const groups = new Map<string, EvaluationRow[]>();
  for (const r of rows) {
    const key = `${r.collection}\u0000${r.path}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()];
}

/** Gems ÷ best baseline per collection and path (null when no baseline found anything). */
export function gemsRatios(rows: readonly EvaluationRow[]): GemsRatio[] {
  return evaluationGroups(rows).flatMap((group) => {
    const gems = gemsRow(group);
    const baselines = group.filter((r) => isBaseline(r.recommender));
    if (!gems || baselines.length === 0) return [];
    const best = (metric: "recall_at_50" | "recall_at_hidden") => {
      const top = baselines.reduce((a, b) => (b[metric] > a[metric] ? b : a));
      return top[metric] > 0
        ? { ratio: gems[metric] / top[metric], name: top.recommender }
        : { ratio: null, name: null };
    };
    const r50 = best("recall_at_50");
    const rk = best("recall_at_hidden");
    return [{
      collection: gems.collection,
      path: gems.path,
      recall_at_50: r50.ratio,
      recall_at_50_baseline: r50.name,
      recall_at_hidden: rk.ratio,
      recall_at_hidden_baseline: rk.name,
    }];
  });
}

/**
 * The evaluation as aligned text: one table per collection and path (recommender, hit@10,
 * recall@50, recall@k≥hidden with its k, nDCG@50, MRR, coverage, diversity), each followed by
 * the gems ÷ the best baseline on recall@50 and recall@k≥hidden.
 */
export function evaluationText(rows: readonly EvaluationRow[]): string {
  const ratios = new Map(gemsRatios(rows).map((g) => [`${g.collection}\u0000${g.path}`, g]));
  const times = (v: number | null, name: string | null) =>
    v === null ? "n/a (no baseline found any)" : `${v.toFixed(2)}× (${name})`;
  return evaluationGroups(rows).map((group) => {
    const first = group[0];
    const k = first.recall_k;
    const header = [
      "recommender",
      "hit@10",
      "recall@50",
      `recall@k=${k}`,
      "nDCG@50",
      "MRR",
      "coverage",
      "diversity",
    ];
    const cells = group.map((r) => [
      r.recommender,
      r.hit_at_10.toFixed(2),
      r.recall_at_50.toFixed(3),
      r.recall_at_hidden.toFixed(3),
      r.ndcg_at_50.toFixed(3),
      r.mrr.toFixed(3),
      r.coverage.toFixed(4),
      r.diversity.toFixed(3),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    const line = (c: string[]) =>
      c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ");
    const title =
      `${first.collection} — ${
        first.path.replace(" ", "-")
      } path: ${first.hidden_per_fold} hidden ` +
      `per fold, ${first.candidates} candidates, ${first.folds} fold${
        first.folds === 1 ? "" : "s"
      }`;
    const ratio = ratios.get(`${first.collection}\u0000${first.path}`);
    const ratioLine = ratio
      ? `gems ÷ best baseline: recall@50 ${
        times(ratio.recall_at_50, ratio.recall_at_50_baseline)
      }, recall@k=${k} ${times(ratio.recall_at_hidden, ratio.recall_at_hidden_baseline)}`
      : undefined;
    return [title, ...[header, ...cells].map(line), ...(ratioLine ? [ratioLine] : [])].join("\n");
  }).join("\n\n");
}
