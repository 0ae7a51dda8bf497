/**
 * Money: the collection's value over time and its movers (history.ts), forecasts with a
 * rolling-origin backtest (forecast.ts, trends.ts), a seeded synthetic price history for tests
 * and the bench (synthetic.ts), and the best crate under a budget (knapsack.ts, crate.ts). The
 * workspace tables are read and written in tables.ts.
 *
 * @module
 */

export * from "./history.ts";
export * from "./forecast.ts";
export * from "./synthetic.ts";
export * from "./knapsack.ts";
export * from "./crate.ts";
export * from "./trends.ts";
export * from "./tables.ts";
