/**
 * `deno task evaluate`: how well Next Spin's gem recommender finds records a collector really
 * owns, against baselines — hide 20% of the collection in the pool, recommend from the rest,
 * over several seeded folds. Writes the `evaluation` table (and `evaluation.parquet`) and prints
 * one table per collection and path.
 *
 * Collections: the workspace's (when it has one), `--bodies FILE` (recorded release bodies),
 * `--export FILE` (a CSV export, collection or wantlist; genres and styles from the fixture pool
 * and the fake catalogue by artist and title) and `--collections fixtures` (every fixture
 * collection with metadata). Pool: `--pool FILE`s (read like the pool stage reads them), else
 * the workspace's. Collections under {@link MIN_COLLECTION} records are skipped, with a message.
 *
 * `--real-user` also evaluates the path a real collector takes, per collection named (gustw when
 * none is): 20% of it hidden in the fake Discogs catalogue (tests/fake_discogs, started
 * in-process; the collection's releases are added to its catalogue, ids kept), the rest as
 * user "alice", the pipeline run with `--username alice`, a token, the default pool budget and
 * `--skip-enrich` into a temp workspace, and the metrics measured on what the sourcing fetched
 * (lib/recommend/evaluate_real_user.ts).
 *
 * @module
 */

import { listFlag, numberFlag, stringFlag } from "../lib/cli/flags.ts";
import { DEFAULT_CATALOG_DIR } from "../lib/catalog/schema.ts";
import { InputError } from "../lib/errors.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import {
  candidatesFor,
  evaluateWorkspace,
  type EvaluationRow,
  evaluationText,
  gemsRatios,
  writeEvaluation,
} from "../lib/recommend/evaluate.ts";
import {
  bodiesCollection,
  type EvalCollection,
  exportCollection,
  FIXTURE_POOL_FILES,
  fixtureFiles,
  fixturePath,
  MIN_COLLECTION,
  parseCollectionsFlag,
  poolFromFiles,
  referenceIndex,
} from "../lib/recommend/eval_inputs.ts";
import { loadCollectionCandidates, loadPoolCandidates } from "../lib/recommend/load.ts";
import {
  evaluateRealUser,
  extraCollection,
  type RealUserResult,
  realUserText,
} from "../lib/recommend/evaluate_real_user.ts";
import { loadCatalogue } from "../tests/fake_discogs/catalogue.ts";
import { PIPELINE_STAGES } from "./pipeline.ts";
import { evaluateWorkspaceTwins } from "../lib/twins/evaluate_workspace.ts";
import { parseSignalWeights } from "../lib/recommend/signals/weights.ts";
import { loadCatalogRelations } from "../lib/recommend/signals/relations.ts";

/** The stages the real-user path runs: the pipeline up to the recommendations. */
export const REAL_USER_STAGES = PIPELINE_STAGES.filter((s) =>
  !["charts", "report"].includes(s.name)
);

export const evaluateStage: Stage = {
  name: "evaluate",
  summary:
    "Measure the recommenders: hide 20% of a collection in the pool and see what comes back.",
  flags: {
    folds: {
      type: "string",
      description: "folds (different hidden 20%)",
      default: "5",
      valueName: "N",
      number: { min: 1, max: 50, integer: true },
    },
    seed: {
      type: "string",
      description: "random seed",
      default: "42",
      valueName: "N",
      number: { integer: true },
    },
    bodies: {
      type: "string",
      multiple: true,
      description: "also evaluate a collection given as recorded release bodies (JSONL)",
      valueName: "FILE",
    },
    export: {
      type: "string",
      multiple: true,
      description:
        "also evaluate a collection given as a CSV export (collection or wantlist); styles from the fixture pool and fake catalogue by artist and title",
      valueName: "FILE",
    },
    collections: {
      type: "string",
      multiple: true,
      description:
        "fixtures: also evaluate every fixture collection with metadata (gustw, greg-dubrow bodies; mouse-reeve, jelambert, davide-bergamini exports)",
      valueName: "SET",
    },
    pool: {
      type: "string",
      multiple: true,
      description:
        "rank against these pool files (CSV, Parquet, JSONL), read as the pool stage reads them, instead of the workspace pool; --pool fixtures = the full fixture pool",
      valueName: "FILE",
    },
    "real-user": {
      type: "boolean",
      description:
        "also run the real-user path against an in-process fake Discogs, per collection named (gustw when none): 20% hidden in its catalogue, the rest as --username alice, default pool budget, --skip-enrich",
    },
    signals: {
      type: "string",
      description:
        "gem signal weights over their defaults, to measure a signal on and off (credits, label_family, artist_kin, master, series, market_prior, twins)",
      valueName: "NAME=W,…",
      check: parseSignalWeights,
    },
    catalog: {
      type: "string",
      description:
        "the catalogue whose label families and artist aliases, groups and members the gem signals read; none there, those signals are 0",
      default: DEFAULT_CATALOG_DIR,
      valueName: "DIR",
    },
    "real-user-window": {
      type: "string",
      description: "the fake's rate window for --real-user (60 requests per window)",
      default: "1000",
      valueName: "MS",
      number: { min: 50, integer: true },
    },
  },
  async run({ db, log }, flags) {
    const folds = numberFlag(flags, "folds", { min: 1, max: 50, integer: true })!;
    const seed = numberFlag(flags, "seed", { integer: true })!;
    const realUser = flags["real-user"] === true;
    const fixtures = parseCollectionsFlag(listFlag(flags, "collections"));
    const poolFiles = listFlag(flags, "pool").flatMap((f) =>
      f === "fixtures" ? FIXTURE_POOL_FILES.map(fixturePath) : [f]
    );
    const bodyFiles = [...(fixtures ? fixtureFiles().bodies : []), ...listFlag(flags, "bodies")];
    const exportFiles = [...(fixtures ? fixtureFiles().exports : []), ...listFlag(flags, "export")];
    const named = bodyFiles.length + exportFiles.length > 0;

    // The workspace's collection is measured when it has one (with --real-user alone, the
    // real-user path brings its own temp workspace).
    const hasCollection = (await db.tableExists("collection")) &&
      (await db.tableExists("releases"));
    const hasPool = poolFiles.length > 0 || (await db.tableExists("pool"));
    const filePool = !realUser || hasCollection || named;
    if (filePool && !hasPool) {
      throw new InputError(
        `the workspace ${db.path} has no \`pool\` table yet: run \`deno task pool\` first, or give --pool FILE (--pool fixtures: the full fixture pool)`,
      );
    }
    const pool = !filePool
      ? []
      : poolFiles.length > 0
      ? await poolFromFiles(poolFiles)
      : await loadPoolCandidates(db);
    if (poolFiles.length > 0) {
      log.info(`pool: ${pool.length} candidates from ${poolFiles.join(", ")}`);
    }

    const collections: EvalCollection[] = [];
    if (filePool && hasCollection) {
      collections.push({
        name: "workspace collection",
        source: "workspace",
        candidates: await loadCollectionCandidates(db),
      });
    }
    for (const file of bodyFiles) collections.push(await bodiesCollection(file));
    if (exportFiles.length > 0) {
      const fixturePool = poolFiles.length === 2 &&
          FIXTURE_POOL_FILES.every((f) => poolFiles.includes(fixturePath(f)))
        ? pool
        : undefined;
      const reference = await referenceIndex(fixturePool);
      for (const file of exportFiles) {
        const c = await exportCollection(file, reference);
        const e = c.enrichment!;
        log.info(
          `${c.name}: ${e.records} records; styles for ${e.byTitle + e.byArtist + e.byLabel} ` +
            `(${e.byTitle} by artist and title, ${e.byArtist} by artist, ${e.byLabel} by label), ` +
            `${e.none} without`,
        );
        collections.push(c);
      }
    }
    const usable = collections.filter((c) => {
      if (c.candidates.length >= MIN_COLLECTION) return true;
      log.info(
        `${c.name}: ${c.candidates.length} records, fewer than ${MIN_COLLECTION}: skipped ` +
          `(a 20% fold would hide ${Math.max(1, Math.round(c.candidates.length * 0.2))})`,
      );
      return false;
    });

    const signalWeights = flags.signals ? parseSignalWeights(String(flags.signals)) : undefined;
    const catalog = stringFlag(flags, "catalog") ?? DEFAULT_CATALOG_DIR;
    const relations = await loadCatalogRelations(db, catalog, [
      ...pool,
      ...usable.flatMap((c) => c.candidates),
    ]);
    const context = { signalWeights, relations };
    const rows: EvaluationRow[] = [];
    for (const c of usable.filter(() => filePool)) {
      log.info(
        `${c.name}: ${c.candidates.length} releases, ${
          candidatesFor(c.candidates, pool).length
        } pool candidates, ${folds} folds`,
      );
      rows.push(
        ...evaluateWorkspace(c.candidates, pool, { name: c.name, folds, seed, context }),
      );
    }
    if (filePool && hasCollection) {
      rows.push(
        ...await evaluateWorkspaceTwins(db, pool, { folds, seed, info: log.info, context }),
      );
    }

    const real: RealUserResult[] = [];
    if (realUser) {
      const windowMs = numberFlag(flags, "real-user-window", { min: 50, integer: true })!;
      const catalogue = await loadCatalogue();
      const targets = named ? usable.filter((c) => c.source !== "workspace") : [{
        name: "gustw",
        source: "fake catalogue",
        candidates: [] as EvalCollection["candidates"],
      }];
      for (const c of targets) {
        log.info(`${c.name}: real-user path, fake Discogs in-process, window ${windowMs} ms`);
        // The collection's releases the catalogue does not hold yet join it, ids kept.
        const extra = extraCollection(
          c.name,
          c.candidates.filter((r) => r.releaseId !== null && !catalogue.releases.has(r.releaseId)),
        );
        const ids = c.candidates.length
          ? c.candidates.flatMap((r) => (r.releaseId === null ? [] : [r.releaseId]))
          : catalogue.gustwIds;
        const result = await evaluateRealUser({
          stages: REAL_USER_STAGES,
          seed,
          windowMs,
          name: c.name,
          collectionIds: ids,
          ...(extra.releases.length ? { extra } : {}),
        });
        log.info(realUserText(result));
        real.push(result);
        rows.push(...result.rows);
      }
    }
    await writeEvaluation(db, rows);
    if (Deno.env.get("NEXTSPIN_QUIET") !== "1") {
      console.log(evaluationText(rows));
      for (const r of real) console.log("\n" + realUserText(r));
    }
    const summaryOf = (r: EvaluationRow) => ({
      recall_at_50: r.recall_at_50,
      recall_at_hidden: r.recall_at_hidden,
      recall_k: r.recall_k,
      ndcg_at_50: r.ndcg_at_50,
      mrr: r.mrr,
    });
    return {
      tables: { evaluation: rows.length },
      parameters: {
        folds,
        seed,
        bodies: bodyFiles,
        exports: exportFiles,
        pool: poolFiles,
        real_user: realUser,
        ...(signalWeights ? { signals: signalWeights } : {}),
      },
      summary: {
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
      },
    };
  },
};

if (import.meta.main) {
  await main([evaluateStage], { command: "evaluate", summary: evaluateStage.summary });
}
