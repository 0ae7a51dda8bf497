/**
 * What the recommend stage serves, priced: rank every list once to find the shortlist (the
 * records about to be served, plus a margin), match and price that shortlist against Discogs
 * (`lib/pool/shortlist.ts`, cached, its own small request budget), then rank again on the real
 * prices — so value and `--budget` apply to prices, and every pick shows one or says that none
 * is for sale. Candidates without a Discogs release id are not served unless asked.
 *
 * @example
 * ```ts
 * const served = await servePriced(db, "data/out", { top: 20, priceWeight: 1, offline: true });
 * console.log(served.picks.length, served.shortlist.priced);
 * ```
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import type { DiscogsClient } from "../discogs/client.ts";
import { priceShortlist, type ShortlistReport } from "../pool/shortlist.ts";
import { type EmbeddedCandidates, loadContext, type LoadedContext } from "./context.ts";
import type { Recommendation, Recommender } from "./recommender.ts";
import { RECOMMENDERS } from "./kinds/mod.ts";
import { hasNoMarketData } from "./lists.ts";
import { recommendAll } from "./served.ts";
import { blendFor, useBlend } from "./tune/mod.ts";

/** Options for {@link servePriced}. */
export interface ServeOptions {
  top: number;
  priceWeight: number;
  /** Only records with a known lowest price at or under this. */
  budget?: number;
  offline: boolean;
  /** For matching and pricing when online. */
  client?: DiscogsClient;
  /** Whether a token is set (matching by search needs one). */
  authenticated?: boolean;
  currency?: string;
  /** Requests for the shortlist (cache hits are free); default: one per shortlisted record. */
  priceBudget?: number;
  /** Serve records whose lowest price looks like a damaged or mislisted copy. */
  keepSuspectPrices?: boolean;
  /** Serve candidates that have no Discogs release id (pool files without ids). */
  serveWithoutId?: boolean;
  recommenders?: readonly Recommender[];
  /** How much plays weigh in the taste profile (`--listening-weight`; 0 = off). */
  listeningWeight?: number;
  /** The embed stage's candidates and model from earlier in this run (the first load only). */
  embedded?: EmbeddedCandidates;
}

/** What {@link servePriced} served. */
export interface Served {
  loaded: LoadedContext;
  picks: Recommendation[];
  shortlist: ShortlistReport;
  /** Candidates of the pool held back because they have no Discogs release id. */
  withoutId: number;
  /** Things the collector should know. */
  warnings: string[];
}

/** The shortlist is this much longer than each list, so pricing can reorder it. */
const SHORTLIST_MARGIN = 0.25;

/** Rounds of pricing records that rose into the lists after the shortlist was priced. */
const EXTRA_PRICING_ROUNDS = 3;

/** Add `more`'s counts into `into`. */
function addReports(into: ShortlistReport, more: ShortlistReport): void {
  for (const key of Object.keys(into) as (keyof ShortlistReport)[]) into[key] += more[key];
}

/** Rank, price the shortlist, and rank again on real prices. */
export async function servePriced(
  db: Database,
  outDir: string,
  options: ServeOptions,
): Promise<Served> {
  const recommenders = options.recommenders ?? RECOMMENDERS;
  // One context per pricing round, all under the same options and the blend the first one
  // fitted: the collection is the same, only prices moved, and fitting again each round would
  // cost the tuning's time again for nothing.
  const initial = await loadContext(db, outDir, {
    shelves: "fit",
    listeningWeight: options.listeningWeight,
    embedded: options.embedded,
  });
  const reload = async (): Promise<LoadedContext> => {
    const next = await loadContext(db, outDir, {
      shelves: "fit",
      listeningWeight: options.listeningWeight,
    });
    useBlend(next.ctx, blendFor(initial.ctx));
    return next;
  };
  let loaded = initial;
  const excluded = (l: LoadedContext) =>
    new Set(
      options.serveWithoutId ? [] : l.pool.flatMap((c, i) => (c.releaseId === null ? [i] : [])),
    );
  // With a price budget, the records under it may sit deeper in the unpriced lists.
  const shortTop = options.top +
    Math.ceil(options.top * (options.budget !== undefined ? 2 : SHORTLIST_MARGIN));
  const first = recommendAll(loaded.ctx, {
    top: shortTop,
    priceWeight: options.priceWeight,
    keepSuspectPrices: options.keepSuspectPrices,
  }, recommenders);
  // Plus what a list could serve once priced (deep cuts of catalogue candidates need have/want).
  const toPrice = recommenders.flatMap((r) =>
    r.toPrice?.(loaded.ctx, {
      top: shortTop,
      keepSuspectPrices: options.keepSuspectPrices,
      exclude: excluded(loaded),
    }) ?? []
  );
  const keys = [
    ...new Set([...first.map((p) => p.poolIndex), ...toPrice].map((i) => loaded.pool[i].key)),
  ];
  const needMatch = first.filter((p) => loaded.pool[p.poolIndex].releaseId === null).length;
  const shortlist = await priceShortlist(db, keys, {
    client: options.client,
    offline: options.offline,
    authenticated: options.authenticated,
    currency: options.currency,
    budget: options.priceBudget ?? keys.length + needMatch,
  });
  if (shortlist.priced + shortlist.matched + shortlist.ownedRemoved > 0) {
    loaded = await reload();
  }
  const asked = new Set(keys);
  // Online, a record nothing is known of (a catalogue candidate) is served only once priced:
  // real prices reorder the lists, and such a record may rise into them after the shortlist.
  const online = !options.offline && options.client !== undefined;
  const withUnpriced = (l: LoadedContext) => {
    const out = excluded(l);
    if (online) {
      l.pool.forEach((c, i) => {
        if (hasNoMarketData(c) && !asked.has(c.key)) out.add(i);
      });
    }
    return out;
  };
  let exclude = withUnpriced(loaded);
  const rank = () =>
    recommendAll(loaded.ctx, {
      top: options.top,
      priceWeight: options.priceWeight,
      budget: options.budget,
      keepSuspectPrices: options.keepSuspectPrices,
      exclude,
    }, recommenders);
  let picks = rank();
  // Real prices reorder the lists: price what is now about to be served too, a few rounds at
  // most, within what is left of the budget.
  for (let round = 0; round < EXTRA_PRICING_ROUNDS; round++) {
    const fresh = [...new Set(picks.map((p) => loaded.pool[p.poolIndex].key))]
      .filter((k) => !asked.has(k));
    const left = options.priceBudget === undefined
      ? fresh.length
      : options.priceBudget - shortlist.requests;
    if (fresh.length === 0 || left <= 0 || (options.offline && round > 0)) break;
    fresh.forEach((k) => asked.add(k));
    const more = await priceShortlist(db, fresh, {
      client: options.client,
      offline: options.offline,
      authenticated: options.authenticated,
      currency: options.currency,
      budget: left,
    });
    addReports(shortlist, more);
    if (more.priced + more.matched + more.ownedRemoved === 0) break;
    loaded = await reload();
    exclude = withUnpriced(loaded);
    picks = rank();
  }
  const warnings: string[] = [];
  // Shortlisted records that search could not give a release id (or had no token to try).
  const heldBack = shortlist.withoutId;
  if (!options.serveWithoutId && heldBack > 0) {
    warnings.push(
      `${heldBack} of the best candidates have no Discogs release id (pool-file rows` +
        (options.authenticated
          ? " that search could not match"
          : "; matching them by search needs DISCOGS_TOKEN") +
        ") and are not served (no Discogs id: the `pool` rows without a release_id); " +
        "--serve-without-id serves them anyway",
    );
  }
  if (shortlist.overBudget > 0) {
    warnings.push(
      `${shortlist.overBudget} shortlisted records were not priced (the price budget ran out): ` +
        "rerun with a larger --price-budget",
    );
  }
  if (picks.length === 0) {
    warnings.push(
      loaded.pool.length === 0
        ? "no recommendations: the pool is empty (see the pool stage's warning for the fix)"
        : excluded(loaded).size === loaded.pool.length
        ? "no recommendations: no candidate has a Discogs release id; set DISCOGS_TOKEN so " +
          "they can be matched, or rerun with --serve-without-id"
        : "no recommendations: no candidate fits your taste within the flags given " +
          "(try without --budget, or a larger --pool-budget)",
    );
  }
  return { loaded, picks, shortlist, withoutId: excluded(loaded).size, warnings };
}

/** What shortlist pricing did, as the recommend stage prints it ("" when it had nothing to do). */
export function shortlistText(s: ShortlistReport): string {
  if (s.requests + s.fromCache + s.matched === 0) return "";
  return `shortlist: ${s.priced} of ${s.shortlisted} priced (${s.noneForSale} with none for sale), ` +
    `${s.matched} matched to a Discogs release, from ${s.requests} requests and ${s.fromCache} cached answers`;
}
