/**
 * Gem signal **label_family**: a record on a sister label of labels you own — the same parent
 * label in the catalogue (`catalog_labels.parent_name`; a parent and its sub-labels are one
 * family). The value is ln(1 + your records on *other* labels of its family): the label itself is
 * taste fit's already. Without a catalogue's labels table: all 0.
 *
 * @module
 */

import { normalizeName } from "../../embed/features.ts";
import type { RecommendContext } from "../context.ts";
import type { GemSignal } from "./mod.ts";
import { ownedCounts, records } from "./owned.ts";

interface Owned {
  byFamily: Map<string, number>;
  byLabel: Map<string, number>;
}

const OWNED = new WeakMap<RecommendContext, Owned>();

function owned(ctx: RecommendContext): Owned {
  let o = OWNED.get(ctx);
  if (!o) {
    const family = ctx.relations?.labelFamily ?? new Map();
    const labelsOf = (c: { labels: readonly string[] }) => c.labels.map(normalizeName);
    o = {
      byLabel: ownedCounts(ctx.collection, labelsOf),
      byFamily: ownedCounts(
        ctx.collection,
        (c) => labelsOf(c).flatMap((l) => family.has(l) ? [family.get(l)!] : []),
      ),
    };
    OWNED.set(ctx, o);
  }
  return o;
}

/** Your records on other labels of a record's label family, and the family's name. */
function sisters(ctx: RecommendContext, i: number): { n: number; family: string } | null {
  const label = ctx.pool[i].labels[0];
  const family = label ? ctx.relations?.labelFamily.get(normalizeName(label)) : undefined;
  if (!label || !family) return null;
  const o = owned(ctx);
  const n = (o.byFamily.get(family) ?? 0) - (o.byLabel.get(normalizeName(label)) ?? 0);
  return n > 0 ? { n, family } : null;
}

/** Sister labels of labels you own. */
export const labelFamilySignal: GemSignal = {
  name: "label_family",
  label: "sister labels of labels you own",
  defaultWeight: 0,
  column: (ctx) => Float64Array.from(ctx.pool, (_, i) => Math.log1p(sisters(ctx, i)?.n ?? 0)),
  reason(ctx, i) {
    const s = sisters(ctx, i);
    return s
      ? `on ${ctx.pool[i].labels[0]}, of the ${
        ctx.relations?.familyNames.get(s.family) ?? s.family
      } family like ${records(s.n)} you own`
      : null;
  },
};
