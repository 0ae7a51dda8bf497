/**
 * The standard chart set `deno task charts` writes (and the report can embed): which charts,
 * under which file names, from which workspace tables — and, for the ones that cannot be drawn
 * yet, why not.
 *
 * @example
 * ```ts
 * const data = await loadChartData(db);
 * const { charts, skipped } = standardCharts(data);
 * for (const { name, figure } of charts) await writeChart(figure, "data/out/charts", name);
 * // or all of it at once, as `deno task charts` does:
 * await writeStandardCharts(db, "data/out/charts");
 * ```
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { InputError, UserFacingError } from "../errors.ts";
import { join } from "node:path";
import { type ChartOptions, placeholderNote, recordLabel } from "./common.ts";
import { priceDistribution, releasesByYear, topGenres, topStyles } from "./collection.ts";
import { priceHistory, priceMove, valueVsPrice, wantHaveMap } from "./market.ts";
import { rankShift, rankShiftRows } from "./rank_shift.ts";
import { type Figure, writeChart, type WrittenChart } from "./render.ts";
import type { PriceHistoryRow, ScoreRow, TasteMapPoint } from "./rows.ts";
import { tasteMap } from "./taste_map.ts";
import { loadTasteMapPoints } from "./taste_points.ts";
import {
  type MoveChartRow,
  movers,
  type ValueForecastMark,
  type ValueHistoryChartRow,
  valueOverTime,
} from "./money.ts";

/** The `scores` table, one row per release, in a stable order. */
const SCORES_SQL = "SELECT * FROM scores ORDER BY release_id";

/** The `price_history` columns the price history chart reads, snapshots in time order. */
const PRICE_HISTORY_SQL =
  "SELECT release_id, fetched_at, currency, lowest_price, num_for_sale, have, want FROM price_history ORDER BY release_id, fetched_at";

/** Everything the standard charts draw from. */
export interface ChartData {
  scores: ScoreRow[];
  /** The `price_history` table, when it exists. */
  priceHistory?: PriceHistoryRow[];
  /** Taste map points and how they were projected, or why there are none. */
  taste?: { points: TasteMapPoint[]; projection: string } | { skipped: string };
  /** The trends stage's tables, when it has run (`value_history`, `price_moves`, forecasts). */
  money?: {
    valueHistory: ValueHistoryChartRow[];
    moves: MoveChartRow[];
    forecasts: ValueForecastMark[];
  };
}

/** The charts always drawn (from `scores` alone), in the order {@link standardCharts} gives. */
export const BASE_CHART_NAMES = [
  "price_distribution",
  "top_genres",
  "top_styles",
  "releases_by_year",
  "value_vs_price",
  "want_have",
  "rank_shift",
] as const;

/** The charts drawn only when their inputs exist, in order; otherwise listed as skipped. */
const OPTIONAL_CHART_NAMES = ["taste_map", "price_history", "value_over_time", "movers"] as const;

/** The trends stage's tables the money charts read. */
const MONEY_SQL = {
  valueHistory: "SELECT * FROM value_history ORDER BY currency, as_of",
  moves: "SELECT * FROM price_moves",
  forecasts: "SELECT * FROM forecasts WHERE scope = 'collection'",
} as const;

/** Every chart of the standard set, in the order {@link standardCharts} returns them. */
export const STANDARD_CHART_NAMES = [...BASE_CHART_NAMES, ...OPTIONAL_CHART_NAMES] as const;

/** One chart of the standard set. */
export interface StandardChart {
  /** File name without extension, e.g. `price_distribution`. */
  name: string;
  figure: Figure;
}

/** The standard set, plus the charts left out and why. */
export interface StandardCharts {
  charts: StandardChart[];
  skipped: { name: string; reason: string }[];
}

/**
 * Read the tables the charts need. `scores` is required (an {@link InputError} says to run the
 * score stage); `price_history` and the taste map's inputs are used when present.
 */
export async function loadChartData(db: Database): Promise<ChartData> {
  if (!(await db.tableExists("scores"))) {
    throw new InputError(
      `the workspace ${db.path} has no \`scores\` table yet: run \`deno task score\` first`,
    );
  }
  const scores = await db.all<ScoreRow>(SCORES_SQL);
  const priceHistory = (await db.tableExists("price_history"))
    ? await db.all<PriceHistoryRow>(PRICE_HISTORY_SQL)
    : undefined;
  let taste: ChartData["taste"];
  try {
    taste = await loadTasteMapPoints(db);
  } catch (error) {
    // A missing input of the taste map should not cost the collector the other charts.
    if (!(error instanceof UserFacingError)) throw error;
    taste = { skipped: error.message };
  }
  const money = (await db.tableExists("value_history")) && (await db.tableExists("price_moves")) &&
      (await db.tableExists("forecasts"))
    ? {
      valueHistory: await db.all<ValueHistoryChartRow>(MONEY_SQL.valueHistory),
      moves: await db.all<MoveChartRow>(MONEY_SQL.moves),
      forecasts: await db.all<ValueForecastMark>(MONEY_SQL.forecasts),
    }
    : undefined;
  return { scores, priceHistory, taste, money };
}

/**
 * Why the price history chart has nothing to draw, or null when some release's lowest price
 * moved between two snapshots (rows come in time order per release, {@link PRICE_HISTORY_SQL}).
 */
function noPriceMoves(rows: readonly PriceHistoryRow[]): string | null {
  const prices = new Map<number, (number | null)[]>();
  for (const r of rows) {
    const price = Number(r.lowest_price);
    const list = prices.get(r.release_id) ?? [];
    list.push(r.lowest_price === null || !Number.isFinite(price) ? null : price);
    prices.set(r.release_id, list);
  }
  const moves = [...prices.values()].map(priceMove);
  if (moves.some((m) => m.range > 0)) return null;
  return moves.some((m) => m.priced >= 2)
    ? "no release's lowest price has moved between snapshots yet (run enrich again later)"
    : "no release has two priced snapshots yet (run enrich again later)";
}

/** Build the standard charts from `data`. */
export function standardCharts(data: ChartData, options: ChartOptions = {}): StandardCharts {
  const { scores } = data;
  const weight = scores.map((r) => r.price_weight).find((w) => typeof w === "number");
  const draw: Record<(typeof BASE_CHART_NAMES)[number], () => Figure> = {
    price_distribution: () => priceDistribution(scores, options),
    top_genres: () => topGenres(scores, options),
    top_styles: () => topStyles(scores, options),
    releases_by_year: () => releasesByYear(scores, options),
    value_vs_price: () => valueVsPrice(scores, options),
    want_have: () => wantHaveMap(scores, options),
    rank_shift: () =>
      rankShift(rankShiftRows(scores), { ...options, currentWeight: weight ?? undefined }),
  };
  const charts: StandardChart[] = BASE_CHART_NAMES.map((name) => ({ name, figure: draw[name]() }));
  const skipped: StandardCharts["skipped"] = [];
  if (data.taste && "points" in data.taste) {
    charts.push({
      name: "taste_map",
      figure: tasteMap(data.taste.points, { ...options, projection: data.taste.projection }),
    });
  } else {
    skipped.push({ name: "taste_map", reason: data.taste?.skipped ?? "no taste map inputs" });
  }
  const flat = data.priceHistory ? noPriceMoves(data.priceHistory) : null;
  if (data.priceHistory && flat === null) {
    const names = new Map(scores.map((r) => [r.release_id, recordLabel(r)]));
    charts.push({
      name: "price_history",
      figure: priceHistory(data.priceHistory, { ...options, names }),
    });
  } else {
    skipped.push({
      name: "price_history",
      reason: flat ?? "no `price_history` table yet (run `deno task enrich`)",
    });
  }
  moneyCharts(data, options, charts, skipped);
  return { charts, skipped };
}

/** The value-over-time and movers charts, or why not (no trends yet, one pass, nothing moved). */
function moneyCharts(
  data: ChartData,
  options: ChartOptions,
  charts: StandardChart[],
  skipped: StandardCharts["skipped"],
): void {
  const money = data.money;
  const noTable = "no `value_history` table yet (run `deno task trends`)";
  if (!money) {
    skipped.push({ name: "value_over_time", reason: noTable }, { name: "movers", reason: noTable });
    return;
  }
  const counts = new Map<string, number>();
  for (const r of money.valueHistory) counts.set(r.currency, (counts.get(r.currency) ?? 0) + 1);
  const currency = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  const passes = currency ? counts.get(currency)! : 0;
  if (passes >= 2) {
    charts.push({
      name: "value_over_time",
      figure: valueOverTime(money.valueHistory, {
        ...options,
        currency,
        forecast: money.forecasts.find((f) => f.currency === currency),
      }),
    });
  } else {
    skipped.push({
      name: "value_over_time",
      reason: passes === 0
        ? "no enrichment pass has priced the collection yet"
        : "one enrichment pass so far (enrich again later, e.g. weekly, to see the value move)",
    });
  }
  const moves = money.moves.filter((m) => m.currency === currency);
  if (moves.some((m) => m.change_pct !== null)) {
    charts.push({ name: "movers", figure: movers(moves, options) });
  } else {
    skipped.push({
      name: "movers",
      reason: passes < 2
        ? "prices need two enrichment passes to move"
        : "no lowest price moved above the threshold between the last two passes",
    });
  }
}

/** The files {@link writeStandardCharts} wrote, chart by chart, and the charts it left out. */
export interface WrittenStandardCharts {
  written: ({ name: string } & WrittenChart)[];
  /** Charts not written and why; `removed` lists a previous run's files of it that were deleted. */
  skipped: (StandardCharts["skipped"][number] & { removed: string[] })[];
}

/** "No release has a year." → "no release has a year": a placeholder's note as a reason. */
function asReason(note: string): string {
  const text = note.trim().replace(/\.$/, "");
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Delete `dir/name.svg` and `dir/name.png` if there, so no stale chart outlives its data. */
async function removeStale(dir: string, name: string): Promise<string[]> {
  const removed: string[] = [];
  for (const path of [join(dir, `${name}.svg`), join(dir, `${name}.png`)]) {
    try {
      await Deno.remove(path);
      removed.push(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return removed;
}

/**
 * Load the workspace's chart data ({@link loadChartData}), draw the standard set and write each
 * chart that has data as SVG + PNG into `dir` ({@link writeChart}). A chart with nothing to
 * draw (a placeholder, or an optional chart without its inputs) is not written: it is listed as
 * skipped with the reason, and its files from an earlier run are removed.
 */
export async function writeStandardCharts(
  db: Database,
  dir: string,
): Promise<WrittenStandardCharts> {
  const { charts, skipped: left } = standardCharts(await loadChartData(db));
  const written: WrittenStandardCharts["written"] = [];
  const reasons = new Map(left.map((s) => [s.name, s.reason]));
  for (const { name, figure } of charts) {
    const note = placeholderNote(figure);
    if (note !== null) reasons.set(name, asReason(note));
    else written.push({ name, ...(await writeChart(figure, dir, name)) });
  }
  const skipped: WrittenStandardCharts["skipped"] = [];
  // In the standard order, so the log reads like the chart list.
  for (const name of STANDARD_CHART_NAMES) {
    const reason = reasons.get(name);
    if (reason !== undefined) skipped.push({ name, reason, removed: await removeStale(dir, name) });
  }
  return { written, skipped };
}
