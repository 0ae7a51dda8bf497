/**
 * Money benchmark (issue 17), on seeded synthetic data (there is no public price-history
 * dataset; every figure here is synthetic):
 * - the best crate: an exact knapsack over 10k candidates under a $500 budget, at most 2 per
 *   artist (time, points gained over greedy), and optimality against brute force on small cases;
 * - forecasting: 10k releases × 50 snapshots through the release forecasts with their
 *   rolling-origin backtest (time), the backtest's MAE/MAPE/coverage per method, and value
 *   history + movers over the same snapshots.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { bruteForceCrate, greedyKnapsack, solveKnapsack } from "../lib/money/knapsack.ts";
import { priceMoves, valueHistory } from "../lib/money/history.ts";
import { rng, syntheticHistory, syntheticSeries } from "../lib/money/synthetic.ts";
import { backtest, forecastSeries, forecastWith } from "../lib/money/forecast.ts";
import { forecastReleases } from "../lib/money/trends.ts";
import { peakRssBytes } from "./run_stage.ts";
import { mib, printTable, writeBenchResult } from "./report.ts";
import { logNormal, zipf } from "./synthetic.ts";

const seconds = (ms: number) => Math.round(ms) / 1000;

/**
 * CPU seconds this process has used (user + system, Linux `/proc/self/stat`, 100 ticks/s), so
 * a shared, busy machine's figures can be read beside wall-clock ones; null elsewhere.
 */
function cpuSeconds(): number | null {
  try {
    const stat = Deno.readTextFileSync("/proc/self/stat");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Wall and CPU time of `body`. */
function timed<T>(body: () => T): { value: T; wall: number; cpu: number | null } {
  const c0 = cpuSeconds();
  const t0 = performance.now();
  const value = body();
  const wall = seconds(performance.now() - t0);
  const c1 = cpuSeconds();
  return {
    value,
    wall,
    cpu: c0 === null || c1 === null ? null : Math.round((c1 - c0) * 100) / 100,
  };
}

const both = (t: { wall: number; cpu: number | null }) => `${t.wall} (cpu ${t.cpu ?? "n/a"})`;

/** 10k candidates: log-normal prices around $12, scores in (0, 1], Zipf-popular artists. */
function candidates(n: number, seed: number) {
  const random = rng(seed);
  return Array.from({ length: n }, () => ({
    cost: Math.max(1, Math.round(logNormal(random, 12, 0.9) * 100)),
    value: Math.round((0.05 + 0.95 * random()) * 1e6) / 1e6,
    group: random() < 0.1 ? null : `artist ${zipf(random, Math.max(1, Math.floor(n / 3)))}`,
  }));
}

/** Kinds of synthetic series the forecasting method is judged on. */
const SCENARIOS: { label: string; options: Record<string, number> }[] = [
  { label: "strong trend (+1.5/yr), no jumps", options: { trendPerYear: 1.5, jumpChance: 0 } },
  { label: "strong trend, low wander", options: { trendPerYear: 1.5, volatilityPerYear: 0.1 } },
  { label: "mild trend (+0.8/yr)", options: { trendPerYear: 0.8 } },
  { label: "mild trend (−0.8/yr)", options: { trendPerYear: -0.8 } },
  { label: "pure noise (wander only)", options: { trendPerYear: 0 } },
  { label: "iid noise around a level", options: { volatilityPerYear: 0, noise: 0.1 } },
];

/**
 * Per scenario, 200 series of 40 snapshots: hold out the last 30 days and check the forecast
 * from the rest (interval coverage, direction), how often a forecast is shown, and the
 * backtest's MAPE and coverage per method over the whole series.
 */
function scenarios(runs = 200) {
  return SCENARIOS.map(({ label, options }) => {
    let shown = 0;
    let inside = 0;
    let rightWay = 0;
    const mape = { theil_sen: 0, naive: 0, drift: 0 };
    const coverage = { theil_sen: 0, naive: 0, drift: 0 };
    for (let seed = 1; seed <= runs; seed++) {
      const points = syntheticSeries({ seed, snapshots: 40, ...options }).points;
      const end = points[points.length - 1];
      const cut = points.findIndex((p) => p.t > end.t - 30);
      const train = points.slice(0, cut);
      if (forecastSeries(train, { horizonDays: 30 }).shown) shown++;
      const f = forecastWith("theil_sen", train, end.t - train[train.length - 1].t);
      if (end.price >= f.lower && end.price <= f.upper) inside++;
      const trend = options.trendPerYear ?? 0;
      if (
        trend !== 0 && Math.sign(f.forecast - train[train.length - 1].price) === Math.sign(trend)
      ) {
        rightWay++;
      }
      const bt = backtest(points, 30);
      for (const m of ["theil_sen", "naive", "drift"] as const) {
        mape[m] += bt.methods[m].mape / runs;
        coverage[m] += bt.methods[m].coverage / runs;
      }
    }
    return {
      scenario: label,
      shown: shown / runs,
      holdout_coverage: inside / runs,
      right_direction: (options.trendPerYear ?? 0) === 0 ? null : rightWay / runs,
      backtest_mape: mape,
      backtest_coverage: coverage,
    };
  });
}

export const moneyBenchmark = {
  name: "money",
  description: "best crate (knapsack 10k × $500) and forecasts (10k releases × 50 snapshots)",
  async run(args: string[]) {
    const { values } = parseArgs({
      args,
      options: {
        candidates: { type: "string", default: "10000" },
        budget: { type: "string", default: "500" },
        "max-per-artist": { type: "string", default: "2" },
        releases: { type: "string", default: "10000" },
        snapshots: { type: "string", default: "50" },
        seed: { type: "string", default: "42" },
      },
      strict: false,
    });
    const n = Number(values.candidates);
    const budget = Math.round(Number(values.budget) * 100);
    const cap = Number(values["max-per-artist"]);
    const seed = Number(values.seed);

    const items = candidates(n, seed);
    const exactRun = timed(() => solveKnapsack(items, budget, cap));
    const exact = exactRun.value;
    const greedyRun = timed(() => greedyKnapsack(items, budget, cap));
    const greedy = greedyRun.value;

    let agree = 0;
    let greedyShort = 0;
    const small = 200;
    for (let s = 1; s <= small; s++) {
      const few = candidates(14 + (s % 5), seed * 1000 + s).map((item) => ({
        ...item,
        group: item.group === null ? null : `a${Number(item.group.slice(7)) % 4}`,
      }));
      const b = 2000 + (s * 733) % 8000;
      const c = 1 + (s % 3);
      const best = bruteForceCrate(few, b, c).value;
      if (Math.abs(solveKnapsack(few, b, c).value - best) < 1e-9) agree++;
      if (greedyKnapsack(few, b, c).value < best - 1e-9) greedyShort++;
    }

    const releases = Number(values.releases);
    const snapshots = Number(values.snapshots);
    const generateRun = timed(() => syntheticHistory({ releases, snapshots, seed }));
    const history = generateRun.value;
    const forecastRun = timed(() => forecastReleases(history.snapshots, history.copies, 30));
    const forecasts = forecastRun.value;
    const historyRun = timed(() => ({
      value: valueHistory(history.snapshots, history.copies),
      moves: priceMoves(history.snapshots, history.copies),
    }));
    const { value, moves } = historyRun.value;

    const methods = ["theil_sen", "naive", "drift"] as const;
    const score = Object.fromEntries(methods.map((m) => {
      let mae = 0;
      let mape = 0;
      let coverage = 0;
      let k = 0;
      for (const f of forecasts) {
        const bt = f.result.backtest;
        if (!bt || !(bt.methods[m].forecasts > 0)) continue;
        mae += bt.methods[m].mae;
        mape += bt.methods[m].mape;
        coverage += bt.methods[m].coverage;
        k++;
      }
      return [m, { mae: mae / k, mape: mape / k, coverage: coverage / k, series: k }];
    }));
    const shown = forecasts.filter((f) => f.result.shown);
    // How often a shown forecast points the way the release's true trend goes.
    const rightWay = shown.filter((f) => {
      const trend = history.truth.get(f.releaseId!)!.trendPerYear;
      return Math.sign(f.result.forecast!.forecast - f.result.lastPrice!) === Math.sign(trend);
    }).length;

    const judged = timed(() => scenarios());
    const result = {
      synthetic: true,
      scenarios: judged.value,
      knapsack: {
        candidates: n,
        budget_cents: budget,
        max_per_artist: cap,
        exact_seconds: exactRun.wall,
        exact_cpu_seconds: exactRun.cpu,
        greedy_seconds: greedyRun.wall,
        exact_points: exact.value,
        greedy_points: greedy.value,
        gain_over_greedy: exact.value / greedy.value - 1,
        exact_records: exact.chosen.length,
        greedy_records: greedy.chosen.length,
        brute_force_cases: small,
        brute_force_agree: agree,
        greedy_below_optimum: greedyShort,
      },
      forecasting: {
        releases,
        snapshots,
        generate_seconds: generateRun.wall,
        forecast_seconds: forecastRun.wall,
        forecast_cpu_seconds: forecastRun.cpu,
        value_history_and_moves_seconds: historyRun.wall,
        value_history_and_moves_cpu_seconds: historyRun.cpu,
        passes: value.length,
        movers: moves.length,
        shown: shown.length,
        shown_right_direction: rightWay,
        backtest: score,
      },
      peak_rss_bytes: peakRssBytes(),
    };
    printTable(["measure", "value"], [
      ["knapsack: candidates, budget, cap", `${n}, $${budget / 100}, ${cap}`],
      ["knapsack: exact time (s)", both(exactRun)],
      ["knapsack: greedy time (s)", both(greedyRun)],
      [
        "knapsack: points exact / greedy",
        `${exact.value.toFixed(3)} / ${greedy.value.toFixed(3)} (+${
          ((exact.value / greedy.value - 1) * 100).toFixed(2)
        }%)`,
      ],
      ["knapsack: records exact / greedy", `${exact.chosen.length} / ${greedy.chosen.length}`],
      ["brute force agrees (small cases)", `${agree} of ${small} (greedy short in ${greedyShort})`],
      ["forecast: releases × snapshots", `${releases} × ${snapshots}`],
      ["forecast + backtest time (s)", both(forecastRun)],
      ["value history + movers time (s)", both(historyRun)],
      ["forecasts shown (right direction)", `${shown.length} (${rightWay})`],
      ...methods.map((m) => [
        `backtest ${m}: MAE / MAPE / coverage`,
        `${score[m].mae.toFixed(2)} / ${(score[m].mape * 100).toFixed(1)}% / ${
          (score[m].coverage * 100).toFixed(1)
        }%`,
      ]),
      ["peak RSS (MiB)", mib(peakRssBytes())],
    ]);
    const pct = (x: number | null) => (x === null ? "–" : `${(x * 100).toFixed(1)}%`);
    console.log("\nForecasting method on 200 synthetic series per scenario (30-day hold-out):");
    printTable(
      ["scenario", "shown", "coverage", "direction", "MAPE TS/naive/drift", "bt coverage TS"],
      judged.value.map((r) => [
        r.scenario,
        pct(r.shown),
        pct(r.holdout_coverage),
        pct(r.right_direction),
        `${pct(r.backtest_mape.theil_sen)} / ${pct(r.backtest_mape.naive)} / ${
          pct(r.backtest_mape.drift)
        }`,
        pct(r.backtest_coverage.theil_sen),
      ]),
    );
    console.log(`wrote ${await writeBenchResult("money", result)}`);
    return result;
  },
};
