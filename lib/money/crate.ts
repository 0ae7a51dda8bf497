/**
 * The best crate under a budget, from the lists a collector picks from: each list's picks get
 * points (their score over the list's best score, so every list's top pick is worth 1 and lists
 * weigh alike), a record on several lists keeps its best, and {@link fillCrate} chooses the set
 * of greatest total points whose lowest prices, in one currency, fit the budget with at most N
 * records per artist (lib/money/knapsack.ts, exact). Pure: `deno task crate` and the report's
 * "Fill to budget" both run it, so both give the same crate.
 *
 * @example
 * ```ts
 * const { candidates } = crateCandidates(picks, "USD");
 * const filled = fillCrate(candidates, 100, 2);
 * filled.crate.map((c) => c.title); filled.greedyOnly; // what greedy would have taken instead
 * ```
 *
 * @module
 */

import { greedyKnapsack, solveKnapsack } from "./knapsack.ts";

/** One pick of a list, as the `recommendations` table (or a ranking) gives it. */
export interface CratePick {
  /** The list it comes from: `gems`, `missing_links`, `deep_cuts`, `crate_picks`, … */
  list: string;
  /** A key unique per record (the pool key, or `r:<release id>` for a record you own). */
  key: string;
  rank: number;
  releaseId: number | null;
  artist: string;
  title: string;
  lowestPrice: number | null;
  currency: string | null;
  /** The list's own score (higher is better); null when the list has none. */
  score: number | null;
}

/** A priced candidate with its points, price in cents and artist group. */
export interface CrateCandidate extends CratePick {
  /** Every list the record is on, in the order given. */
  lists: string[];
  points: number;
  cents: number;
  /** The artist as the cap counts it (null for compilations: "Various" is nobody). */
  group: string | null;
}

/** The lists a recommendation kind becomes on the command line: `gem` → `gems`. */
export const listName = (kind: string) => `${kind}s`;

/** The artist key the per-artist cap counts by; null for "Various" compilations. */
export function artistGroup(artist: string): string | null {
  const key = artist.normalize("NFKD").replace(/\p{M}/gu, "").replace(/\s*\(\d+\)$/, "")
    .trim().toLowerCase();
  return key === "" || key === "various" || key === "various artists" ? null : key;
}

/** The currency most priced picks are in (ties: alphabetical; USD when none is priced). */
export function mainCurrency(picks: readonly CratePick[]): string {
  const counts = new Map<string, number>();
  for (const p of picks) {
    if (p.lowestPrice !== null && p.lowestPrice > 0 && p.currency) {
      counts.set(p.currency, (counts.get(p.currency) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? "USD";
}

/** Candidates in one currency, and how many picks were left out and why. */
export interface CandidateSet {
  candidates: CrateCandidate[];
  /** Picks with no lowest price (none for sale, or not priced). */
  unpriced: number;
  /** Picks priced in another currency. */
  otherCurrency: number;
}

/**
 * Turn picks into crate candidates in `currency`: points per list, one candidate per record
 * (its best points; every list it is on), in a fixed order (release id, then key) so every
 * caller hands the solver the same items.
 */
export function crateCandidates(picks: readonly CratePick[], currency: string): CandidateSet {
  const byList = new Map<string, CratePick[]>();
  for (const p of picks) {
    const list = byList.get(p.list) ?? [];
    list.push(p);
    byList.set(p.list, list);
  }
  const best = new Map<string, CrateCandidate>();
  let unpriced = 0;
  let otherCurrency = 0;
  const counted = new Set<string>();
  for (const [list, members] of byList) {
    const scores = members.map((m) => m.score);
    const allPositive = scores.every((s) => s !== null && Number.isFinite(s) && s > 0);
    const top = allPositive ? Math.max(...(scores as number[])) : 0;
    for (const pick of members) {
      // Scores compare within a list only; without usable scores the rank says it.
      const points = allPositive
        ? pick.score! / top
        : (members.length - pick.rank + 1) / members.length;
      const id = pick.releaseId !== null ? `release:${pick.releaseId}` : `key:${pick.key}`;
      const price = pick.lowestPrice;
      if (price === null || !Number.isFinite(price) || price <= 0) {
        if (!counted.has(id)) unpriced++;
        counted.add(id);
        continue;
      }
      if ((pick.currency ?? currency) !== currency) {
        if (!counted.has(id)) otherCurrency++;
        counted.add(id);
        continue;
      }
      const before = best.get(id);
      if (before) {
        if (!before.lists.includes(list)) before.lists.push(list);
        if (points > before.points) Object.assign(before, { ...pick, points, lists: before.lists });
        continue;
      }
      best.set(id, {
        ...pick,
        lists: [list],
        points,
        cents: Math.round(price * 100),
        group: artistGroup(pick.artist),
      });
    }
  }
  const candidates = [...best.values()].sort((a, b) =>
    (a.releaseId ?? Infinity) - (b.releaseId ?? Infinity) || (a.key < b.key ? -1 : 1)
  );
  return { candidates, unpriced, otherCurrency };
}

/** A crate filled to a budget, and what greedy would have done. */
export interface FilledCrate {
  budget: number;
  maxPerArtist: number;
  /** The chosen records, best points first. */
  crate: CrateCandidate[];
  total: number;
  points: number;
  greedy: { crate: CrateCandidate[]; total: number; points: number };
  /** Records greedy would have taken that the best crate leaves out. */
  greedyOnly: CrateCandidate[];
}

const byPoints = (a: CrateCandidate, b: CrateCandidate) =>
  b.points - a.points || a.cents - b.cents || (a.key < b.key ? -1 : 1);

/**
 * The crate of greatest total points within `budget` (in the candidates' currency) with at
 * most `maxPerArtist` records per artist, exact to the cent.
 */
export function fillCrate(
  candidates: readonly CrateCandidate[],
  budget: number,
  maxPerArtist = 2,
): FilledCrate {
  const cents = Math.round(budget * 100);
  const items = candidates.map((c) => ({ cost: c.cents, value: c.points, group: c.group }));
  const exact = solveKnapsack(items, cents, maxPerArtist);
  const greedy = greedyKnapsack(items, cents, maxPerArtist);
  const pick = (indices: number[]) => indices.map((i) => candidates[i]).sort(byPoints);
  const chosen = new Set(exact.chosen);
  return {
    budget,
    maxPerArtist,
    crate: pick(exact.chosen),
    total: exact.cost / 100,
    points: exact.value,
    greedy: { crate: pick(greedy.chosen), total: greedy.cost / 100, points: greedy.value },
    greedyOnly: pick(greedy.chosen.filter((i) => !chosen.has(i))),
  };
}
