import { syntheticSeries } from "./synthetic.ts";
import { backtest, forecastSeries, forecastWith } from "./forecast.ts";
const cases: [string, Record<string, number>][] = [
  ["trend+1.5 nojump", { trendPerYear: 1.5, jumpChance: 0 }],
  ["trend+0.8", { trendPerYear: 0.8 }],
  ["trend+1.5 lowvol", { trendPerYear: 1.5, volatilityPerYear: 0.1 }],
  ["trend-0.8", { trendPerYear: -0.8 }],
  ["noise(rw)", { trendPerYear: 0 }],
  ["iid", { trendPerYear: 0, volatilityPerYear: 0, noise: 0.1 }],
  ["rw strong", { volatilityPerYear: 0.5, noise: 0.02 }],
];
for (const [label, opts] of cases) {
  let shown = 0, cover = 0, sign = 0, total = 0;
  const agg = { ts: 0, nv: 0, dr: 0, cts: 0, cnv: 0, cdr: 0 };
  for (let s = 1; s <= 200; s++) {
    const pts = syntheticSeries({ seed: s, snapshots: 40, ...opts }).points;
    const cut = pts.findIndex((p) => p.t > pts[pts.length - 1].t - 30);
    const train = pts.slice(0, cut);
    const test = pts.slice(cut);
    if (forecastSeries(train, { horizonDays: 30 }).shown) shown++;
    const last = test[test.length - 1];
    const fw = forecastWith("theil_sen", train, last.t - train[train.length - 1].t);
    total++;
    if (last.price >= fw.lower && last.price <= fw.upper) cover++;
    if (
      Math.sign(fw.forecast - train[train.length - 1].price) === Math.sign(opts.trendPerYear ?? 0)
    ) sign++;
    const bt = backtest(pts, 30);
    agg.ts += bt.methods.theil_sen.mape;
    agg.nv += bt.methods.naive.mape;
    agg.dr += bt.methods.drift.mape;
    agg.cts += bt.methods.theil_sen.coverage;
    agg.cnv += bt.methods.naive.coverage;
    agg.cdr += bt.methods.drift.coverage;
  }
  const r = (x: number) => Math.round(x * 1000) / 1000;
  console.log(
    label.padEnd(18),
    JSON.stringify({
      shown,
      holdoutCover: r(cover / total),
      sign: r(sign / total),
      mape: [r(agg.ts / total), r(agg.nv / total), r(agg.dr / total)],
      cov: [r(agg.cts / total), r(agg.cnv / total), r(agg.cdr / total)],
    }),
  );
}
