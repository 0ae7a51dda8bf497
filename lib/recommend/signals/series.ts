/**
 * Gem signal **series**: a record whose catalogue number sits close to one you own on the same
 * label — the label's series you collect (`NBEATS 002` when you own `NBEATS 001` and `003`).
 * A catalogue number is its letters before the first digits (the series) and those digits (its
 * place); the value is 1 / (1 + ln(1 + d)), d the distance to the nearest owned number of the same
 * label and series (1 for the same number: another pressing), 0 without one within
 * {@link SERIES_WINDOW}. Barcodes (digits only, 8 or more) are no catalogue numbers: a label's
 * barcodes run on for thousands, so every record of the label would look "near".
 *
 * @module
 */

import { normalizeName } from "../../embed/features.ts";
import type { Candidate } from "../candidates.ts";
import type { RecommendContext } from "../context.ts";
import type { GemSignal } from "./mod.ts";

/** How far apart two places of a series may be and still be neighbours. */
export const SERIES_WINDOW = 50;

/**
 * A catalogue number as series and place: `NBEATS 002` → `NBEATS`, 2; none without digits or
 * for a barcode (`194397378511`).
 */
export function parseCatno(catno: string | null | undefined): { series: string; n: number } | null {
  if (!catno) return null;
  const text = catno.toUpperCase().trim();
  if (/^[\d\s-]{8,}$/.test(text)) return null;
  const m = text.match(/^([^0-9]*)(\d+)/);
  if (!m || m[2].length > 7) return null;
  return { series: m[1].replace(/[^A-Z]/g, ""), n: Number(m[2]) };
}

/**
 * A catalogue number as a reason shows it: the first of several (`PFRLP4, Pink Floyd Records –
 * 0825646493166` → `PFRLP4`), the one the series was read from.
 */
export function shownCatno(catno: string): string {
  return catno.split(/,\s|\s[–-]\s/)[0].trim();
}

/** The label-and-series key of a record, and its place; null without label or number. */
function seriesOf(c: Candidate): { key: string; n: number } | null {
  const parsed = parseCatno(c.catno);
  const label = c.labels[0];
  if (!parsed || !label) return null;
  return { key: `${normalizeName(label)}\t${parsed.series}`, n: parsed.n };
}

interface Nearest {
  distance: number;
  catno: string;
}

const PLACES = new WeakMap<RecommendContext, Map<string, { n: number; catno: string }[]>>();

function nearestOwned(ctx: RecommendContext, c: Candidate): Nearest | null {
  let places = PLACES.get(ctx);
  if (!places) {
    places = new Map();
    for (const o of ctx.collection) {
      const s = seriesOf(o);
      if (!s) continue;
      const list = places.get(s.key) ?? [];
      list.push({ n: s.n, catno: o.catno! });
      places.set(s.key, list);
    }
    PLACES.set(ctx, places);
  }
  const s = seriesOf(c);
  const owned = s ? places.get(s.key) : undefined;
  if (!s || !owned) return null;
  let best: Nearest | null = null;
  for (const o of owned) {
    const distance = Math.abs(o.n - s.n);
    if (distance <= SERIES_WINDOW && (!best || distance < best.distance)) {
      best = { distance, catno: o.catno };
    }
  }
  return best;
}

/** Catalogue-number series on a label you own. */
export const seriesSignal: GemSignal = {
  name: "series",
  label: "catalogue-number series",
  defaultWeight: 0,
  column: (ctx) =>
    Float64Array.from(ctx.pool, (c) => {
      const near = nearestOwned(ctx, c);
      return near ? 1 / (1 + Math.log1p(near.distance)) : 0;
    }),
  reason(ctx, i) {
    const c = ctx.pool[i];
    const near = nearestOwned(ctx, c);
    return near
      ? `${shownCatno(c.catno!)} on ${c.labels[0]}, next to your ${shownCatno(near.catno)}`
      : null;
  },
};
