/**
 * A bare {@link RecommendContext} for signal tests: a signal column reads the collection, the
 * pool and (for some) the catalogue relations, not the embedding space, so tests need no model.
 *
 * @module
 */

import type { Candidate } from "../candidates.ts";
import type { RecommendContext } from "../context.ts";
import type { CatalogRelations } from "./relations.ts";

/** A context with only `collection`, `pool` and, when given, `relations`. */
export function bareContext(
  collection: readonly Candidate[],
  pool: readonly Candidate[],
  relations?: CatalogRelations,
): RecommendContext {
  return { collection, pool, ...(relations ? { relations } : {}) } as RecommendContext;
}
