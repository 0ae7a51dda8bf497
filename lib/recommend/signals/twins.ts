/**
 * Gem signal **twins**: how much the twin collections (`deno task twins`) that own a record are
 * like yours — `Candidate.twinSupport`, the Σ of their similarities (lib/twins/support.ts). No
 * twins given: all 0.
 *
 * @module
 */

import type { GemSignal } from "./mod.ts";

/** Owned by collections like yours. */
export const twinsSignal: GemSignal = {
  name: "twins",
  label: "owned by your twin collections",
  defaultWeight: 0,
  column: (ctx) => Float64Array.from(ctx.pool, (c) => c.twinSupport ?? 0),
  reason(ctx, i) {
    const owners = ctx.pool[i].twinOwners ?? [];
    if (owners.length === 0) return null;
    const more = owners.length > 2 ? ` and ${owners.length - 2} more` : "";
    return `owned by ${owners.slice(0, 2).join(", ")}${more}, collections like yours`;
  },
};
