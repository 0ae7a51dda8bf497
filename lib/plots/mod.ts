/**
 * Charts of a collection, built on Observable Plot: each chart function takes workspace rows
 * (as `Database.all` returns them) and returns a Plot figure that works in a browser page, in a
 * Deno notebook (`inline(figure)`) and headless as SVG or PNG (`toSvgString`, `toPng`,
 * `writeChart`). `standardCharts` is the set `deno task charts` writes to `data/out/charts/`.
 *
 * @example
 * ```ts
 * import { Database } from "../db/mod.ts";
 * import { priceDistribution, writeChart } from "./mod.ts";
 * const db = await Database.open("data/nextspin.duckdb");
 * const rows = await db.all<ScoreRow>("SELECT * FROM scores");
 * await writeChart(priceDistribution(rows, { currency: "EUR" }), "data/out/charts", "prices");
 * ```
 *
 * @module
 */

export * from "./render.ts";
export * from "./rows.ts";
export * from "./common.ts";
export * from "./collection.ts";
export * from "./market.ts";
export * from "./rank_shift.ts";
export * from "./taste_map.ts";
export * from "./taste_points.ts";
export * from "./standard.ts";
export * from "./money.ts";
