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
 * the workspace's. Collections under `MIN_COLLECTION` (20) records are skipped, with a message.
 *
 * `--real-user` also evaluates the path a real collector takes, per collection named (gustw when
 * none is): 20% of it hidden in the fake Discogs catalogue (tests/fake_discogs, started
 * in-process; the collection's releases are added to its catalogue, ids kept), the rest as
 * user "alice", the pipeline run with `--username alice`, a token, the default pool budget and
 * `--skip-enrich` into a temp workspace, and the metrics measured on what the sourcing fetched
 * (lib/recommend/evaluate_real_user.ts). The run itself is `lib/recommend/evaluate_run.ts`.
 *
 * @module
 */

import { listFlag, numberFlag, stringFlag } from "../lib/cli/flags.ts";
import { DEFAULT_CATALOG_DIR } from "../lib/catalog/schema.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { evaluationText, writeEvaluation } from "../lib/recommend/evaluate.ts";
import {
  FIXTURE_POOL_FILES,
  fixtureFiles,
  fixturePath,
  parseCollectionsFlag,
} from "../lib/recommend/eval_inputs.ts";
import { evaluationSummary, runEvaluation } from "../lib/recommend/evaluate_run.ts";
import { realUserText } from "../lib/recommend/evaluate_real_user.ts";
import { parseSignalWeights } from "../lib/recommend/signals/weights.ts";
import { PIPELINE_STAGES } from "./pipeline.ts";

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
    const fixtures = parseCollectionsFlag(listFlag(flags, "collections"))
      ? fixtureFiles()
      : { bodies: [], exports: [] };
    const poolFiles = listFlag(flags, "pool").flatMap((f) =>
      f === "fixtures" ? FIXTURE_POOL_FILES.map(fixturePath) : [f]
    );
    const bodyFiles = [...fixtures.bodies, ...listFlag(flags, "bodies")];
    const exportFiles = [...fixtures.exports, ...listFlag(flags, "export")];
    const signalWeights = flags.signals ? parseSignalWeights(String(flags.signals)) : undefined;
    const run = await runEvaluation(db, {
      folds,
      seed,
      bodyFiles,
      exportFiles,
      poolFiles,
      signalWeights,
      catalog: stringFlag(flags, "catalog") ?? DEFAULT_CATALOG_DIR,
      realUser,
      stages: REAL_USER_STAGES,
      windowMs: numberFlag(flags, "real-user-window", { min: 50, integer: true })!,
      info: log.info,
    });
    await writeEvaluation(db, run.rows);
    if (Deno.env.get("NEXTSPIN_QUIET") !== "1") {
      console.log(evaluationText(run.rows));
      for (const r of run.real) console.log("\n" + realUserText(r));
    }
    return {
      tables: { evaluation: run.rows.length },
      parameters: {
        folds,
        seed,
        bodies: bodyFiles,
        exports: exportFiles,
        pool: poolFiles,
        real_user: realUser,
        ...(signalWeights ? { signals: signalWeights } : {}),
      },
      summary: evaluationSummary(run),
    };
  },
};

if (import.meta.main) {
  await main([evaluateStage], { command: "evaluate", summary: evaluateStage.summary });
}
