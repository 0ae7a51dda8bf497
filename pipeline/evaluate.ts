/**
 * `deno task evaluate`: how well Next Spin's gem recommender finds records a collector really
 * owns, against baselines — hide 20% of the collection in the pool, recommend from the rest,
 * over several seeded folds. Writes the `evaluation` table (and `evaluation.parquet`) and prints
 * a table.
 *
 * `--real-user` also evaluates the path a real collector takes: 20% of gustw's collection hidden
 * in the fake Discogs catalogue (tests/fake_discogs, started in-process), the rest as user
 * "alice", the pipeline run with `--username alice`, a token, the default pool budget and
 * `--skip-enrich` into a temp workspace, and recall@50 measured on what the sourcing fetched
 * (lib/recommend/evaluate_real_user.ts). The file-pool figures run beside it when the workspace
 * has a collection and a pool.
 *
 * @module
 */

import { basename } from "node:path";
import { listFlag, numberFlag, stringFlag } from "../lib/cli/flags.ts";
import { DEFAULT_CATALOG_DIR } from "../lib/catalog/schema.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { candidatesFromBodies } from "../lib/recommend/bodies.ts";
import {
  candidatesFor,
  evaluateWorkspace,
  type EvaluationRow,
  evaluationText,
  writeEvaluation,
} from "../lib/recommend/evaluate.ts";
import { loadCollectionCandidates, loadPoolCandidates } from "../lib/recommend/load.ts";
import {
  evaluateRealUser,
  type RealUserResult,
  realUserText,
} from "../lib/recommend/evaluate_real_user.ts";
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
    "real-user": {
      type: "boolean",
      description:
        "also run the real-user path against an in-process fake Discogs: 20% of gustw's collection hidden in its catalogue, the rest as --username alice, default pool budget, --skip-enrich",
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
    const rows: EvaluationRow[] = [];
    let real: RealUserResult | undefined;
    if (realUser) {
      const windowMs = numberFlag(flags, "real-user-window", { min: 50, integer: true })!;
      log.info(`real-user path: fake Discogs in-process, window ${windowMs} ms, seed ${seed}`);
      real = await evaluateRealUser({ stages: REAL_USER_STAGES, seed, windowMs });
      log.info(realUserText(real));
    }
    // The file-pool harness needs a workspace with a collection and a pool; --real-user alone
    // does not (it brings its own temp workspace).
    const hasWorkspace = (await db.tableExists("pool")) && (await db.tableExists("collection"));
    if (realUser && !hasWorkspace) {
      log.info("no collection and pool in this workspace: file-pool figures skipped");
    }
    const pool = !realUser || hasWorkspace ? await loadPoolCandidates(db) : [];
    const collections: [string, Awaited<ReturnType<typeof loadCollectionCandidates>>][] =
      !realUser || hasWorkspace
        ? [["workspace collection", await loadCollectionCandidates(db)]]
        : [];
    for (const file of listFlag(flags, "bodies")) {
      collections.push([basename(file), await candidatesFromBodies(file)]);
    }
    const signalWeights = flags.signals ? parseSignalWeights(String(flags.signals)) : undefined;
    const catalog = stringFlag(flags, "catalog") ?? DEFAULT_CATALOG_DIR;
    const relations = await loadCatalogRelations(db, catalog, [
      ...pool,
      ...collections.flatMap(([, c]) => c),
    ]);
    const context = { signalWeights, relations };
    for (const [name, collection] of collections) {
      log.info(
        `${name}: ${collection.length} releases, ${
          candidatesFor(collection, pool).length
        } pool candidates, ${folds} folds`,
      );
      rows.push(...evaluateWorkspace(collection, pool, { name, folds, seed, context }));
    }
    if (!realUser || hasWorkspace) {
      rows.push(
        ...await evaluateWorkspaceTwins(db, pool, { folds, seed, info: log.info, context }),
      );
    }
    if (real) rows.push(...real.rows);
    await writeEvaluation(db, rows);
    if (Deno.env.get("NEXTSPIN_QUIET") !== "1") {
      console.log(evaluationText(rows));
      if (real) console.log("\n" + realUserText(real));
    }
    return {
      tables: { evaluation: rows.length },
      parameters: {
        folds,
        seed,
        bodies: listFlag(flags, "bodies"),
        real_user: realUser,
        ...(signalWeights ? { signals: signalWeights } : {}),
      },
      summary: {
        ...Object.fromEntries(
          rows.map((r) => [`${r.collection} / ${r.recommender}`, r.recall_at_50]),
        ),
        ...(real ? { real_user: { ...real, rows: undefined } } : {}),
      },
    };
  },
};

if (import.meta.main) {
  await main([evaluateStage], { command: "evaluate", summary: evaluateStage.summary });
}
