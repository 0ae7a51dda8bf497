/**
 * Measure gem signals on and off: `deno run -A lib/recommend/signals/measure.ts --db WS
 * [--bodies FILE]… [--catalog DIR] [--weight W] [--folds N] [--signals a,b]` runs the evaluation
 * harness (lib/recommend/evaluate.ts, gems only) on the workspace collection and each bodies
 * collection against the workspace pool, once with every signal at 0 and once per signal at
 * `--weight` (default 0.1) alone (`--skip-off`: only those), and prints recall@50 and MRR of each.
 *
 * @module
 */

import { basename } from "node:path";
import { parseArgs } from "node:util";
import { Database } from "../../db/mod.ts";
import { candidatesFromBodies } from "../bodies.ts";
import type { Candidate } from "../candidates.ts";
import { evaluateWorkspace } from "../evaluate.ts";
import { loadCollectionCandidates, loadPoolCandidates } from "../load.ts";
import { GEM_SIGNALS } from "./mod.ts";
import { type CatalogRelations, loadCatalogRelations } from "./relations.ts";

/** One collection's figures under one set of weights. */
export interface SignalMeasurement {
  collection: string;
  variant: string;
  recall: number;
  mrr: number;
}

/** Every signal off, then each alone at `weight`: gems' recall@50 and MRR per collection. */
export function measureSignals(
  collections: readonly [string, readonly Candidate[]][],
  pool: readonly Candidate[],
  options: {
    weight: number;
    folds: number;
    signals: readonly string[];
    relations?: CatalogRelations;
    log?: (line: string) => void;
    /** Leave out the all-off run (measured already). */
    skipOff?: boolean;
  },
): SignalMeasurement[] {
  const off = Object.fromEntries(GEM_SIGNALS.map((s) => [s.name, 0]));
  const variants: [string, Record<string, number>][] = [
    ...(options.skipOff ? [] : [["off", off] as [string, Record<string, number>]]),
    ...options.signals.map((name) =>
      [`${name}=${options.weight}`, { ...off, [name]: options.weight }] as [
        string,
        Record<string, number>,
      ]
    ),
  ];
  const out: SignalMeasurement[] = [];
  for (const [name, collection] of collections) {
    for (const [variant, signalWeights] of variants) {
      const [row] = evaluateWorkspace(collection, pool, {
        name,
        folds: options.folds,
        only: ["next-spin gems"],
        context: { signalWeights, relations: options.relations },
      });
      const m = { collection: name, variant, recall: row.recall_at_50, mrr: row.mrr };
      options.log?.(`${name}\t${variant}\t${m.recall.toFixed(3)}\t${m.mrr.toFixed(4)}`);
      out.push(m);
    }
  }
  return out;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      db: { type: "string", default: "data/nextspin.duckdb" },
      bodies: { type: "string", multiple: true, default: [] },
      catalog: { type: "string" },
      weight: { type: "string", default: "0.1" },
      folds: { type: "string", default: "5" },
      signals: { type: "string" },
      "no-workspace": { type: "boolean" },
      "skip-off": { type: "boolean" },
    },
  });
  const db = await Database.open(values.db!, { readOnly: true });
  const pool = await loadPoolCandidates(db);
  const collections: [string, Candidate[]][] = values["no-workspace"]
    ? []
    : [["workspace collection", await loadCollectionCandidates(db)]];
  for (const file of values.bodies!) {
    collections.push([basename(file), await candidatesFromBodies(file)]);
  }
  const relations = values.catalog
    ? await loadCatalogRelations(db, values.catalog, [
      ...pool,
      ...collections.flatMap(([, c]) => c),
    ])
    : undefined;
  const signals = values.signals?.split(",") ?? GEM_SIGNALS.map((s) => s.name);
  console.log("collection\tvariant\trecall@50\tMRR");
  measureSignals(collections, pool, {
    weight: Number(values.weight),
    folds: Number(values.folds),
    signals,
    relations,
    log: console.log,
    skipOff: values["skip-off"],
  });
  db.close();
}
