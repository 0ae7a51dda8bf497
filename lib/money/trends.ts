/**
 * Forecasts over the workspace's series: one per collection release (its priced snapshots, per
 * currency) and one for the collection's value (the `value_history` totals). Each is made and
 * judged by lib/money/forecast.ts; a release with too short a history gets the plain reason.
 *
 * @module
 */

import { formatPrice } from "../score/why.ts";
import { forecastSeries, type SeriesPoint } from "./forecast.ts";
import type { Snapshot, ValueHistoryRow } from "./history.ts";
import type { ForecastRow } from "./tables.ts";

const DAY_MS = 86_400_000;
const days = (at: Date | string) => new Date(at).getTime() / DAY_MS;

/** Each collection release's priced snapshots as a series, per currency, in time order. */
export function releaseSeries(
  snapshots: readonly Snapshot[],
  copies: ReadonlyMap<number, number>,
): Map<string, { releaseId: number; currency: string; points: SeriesPoint[] }> {
  const series = new Map<string, { releaseId: number; currency: string; points: SeriesPoint[] }>();
  for (const s of snapshots) {
    if (!copies.has(s.release_id)) continue;
    const currency = s.currency ?? "USD";
    const key = `${currency}:${s.release_id}`;
    let entry = series.get(key);
    if (!entry) {
      entry = { releaseId: s.release_id, currency, points: [] };
      series.set(key, entry);
    }
    const price = Number(s.lowest_price);
    if (s.lowest_price !== null && Number.isFinite(price) && price > 0) {
      entry.points.push({ t: days(s.fetched_at), price });
    }
  }
  for (const entry of series.values()) entry.points.sort((a, b) => a.t - b.t);
  return series;
}

/** A forecast for every collection release that has been fetched, at `horizonDays`. */
export function forecastReleases(
  snapshots: readonly Snapshot[],
  copies: ReadonlyMap<number, number>,
  horizonDays: number,
): ForecastRow[] {
  return [...releaseSeries(snapshots, copies).values()]
    .sort((a, b) => a.currency.localeCompare(b.currency) || a.releaseId - b.releaseId)
    .map(({ releaseId, currency, points }) => ({
      scope: "release" as const,
      releaseId,
      currency,
      result: forecastSeries(points, {
        horizonDays,
        formatPrice: (p) => formatPrice(p, currency),
      }),
    }));
}

/** A forecast of the collection's value per currency, from its value after each pass. */
export function forecastCollection(
  history: readonly ValueHistoryRow[],
  horizonDays: number,
): ForecastRow[] {
  return [...new Set(history.map((h) => h.currency))].map((currency) => ({
    scope: "collection" as const,
    releaseId: null,
    currency,
    result: forecastSeries(
      history.filter((h) => h.currency === currency && h.total_value > 0)
        .map((h) => ({ t: days(h.as_of), price: h.total_value })),
      { horizonDays, formatPrice: (p) => formatPrice(p, currency) },
    ),
  }));
}
