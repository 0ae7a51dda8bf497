/**
 * One `deno task evaluate` run, as the stage wires it: gather what is measured (the pool, the
 * workspace collection and every named one — {@link gatherEvaluation}), run the file-pool
 * harness on each and the twin-picks harness on the workspace, and, with `realUser`, the
 * real-user path per collection ({@link runEvaluation}); {@link evaluationSummary} is what
 * run.json records.
 *
 * @example
 * ```ts
 * const run = await runEvaluation(db, { folds: 5, seed: 42, bodyFiles: [], exportFiles: [],
 *   poolFiles: [], catalog: "data/catalog", realUser: false, stages: [], windowMs: 1000 });
 * await writeEvaluation(db, run.rows);
 * ```
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import type { Stage } from "../pipeline/stage.ts";
import { evaluateWorkspaceTwins } from "../twins/evaluate_workspace.ts";
import { loadCatalogue } from "../../tests/fake_discogs/catalogue.ts";
import {
  bodiesCollection,
  type EvalCollection,
  exportCollection,
  FIXTURE_POOL_FILES,
  fixturePath,
  MIN_COLLECTION,
  poolFromFiles,
  referenceIndex,
} from "./eval_inputs.ts";
import { candidatesFor, evaluateWorkspace, type EvaluationRow, gemsRatios } from "./evaluate.ts";
import {
  evaluateRealUser,
  extraCollection,
  type RealUserResult,
  realUserText,
} from "./evaluate_real_user.ts";
import type { Candidate } from "./candidates.ts";
import { loadCollectionCandidates, loadPoolCandidates } from "./load.ts";
import { loadCatalogRelations } from "./signals/relations.ts";

/** What one evaluation run measures and how. */
export interface EvaluationRunOptions {
  folds: number;
  seed: number;
  /** `--bodies` files (recorded release bodies), fixture ones included. */
  bodyFiles: readonly string[];
  /** `--export` files (CSV exports), fixture ones included. */
  exportFiles: readonly string[];
  /** `--pool` files (the workspace pool when none). */
  poolFiles: readonly string[];
  /** Gem signal weights over their defaults (`--signals`). */
  signalWeights?: Readonly<Record<string, number>>;
  /** The catalogue whose label and artist relations the gem signals read. */
  catalog: string;
  realUser: boolean;
  /** The pipeline stages the real-user path runs. */
  stages: Stage[];
  /** The fake's rate window for the real-user path. */
  windowMs: number;
  info?: (line: string) => void;
}

/** What {@link gatherEvaluation} found to measure. */
export interface EvaluationInputs {
  pool: Candidate[];
  /** Every collection read, the skipped ones included. */
  collections: EvalCollection[];
  /** Those with at least {@link MIN_COLLECTION} records. */
  usable: EvalCollection[];
  /** The file-pool harness runs (not with `--real-user` alone on a bare workspace). */
  filePool: boolean;
  /** The workspace has a collection of its own. */
  hasCollection: boolean;
  /** Collections were named (bodies or exports). */
  named: boolean;
}

/** Read the pool and the collections an evaluation run measures, saying what it skips. */
export async function gatherEvaluation(
  db: Database,
  o: EvaluationRunOptions,
): Promise<EvaluationInputs> {
  const info = o.info ?? (() => {});
  const named = o.bodyFiles.length + o.exportFiles.length > 0;
  // The workspace's collection is measured when it has one (with --real-user alone, the
  // real-user path brings its own temp workspace).
  const hasCollection = (await db.tableExists("collection")) &&
    (await db.tableExists("releases"));
  const hasPool = o.poolFiles.length > 0 || (await db.tableExists("pool"));
  const filePool = !o.realUser || hasCollection || named;
  if (filePool && !hasPool) {
    throw new InputError(
      `the workspace ${db.path} has no \`pool\` table yet: run \`deno task pool\` first, or give --pool FILE (--pool fixtures: the full fixture pool)`,
    );
  }
  const pool = !filePool
    ? []
    : o.poolFiles.length > 0
    ? await poolFromFiles(o.poolFiles)
    : await loadPoolCandidates(db);
  if (o.poolFiles.length > 0) {
    info(`pool: ${pool.length} candidates from ${o.poolFiles.join(", ")}`);
  }
  const collections: EvalCollection[] = [];
  if (filePool && hasCollection) {
    collections.push({
      name: "workspace collection",
      source: "workspace",
      candidates: await loadCollectionCandidates(db),
    });
  }
  for (const file of o.bodyFiles) collections.push(await bodiesCollection(file));
  if (o.exportFiles.length > 0) {
    // The full fixture pool, already read, is the first half of the exports' reference rows.
    const fixturePool = o.poolFiles.length === 2 &&
        FIXTURE_POOL_FILES.every((f) => o.poolFiles.includes(fixturePath(f)))
      ? pool
      : undefined;
    const reference = await referenceIndex(fixturePool);
    for (const file of o.exportFiles) {
      const c = await exportCollection(file, reference);
      const e = c.enrichment!;
      info(
        `${c.name}: ${e.records} records; styles for ${e.byTitle + e.byArtist + e.byLabel} ` +
          `(${e.byTitle} by artist and title, ${e.byArtist} by artist, ${e.byLabel} by label), ` +
          `${e.none} without`,
      );
      collections.push(c);
    }
  }
  const usable = collections.filter((c) => {
    if (c.candidates.length >= MIN_COLLECTION) return true;
    info(
      `${c.name}: ${c.candidates.length} records, fewer than ${MIN_COLLECTION}: skipped ` +
        `(a 20% fold would hide ${Math.max(1, Math.round(c.candidates.length * 0.2))})`,
    );
    return false;
  });
  return { pool, collections, usable, filePool, hasCollection, named };
}

/** An evaluation run's rows, real-user results and what it read. */
export interface EvaluationRun extends EvaluationInputs {
  rows: EvaluationRow[];
  real: RealUserResult[];
}

/** Run every path an evaluation asks for (see the module doc). */
export async function runEvaluation(
  db: Database,
  o: EvaluationRunOptions,
): Promise<EvaluationRun> {
  const info = o.info ?? (() => {});
  const inputs = await gatherEvaluation(db, o);
  const { pool, usable, filePool, hasCollection, named } = inputs;
  const { folds, seed } = o;
  const relations = await loadCatalogRelations(db, o.catalog, [
    ...pool,
    ...usable.flatMap((c) => c.candidates),
  ]);
  const context = { signalWeights: o.signalWeights, relations };
  const rows: EvaluationRow[] = [];
  if (filePool) {
    for (const c of usable) {
      info(
        `${c.name}: ${c.candidates.length} releases, ${
          candidatesFor(c.candidates, pool).length
        } pool candidates, ${folds} folds`,
      );
      rows.push(
        ...evaluateWorkspace(c.candidates, pool, { name: c.name, folds, seed, context }),
      );
    }
  }
  if (filePool && hasCollection) {
    rows.push(...await evaluateWorkspaceTwins(db, pool, { folds, seed, info, context }));
  }
  const real: RealUserResult[] = [];
  if (o.realUser) {
    const catalogue = await loadCatalogue();
    const targets = named ? usable.filter((c) => c.source !== "workspace") : [{
      name: "gustw",
      source: "fake catalogue",
      candidates: [] as Candidate[],
    }];
    for (const c of targets) {
      info(`${c.name}: real-user path, fake Discogs in-process, window ${o.windowMs} ms`);
      // The collection's releases the catalogue does not hold yet join it, ids kept.
      const extra = extraCollection(
        c.name,
        c.candidates.filter((r) => r.releaseId !== null && !catalogue.releases.has(r.releaseId)),
      );
      const ids = c.candidates.length
        ? c.candidates.flatMap((r) => (r.releaseId === null ? [] : [r.releaseId]))
        : catalogue.gustwIds;
      const result = await evaluateRealUser({
        stages: o.stages,
        seed,
        windowMs: o.windowMs,
        name: c.name,
        collectionIds: ids,
        ...(extra.releases.length ? { extra } : {}),
      });
      info(realUserText(result));
      real.push(result);
      rows.push(...result.rows);
    }
  }
  return { ...inputs, rows, real };
}

/** What run.json records of an evaluation run (`stages.evaluate.summary`). */
export function evaluationSummary(run: EvaluationRun): Record<string, unknown> {
  const summaryOf = (r: EvaluationRow) => ({
    recall_at_50: r.recall_at_50,
    recall_at_hidden: r.recall_at_hidden,
    recall_k: r.recall_k,
    ndcg_at_50: r.ndcg_at_50,
    mrr: r.mrr,
  });
  const { rows, real, collections, usable } = run;
  return {
    ...Object.fromEntries(
      rows.map((r) => [`${r.collection} / ${r.path} / ${r.recommender}`, summaryOf(r)]),
    ),
    gems_vs_best_baseline: gemsRatios(rows),
    skipped: collections.filter((c) => !usable.includes(c)).map((c) => ({
      collection: c.name,
      records: c.candidates.length,
    })),
    enrichment: Object.fromEntries(
      collections.filter((c) => c.enrichment).map((c) => [c.name, c.enrichment]),
    ),
    ...(real.length
      ? {
        real_user: { ...real[0], rows: undefined },
        real_user_by_collection: Object.fromEntries(
          real.map((r) => [r.name, { ...r, rows: undefined }]),
        ),
      }
      : {}),
  };
}
