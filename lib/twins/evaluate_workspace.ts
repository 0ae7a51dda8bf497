/**
 * `deno task evaluate` on a workspace with twins: the workspace collection against the
 * community `deno task twins` stored (`twin_collections`), and against a simulated community
 * (see {@link simulatedCommunity}), both through {@link evaluateTwins}.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import type { Candidate } from "../recommend/candidates.ts";
import { candidatesFor, type EvaluationRow } from "../recommend/evaluate.ts";
import { loadCollectionCandidates } from "../recommend/load.ts";
import { evaluateTwins, simulatedCommunity, type TwinEvaluationOptions } from "./evaluate.ts";
import { loadRecords, YOU } from "./mod.ts";

/** Twin-pick rows for the evaluation table; none when the workspace has no community. */
export async function evaluateWorkspaceTwins(
  db: Database,
  pool: readonly Candidate[],
  options: {
    folds: number;
    seed: number;
    info?: (message: string) => void;
    /** Gem signal weights and catalogue relations for every fold's context. */
    context?: TwinEvaluationOptions["context"];
  },
): Promise<EvaluationRow[]> {
  if (!(await db.tableExists("twin_collections")) || (await db.count("twin_collections")) === 0) {
    return [];
  }
  const collection = await loadCollectionCandidates(db);
  const records = await loadRecords(db);
  const mine = records.filter((r) => r.collection === YOU);
  const community = records.filter((r) => r.collection !== YOU);
  // The harness's pool: without the collection's own releases, and without what only twins
  // brought in (evaluateTwins adds the twins' records itself, fold by fold).
  const candidates = candidatesFor(collection, pool).filter((c) => c.twinSupport === undefined)
    .map(({ twinSupport: _s, twinOwners: _o, ...c }) => c);
  const names = [...new Set(community.map((r) => r.collection))].length;
  options.info?.(
    `twin picks: ${names} community collections from twin_collections, ${options.folds} folds`,
  );
  const opts = { folds: options.folds, seed: options.seed, context: options.context };
  return [
    ...evaluateTwins(
      "workspace collection · community",
      collection,
      mine,
      candidates,
      community,
      opts,
    ),
    ...evaluateTwins(
      "workspace collection · simulated twins",
      collection,
      mine,
      candidates,
      simulatedCommunity(mine, candidates, { seed: options.seed }),
      opts,
    ),
  ];
}
