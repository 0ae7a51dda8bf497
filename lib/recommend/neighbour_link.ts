/**
 * Which contexts were cut from which: an inner fold of the self-tuning (`tune/folds.ts`) is a
 * context over most of another's collection and pool, and says so here, so the gem score's
 * neighbour term (`kinds/gems.ts`) reads its similarities off lists kept with the other context
 * — one scan for every fold instead of one per fold — with the same values.
 *
 * @module
 */

import type { RecommendContext } from "./context.ts";

/**
 * A context's link to the one it was cut from: which of its pool records are the other's (and
 * which), and which of the other's collection it does not have.
 */
export interface NeighbourLink {
  parent: RecommendContext;
  /** Pool index here → pool index in `parent` (−1: a record of its own, a hidden one). */
  pool: Int32Array;
  /** 1 at the `parent` collection indices this context does not have. */
  hidden: Uint8Array;
}

const LINKS = new WeakMap<RecommendContext, NeighbourLink>();

/** Say that `ctx` was cut from `link.parent` (see {@link NeighbourLink}). */
export function linkNeighbours(ctx: RecommendContext, link: NeighbourLink): void {
  LINKS.set(ctx, link);
}

/** The context `ctx` was cut from, if it was. */
export function neighbourLink(ctx: RecommendContext): NeighbourLink | undefined {
  return LINKS.get(ctx);
}
