/**
 * Recommendations from a collection and a candidate pool, each with a reason a person can read.
 * Every kind of list is one recommender under `kinds/` (gems, missing links, deep cuts),
 * registered in `kinds/mod.ts` (`RECOMMENDERS`) and ranked from the shared context
 * (`context.ts`: the embedded collection and pool, the taste shelves of `shelves.ts`, the taste
 * profile of `taste.ts`). `served.ts` serves the registry together, `load.ts` writes the
 * `recommendations` table, `evaluate.ts` measures it.
 *
 * @example
 * ```ts
 * const ctx = buildContext(collection, pool);
 * const picks = recommendAll(ctx, { top: 20 });
 * ```
 *
 * @module
 */

export { asPoolRow, type Candidate } from "./candidates.ts";
export {
  buildContext,
  type ContextOptions,
  contextShelves,
  nearestShelf,
  type RecommendContext,
  storeShelves,
} from "./context.ts";
export type {
  ListOptions,
  Recommendation,
  RecommendationKind,
  Recommender,
} from "./recommender.ts";
export * from "./kinds/mod.ts";
export {
  countByKind,
  countsSummary,
  countsText,
  picksText,
  recommendAll,
  thinTasteWarning,
} from "./served.ts";
export { blendFor, blendSummary, blendText, type GemBlend, useBlend } from "./tune/mod.ts";
