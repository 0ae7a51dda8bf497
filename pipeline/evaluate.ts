/**
 * `deno task evaluate`: how well Next Spin's gem recommender finds records a collector really
 * owns, against baselines — hide 20% of the collection in the pool, recommend from the rest,
 * over several seeded folds. Writes the `evaluation` table (and `evaluation.parquet`) and prints
 * a table.
 *
 * @module
 */

import { basename } from "node:path";
import { listFlag, numberFlag } from "../lib/cli/flags.ts";
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
  },
  async run({ db, log }, flags) {
    const folds = numberFlag(flags, "folds", { min: 1, max: 50, integer: true })!;
    const seed = numberFlag(flags, "seed", { integer: true })!;
    const pool = await loadPoolCandidates(db);
    const collections: [string, Awaited<ReturnType<typeof loadCollectionCandidates>>][] = [
      ["workspace collection", await loadCollectionCandidates(db)],
    ];
    for (const file of listFlag(flags, "bodies")) {
      collections.push([basename(file), await candidatesFromBodies(file)]);
    }
    const rows: EvaluationRow[] = [];
    for (const [name, collection] of collections) {
      log.info(
        `${name}: ${collection.length} releases, ${
          candidatesFor(collection, pool).length
        } pool candidates, ${folds} folds`,
      );
      rows.push(...evaluateWorkspace(collection, pool, { name, folds, seed }));
    }
    await writeEvaluation(db, rows);
    if (Deno.env.get("NEXTSPIN_QUIET") !== "1") console.log(evaluationText(rows));
    return {
      tables: { evaluation: rows.length },
      parameters: { folds, seed, bodies: listFlag(flags, "bodies") },
      summary: Object.fromEntries(
        rows.map((r) => [`${r.collection} / ${r.recommender}`, r.recall_at_50]),
      ),
    };
  },
};

if (import.meta.main) {
  await main([evaluateStage], { command: "evaluate", summary: evaluateStage.summary });
}
