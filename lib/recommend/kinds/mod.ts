/**
 * The registered recommenders, in serving order — the one list a new kind is added to. The
 * recommend stage serves them in this order (each record on the first list that picks it), the
 * `recommendations` table is ordered by it (its `recommendation_kinds` table records it), the
 * evaluation harness measures those with an `evaluation`, and the taste map, notebooks and
 * report read the kinds from the workspace.
 *
 * @example
 * ```ts
 * for (const r of RECOMMENDERS) console.log(r.label, r.rank(ctx, { top: 5 }).length);
 * ```
 *
 * @module
 */

import type { Recommender } from "../recommender.ts";
import { deepCuts } from "./deep_cuts.ts";
import { gems } from "./gems.ts";
import { missingLinks } from "./missing_links.ts";
import { playedNotOwned } from "./played_not_owned.ts";
import { setGaps } from "./set_gaps.ts";
import { twinPicks } from "./twin_picks.ts";

export * from "./deep_cuts.ts";
export * from "./gems.ts";
export * from "./missing_links.ts";
export * from "./played_not_owned.ts";
export * from "./set_gaps.ts";
export * from "./twin_picks.ts";

/** Every recommender, in serving order. */
export const RECOMMENDERS: readonly Recommender[] = [
  playedNotOwned,
  // Before gems: a record that finishes a set you collect is there for that reason first (and a
  // gem would otherwise take the set's best fits away from it).
  setGaps,
  gems,
  missingLinks,
  deepCuts,
  twinPicks,
];

/** A kind id must be a plain identifier: it names CSS ids, JSON keys and run.json entries. */
const KIND_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Check a registry: unique, well-formed names and a label for each (throws on a programming
 * error, not a collector's).
 */
export function checkRegistry(recommenders: readonly Recommender[]): void {
  const seen = new Set<string>();
  for (const r of recommenders) {
    if (!KIND_NAME.test(r.name)) throw new Error(`recommender name ${JSON.stringify(r.name)}`);
    if (seen.has(r.name)) throw new Error(`two recommenders are named ${r.name}`);
    if (!r.label || !r.plural) throw new Error(`recommender ${r.name} needs a label and a plural`);
    seen.add(r.name);
  }
}
