/**
 * The report's "Value over time" section: the collection's value after each enrichment pass
 * (the value-over-time chart), its forecast or why there is none, the biggest movers with their
 * reasons, and the release forecasts that earned their place, each beside its backtest. Read
 * from the trends stage's tables; absent until `deno task trends` has run.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { formatPrice } from "../score/why.ts";
import { toSvgString } from "../plots/render.ts";
import {
  type MoveChartRow,
  type ValueForecastMark,
  type ValueHistoryChartRow,
  valueOverTime,
} from "../plots/money.ts";

/** What the section shows. */
export interface TrendsView {
  passes: number;
  currency: string | null;
  latest: { total: number; median: number | null; priced: number } | null;
  collectionForecast: (ValueForecastMark & { message: string }) | null;
  chartSvg: string | null;
  moves: (MoveChartRow & { reason: string; kind: string })[];
  forecasts: {
    artist: string | null;
    title: string | null;
    currency: string;
    last_price: number;
    forecast: number;
    lower: number;
    upper: number;
    horizon_days: number;
    mae: number;
    naive_mae: number;
    backtest_origins: number;
  }[];
  releasesForecast: number;
  releasesTotal: number;
}

/** Read the trends tables, or null when the trends stage has not run. */
export async function loadTrends(db: Database): Promise<TrendsView | null> {
  for (const t of ["value_history", "price_moves", "forecasts"]) {
    if (!(await db.tableExists(t))) return null;
  }
  const history = await db.all<ValueHistoryChartRow & { median_price: number | null }>(
    "SELECT * FROM value_history ORDER BY currency, as_of",
  );
  const counts = new Map<string, number>();
  for (const r of history) counts.set(r.currency, (counts.get(r.currency) ?? 0) + 1);
  const currency = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ??
    null;
  const mine = history.filter((h) => h.currency === currency);
  const last = mine.at(-1);
  const collectionForecast = currency === null ? null : (await db.one<
    ValueForecastMark & { message: string }
  >(
    "SELECT * FROM forecasts WHERE scope = 'collection' AND currency = $currency",
    { currency },
  )) ?? null;
  const moves = await db.all<MoveChartRow & { reason: string; kind: string }>(
    `SELECT * FROM price_moves WHERE currency = $currency
     ORDER BY abs(change_pct) DESC NULLS LAST, release_id LIMIT 10`,
    { currency: currency ?? "" },
  );
  const forecasts = await db.all<TrendsView["forecasts"][number]>(
    `SELECT artist, title, currency, last_price, forecast, lower, upper, horizon_days, mae,
       naive_mae, backtest_origins
     FROM forecasts WHERE scope = 'release' AND shown
     ORDER BY abs(change_pct) DESC, release_id LIMIT 10`,
  );
  const counted = await db.one<{ shown: number; total: number }>(
    `SELECT count(*) FILTER (WHERE shown)::INTEGER AS shown, count(*)::INTEGER AS total
     FROM forecasts WHERE scope = 'release'`,
  );
  return {
    passes: mine.length,
    currency,
    latest: last
      ? { total: last.total_value, median: last.median_price, priced: last.releases_priced ?? 0 }
      : null,
    collectionForecast,
    chartSvg: mine.length >= 2
      ? toSvgString(
        valueOverTime(history, { currency: currency!, forecast: collectionForecast ?? undefined }),
      )
      : null,
    moves,
    forecasts,
    releasesForecast: counted?.shown ?? 0,
    releasesTotal: counted?.total ?? 0,
  };
}

/** Render the section; `escape` is the page's HTML escaper. */
export function trendsSection(view: TrendsView | null, escape: (v: unknown) => string): string {
  const head = `<section id="trends" aria-labelledby="trends-title">
  <h2 id="trends-title">Value over time</h2>`;
  if (!view || view.passes === 0) {
    return `${head}
  <p class="absent" id="trends-absent">No value history yet: run <code>deno task trends</code> after enriching (each enrichment pass adds a point; a weekly <code>deno task enrich --max-age 7d</code> builds the history).</p>
</section>`;
  }
  const money = (x: number | null) => (x === null ? "–" : formatPrice(x, view.currency));
  const f = view.collectionForecast;
  const forecast = f?.shown && f.forecast !== null
    ? `<p id="trends-forecast"><strong>Forecast in ${f.horizon_days} days: ${
      escape(money(f.forecast))
    }</strong> (90% interval ${escape(money(f.lower))}–${escape(money(f.upper))}). ${
      escape(f.message)
    }.</p>`
    : `<p class="note" id="trends-forecast">No forecast of the collection's value: ${
      escape(f?.message ?? "no forecast row yet")
    }.</p>`;
  const moves = view.moves.length
    ? `<table class="trends" id="trends-moves"><caption>Biggest moves between the last two passes</caption>
  <thead><tr><th scope="col">Record</th><th scope="col">Then</th><th scope="col">Now</th><th scope="col">Change</th><th scope="col">Why</th></tr></thead>
  <tbody>${
      view.moves.map((m) =>
        `<tr><td>${escape(m.artist ?? "")} – <cite>${escape(m.title ?? "")}</cite></td><td>${
          escape(money(m.price_then))
        }</td><td>${escape(money(m.price_now))}</td><td>${
          m.change_pct === null
            ? escape(m.kind)
            : `${m.change_pct >= 0 ? "+" : "−"}${Math.abs(Math.round(m.change_pct * 100))}%`
        }</td><td>${escape(m.reason)}</td></tr>`
      ).join("")
    }</tbody></table>`
    : view.passes < 2
    ? `<p class="note" id="trends-moves-none">Movers appear after a second enrichment pass: run <code>deno task enrich --max-age 7d</code> weekly (see the README's cron line), then <code>deno task trends</code>.</p>`
    : `<p class="note" id="trends-moves-none">No price moved above the threshold between the last two passes.</p>`;
  const forecasts = view.forecasts.length
    ? `<table class="trends" id="trends-forecasts"><caption>Release forecasts that beat “the price stays where it is” in their backtest</caption>
  <thead><tr><th scope="col">Record</th><th scope="col">Now</th><th scope="col">Forecast</th><th scope="col">90% interval</th><th scope="col">Backtest MAE (naive)</th></tr></thead>
  <tbody>${
      view.forecasts.map((r) =>
        `<tr><td>${escape(r.artist ?? "")} – <cite>${escape(r.title ?? "")}</cite></td><td>${
          escape(formatPrice(r.last_price, r.currency))
        }</td><td>${escape(formatPrice(r.forecast, r.currency))} in ${r.horizon_days} d</td><td>${
          escape(formatPrice(r.lower, r.currency))
        }–${escape(formatPrice(r.upper, r.currency))}</td><td>${
          escape(formatPrice(r.mae, r.currency))
        } (${
          escape(formatPrice(r.naive_mae, r.currency))
        }) over ${r.backtest_origins} origins</td></tr>`
      ).join("")
    }</tbody></table>`
    : "";
  return `${head}
  <p id="trends-summary">${view.passes} enrichment pass${
    view.passes === 1 ? "" : "es"
  }; latest value ${escape(money(view.latest?.total ?? null))} (median ${
    escape(money(view.latest?.median ?? null))
  }, ${
    view.latest?.priced ?? 0
  } priced releases). ${view.releasesForecast} of ${view.releasesTotal} releases have a forecast that beats the naive one in its backtest.</p>
  ${forecast}
  ${
    view.chartSvg
      ? `<figure class="trend-chart" id="chart-value_over_time">${view.chartSvg}</figure>`
      : ""
  }
  ${moves}
  ${forecasts}
</section>`;
}
