/**
 * How the dump's text becomes record values: ids, counts and years. Shared by the fast dump
 * parser and its saxes-based reference, so the two differ only in how they read XML.
 *
 * @module
 */

import type { DumpKind } from "./schema.ts";

/**
 * A whole number given as digits ("123") → 123; empty, absent or anything else → `null`. Ids,
 * `qty` and `year` are always plain digits in the dump; anything else is not guessed at.
 */
export function toInt(text: string | null): number | null {
  if (text === null || text.length === 0 || text.length > 15) return null;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  return n;
}

/** Like {@link toInt}, but `0` (the dump's "none", e.g. `<master_id>0</master_id>`) is `null`. */
export function toRef(text: string | null): number | null {
  const n = toInt(text);
  return n === 0 ? null : n;
}

/** The year a `released` text starts with ("1999-03-00" → 1999), when it is in 1800–2100. */
export function yearOf(released: string | null): number | null {
  if (released === null || released.length < 4) return null;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const c = released.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    year = year * 10 + c;
  }
  return year >= 1800 && year <= 2100 ? year : null;
}

/** The element each record of a kind is (`releases` → `release`). */
export const RECORD_ELEMENT: Record<DumpKind, string> = {
  releases: "release",
  masters: "master",
  artists: "artist",
  labels: "label",
};

/** A byte count as the collector reads it: 1234567 → "1,234,567". */
export function formatBytes(n: number): string {
  return n.toLocaleString("en-US");
}
