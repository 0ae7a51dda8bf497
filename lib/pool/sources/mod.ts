/**
 * The candidate sources, in the order the pool stage runs them. Adding a source is one module
 * implementing {@link CandidateSource} and one line here; the pool stage, its request budget,
 * `run.json` and the README's plan all follow from this list.
 *
 * @example
 * ```ts
 * import { CANDIDATE_SOURCES } from "./lib/pool/sources/mod.ts";
 * for (const source of CANDIDATE_SOURCES) console.log(source.name, source.description);
 * ```
 *
 * @module
 */

import { catalogSource } from "./catalog.ts";
import { filesSource } from "./files.ts";
import { listeningSource } from "./listening.ts";
import { listingsSource } from "./listings.ts";
import { searchSource } from "./search.ts";
import type { CandidateSource, SourceContext } from "./types.ts";
import { wantlistSource } from "./wantlist.ts";
import { twinsSource } from "./twins.ts";
import { setsSource } from "./sets.ts";

export * from "./types.ts";

/** Every candidate source. */
export const CANDIDATE_SOURCES: readonly CandidateSource[] = [
  filesSource,
  wantlistSource,
  listeningSource,
  searchSource,
  listingsSource,
  twinsSource,
  setsSource,
  // Last: it gives credits to the other sources' candidates it also holds.
  catalogSource,
];

/**
 * Split `budget` requests across the API sources by their weight (what a request is expected to
 * bring); a source that cannot run gets nothing, and the rounding remainder goes to the first.
 */
export function splitBudget(
  sources: readonly CandidateSource[],
  ctx: SourceContext,
  budget: number,
): Map<string, number> {
  const api = sources.filter((s) => s.usesApi && s.weight(ctx) > 0);
  const total = api.reduce((sum, s) => sum + s.weight(ctx), 0);
  const split = new Map<string, number>();
  let given = 0;
  for (const s of api) {
    const share = total > 0 ? Math.floor((budget * s.weight(ctx)) / total) : 0;
    split.set(s.name, share);
    given += share;
  }
  if (api.length > 0) split.set(api[0].name, split.get(api[0].name)! + budget - given);
  return split;
}
