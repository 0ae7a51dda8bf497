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
  evaluateCollection,
  type EvaluationRow,
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
    },
    seed: { type: "string", description: "random seed", default: "42", valueName: "N" },
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
      // A collection's own releases are not candidates for it (they are what gets hidden).
      const keys = new Set(collection.map((c) => c.key));
      const candidates = pool.filter((p) => !keys.has(p.key));
      log.info(
        `${name}: ${collection.length} releases, ${candidates.length} pool candidates, ${folds} folds`,
      );
      rows.push(...evaluateCollection(name, collection, candidates, { folds, seed }));
    }
    await writeEvaluation(db, rows);
    if (Deno.env.get("NEXTSPIN_QUIET") !== "1") printEvaluation(rows);
    return {
      tables: { evaluation: rows.length },
      parameters: { folds, seed, bodies: listFlag(flags, "bodies") },
      summary: Object.fromEntries(
        rows.map((r) => [`${r.collection} / ${r.recommender}`, r.recall_at_50]),
      ),
    };
  },
};

function printEvaluation(rows: EvaluationRow[]): void {
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
  console.log(line(header));
  for (const c of cells) console.log(line(c));
}

if (import.meta.main) {
  await main([evaluateStage], { command: "evaluate", summary: evaluateStage.summary });
}
