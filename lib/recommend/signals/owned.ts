/**
 * Counting what the collection owns by some key, the step most gem signals start from: how many
 * owned records carry each credited person, label family, catalogue series or master.
 *
 * @module
 */

import type { Candidate } from "../candidates.ts";

/** How many records of `collection` carry each key `keysOf` gives (a record counts once per key). */
export function ownedCounts(
  collection: readonly Candidate[],
  keysOf: (c: Candidate) => Iterable<string>,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of collection) {
    for (const key of new Set(keysOf(c))) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** "1 record" / "3 records". */
export function records(n: number): string {
  return `${n} record${n === 1 ? "" : "s"}`;
}
