/**
 * Tables for notebooks: plain rows (as `Database.all` and the lib functions return them) into a
 * `nodejs-polars` DataFrame with readable column headings, which the Deno kernel renders as an
 * HTML table. Lists become comma-separated text, dates ISO text, whole-number columns integers
 * (nulls kept), and other numbers are rounded to a few significant digits for reading.
 *
 * @example
 * ```ts
 * frame(rows, { "Rank": "value_rank", "Record": (r) => `${r.artist} – ${r.title}`, "Why": "value_why" });
 * ```
 *
 * @module
 */

import pl from "nodejs-polars";

/** A DataFrame, as the kernel displays it. */
export type Frame = pl.DataFrame;

/** A cell value a table can show. */
export type Cell = string | number | boolean | null;

/** A column: a key of the row, or a function computing the cell. */
export type Column<T> = (keyof T & string) | ((row: T, index: number) => unknown);

/** Options for {@link frame}. */
export interface FrameOptions {
  /** Significant digits for non-integer numbers (default 4); `null` keeps them as they are. */
  digits?: number | null;
}

/** Turn any value into a cell: lists joined, dates as ISO text, objects as JSON. */
export function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : value.toISOString().replace(".000Z", "Z");
  }
  if (Array.isArray(value)) {
    return value.filter((v) => v !== null && v !== undefined).map((v) => String(toCell(v)))
      .join(", ");
  }
  return JSON.stringify(value);
}

function series(name: string, cells: Cell[], digits: number | null): pl.Series {
  const present = cells.filter((c) => c !== null);
  if (present.length > 0 && present.every((c) => typeof c === "number")) {
    const numbers = cells as (number | null)[];
    if (numbers.every((n) => n === null || Number.isSafeInteger(n))) {
      return pl.Series(name, numbers, pl.Int64);
    }
    const round = (n: number) => (digits === null ? n : Number(n.toPrecision(digits)));
    return pl.Series(name, numbers.map((n) => (n === null ? null : round(n))), pl.Float64);
  }
  if (present.length > 0 && present.every((c) => typeof c === "boolean")) {
    return pl.Series(name, cells, pl.Bool);
  }
  return pl.Series(name, cells.map((c) => (c === null ? null : String(c))), pl.Utf8);
}

/**
 * A DataFrame of `rows` with the given `columns` (heading → key or function), in that order; with
 * no columns, every key of the first row under its own name.
 */
export function frame<T extends object>(
  rows: readonly T[],
  columns?: Record<string, Column<T>>,
  options: FrameOptions = {},
): Frame {
  const spec: Record<string, Column<T>> = columns ??
    Object.fromEntries(Object.keys(rows[0] ?? {}).map((k) => [k, k as keyof T & string]));
  const digits = options.digits === undefined ? 4 : options.digits;
  const all = Object.entries(spec).map(([heading, column]) => {
    const cells = rows.map((row, i) =>
      toCell(
        typeof column === "function" ? column(row, i) : (row as Record<string, unknown>)[column],
      )
    );
    return series(heading, cells, digits);
  });
  return pl.DataFrame(all);
}
