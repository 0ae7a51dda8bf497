/**
 * Measure gem signals on and off: the evaluation harness (lib/recommend/evaluate.ts, gems only)
 * on each collection against a pool, once with every signal at 0 and once per signal at a weight
 * alone, recall@50 and MRR of each (`deno task bench signals` runs it).
 *
 * @module
 */

import type { Candidate } from "../candidates.ts";
import { evaluateWorkspace } from "../evaluate.ts";
import { GEM_SIGNALS } from "./mod.ts";
import type { CatalogRelations } from "./relations.ts";

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
