/**
 * Value over time from the `price_history` snapshots: which fetches belong to one enrichment
 * pass ({@link snapshotSessions}), what the collection was worth after each pass
 * ({@link valueHistory}: sum and median of lowest prices per currency, copies counted), and what
 * moved between two passes ({@link priceMoves}: absolute and %, above a threshold, with a reason
 * a collector can read). Pure: rows in, rows out.
 *
 * @example
 * ```ts
 * const sessions = snapshotSessions(history);
 * const value = valueHistory(history, copies);          // one row per pass and currency
 * const moves = priceMoves(history, copies, { threshold: 0.05 });
 * ```
 *
 * @module
 */

import { median } from "../stats/mod.ts";
import { formatCount, formatPrice } from "../score/why.ts";

/** One market snapshot of a release (a `price_history` row). */
export interface Snapshot {
  release_id: number;
  fetched_at: Date | string;
  currency: string | null;
  lowest_price: number | null;
  num_for_sale?: number | null;
  have?: number | null;
  want?: number | null;
}

/**
 * A gap with no fetch longer than this ends an enrichment pass: a real pass paces one request a
 * second (at most a minute's wait on a 429), so hours of silence mean a later run.
 */
export const SESSION_GAP_MS = 6 * 60 * 60 * 1000;

/** One enrichment pass of one currency: the snapshots it took and when it ended. */
export interface Session {
  currency: string;
  /** 1-based, in time order, per currency. */
  index: number;
  startedAt: Date;
  /** The last fetch of the pass: values are "as of" this time. */
  asOf: Date;
  /** Release ids fetched in this pass. */
  releases: Set<number>;
}

const time = (s: Snapshot) =>
  s.fetched_at instanceof Date ? s.fetched_at.getTime() : new Date(s.fetched_at).getTime();
const currencyOf = (s: Snapshot) => s.currency ?? "USD";

/**
 * Group snapshots into enrichment passes, per currency. A pass fetches each release at most once
 * (one request per release), so a release fetched again starts the next pass; so does a gap of
 * more than {@link SESSION_GAP_MS}. This is what makes two runs a minute apart two points of the
 * series, and a run resumed after Ctrl-C one.
 */
export function snapshotSessions(snapshots: readonly Snapshot[]): Session[] {
  const byCurrency = new Map<string, { s: Snapshot; t: number }[]>();
  for (const s of snapshots) {
    const list = byCurrency.get(currencyOf(s)) ?? [];
    list.push({ s, t: time(s) });
    byCurrency.set(currencyOf(s), list);
  }
  const sessions: Session[] = [];
  for (const currency of [...byCurrency.keys()].sort()) {
    const list = byCurrency.get(currency)!.sort((a, b) =>
      a.t - b.t || a.s.release_id - b.s.release_id
    );
    let current: Session | undefined;
    let last = -Infinity;
    let index = 0;
    for (const { s, t } of list) {
      if (!current || current.releases.has(s.release_id) || t - last > SESSION_GAP_MS) {
        current = {
          currency,
          index: ++index,
          startedAt: new Date(t),
          asOf: new Date(t),
          releases: new Set(),
        };
        sessions.push(current);
      }
      current.releases.add(s.release_id);
      current.asOf = new Date(t);
      last = t;
    }
  }
  return sessions;
}

/** A release's market state as of some time: its latest snapshot then. */
export interface MarketState {
  lowestPrice: number | null;
  numForSale: number | null;
  want: number | null;
  fetchedAt: Date;
}

/**
 * The latest snapshot of each release at or before `asOf`, in `currency` (a release whose
 * latest snapshot has no price is unpriced then: an older price is not carried past it).
 */
export function stateAsOf(
  snapshots: readonly Snapshot[],
  currency: string,
  asOf: Date,
): Map<number, MarketState> {
  const state = new Map<number, MarketState>();
  const cutoff = asOf.getTime();
  for (const s of snapshots) {
    if (currencyOf(s) !== currency) continue;
    const t = time(s);
    if (t > cutoff) continue;
    const before = state.get(s.release_id);
    if (before && before.fetchedAt.getTime() > t) continue;
    state.set(s.release_id, {
      lowestPrice: finite(s.lowest_price),
      numForSale: finite(s.num_for_sale),
      want: finite(s.want),
      fetchedAt: new Date(t),
    });
  }
  return state;
}

function finite(value: unknown): number | null {
  const n = typeof value === "number"
    ? value
    : value === null || value === undefined
    ? NaN
    : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** One row of `value_history`: the collection's value after one pass, in one currency. */
export interface ValueHistoryRow {
  currency: string;
  snapshot: number;
  as_of: Date;
  /** The pass's date (UTC), for a collector's eye: `2026-12-03`. */
  snapshot_date: string;
  /** Sum of lowest prices, each counted once per copy owned. */
  total_value: number;
  /** Median lowest price of a priced release. */
  median_price: number | null;
  releases_priced: number;
  copies_priced: number;
  /** Collection releases with no price as of then (none for sale, or never fetched yet). */
  releases_unpriced: number;
  /** Collection releases fetched in this pass. */
  releases_fetched: number;
  /** Priced releases whose price comes from an earlier pass (not fetched in this one). */
  releases_carried: number;
}

const roundCents = (x: number) => Math.round(x * 100) / 100;

/**
 * The collection's value after each pass and currency: every release of `copies` (release id →
 * copies owned) at its latest price as of the pass's end. The collection is today's, so the
 * series moves with prices, not with what was bought when.
 */
export function valueHistory(
  snapshots: readonly Snapshot[],
  copies: ReadonlyMap<number, number>,
): ValueHistoryRow[] {
  const owned = snapshots.filter((s) => copies.has(s.release_id));
  const rows: ValueHistoryRow[] = [];
  // One sweep through time per currency: the state after each pass is the one before it plus
  // what the pass fetched.
  const timed = owned.map((s) => ({ s, t: time(s) })).sort((a, b) => a.t - b.t);
  const states = new Map<string, { state: Map<number, MarketState>; next: number }>();
  for (const session of snapshotSessions(owned)) {
    const sweep = states.get(session.currency) ?? { state: new Map(), next: 0 };
    states.set(session.currency, sweep);
    const cutoff = session.asOf.getTime();
    while (sweep.next < timed.length && timed[sweep.next].t <= cutoff) {
      const { s, t } = timed[sweep.next++];
      if (currencyOf(s) !== session.currency) continue;
      sweep.state.set(s.release_id, {
        lowestPrice: finite(s.lowest_price),
        numForSale: finite(s.num_for_sale),
        want: finite(s.want),
        fetchedAt: new Date(t),
      });
    }
    const state = sweep.state;
    const prices: number[] = [];
    let total = 0;
    let copiesPriced = 0;
    let carried = 0;
    for (const [id, s] of state) {
      if (s.lowestPrice === null) continue;
      const n = Math.max(1, copies.get(id) ?? 1);
      prices.push(s.lowestPrice);
      total += s.lowestPrice * n;
      copiesPriced += n;
      if (!session.releases.has(id)) carried++;
    }
    rows.push({
      currency: session.currency,
      snapshot: session.index,
      as_of: session.asOf,
      snapshot_date: session.asOf.toISOString().slice(0, 10),
      total_value: roundCents(total),
      median_price: prices.length ? roundCents(median(prices)) : null,
      releases_priced: prices.length,
      copies_priced: copiesPriced,
      releases_unpriced: copies.size - prices.length,
      releases_fetched: session.releases.size,
      releases_carried: carried,
    });
  }
  return rows;
}

/** How a price moved between two passes. */
export type MoveKind = "up" | "down" | "gone" | "back";

/** One row of `price_moves`. */
export interface PriceMoveRow {
  currency: string;
  release_id: number;
  kind: MoveKind;
  since: Date;
  until: Date;
  price_then: number | null;
  price_now: number | null;
  /** price_now − price_then (null for gone/back). */
  change: number | null;
  /** change / price_then, as a fraction (0.25 = +25%). */
  change_pct: number | null;
  copies: number;
  /** change × copies: what it did to the collection's value. */
  value_change: number | null;
  for_sale_then: number | null;
  for_sale_now: number | null;
  want_then: number | null;
  want_now: number | null;
  reason: string;
}

/** Options for {@link priceMoves}. */
export interface MoveOptions {
  /** Smallest |change| that counts as a move, as a fraction (default 0.05 = 5%). */
  threshold?: number;
  /** Compare the state as of this time (default: the pass before the last). */
  since?: Date;
  /** … with the state as of this time (default: the last pass). */
  until?: Date;
}

/** The default move threshold: 5%. */
export const DEFAULT_THRESHOLD = 0.05;

const pct = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(Math.round(x * 100))}%`;

/** Why a lowest price moved, in a collector's words, from what else changed. */
export function moveReason(
  kind: MoveKind,
  then: MarketState | undefined,
  now: MarketState | undefined,
  currency: string,
): string {
  const sale = (s: MarketState | undefined) => s?.numForSale ?? null;
  const fs = `${sale(then) ?? "?"} → ${sale(now) ?? "?"}`;
  const parts: string[] = [];
  if (kind === "gone") {
    parts.push(
      `no copy for sale any more (was ${formatPrice(then!.lowestPrice!, currency)}` +
        `${sale(then) !== null ? ` with ${formatCount(sale(then)!)} for sale` : ""})`,
    );
  } else if (kind === "back") {
    parts.push(
      `for sale again${sale(now) !== null ? ` (${formatCount(sale(now)!)} copies)` : ""}` +
        (then ? " after none" : ", first price seen"),
    );
  } else {
    const a = sale(then);
    const b = sale(now);
    if (kind === "up") {
      parts.push(
        a !== null && b !== null && b < a
          ? `fewer copies for sale (${fs}): the cheaper ones sold or were withdrawn`
          : `the cheapest copy went and the next costs more (for sale ${fs})`,
      );
    } else {
      parts.push(
        a !== null && b !== null && b > a
          ? `more copies for sale (${fs}): a cheaper copy was listed`
          : `a cheaper copy was listed or a seller cut their price (for sale ${fs})`,
      );
    }
  }
  const w0 = then?.want ?? null;
  const w1 = now?.want ?? null;
  if (w0 !== null && w1 !== null && w0 > 0 && Math.abs(w1 - w0) / w0 >= 0.1) {
    parts.push(`want ${formatCount(w0)} → ${formatCount(w1)} (${pct((w1 - w0) / w0)})`);
  }
  return parts.join("; ");
}

/**
 * What moved between two passes, per currency: every collection release whose lowest price
 * changed by at least `threshold` (up or down), went off sale (gone) or came back (back), largest
 * moves first. Defaults compare the last pass with the one before it.
 */
export function priceMoves(
  snapshots: readonly Snapshot[],
  copies: ReadonlyMap<number, number>,
  options: MoveOptions = {},
): PriceMoveRow[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const owned = snapshots.filter((s) => copies.has(s.release_id));
  const sessions = snapshotSessions(owned);
  const rows: PriceMoveRow[] = [];
  for (const currency of [...new Set(sessions.map((s) => s.currency))]) {
    const mine = sessions.filter((s) => s.currency === currency);
    const until = options.until ?? mine[mine.length - 1].asOf;
    const since = options.since ?? mine.filter((s) => s.asOf < until).at(-1)?.asOf;
    if (!since || since >= until) continue;
    const before = stateAsOf(owned, currency, since);
    const after = stateAsOf(owned, currency, until);
    for (const [id, now] of after) {
      const then = before.get(id);
      const p0 = then?.lowestPrice ?? null;
      const p1 = now.lowestPrice;
      let kind: MoveKind | undefined;
      if (p0 !== null && p1 !== null && p0 > 0) {
        const change = (p1 - p0) / p0;
        if (Math.abs(change) >= threshold - 1e-12 && p1 !== p0) kind = change > 0 ? "up" : "down";
      } else if (p0 !== null && p1 === null) kind = "gone";
      else if (p0 === null && p1 !== null && then) kind = "back";
      if (!kind) continue;
      const n = Math.max(1, copies.get(id) ?? 1);
      const change = p0 !== null && p1 !== null ? roundCents(p1 - p0) : null;
      rows.push({
        currency,
        release_id: id,
        kind,
        since,
        until,
        price_then: p0,
        price_now: p1,
        change,
        change_pct: change !== null && p0 ? (p1! - p0) / p0 : null,
        copies: n,
        value_change: change !== null ? roundCents(change * n) : null,
        for_sale_then: then?.numForSale ?? null,
        for_sale_now: now.numForSale,
        want_then: then?.want ?? null,
        want_now: now.want,
        reason: moveReason(kind, then, now, currency),
      });
    }
  }
  const order: Record<MoveKind, number> = { up: 0, down: 0, gone: 1, back: 2 };
  return rows.sort((a, b) =>
    a.currency.localeCompare(b.currency) || order[a.kind] - order[b.kind] ||
    Math.abs(b.change_pct ?? 0) - Math.abs(a.change_pct ?? 0) || a.release_id - b.release_id
  );
}

/**
 * Parse a move threshold: `5%`, `5` (both 5%) or `0.5%`; between 0 and 1000%. Returns a
 * fraction; throws a plain `Error` message for the flag layer to wrap.
 */
export function parseThreshold(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  const value = m ? Number(m[1]) : NaN;
  if (!Number.isFinite(value) || value < 0 || value > 1000) {
    throw new Error(`expected a percentage such as 5% (0–1000), given ${JSON.stringify(text)}`);
  }
  return value / 100;
}
