/**
 * Helpers for recommender tests: build {@link Candidate} records with distinct keys, release ids
 * and titles, numbered in the order they are built.
 *
 * @example
 * ```ts
 * resetIds();
 * const collection = [rec("Junglist 0", "Metalheadz", ["Jungle"], "Electronic", 1995)];
 * const pool = [rec("Roots 0", "Studio One", ["Roots Reggae"], "Reggae", 1978, { have: 5 })];
 * // collection[0]: key "k1", releaseId 1, title "T1"; pool[0]: key "k2", releaseId 2, title "T2".
 * ```
 *
 * @module
 */

import type { Candidate } from "./candidates.ts";

let next = 0;

/** Restart numbering: the next {@link rec} gets key `k1`, release id 1 and title `T1`. */
export function resetIds(): void {
  next = 0;
}

/**
 * A UK vinyl release by `artist` on `label` with one genre, numbered after the previous one
 * (key `k<n>`, release id `n`, title `T<n>`): 100 haves, 80 wants, lowest price 10 USD — with
 * `extra` overriding any field.
 */
export function rec(
  artist: string,
  label: string,
  styles: string[],
  genre: string,
  year: number,
  extra: Partial<Candidate> = {},
): Candidate {
  next++;
  return {
    key: `k${next}`,
    releaseId: next,
    artist,
    title: `T${next}`,
    artists: [artist],
    labels: [label],
    genres: [genre],
    styles,
    year,
    country: "UK",
    formats: ["Vinyl"],
    have: 100,
    want: 80,
    lowestPrice: 10,
    currency: "USD",
    ...extra,
  };
}
