/**
 * Complete the Set: for the artists and labels you collect (and any you name), what is missing
 * from their discographies and catalogues, how complete each set is, and the cheapest known way
 * to finish it. Tables `set_completion` and `set_missing`.
 *
 * The sets come from the catalogue (the Discogs data dump, `data/catalog`) when there is one,
 * else from the API listings (lib/complete/api.ts), within a page budget planned and printed
 * before the first request; the missing records are priced from their release bodies within
 * `--price-budget` (lib/complete/price.ts). Counting rules: lib/complete/fold.ts.
 *
 * @example
 * ```ts
 * const result = await completeSets(db, { ...DEFAULT_COMPLETE_OPTIONS, offline: true });
 * await writeSetTables(db, result);
 * ```
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import type { DiscogsClient } from "../discogs/client.ts";
import { DEFAULT_CURRENCY } from "../discogs/cache.ts";
import { gatherListings, gatherPressings, MAX_LISTING_PAGES } from "./api.ts";
import {
  catalogCredits,
  catalogReleaseFacts,
  endOwnedRows,
  gatherFromCatalog,
  lookUpInCatalog,
  scopeOwnedRows,
} from "./catalog.ts";
import { entriesOf, type FoldOptions, holdingsOf, type SetEntry } from "./fold.ts";
import { ANY_FORMAT, chooseFormat } from "./format.ts";
import { AUTO_PRICE_BUDGET_MAX, type EntryPrice, priceMissing } from "./price.ts";
import {
  chooseSets,
  DEFAULT_MIN_OWNED,
  ownedCopies,
  type OwnedCredit,
  ownedCredits,
  wantedReleases,
} from "./sets.ts";
import { emptyRequests, type Gathered, type RequestReport, setKey } from "./types.ts";
import { missingWhy, setWhy } from "./why.ts";

export { DEFAULT_MIN_OWNED } from "./sets.ts";
export type { SetKind, SetSpec } from "./types.ts";

const SCHEMA_SQL = await Deno.readTextFile(new URL("./schema.sql", import.meta.url));

/** Listing pages per set in the automatic budget (page 1, a second page or the pressings). */
export const AUTO_PAGES_PER_SET = 4;
/** The automatic listing budget never goes above this (5 minutes at Discogs' 60/min). */
export const AUTO_LISTING_BUDGET_MAX = 300;

/** Options for {@link completeSets}. */
export interface CompleteOptions {
  minOwned: number;
  artists: string[];
  labels: string[];
  masters: string[];
  pressings: boolean;
  withSublabels: boolean;
  /** `--format`; undefined lets the collection decide. */
  format?: string;
  appearances: boolean;
  compilations: boolean;
  unofficial: boolean;
  /** Listing pages (cached ones included); undefined for the automatic budget. */
  listingBudget?: number;
  /** Release bodies to price missing records with; undefined for the automatic budget. */
  priceBudget?: number;
  currency: string;
  offline: boolean;
  client?: DiscogsClient;
  /** A catalogue directory (lib/catalog/schema.ts layout); sets are read from it when given. */
  catalogDir?: string;
  /** Progress lines (the plan is printed before the first request). */
  info(line: string): void;
}

/** Defaults of {@link CompleteOptions} (no sets named, automatic budgets, online). */
export const DEFAULT_COMPLETE_OPTIONS: CompleteOptions = {
  minOwned: DEFAULT_MIN_OWNED,
  artists: [],
  labels: [],
  masters: [],
  pressings: false,
  withSublabels: false,
  appearances: false,
  compilations: false,
  unofficial: false,
  currency: DEFAULT_CURRENCY,
  offline: false,
  info: () => {},
};

/** One row of `set_completion`. */
export interface SetRow {
  set_kind: string;
  set_id: number;
  set_name: string;
  owned: number;
  total: number;
  pct: number;
  missing: number;
  in_wantlist: number;
  priced: number;
  cost_to_complete: number;
  currency: string;
  no_copy_for_sale: number;
  unpriced: number;
  format: string;
  counted_by: "album" | "pressing";
  rank: number;
  partial: boolean;
  discogs_url: string;
  why: string;
}

/** One row of `set_missing`. */
export interface MissingRow {
  set_kind: string;
  set_id: number;
  release_id: number | null;
  master_id: number | null;
  title: string;
  year: number | null;
  format: string | null;
  cheapest_release_id: number | null;
  lowest_price: number | null;
  currency: string;
  num_for_sale: number | null;
  in_wantlist: boolean;
  set_name: string;
  artist: string | null;
  label: string | null;
  catno: string | null;
  pressings_priced: number;
  format_checked: boolean;
  discogs_url: string;
  why: string;
}

/** What a run found, and what it cost. */
export interface CompleteResult {
  sets: SetRow[];
  missing: MissingRow[];
  format: string;
  formatWhy: string;
  source: "api" | "catalog";
  listing: RequestReport & { budget: number; auto: boolean };
  prices: RequestReport & { budget: number; auto: boolean };
  /** Sets asked for or found that Discogs does not know, or whose listing was not read. */
  notFound: string[];
  unread: string[];
  warnings: string[];
  /** Summary lines, in the order printed. */
  lines: string[];
}

/** The automatic listing budget for `sets` sets. */
export function autoListingBudget(sets: number): number {
  return Math.min(AUTO_LISTING_BUDGET_MAX, AUTO_PAGES_PER_SET * sets);
}

const urlOf = (kind: string, id: number) => `https://www.discogs.com/${kind}/${id}`;

/** Work out every set: gather, count, price, explain. */
export async function completeSets(
  db: Database,
  options: CompleteOptions,
): Promise<CompleteResult> {
  const currency = options.currency;
  let owned = await ownedCopies(db);
  // With a catalogue, who you own and what their records are is read from it too (an export
  // need not be enriched first): from the release index's cards of your records when it has one.
  const dir = options.catalogDir;
  const ownedRows = dir
    ? await scopeOwnedRows(db, dir, owned.map((c) => c.releaseId), options.info)
    : "parquet";
  let credits: Awaited<ReturnType<typeof ownedCredits>>;
  try {
    credits = dir
      ? mergeCredits(await ownedCredits(db, currency), await catalogCredits(db, dir, ownedRows))
      : await ownedCredits(db, currency);
    if (dir) {
      const facts = await catalogReleaseFacts(db, dir, owned.map((c) => c.releaseId), ownedRows);
      owned = owned.map((c) => ({
        releaseId: c.releaseId,
        masterId: c.masterId ?? facts.get(c.releaseId)?.masterId ?? null,
        format: c.format ?? facts.get(c.releaseId)?.format ?? null,
      }));
    }
  } finally {
    if (dir) await endOwnedRows(db, dir, ownedRows);
  }
  const sets = await chooseSets(credits, {
    minOwned: options.minOwned,
    artists: options.artists,
    labels: options.labels,
    masters: options.masters,
    lookUp: options.catalogDir
      ? (kind, name) => lookUpInCatalog(db, options.catalogDir!, kind, name)
      : undefined,
  });
  const holdings = holdingsOf(owned, await wantedReleases(db));
  const chosen = chooseFormat(options.format, owned.map((c) => c.format));
  const format = chosen.format;
  const fold: FoldOptions = {
    format,
    pressings: options.pressings,
    appearances: options.appearances,
    compilations: options.compilations,
    unofficial: options.unofficial,
  };
  const lines: string[] = [];
  const warnings: string[] = [];
  const listing = {
    ...emptyRequests(),
    budget: options.listingBudget ?? autoListingBudget(sets.length),
    auto: options.listingBudget === undefined,
  };
  const counts = { artist: 0, label: 0, master: 0 };
  for (const s of sets) counts[s.kind]++;
  const setsText = [
    counts.artist ? `${counts.artist} artist${counts.artist === 1 ? "" : "s"}` : null,
    counts.label ? `${counts.label} label${counts.label === 1 ? "" : "s"}` : null,
    counts.master ? `${counts.master} album${counts.master === 1 ? "" : "s"}` : null,
  ].filter((x) => x !== null).join(", ");
  options.info(chosen.why);
  let gathered: Gathered;
  let source: "api" | "catalog";
  const onFailure = (path: string, message: string) =>
    warnings.push(`${path}: ${message} (asked again next run)`);
  if (options.catalogDir) {
    source = "catalog";
    options.info(
      `${sets.length} sets (${setsText || "none"}) from the catalogue in ` +
        `${options.catalogDir}: no listing request`,
    );
    gathered = await gatherFromCatalog(db, options.catalogDir, sets, {
      withSublabels: options.withSublabels,
    });
  } else {
    source = "api";
    const perMinute = options.client?.allowedPerMinute() ?? 60;
    const priceCap = options.priceBudget ?? AUTO_PRICE_BUDGET_MAX;
    const minutes = (listing.budget + priceCap) / perMinute;
    options.info(
      `set plan: up to ${listing.budget} API pages${listing.auto ? " (auto)" : ""} for ` +
        `${sets.length} sets (${setsText || "none"}), 100 releases a page: their listings ` +
        `first, then the pressings of the albums you miss; then up to ${priceCap} release ` +
        `bodies to price the missing records` +
        (options.priceBudget === undefined ? " (auto: one per missing record)" : "") + "; " +
        (options.offline
          ? "--offline: cached pages only, no request"
          : `at most ${minutes < 1 ? "under a minute" : `≈ ${Math.ceil(minutes)} min`} at ` +
            `${Math.round(perMinute)}/min; cached ones cost no request (pages kept 30 days, ` +
            `prices 7)`),
    );
    const api = {
      db,
      client: options.offline ? undefined : options.client,
      offline: options.offline,
      budget: listing.budget,
      report: listing,
      format,
      withSublabels: options.withSublabels,
      onFailure,
    };
    gathered = await gatherListings(sets, api);
    // The albums to read pressings of: those you miss (to check the format and to price the
    // cheapest pressing), nearest-to-complete sets first; with --pressings, every album.
    const provisional = sets.map((s) => {
      const entries = entriesOf(
        s.kind,
        gathered.items.get(setKey(s)) ?? [],
        gathered.pressings,
        holdings,
        { ...fold, pressings: false },
      );
      const have = entries.filter((e) => e.owned).length;
      return { s, entries, pct: entries.length ? have / entries.length : 0 };
    }).sort((a, b) => b.pct - a.pct);
    const masters: number[] = [];
    for (const { s, entries } of provisional) {
      if (s.kind === "master") continue;
      for (const e of entries) {
        if (e.masterId === null || !e.key.startsWith("master:")) continue;
        if (!options.pressings && e.owned) continue;
        if (!masters.includes(e.masterId)) masters.push(e.masterId);
      }
    }
    await gatherPressings(masters, gathered, {
      ...api,
      maxPages: options.pressings ? MAX_LISTING_PAGES : 1,
    });
  }
  // Count.
  const byPressing = options.pressings;
  const counted = sets.map((s) => {
    const key = setKey(s);
    const entries = entriesOf(
      s.kind,
      gathered.items.get(key) ?? [],
      gathered.pressings,
      holdings,
      fold,
    );
    const name = s.name ?? gathered.names.get(key) ??
      (s.kind === "master" ? entries[0]?.title : undefined) ?? `${s.kind} ${s.id}`;
    return { s, key, name, entries };
  });
  const notFound = counted.filter((c) => gathered.notFound.has(c.key));
  const unread = counted.filter((c) => gathered.unread.has(c.key));
  // From the catalogue, a set it lacks says nothing of Discogs: the dump it was built from (a
  // sample, an old month) does not hold it. One line for all of them, not one each.
  const missingFromCatalogue = source === "catalog" ? notFound.filter((c) => !c.s.asked) : [];
  for (const c of notFound) {
    if (missingFromCatalogue.includes(c)) continue;
    warnings.push(
      `${c.s.kind} ${c.s.id}${c.s.name ? ` (${c.s.name})` : ""}: ` +
        (source === "catalog"
          ? `the catalogue in ${options.catalogDir} has no such ${c.s.kind}`
          : `Discogs has no such ${c.s.kind}`) +
        (c.s.asked ? ` (check the --${c.s.kind} id)` : ""),
    );
  }
  if (missingFromCatalogue.length > 0) {
    const names = missingFromCatalogue.map((c) => c.s.name ?? `${c.s.kind} ${c.s.id}`);
    warnings.push(
      `${missingFromCatalogue.length} of your ${sets.length} sets are not in the catalogue in ` +
        `${options.catalogDir} (the dump it was built from does not hold them): ` +
        `${names.slice(0, 5).join(", ")}${names.length > 5 ? `, … ${names.length - 5} more` : ""}` +
        "; build it from the whole monthly dump (`deno task catalog`) to complete them",
    );
  }
  if (unread.length > 0 && options.offline && unread.length === sets.length) {
    // Offline with nothing cached (the bundled sample): nothing to warn about, one hint.
    lines.push(
      `no set listing cached yet: run \`deno task complete\` online once to work out ` +
        `${sets.length} sets`,
    );
  } else if (unread.length > 0) {
    warnings.push(
      `${unread.length} set${unread.length === 1 ? "" : "s"} not read: ` +
        (options.offline
          ? "not in the cache (run once online)"
          : `the listing budget of ${listing.budget} pages was spent (--listing-budget N reads more)`) +
        `: ${unread.slice(0, 5).map((c) => c.name).join(", ")}${unread.length > 5 ? ", …" : ""}`,
    );
  }
  const usable = counted.filter((c) =>
    !gathered.notFound.has(c.key) && !gathered.unread.has(c.key) && c.entries.length > 0
  );
  // Price the missing entries, nearest-to-complete sets first.
  const pctOf = (entries: SetEntry[]) =>
    entries.length ? entries.filter((e) => e.owned).length / entries.length : 0;
  const order = [...usable].sort((a, b) =>
    pctOf(b.entries) - pctOf(a.entries) ||
    a.entries.filter((e) => !e.owned).length - b.entries.filter((e) => !e.owned).length ||
    a.name.localeCompare(b.name)
  );
  const toPrice = order.flatMap((c) =>
    c.entries.filter((e) => !e.owned).map((e) => ({
      key: `${c.key}|${e.key}`,
      candidates: e.candidates,
    }))
  );
  const distinctMissing = new Set(toPrice.map((t) => t.candidates[0]?.releaseId ?? t.key)).size;
  const prices = {
    ...emptyRequests(),
    budget: options.priceBudget ?? Math.min(AUTO_PRICE_BUDGET_MAX, distinctMissing),
    auto: options.priceBudget === undefined,
  };
  const priced = await priceMissing(toPrice, {
    db,
    client: options.offline ? undefined : options.client,
    offline: options.offline,
    budget: prices.budget,
    currency,
    format,
    report: prices,
    onFailure,
  });
  // Rows.
  const setRows: SetRow[] = [];
  const missingRows: MissingRow[] = [];
  for (const c of order) {
    const missing = c.entries.filter((e) => !e.owned);
    const priceOf = (e: SetEntry): EntryPrice | undefined => priced.get(`${c.key}|${e.key}`);
    const pricedEntries = missing.filter((e) => priceOf(e)?.lowestPrice != null);
    const noCopy = missing.filter((e) => {
      const p = priceOf(e);
      return p !== undefined && p.pressingsPriced > 0 && p.lowestPrice === null;
    });
    const unpriced = missing.length - pricedEntries.length - noCopy.length;
    const cost = round2(pricedEntries.reduce((sum, e) => sum + priceOf(e)!.lowestPrice!, 0));
    const ownedCount = c.entries.length - missing.length;
    const facts = {
      kind: c.s.kind,
      name: c.name,
      format,
      entries: c.entries,
      owned: ownedCount,
      total: c.entries.length,
      missing: missing.length,
      inWantlist: missing.filter((e) => e.inWantlist).length,
      priced: pricedEntries.length,
      cost,
      noCopyForSale: noCopy.length,
      unpriced,
      currency,
      unchecked: c.entries.filter((e) => !e.formatChecked).length,
      partial: gathered.partial.has(c.key),
      byPressing: byPressing || c.s.kind === "master",
    };
    setRows.push({
      set_kind: c.s.kind,
      set_id: c.s.id,
      set_name: c.name,
      owned: ownedCount,
      total: c.entries.length,
      pct: Math.round((ownedCount / c.entries.length) * 1000) / 10,
      missing: missing.length,
      in_wantlist: facts.inWantlist,
      priced: facts.priced,
      cost_to_complete: cost,
      currency,
      no_copy_for_sale: noCopy.length,
      unpriced,
      format,
      counted_by: facts.byPressing ? "pressing" : "album",
      rank: 0,
      partial: facts.partial,
      discogs_url: urlOf(c.s.kind, c.s.id),
      why: setWhy(facts),
    });
    for (const e of missing) {
      const p = priceOf(e);
      const cheapest = p?.cheapestReleaseId ?? null;
      missingRows.push({
        set_kind: c.s.kind,
        set_id: c.s.id,
        release_id: e.key.startsWith("master:") ? null : e.releaseId,
        master_id: e.masterId,
        title: e.title,
        year: e.year,
        format: e.format,
        cheapest_release_id: cheapest,
        lowest_price: p?.lowestPrice ?? null,
        currency,
        num_for_sale: p ? p.numForSale : null,
        in_wantlist: e.inWantlist,
        set_name: c.name,
        artist: e.artist,
        label: e.label,
        catno: e.catno,
        pressings_priced: p?.pressingsPriced ?? 0,
        format_checked: e.formatChecked,
        discogs_url: cheapest !== null
          ? urlOf("release", cheapest)
          : e.key.startsWith("master:")
          ? urlOf("master", e.masterId!)
          : urlOf("release", e.releaseId!),
        why: missingWhy(e, p, currency),
      });
    }
  }
  // Nearest to complete first: incomplete sets by % complete, fewest missing, cheapest; then the
  // complete ones.
  setRows.sort((a, b) =>
    Number(a.missing === 0) - Number(b.missing === 0) || b.pct - a.pct ||
    a.missing - b.missing || a.cost_to_complete - b.cost_to_complete ||
    a.set_name.localeCompare(b.set_name) || a.set_id - b.set_id
  );
  setRows.forEach((r, i) => r.rank = i + 1);
  const rankOf = new Map(setRows.map((r) => [`${r.set_kind}:${r.set_id}`, r.rank]));
  missingRows.sort((a, b) =>
    rankOf.get(`${a.set_kind}:${a.set_id}`)! - rankOf.get(`${b.set_kind}:${b.set_id}`)! ||
    (a.year ?? 9999) - (b.year ?? 9999) || a.title.localeCompare(b.title)
  );
  // Summary lines.
  if (source === "api") {
    lines.push(
      `listings: ${
        usable.length + counted.filter((c) =>
          c.entries.length === 0 &&
          !gathered.notFound.has(c.key) && !gathered.unread.has(c.key)
        ).length
      } of ${sets.length} ` +
        `sets read, ${listing.planned} pages and bodies from ${listing.requests} requests and ` +
        `${listing.fromCache} cached` +
        (notFound.length ? `; ${notFound.length} not found on Discogs` : "") +
        (unread.length ? `; ${unread.length} not read (budget)` : "") +
        (listing.failed ? `; ${listing.failed} failed` : ""),
    );
  }
  const missingCount = missingRows.length;
  const pricedCount = missingRows.filter((m) => m.lowest_price !== null).length;
  const noneCount = missingRows.filter((m) => m.pressings_priced > 0 && m.lowest_price === null)
    .length;
  const unpricedCount = missingCount - pricedCount - noneCount;
  lines.push(
    `prices: ${pricedCount + noneCount} of ${missingCount} missing records priced ` +
      `(${noneCount} with no copy for sale), ${prices.planned} release bodies from ` +
      `${prices.requests} requests and ${prices.fromCache} cached` +
      (unpricedCount === 0
        ? ""
        : options.offline && prices.requests === 0
        ? `; ${unpricedCount} not priced (--offline: only cached prices; run without it to price them)`
        : `; ${unpricedCount} not priced (--price-budget ${prices.budget} spent; a larger one prices more)`),
  );
  const complete = setRows.filter((r) => r.missing === 0).length;
  lines.push(
    `${setRows.length} set${setRows.length === 1 ? "" : "s"} by ${
      byPressing ? "pressing" : "album"
    }` +
      `${format === ANY_FORMAT ? ", every format" : `, ${format} only`}: ${complete} complete, ` +
      `${setRows.length - complete} to finish`,
  );
  const empty = counted.filter((c) =>
    c.entries.length === 0 && !gathered.notFound.has(c.key) && !gathered.unread.has(c.key)
  );
  if (empty.length > 0) {
    lines.push(
      `${empty.length} set${empty.length === 1 ? " has" : "s have"} nothing ` +
        `${format === ANY_FORMAT ? "listed" : `on ${format}`} and ${
          empty.length === 1 ? "is" : "are"
        } left out: ${empty.slice(0, 5).map((c) => c.name).join(", ")}` +
        `${empty.length > 5 ? ", …" : ""}`,
    );
  }
  return {
    sets: setRows,
    missing: missingRows,
    format,
    formatWhy: chosen.why,
    source,
    listing,
    prices,
    notFound: notFound.map((c) => c.key),
    unread: unread.map((c) => c.key),
    warnings,
    lines,
  };
}

/** The nearest-to-complete sets as text: rank, name and reason, `top` of them. */
export function nearestText(result: CompleteResult, top = 5): string {
  const open = result.sets.filter((s) => s.missing > 0).slice(0, top);
  if (open.length === 0) return "Complete the set: no set to finish";
  return ["Complete the set (nearest first)"].concat(
    open.map((s, i) => `  ${String(i + 1).padStart(2)}. ${s.why}`),
  ).join("\n");
}

/** Replace `set_completion` and `set_missing` with the result, atomically. */
export async function writeSetTables(
  db: Database,
  result: CompleteResult,
): Promise<Record<string, number>> {
  await db.run(SCHEMA_SQL);
  await db.insertRows("set_completion_staging", result.sets);
  await db.insertRows("set_missing_staging", result.missing);
  return await db.transaction(async () => {
    await db.run("CREATE OR REPLACE TABLE set_completion AS SELECT * FROM set_completion_staging");
    await db.run("CREATE OR REPLACE TABLE set_missing AS SELECT * FROM set_missing_staging");
    return {
      set_completion: await db.count("set_completion"),
      set_missing: await db.count("set_missing"),
    };
  });
}

/** ORDER BY of the CSV exports. */
export const SET_CSV_ORDER = {
  set_completion: "rank",
  set_missing: "set_kind, set_id, year NULLS LAST, title",
} as const;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Credits from two sources, the larger count of each artist or label kept, most owned first. */
function mergeCredits(a: OwnedCredit[], b: OwnedCredit[]): OwnedCredit[] {
  const byKey = new Map<string, OwnedCredit>();
  for (const c of [...a, ...b]) {
    const key = `${c.kind}:${c.id}`;
    const known = byKey.get(key);
    if (!known || c.owned > known.owned) byKey.set(key, c);
  }
  return [...byKey.values()].sort((x, y) =>
    y.owned - x.owned || x.kind.localeCompare(y.kind) || x.id - y.id
  );
}

/** `--listing-budget`: `auto` → undefined, else a whole number ≥ 0 (an InputError naming the flag otherwise). */
export function parseListingBudget(value: string, flag = "listing-budget"): number | undefined {
  if (value.trim() === "auto") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new InputError(`--${flag} "${value}": expected a whole number >= 0 or auto`);
  }
  return n;
}
