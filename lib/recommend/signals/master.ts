/**
 * Gem signal **master**: another pressing of an album (a Discogs master release) you own. The
 * pool stage removes those unless `--include-other-pressings`, so by default the column is all 0;
 * with that flag it says which other pressings belong to albums in the collection.
 *
 * @module
 */

import type { GemSignal } from "./mod.ts";

/** Another pressing of an album you own. */
export const masterSignal: GemSignal = {
  name: "master",
  label: "another pressing of an album you own",
  defaultWeight: 0,
  column(ctx) {
    const owned = new Set(ctx.collection.map((c) => c.masterId).filter((m) => m != null));
    return Float64Array.from(ctx.pool, (c) => c.masterId != null && owned.has(c.masterId) ? 1 : 0);
  },
  reason(ctx, i) {
    const m = ctx.pool[i].masterId;
    const mine = m != null ? ctx.collection.find((c) => c.masterId === m) : undefined;
    return mine ? `another pressing of ${mine.artist} — ${mine.title}, which you own` : null;
  },
};
