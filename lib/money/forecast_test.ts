import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { backtest, forecastSeries, forecastWith, theilSen } from "./forecast.ts";
import { syntheticHistory, syntheticSeries } from "./synthetic.ts";
import { forecastReleases } from "./trends.ts";

/** The last 30 days of a series held out: what the forecast is checked against. */
function holdOut(seed: number, options: Parameters<typeof syntheticSeries>[0] | object) {
  const { points } = syntheticSeries({ seed, snapshots: 40, ...options } as never);
  const end = points[points.length - 1].t;
  const cut = points.findIndex((p) => p.t > end - 30);
  return { train: points.slice(0, cut), actual: points[points.length - 1] };
}

Deno.test("Theil–Sen ignores one wild listing", () => {
  const t = [0, 7, 14, 21, 28, 35, 42];
  const y = t.map((x) => 2 + 0.01 * x);
  y[3] = 9; // a mislisted copy
  const fit = theilSen(t, y);
  assert(Math.abs(fit.slope - 0.01) < 1e-9, String(fit.slope));
});

Deno.test("a known upward or downward trend: the forecast's sign and interval coverage", () => {
  for (const trendPerYear of [1.5, -1.5]) {
    let right = 0;
    let inside = 0;
    const widths: number[] = [];
    const runs = 200;
    for (let seed = 1; seed <= runs; seed++) {
      const { train, actual } = holdOut(seed, { trendPerYear, jumpChance: 0 });
      const h = actual.t - train[train.length - 1].t;
      const f = forecastWith("theil_sen", train, h);
      if (Math.sign(f.forecast - train[train.length - 1].price) === Math.sign(trendPerYear)) {
        right++;
      }
      if (actual.price >= f.lower && actual.price <= f.upper) inside++;
      widths.push((f.upper - f.lower) / 2 / f.forecast);
    }
    assert(right / runs >= 0.9, `sign right in ${right} of ${runs} (trend ${trendPerYear})`);
    // A 90% interval covers about 90% of the held-out prices: neither far fewer nor nearly all.
    assert(inside / runs >= 0.85 && inside / runs <= 0.95, `coverage ${inside / runs}`);
    widths.sort((a, b) => a - b);
    assert(widths[runs / 2] < 0.35, `median half-width ${widths[runs / 2]} of the forecast`);
  }
});

Deno.test("a strong trend beats naive in the backtest and the forecast is shown", () => {
  const { points } = syntheticSeries({
    seed: 3,
    snapshots: 40,
    trendPerYear: 2,
    volatilityPerYear: 0.05,
    jumpChance: 0,
    noise: 0.02,
  });
  const f = forecastSeries(points, { horizonDays: 30 });
  assert(f.shown, f.message);
  assert(f.forecast!.forecast > f.lastPrice!, "rising");
  assert(f.forecast!.lower < f.forecast!.forecast && f.forecast!.forecast < f.forecast!.upper);
  const bt = f.backtest!;
  assert(bt.methods.theil_sen.mae < bt.methods.naive.mae);
  assert(bt.methods.theil_sen.coverage > 0.7, `coverage ${bt.methods.theil_sen.coverage}`);
});

Deno.test("pure noise (a price that wanders without a trend): the forecast is withheld", () => {
  let withheld = 0;
  const runs = 200;
  for (let seed = 1; seed <= runs; seed++) {
    const { points } = syntheticSeries({ seed, snapshots: 40, trendPerYear: 0 });
    const f = forecastSeries(points, { horizonDays: 30 });
    if (!f.shown) {
      withheld++;
      assertStringIncludes(f.message, "not enough history to forecast (");
    }
  }
  assert(withheld / runs >= 0.9, `withheld on ${withheld} of ${runs} noise series`);
  const one = forecastSeries(syntheticSeries({ seed: 5, snapshots: 40 }).points);
  assertEquals(one.shown, false);
  assertStringIncludes(one.message, 'a trend that beats "the price stays where it is"');
});

Deno.test("too short a history says how much it has and what it needs", () => {
  const f = forecastSeries([{ t: 0, price: 10 }, { t: 9, price: 11 }, { t: 20, price: 12 }]);
  assertEquals(f.shown, false);
  assertEquals(
    f.message,
    "not enough history to forecast (3 priced snapshots over 20 days; needs at least 6 priced " +
      "snapshots over 30 days or more)",
  );
  assertEquals(backtest([{ t: 0, price: 1 }], 30).origins, 0);
});

Deno.test("forecasts for a synthetic collection: one per release, deterministic", () => {
  const { snapshots, copies } = syntheticHistory({ releases: 30, snapshots: 30, seed: 9 });
  const a = forecastReleases(snapshots, copies, 30);
  const b = forecastReleases(snapshots, copies, 30);
  assertEquals(a.length, 30);
  assertEquals(a.map((f) => f.result.message), b.map((f) => f.result.message));
  assert(a.every((f) => f.result.backtest !== null));
});
