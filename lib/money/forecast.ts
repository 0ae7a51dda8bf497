/**
 * Price forecasts for short, irregular, noisy series, and an honest rolling-origin backtest.
 *
 * The method is a **Theil–Sen trend on log price, anchored at the recent level**: the slope is the
 * median of the slopes between every pair of snapshots (so a single mislisted copy or a jump
 * moves it little), and the forecast starts from where the price is now (the line through the
 * median of the last three residuals) because prices wander. The prediction interval splits the
 * variation into listing noise and wander ({@link noiseAndWalk}, from one- and two-step changes)
 * and adds the slope's own uncertainty. Log price, because prices move by percentages and never
 * go below zero; pairs of snapshots, because snapshot times are irregular.
 * It is compared, on the same backtest, with the two baselines any forecast must beat: **naive**
 * (the price stays where it is) and **drift** (the line from the first to the last snapshot).
 *
 * A forecast is shown only when the series is long enough and its backtest beats naive
 * ({@link forecastSeries}); otherwise the collector reads why not, with the numbers.
 *
 * @example
 * ```ts
 * const points = [{ t: 0, price: 10 }, { t: 7, price: 10.4 }, …]; // t in days
 * const f = forecastSeries(points, { horizonDays: 30 });
 * f.shown ? `${f.forecast} (${f.lower}–${f.upper})` : f.message;
 * ```
 *
 * @module
 */

/** One priced snapshot of a series: `t` in days from any origin, price > 0. */
export interface SeriesPoint {
  t: number;
  price: number;
}

/** The forecasting methods the backtest compares. */
export type MethodName = "theil_sen" | "naive" | "drift";

/** A point forecast with its prediction interval, in price units. */
export interface PointForecast {
  forecast: number;
  lower: number;
  upper: number;
}

/** Nominal coverage of the prediction intervals. */
export const INTERVAL = 0.9;
/** The standard normal quantile for a two-sided {@link INTERVAL} interval. */
const Z = 1.6448536269514722;
/** Fewest priced snapshots a forecast is made from. */
export const MIN_SNAPSHOTS = 6;
/** Fewest backtest origins a verdict is drawn from. */
export const MIN_ORIGINS = 4;
/** How much lower than naive's the trend's backtest MAE must be: a hair's breadth is chance. */
export const MIN_GAIN = 0.05;
/** Most recent snapshots a fit uses: older regimes say little about next month. */
export const TRAINING_WINDOW = 26;
/** Most backtest origins per series (the latest ones): bounds the cost for long histories. */
export const MAX_ORIGINS = 12;

/** Median of `values` (reorders them: pass a scratch copy). */
function medianInPlace(values: Float64Array | number[], n = values.length): number {
  const a = values;
  // Quickselect for the middle one or two: no full sort per fit.
  const select = (k: number): number => {
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const pivot = a[(lo + hi) >> 1];
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (a[i] < pivot) i++;
        while (a[j] > pivot) j--;
        if (i <= j) {
          const x = a[i];
          a[i] = a[j];
          a[j] = x;
          i++;
          j--;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return a[k];
    }
    return a[k];
  };
  if (n === 0) return NaN;
  const mid = n >> 1;
  if (n % 2) return select(mid);
  const upper = select(mid);
  let lowerMax = -Infinity;
  for (let i = 0; i < mid; i++) if (a[i] > lowerMax) lowerMax = a[i];
  return (lowerMax + upper) / 2;
}

/** A Theil–Sen line through (t, y), with the robust residual scale. */
export interface TrendFit {
  slope: number;
  intercept: number;
  /** 1.4826 × median |residual|: a standard deviation that ignores outliers. */
  scale: number;
  tMean: number;
  sxx: number;
  n: number;
}

/** Fit a Theil–Sen line to `t`, `y` (same length ≥ 2). */
export function theilSen(t: ArrayLike<number>, y: ArrayLike<number>): TrendFit {
  const n = t.length;
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let m = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dt = t[j] - t[i];
      if (dt > 0) slopes[m++] = (y[j] - y[i]) / dt;
    }
  }
  const slope = m > 0 ? medianInPlace(slopes, m) : 0;
  const rest = new Float64Array(n);
  for (let i = 0; i < n; i++) rest[i] = y[i] - slope * t[i];
  const intercept = medianInPlace(rest.slice(), n);
  const abs = new Float64Array(n);
  let tMean = 0;
  for (let i = 0; i < n; i++) {
    abs[i] = Math.abs(rest[i] - intercept);
    tMean += t[i] / n;
  }
  let sxx = 0;
  for (let i = 0; i < n; i++) sxx += (t[i] - tMean) ** 2;
  return { slope, intercept, scale: 1.4826 * medianInPlace(abs, n), tMean, sxx, n };
}

/** Median of χ² with one degree of freedom: turns a median of squares into a variance. */
const CHI2_MEDIAN = 0.45493642311957;

/**
 * Split how a log price varies into listing noise (each snapshot's cheapest copy is one seller's
 * whim: variance `noise`) and wander (a random walk: variance `walk` per day), from the spread
 * of one-step and two-step changes after removing `slope`: E[d²] = 2·noise + walk·Δt. Robust
 * (medians of squares), and never negative.
 */
export function noiseAndWalk(
  t: ArrayLike<number>,
  y: ArrayLike<number>,
  from: number,
  to: number,
  slope: number,
): { noise: number; walk: number } {
  const spread = (lag: number) => {
    const squares: number[] = [];
    let dt = 0;
    for (let i = from + lag; i <= to; i++) {
      const d = y[i] - y[i - lag] - slope * (t[i] - t[i - lag]);
      squares.push(d * d);
      dt += t[i] - t[i - lag];
    }
    return squares.length
      ? { v: medianInPlace(squares) / CHI2_MEDIAN, dt: dt / squares.length }
      : { v: 0, dt: 0 };
  };
  const one = spread(1);
  const two = spread(2);
  let walk = two.dt > one.dt ? Math.max(0, (two.v - one.v) / (two.dt - one.dt)) : 0;
  // Both cannot exceed what one step shows.
  if (one.dt > 0) walk = Math.min(walk, one.v / one.dt);
  const noise = Math.max(0, (one.v - walk * one.dt) / 2);
  return { noise, walk };
}

/** Smallest log scale an interval is given: prices are quoted in cents, and nothing is certain. */
const MIN_SCALE = 0.01;

/** A fitted method: the log forecast and interval half-width at any horizon (days). */
type LogForecaster = (horizon: number) => { mean: number; half: number };

/**
 * Fit `method` to points `from..to` (inclusive) of `t`/`y` (log prices), once: the result gives
 * the log forecast and the interval half-width at any horizon after point `to`.
 */
function fitMethod(
  method: MethodName,
  t: ArrayLike<number>,
  y: ArrayLike<number>,
  from: number,
  to: number,
): LogForecaster {
  const last = y[to];
  if (method === "naive" || method === "drift") {
    const span = t[to] - t[from];
    const slope = method === "drift" && span > 0 ? (last - y[from]) / span : 0;
    const { noise, walk } = noiseAndWalk(t, y, from, to, 0);
    // The last snapshot's own noise, the next one's, and the wander in between.
    return (horizon) => ({
      mean: last + slope * horizon,
      half: Z * Math.sqrt(Math.max(MIN_SCALE ** 2, 2 * noise + walk * Math.max(horizon, 1))),
    });
  }
  const tt = Array.prototype.slice.call(t, from, to + 1) as number[];
  const yy = Array.prototype.slice.call(y, from, to + 1) as number[];
  const fit = theilSen(tt, yy);
  // Anchored at the recent level (the line through the median of the last few residuals):
  // prices wander, so the level is where the price is now, and the trend says where it goes.
  const k = Math.min(ANCHOR, tt.length);
  const recent = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const at = tt.length - k + i;
    recent[i] = yy[at] - (fit.intercept + fit.slope * tt[at]);
  }
  const level = fit.intercept + fit.slope * t[to] + medianInPlace(recent, k);
  const { noise, walk } = noiseAndWalk(t, y, from, to, fit.slope);
  const span = Math.max(1, tt[tt.length - 1] - tt[0]);
  // The slope is uncertain from the noise (over the spread of times) and from the wander (a
  // walk mimics a trend over its span); the level from the noise of the last k snapshots (a
  // median of k: π/2 / k of one) and the wander since the middle one.
  const slopeVariance = (fit.sxx > 0 ? noise / fit.sxx : 0) + walk / span;
  const levelVariance = (noise * Math.PI) / 2 / k + walk * (t[to] - tt[tt.length - k]) / 2;
  return (horizon) => {
    const h = Math.max(horizon, 1);
    const variance = Math.max(
      MIN_SCALE ** 2,
      noise + levelVariance + walk * h + h * h * slopeVariance,
    );
    return { mean: level + fit.slope * horizon, half: Z * Math.sqrt(variance) };
  };
}

/** Snapshots the recent level is read from: the median of three shrugs off one odd listing. */
const ANCHOR = 3;

/** A forecast of `method` from `points` (time-ordered) at `horizon` days after the last one. */
export function forecastWith(
  method: MethodName,
  points: readonly SeriesPoint[],
  horizonDays: number,
): PointForecast {
  const t = points.map((p) => p.t);
  const y = points.map((p) => Math.log(p.price));
  const from = Math.max(0, points.length - TRAINING_WINDOW);
  const { mean, half } = fitMethod(method, t, y, from, points.length - 1)(horizonDays);
  return { forecast: Math.exp(mean), lower: Math.exp(mean - half), upper: Math.exp(mean + half) };
}

/** How one method did in a rolling-origin backtest. */
export interface MethodScore {
  method: MethodName;
  /** Forecasts scored (every later snapshot within the horizon of every origin). */
  forecasts: number;
  /** Mean absolute error, in price units. */
  mae: number;
  /** Mean absolute percentage error, as a fraction. */
  mape: number;
  /** Share of actual prices inside the {@link INTERVAL} prediction interval. */
  coverage: number;
}

/** A rolling-origin backtest over one series. */
export interface Backtest {
  origins: number;
  methods: Record<MethodName, MethodScore>;
  /** Origins where Theil–Sen's mean absolute log error beat naive's. */
  winsVsNaive: number;
  /** Whether Theil–Sen beats naive: enough origins, MAE 5% lower and winning ≥ 3/4 of origins. */
  beatsNaive: boolean;
}

const METHODS: readonly MethodName[] = ["theil_sen", "naive", "drift"];

/**
 * Rolling-origin backtest: at each origin (from the {@link MIN_SNAPSHOTS}th snapshot on, the
 * latest {@link MAX_ORIGINS}), fit each method on what was known then (at most
 * {@link TRAINING_WINDOW} snapshots) and forecast every later snapshot within `horizonDays`;
 * score the errors against what the price really was.
 */
export function backtest(points: readonly SeriesPoint[], horizonDays: number): Backtest {
  const n = points.length;
  const t = points.map((p) => p.t);
  const y = points.map((p) => Math.log(p.price));
  const sums = Object.fromEntries(
    METHODS.map((m) => [m, { n: 0, abs: 0, ape: 0, inside: 0 }]),
  ) as Record<MethodName, { n: number; abs: number; ape: number; inside: number }>;
  let origins = 0;
  let wins = 0;
  const first = Math.max(MIN_SNAPSHOTS - 1, n - 1 - MAX_ORIGINS);
  for (let k = first; k < n - 1; k++) {
    const from = Math.max(0, k - TRAINING_WINDOW + 1);
    const logErr: Record<string, number> = { theil_sen: 0, naive: 0 };
    let scored = 0;
    const fitted = METHODS.map((m) => fitMethod(m, t, y, from, k));
    for (let j = k + 1; j < n && t[j] - t[k] <= horizonDays; j++) {
      scored++;
      const actual = points[j].price;
      for (let mi = 0; mi < METHODS.length; mi++) {
        const m = METHODS[mi];
        const { mean, half } = fitted[mi](t[j] - t[k]);
        const s = sums[m];
        const f = Math.exp(mean);
        s.n++;
        s.abs += Math.abs(f - actual);
        s.ape += Math.abs(f - actual) / actual;
        if (Math.abs(y[j] - mean) <= half) s.inside++;
        if (m !== "drift") logErr[m] += Math.abs(y[j] - mean);
      }
    }
    if (scored === 0) continue;
    origins++;
    if (logErr.theil_sen < logErr.naive) wins++;
  }
  const methods = Object.fromEntries(METHODS.map((m) => {
    const s = sums[m];
    return [m, {
      method: m,
      forecasts: s.n,
      mae: s.n ? s.abs / s.n : NaN,
      mape: s.n ? s.ape / s.n : NaN,
      coverage: s.n ? s.inside / s.n : NaN,
    }];
  })) as Record<MethodName, MethodScore>;
  const beatsNaive = origins >= MIN_ORIGINS &&
    methods.theil_sen.mae < (1 - MIN_GAIN) * methods.naive.mae &&
    wins * 4 >= origins * 3;
  return { origins, methods, winsVsNaive: wins, beatsNaive };
}

/** Options for {@link forecastSeries}. */
export interface ForecastOptions {
  /** How far ahead, in days (default 30). */
  horizonDays?: number;
  /** Format a price for the message (default two decimals). */
  formatPrice?: (price: number) => string;
}

/** A forecast for one series, or why it is withheld. */
export interface SeriesForecast {
  snapshots: number;
  spanDays: number;
  lastPrice: number | null;
  horizonDays: number;
  /** Whether the forecast may be shown: enough history and its backtest beats naive. */
  shown: boolean;
  /** Theil–Sen's forecast (also kept when withheld, for the notebook's eyes only). */
  forecast: PointForecast | null;
  backtest: Backtest | null;
  /** What the collector reads: the forecast, or why there is none. */
  message: string;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Days a series of points spans. */
export function spanDays(points: readonly SeriesPoint[]): number {
  return points.length < 2 ? 0 : points[points.length - 1].t - points[0].t;
}

/**
 * Forecast one series at the horizon, shown only where it is earned: at least
 * {@link MIN_SNAPSHOTS} priced snapshots over at least the horizon, and a backtest on which
 * Theil–Sen beats naive. Otherwise the message reads "not enough history to forecast (N
 * snapshots over D days; needs …)".
 */
export function forecastSeries(
  points: readonly SeriesPoint[],
  options: ForecastOptions = {},
): SeriesForecast {
  const horizonDays = options.horizonDays ?? 30;
  const money = options.formatPrice ?? ((p: number) => p.toFixed(2));
  const sorted = [...points].filter((p) => p.price > 0 && Number.isFinite(p.price))
    .sort((a, b) => a.t - b.t);
  const n = sorted.length;
  const span = spanDays(sorted);
  const base = {
    snapshots: n,
    spanDays: round(span),
    lastPrice: n ? sorted[n - 1].price : null,
    horizonDays,
  };
  const history = `${n} priced snapshot${n === 1 ? "" : "s"} over ${Math.round(span)} days`;
  if (n < MIN_SNAPSHOTS || span < horizonDays) {
    return {
      ...base,
      shown: false,
      forecast: null,
      backtest: null,
      message: `not enough history to forecast (${history}; needs at least ${MIN_SNAPSHOTS} ` +
        `priced snapshots over ${horizonDays} days or more)`,
    };
  }
  const bt = backtest(sorted, horizonDays);
  const forecast = forecastWith("theil_sen", sorted, horizonDays);
  const rounded = {
    forecast: round(forecast.forecast),
    lower: round(forecast.lower),
    upper: round(forecast.upper),
  };
  if (!bt.beatsNaive) {
    const why = bt.origins < MIN_ORIGINS
      ? `a backtest over at least ${MIN_ORIGINS} origins (has ${bt.origins})`
      : `a trend that beats "the price stays where it is" in the backtest (won ${bt.winsVsNaive} ` +
        `of ${bt.origins} origins, MAE ${money(bt.methods.theil_sen.mae)} vs naive ` +
        `${money(bt.methods.naive.mae)})`;
    return {
      ...base,
      shown: false,
      forecast: rounded,
      backtest: bt,
      message: `not enough history to forecast (${history}; needs ${why})`,
    };
  }
  return {
    ...base,
    shown: true,
    forecast: rounded,
    backtest: bt,
    message: `${money(rounded.forecast)} in ${horizonDays} days (${Math.round(INTERVAL * 100)}% ` +
      `interval ${money(rounded.lower)}–${money(rounded.upper)}); backtest MAE ` +
      `${money(bt.methods.theil_sen.mae)} vs naive ${money(bt.methods.naive.mae)} over ` +
      `${bt.origins} origins`,
  };
}
