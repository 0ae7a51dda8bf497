/**
 * The money tables in the workspace: read `price_history` and the collection, and write
 * `value_history`, `price_moves`, `forecasts` and `forecast_backtest` (each replaced whole, in
 * one transaction, so a reader never sees half a table).
 *
 * @module
 */

import type { AppendColumns, Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import { formatPrice } from "../score/why.ts";
import { type MethodName, type SeriesForecast } from "./forecast.ts";
import {
  type MoveOptions,
  type PriceMoveRow,
  priceMoves,
  type Snapshot,
  valueHistory,
  type ValueHistoryRow,
} from "./history.ts";
import { forecastCollection, forecastReleases } from "./trends.ts";

/** Every snapshot, in time order. */
const HISTORY_SQL = `SELECT release_id, fetched_at, currency, lowest_price, num_for_sale, have, want
  FROM price_history ORDER BY fetched_at, release_id`;

/** Copies owned per release. */
const COPIES_SQL =
  "SELECT release_id, count(*)::INTEGER AS copies FROM collection GROUP BY release_id";

/** Artist and title per release, for the movers' lines. */
const NAMES_SQL = `SELECT release_id, any_value(coalesce(artist_display, artist)) AS artist,
  any_value(title) AS title FROM collection GROUP BY release_id`;

/** What the trends are computed from. */
export interface TrendInputs {
  snapshots: Snapshot[];
  copies: Map<number, number>;
  names: Map<number, { artist: string; title: string }>;
}

/** Read `price_history` and the collection (an {@link InputError} says what to run first). */
export async function loadTrendInputs(db: Database): Promise<TrendInputs> {
  for (const [table, task] of [["price_history", "enrich"], ["collection", "ingest"]]) {
    if (!(await db.tableExists(table))) {
      throw new InputError(
        `the workspace ${db.path} has no \`${table}\` table yet: run \`deno task ${task}\` ` +
          "(or `deno task pipeline`) first",
      );
    }
  }
  const snapshots = await db.all<Snapshot>(HISTORY_SQL);
  const copies = new Map(
    (await db.all<{ release_id: number; copies: number }>(COPIES_SQL)).map((
      r,
    ) => [r.release_id, r.copies]),
  );
  const names = new Map(
    (await db.all<{ release_id: number; artist: string | null; title: string | null }>(NAMES_SQL))
      .map((r) => [r.release_id, { artist: r.artist ?? "", title: r.title ?? "" }]),
  );
  return { snapshots, copies, names };
}

const VALUE_COLUMNS = {
  currency: "VARCHAR",
  snapshot: "INTEGER",
  as_of: "TIMESTAMP",
  snapshot_date: "VARCHAR",
  total_value: "DOUBLE",
  median_price: "DOUBLE",
  releases_priced: "INTEGER",
  copies_priced: "INTEGER",
  releases_unpriced: "INTEGER",
  releases_fetched: "INTEGER",
  releases_carried: "INTEGER",
} as const satisfies AppendColumns;

const MOVE_COLUMNS = {
  currency: "VARCHAR",
  release_id: "BIGINT",
  artist: "VARCHAR",
  title: "VARCHAR",
  kind: "VARCHAR",
  since: "TIMESTAMP",
  until: "TIMESTAMP",
  price_then: "DOUBLE",
  price_now: "DOUBLE",
  change: "DOUBLE",
  change_pct: "DOUBLE",
  copies: "INTEGER",
  value_change: "DOUBLE",
  for_sale_then: "INTEGER",
  for_sale_now: "INTEGER",
  want_then: "INTEGER",
  want_now: "INTEGER",
  reason: "VARCHAR",
} as const satisfies AppendColumns;

const FORECAST_COLUMNS = {
  scope: "VARCHAR",
  release_id: "BIGINT",
  artist: "VARCHAR",
  title: "VARCHAR",
  currency: "VARCHAR",
  snapshots: "INTEGER",
  span_days: "DOUBLE",
  last_price: "DOUBLE",
  horizon_days: "INTEGER",
  shown: "BOOLEAN",
  method: "VARCHAR",
  forecast: "DOUBLE",
  lower: "DOUBLE",
  upper: "DOUBLE",
  change_pct: "DOUBLE",
  backtest_origins: "INTEGER",
  mae: "DOUBLE",
  naive_mae: "DOUBLE",
  message: "VARCHAR",
} as const satisfies AppendColumns;

const BACKTEST_COLUMNS = {
  scope: "VARCHAR",
  release_id: "BIGINT",
  currency: "VARCHAR",
  method: "VARCHAR",
  origins: "INTEGER",
  forecasts: "INTEGER",
  mae: "DOUBLE",
  mape: "DOUBLE",
  coverage: "DOUBLE",
  wins_vs_naive: "INTEGER",
  beats_naive: "BOOLEAN",
} as const satisfies AppendColumns;

function createSql(table: string, columns: AppendColumns): string {
  return `CREATE OR REPLACE TABLE ${table} (${
    Object.entries(columns).map(([n, t]) => `${n} ${t}`).join(", ")
  })`;
}

/** A forecast row of one series (a release, or the collection's value). */
export interface ForecastRow {
  scope: "release" | "collection";
  releaseId: number | null;
  currency: string;
  result: SeriesForecast;
}

/** What {@link writeTrends} wrote. */
export interface TrendsSummary {
  valueHistory: ValueHistoryRow[];
  moves: PriceMoveRow[];
  forecasts: ForecastRow[];
  rows: Record<string, number>;
}

const nan = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * Compute value over time, moves and forecasts from the workspace and replace the four tables.
 */
export async function writeTrends(
  db: Database,
  options: MoveOptions & { horizonDays: number },
): Promise<TrendsSummary> {
  const { snapshots, copies, names } = await loadTrendInputs(db);
  const history = valueHistory(snapshots, copies);
  const moves = priceMoves(snapshots, copies, options);
  const forecasts = [
    ...forecastCollection(history, options.horizonDays),
    ...forecastReleases(snapshots, copies, options.horizonDays),
  ];
  const name = (id: number | null) => (id === null ? undefined : names.get(id));
  await db.transaction(async () => {
    await db.run(createSql("value_history", VALUE_COLUMNS));
    await db.append("value_history", VALUE_COLUMNS, history);
    await db.run(createSql("price_moves", MOVE_COLUMNS));
    await db.append(
      "price_moves",
      MOVE_COLUMNS,
      moves.map((m) => ({
        ...m,
        artist: names.get(m.release_id)?.artist ?? null,
        title: names.get(m.release_id)?.title ?? null,
      })),
    );
    await db.run(createSql("forecasts", FORECAST_COLUMNS));
    await db.append(
      "forecasts",
      FORECAST_COLUMNS,
      forecasts.map(({ scope, releaseId, currency, result }) => ({
        scope,
        release_id: releaseId,
        artist: name(releaseId)?.artist ?? null,
        title: name(releaseId)?.title ?? null,
        currency,
        snapshots: result.snapshots,
        span_days: result.spanDays,
        last_price: result.lastPrice,
        horizon_days: result.horizonDays,
        shown: result.shown,
        method: "theil_sen",
        // A withheld forecast keeps no numbers in the table: nobody should read them as one.
        forecast: result.shown ? result.forecast!.forecast : null,
        lower: result.shown ? result.forecast!.lower : null,
        upper: result.shown ? result.forecast!.upper : null,
        change_pct: result.shown && result.lastPrice
          ? result.forecast!.forecast / result.lastPrice - 1
          : null,
        backtest_origins: result.backtest?.origins ?? null,
        mae: result.backtest ? nan(result.backtest.methods.theil_sen.mae) : null,
        naive_mae: result.backtest ? nan(result.backtest.methods.naive.mae) : null,
        message: result.message,
      })),
    );
    await db.run(createSql("forecast_backtest", BACKTEST_COLUMNS));
    await db.append(
      "forecast_backtest",
      BACKTEST_COLUMNS,
      forecasts.flatMap(({ scope, releaseId, currency, result }) => {
        const bt = result.backtest;
        if (!bt) return [];
        return (["theil_sen", "naive", "drift"] as MethodName[]).map((method) => ({
          scope,
          release_id: releaseId,
          currency,
          method,
          origins: bt.origins,
          forecasts: bt.methods[method].forecasts,
          mae: nan(bt.methods[method].mae),
          mape: nan(bt.methods[method].mape),
          coverage: nan(bt.methods[method].coverage),
          wins_vs_naive: method === "theil_sen" ? bt.winsVsNaive : null,
          beats_naive: method === "theil_sen" ? bt.beatsNaive : null,
        }));
      }),
    );
  });
  const rows: Record<string, number> = {};
  for (const t of ["value_history", "price_moves", "forecasts", "forecast_backtest"]) {
    rows[t] = await db.count(t);
  }
  return { valueHistory: history, moves, forecasts, rows };
}

/** The lines `deno task trends` prints: value per pass, the biggest movers, the forecasts. */
export function trendsText(
  summary: TrendsSummary,
  names: ReadonlyMap<number, { artist: string; title: string }>,
  top = 10,
): string {
  const lines: string[] = [];
  if (summary.valueHistory.length === 0) {
    lines.push("No priced snapshot of the collection yet: run `deno task enrich` first.");
  }
  for (const currency of [...new Set(summary.valueHistory.map((v) => v.currency))]) {
    lines.push(`Collection value over time (${currency}, copies counted)`);
    for (const v of summary.valueHistory.filter((r) => r.currency === currency)) {
      lines.push(
        `   ${v.as_of.toISOString().slice(0, 16).replace("T", " ")}  ` +
          `${formatPrice(v.total_value, currency).padStart(11)}  median ` +
          `${formatPrice(v.median_price ?? 0, currency)}  ${v.releases_priced} priced, ` +
          `${v.releases_unpriced} without a price`,
      );
    }
    const collection = summary.forecasts.find((f) =>
      f.scope === "collection" && f.currency === currency
    );
    if (collection) lines.push(`   forecast: ${collection.result.message}`);
  }
  const moves = summary.moves.slice(0, top);
  if (moves.length > 0) {
    lines.push(`Movers (${summary.moves.length}; the ${moves.length} largest)`);
    for (const m of moves) {
      const n = names.get(m.release_id);
      const price = m.price_then !== null && m.price_now !== null
        ? `${formatPrice(m.price_then, m.currency)} → ${formatPrice(m.price_now, m.currency)} (${
          m.change_pct! >= 0 ? "+" : "−"
        }${Math.abs(Math.round(m.change_pct! * 100))}%)`
        : m.kind;
      lines.push(`   ${n ? `${n.artist} — ${n.title}` : `release ${m.release_id}`}: ${price}`);
      lines.push(`      ${m.reason}`);
    }
  } else if (summary.valueHistory.length > 0) {
    lines.push("No movers yet: prices need a second enrichment pass to move.");
  }
  const shown = summary.forecasts.filter((f) => f.scope === "release" && f.result.shown);
  const releases = summary.forecasts.filter((f) => f.scope === "release");
  lines.push(
    `Forecasts: ${shown.length} of ${releases.length} releases with a forecast that beats ` +
      `"the price stays where it is" in its backtest`,
  );
  for (const f of shown.slice(0, 5)) {
    const n = names.get(f.releaseId!);
    lines.push(
      `   ${n ? `${n.artist} — ${n.title}` : `release ${f.releaseId}`}: ${f.result.message}`,
    );
  }
  return lines.join("\n");
}
