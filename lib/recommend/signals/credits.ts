/**
 * Gem signal **credits**: the people credited on a record (remixers, producers, engineers) that
 * are credited on records you own — Σ over its credited people of the role's share
 * (`creditRoleShare`: remix 1, production 0.8, playing 0.5, engineering 0.4) × ln(1 + your
 * records crediting them). Credits are taste tokens already (the embedding and taste fit); this
 * weighs them on their own, as a count of shared people rather than a lift. Only candidates
 * with credits (catalogue rows) can score.
 *
 * @module
 */

import { creditShares } from "../../embed/features.ts";
import type { RecommendContext } from "../context.ts";
import { describeCredit } from "../explain.ts";
import type { GemSignal } from "./mod.ts";
import { ownedCounts } from "./owned.ts";

const OWNED = new WeakMap<RecommendContext, Map<string, number>>();

function owned(ctx: RecommendContext): Map<string, number> {
  let counts = OWNED.get(ctx);
  if (!counts) {
    counts = ownedCounts(ctx.collection, (c) => creditShares(c.credits).keys());
    OWNED.set(ctx, counts);
  }
  return counts;
}

/** Shared credited people. */
export const creditsSignal: GemSignal = {
  name: "credits",
  label: "shared remixers, producers and engineers",
  defaultWeight: 0,
  column(ctx) {
    const counts = owned(ctx);
    return Float64Array.from(ctx.pool, (c) => {
      let sum = 0;
      for (const [name, { share }] of creditShares(c.credits)) {
        const n = counts.get(name);
        if (n) sum += share * Math.log1p(n);
      }
      return sum;
    });
  },
  reason(ctx, i) {
    const counts = owned(ctx);
    let best: { score: number; text: string } | null = null;
    for (const [key, { share, role, name }] of creditShares(ctx.pool[i].credits)) {
      const n = counts.get(key);
      if (!n) continue;
      const score = share * Math.log1p(n);
      if (!best || score > best.score) best = { score, text: describeCredit(name, role, n) };
    }
    return best?.text ?? null;
  },
};
