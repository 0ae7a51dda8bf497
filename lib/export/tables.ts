/**
 * Table exports for people and tools outside DuckDB: Parquet for every table, CSV for rankings.
 * Files are written atomically, and CSV text cells are neutralised so a spreadsheet never runs a
 * formula that came from the data.
 *
 * @module
 */

import { type Database, ident, literal } from "../db/mod.ts";
import { writeAtomically } from "../fs/atomic.ts";

/**
 * Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection list). A
 * cell starting with one of them gets a leading apostrophe, which spreadsheets display as text.
 */
export const FORMULA_TRIGGER_PATTERN = "^[=+\\-@\\t\\r]";

/** Neutralise one text cell (the TypeScript twin of the SQL used for CSV exports). */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Write `table` to `path` as Parquet (zstd), atomically. */
export async function exportParquet(db: Database, table: string, path: string): Promise<void> {
  await writeAtomically(path, (tmp) =>
    db.run(
      `COPY (SELECT * FROM ${ident(table)}) TO ${literal(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
    ));
}

/** The SELECT list that renders each column as a safe CSV cell. */
async function csvProjection(db: Database, table: string): Promise<string> {
  const columns = await db.columns(table);
  return columns.map(({ name, type }) => {
    const col = ident(name);
    let text: string | undefined;
    if (type.endsWith("[]")) text = `array_to_string(${col}, '; ')`;
    else if (type === "VARCHAR" || type === "JSON") text = `${col}::VARCHAR`;
    if (text === undefined) return col;
    // A first-character test does what FORMULA_TRIGGER_PATTERN says, without a regex per cell.
    return `CASE WHEN left(${text}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) ` +
      `THEN '''' || ${text} ELSE ${text} END AS ${col}`;
  }).join(", ");
}

/** Write `table` (optionally ordered) to `path` as CSV with a header, neutralised, atomically. */
export async function exportCsv(
  db: Database,
  table: string,
  path: string,
  orderBy?: string,
): Promise<void> {
  const select = `SELECT ${await csvProjection(db, table)} FROM ${ident(table)}` +
    (orderBy ? ` ORDER BY ${orderBy}` : "");
  await writeAtomically(
    path,
    (tmp) => db.run(`COPY (${select}) TO ${literal(tmp)} (FORMAT csv, HEADER true)`),
  );
}
