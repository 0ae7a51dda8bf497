/**
 * Gem signal **artist_kin**: a record by an alias of an artist you own, a group they are in or a
 * member of theirs (`catalog_artists`: aliases, groups, members). The value is ln(1 + your
 * records by its artists' kin); the artist itself is taste fit's already. Without a catalogue's
 * artists table: all 0.
 *
 * @module
 */

import { normalizeName } from "../../embed/features.ts";
import type { RecommendContext } from "../context.ts";
import type { GemSignal } from "./mod.ts";
import { ownedCounts, records } from "./owned.ts";

const OWNED = new WeakMap<RecommendContext, Map<string, number>>();

/** Your records by the kin of record `i`'s artists, and the closest kin (most records). */
function kinOf(
  ctx: RecommendContext,
  i: number,
): { n: number; kin: string; relation: string; artist: string } | null {
  const kinMap = ctx.relations?.artistKin;
  if (!kinMap) return null;
  let counts = OWNED.get(ctx);
  if (!counts) {
    counts = ownedCounts(ctx.collection, (c) => c.artists.map(normalizeName));
    OWNED.set(ctx, counts);
  }
  let n = 0;
  let best: { n: number; kin: string; relation: string; artist: string } | null = null;
  for (const artist of ctx.pool[i].artists) {
    const key = normalizeName(artist);
    for (const k of kinMap.get(key) ?? []) {
      const m = counts.get(k.name) ?? 0;
      n += m;
      if (m > 0 && (!best || m > best.n)) {
        best = { n: m, kin: k.display, relation: k.relation, artist };
      }
    }
  }
  return best ? { ...best, n } : null;
}

const RELATION_WORDS: Record<string, string> = {
  alias: "an alias of",
  // `groups` lists the groups an artist is in; `members` the members of a group.
  group: "a member of",
  member: "a group with",
};

/** Aliases, groups and members of artists you own. */
export const artistKinSignal: GemSignal = {
  name: "artist_kin",
  label: "aliases, groups and members of artists you own",
  defaultWeight: 0,
  column: (ctx) => Float64Array.from(ctx.pool, (_, i) => Math.log1p(kinOf(ctx, i)?.n ?? 0)),
  reason(ctx, i) {
    const k = kinOf(ctx, i);
    if (!k) return null;
    return `${k.artist} is ${RELATION_WORDS[k.relation]} ${k.kin}, like ${records(k.n)} you own`;
  },
};
