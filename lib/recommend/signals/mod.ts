/**
 * Gem signals: the seam through which a new kind of taste evidence joins the gem score. A signal
 * gives every pool record a number (higher = more like what the collector owns; 0 = no evidence)
 * computed once per {@link RecommendContext}; the gem score z-scores it over the pool and adds it
 * under its weight (`GemWeights.signals`, default {@link GemSignal.defaultWeight}). A new signal
 * is one module in this folder and one line in {@link GEM_SIGNALS}.
 *
 * @example
 * ```ts
 * const sameSeries: GemSignal = {
 *   name: "series",
 *   label: "catalogue-number series",
 *   defaultWeight: 0.1,
 *   column: (ctx) => new Float64Array(ctx.pool.length),
 * };
 * ```
 *
 * @module
 */

import type { RecommendContext } from "../context.ts";
import { artistKinSignal } from "./artist_kin.ts";
import { creditsSignal } from "./credits.ts";
import { labelFamilySignal } from "./label_family.ts";
import { marketPriorSignal } from "./market_prior.ts";
import { masterSignal } from "./master.ts";
import { seriesSignal } from "./series.ts";
import { twinsSignal } from "./twins.ts";

/** One kind of taste evidence the gem score can weigh. */
export interface GemSignal {
  /** Its id: a key of `GemWeights.signals`, a component of a gem, a feature of the blend. */
  name: string;
  /** What it is, in the collector's words ("shared remixers and producers"). */
  label: string;
  /** Its weight in the hand blend (z-scored column × weight); 0 = measured but off. */
  defaultWeight: number;
  /** Every pool record's value, `ctx.pool` order. Called once per context, then kept. */
  column(ctx: RecommendContext): Float64Array;
  /**
   * Why record `i` scores on this signal, as a phrase for its reason ("remixed by E. Priest,
   * like 2 records you own"), or null when it does not.
   */
  reason?(ctx: RecommendContext, i: number): string | null;
}

/** Every gem signal, in the order reasons name them. */
export const GEM_SIGNALS: readonly GemSignal[] = [
  creditsSignal,
  labelFamilySignal,
  artistKinSignal,
  masterSignal,
  seriesSignal,
  marketPriorSignal,
  twinsSignal,
];
