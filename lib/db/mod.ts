/**
 * The workspace database: one DuckDB file (default `data/nextspin.duckdb`) that every stage reads
 * its inputs from and writes its tables into. lib/db is the only place that talks to
 * `@duckdb/node-api` (connection, appender, values), so the rest of the code sees plain JS rows
 * and typed columns.
 *
 * @example
 * ```ts
 * const db = await Database.open(":memory:");
 * await db.replaceTable("t", "SELECT 42 AS answer");
 * const [row] = await db.all<{ answer: number }>("SELECT answer FROM t");
 * db.close();
 * ```
 *
 * @module
 */

import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from "@duckdb/node-api";
import { dirname } from "node:path";
import {
  type AppendColumns,
  type AppendRow,
  checkColumns,
  type RowAppender,
  rowAppender,
} from "./append.ts";

export type {
  AppendColumns,
  AppendRow,
  AppendScalarType,
  AppendType,
  CellValue,
  RowAppender,
} from "./append.ts";

/** Named SQL parameters, referenced as `$name` in the SQL text. */
export type SqlParams = Record<string, DuckDBValue | number | string | boolean | null>;

/** Default location of the workspace database. */
export const DEFAULT_DB_PATH = "data/nextspin.duckdb";

/** Quote an identifier (table or column name) for SQL. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quote a string literal for SQL (for the few places DuckDB does not accept a parameter). */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Convert DuckDB's JS values to what the rest of the code expects: safe integers as numbers. */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value;
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** {@link Database.replaceTable} refused to replace a table with an empty result. */
export class EmptyReplacementError extends Error {
  override name = "EmptyReplacementError";
  constructor(readonly table: string) {
    super(`refusing to replace table ${table} with no rows: the old table is kept`);
  }
}

/** A connection to the workspace database. */
export class Database {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly path: string,
  ) {}

  /**
   * Open (creating if needed) the database file at `path`; `:memory:` for a throwaway one. With
   * `readOnly`, the file must exist and is opened without a write lock, so other read-only
   * processes (notebooks) can share it.
   */
  static async open(
    path: string = DEFAULT_DB_PATH,
    options: { readOnly?: boolean } = {},
  ): Promise<Database> {
    if (options.readOnly) {
      const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
      return new Database(instance, await instance.connect(), path);
    }
    if (path !== ":memory:") await Deno.mkdir(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    return new Database(instance, connection, path);
  }

  /** Run a statement (or several separated by `;` when no params are given). */
  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.connection.run(sql, params as Record<string, DuckDBValue> | undefined);
  }

  /** Run a query and return its rows as plain objects. */
  async all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(
      sql,
      params as Record<string, DuckDBValue> | undefined,
    );
    return reader.getRowObjectsJS().map((row) => plain(row) as T);
  }

  /**
   * Run a query and return its rows as plain objects, each row written as JSON text by DuckDB
   * and parsed by V8: 3–4× faster than {@link Database.all} on thousands of rows with lists (the
   * driver builds each value one by one). Only for columns JSON carries as they are: text,
   * numbers (integers beyond 2⁵³ lose precision), booleans, NULL, and lists and structs of them
   * — a DATE or TIMESTAMP comes back as text. Rows keep the query's order. A result with a NaN or
   * infinite DOUBLE, which JSON cannot carry, is read again through {@link Database.all}.
   *
   * @example
   * ```ts
   * const rows = await db.allJson<{ key: string; styles: string[] }>(
   *   "SELECT key, styles FROM pool ORDER BY key",
   * );
   * ```
   */
  async allJson<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(
      `SELECT to_json(q)::VARCHAR FROM (${sql}) AS q`,
      params as Record<string, DuckDBValue> | undefined,
    );
    const column = reader.getColumns()[0] ?? [];
    const rows = new Array<T>(column.length);
    for (let i = 0; i < column.length; i++) {
      try {
        rows[i] = JSON.parse(column[i] as string);
      } catch {
        // NaN or ±Infinity in a DOUBLE: DuckDB writes them as bare words JSON has no place for.
        return this.all<T>(sql, params);
      }
    }
    return rows;
  }

  /**
   * Run a query and return its columns as arrays (much faster than row objects for large
   * results: no per-row object is built).
   */
  async columnsOf(sql: string, params?: SqlParams): Promise<Record<string, unknown[]>> {
    const reader = await this.connection.runAndReadAll(
      sql,
      params as Record<string, DuckDBValue> | undefined,
    );
    const columns = reader.getColumnsObjectJS() as Record<string, unknown[]>;
    for (const values of Object.values(columns)) {
      for (let i = 0; i < values.length; i++) {
        if (typeof values[i] === "bigint") values[i] = plain(values[i]);
      }
    }
    return columns;
  }

  /** Run a query and return its first row, or undefined. */
  async one<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** Run `body` in a transaction: all of it lands or none of it does. */
  async transaction<T>(body: () => Promise<T>): Promise<T> {
    await this.run("BEGIN TRANSACTION");
    try {
      const result = await body();
      await this.run("COMMIT");
      return result;
    } catch (error) {
      await this.run("ROLLBACK").catch(() => {});
      throw error;
    }
  }

  /**
   * Replace table `name` with the result of `selectSql` atomically: readers see the old table or
   * the new one, never a half-built one. With `refuseEmpty`, a result without rows is an error
   * and the old table stays as it was (for tables a later stage cannot do without).
   */
  async replaceTable(
    name: string,
    selectSql: string,
    params?: SqlParams,
    options: { refuseEmpty?: boolean } = {},
  ): Promise<number> {
    return await this.transaction(async () => {
      await this.run(`CREATE OR REPLACE TABLE ${ident(name)} AS ${selectSql}`, params);
      const rows = await this.count(name);
      if (rows === 0 && options.refuseEmpty) {
        throw new EmptyReplacementError(name);
      }
      return rows;
    });
  }

  /**
   * Record what stage `stage` warned about in its last run (table `run_warnings`), replacing
   * what it said before: the report shows them next to what they explain.
   */
  async replaceStageWarnings(stage: string, messages: readonly string[]): Promise<void> {
    await this.run(`CREATE TABLE IF NOT EXISTS run_warnings (stage VARCHAR, message VARCHAR)`);
    await this.run("DELETE FROM run_warnings WHERE stage = $stage", { stage });
    await this.insertRows("run_warnings", messages.map((message) => ({ stage, message })));
  }

  /** The warnings the given stages gave in their last run, in stage order. */
  async stageWarnings(stages: readonly string[]): Promise<{ stage: string; message: string }[]> {
    if (!(await this.tableExists("run_warnings"))) return [];
    const all = await this.all<{ stage: string; message: string }>(
      "SELECT stage, message FROM run_warnings",
    );
    return stages.flatMap((s) => all.filter((w) => w.stage === s));
  }

  /** Whether a table, temp table or view called `name` exists. */
  async tableExists(name: string): Promise<boolean> {
    const row = await this.one<{ n: number }>(
      `SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name = $name)
            + (SELECT count(*) FROM duckdb_views() WHERE view_name = $name AND NOT internal) AS n`,
      { name },
    );
    return (row?.n ?? 0) > 0;
  }

  /** Number of rows in a table. */
  async count(name: string): Promise<number> {
    const row = await this.one<{ n: number }>(`SELECT count(*) AS n FROM ${ident(name)}`);
    return row?.n ?? 0;
  }

  /**
   * Append plain objects to an existing table (temp tables too), typed by the table's own schema:
   * the rows go through a temporary NDJSON file that DuckDB reads with those column types, so
   * timestamps, lists and JSON arrive typed. Keys missing from a row become NULL.
   */
  async insertRows(table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = (await this.locate(table))?.columns ?? [];
    const spec = `{${columns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(", ")}}`;
    const file = await Deno.makeTempFile({ suffix: ".ndjson" });
    try {
      await Deno.writeTextFile(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
      await this.run(
        `INSERT INTO ${ident(table)} BY NAME SELECT * FROM read_json(${
          literal(file)
        }, format='newline_delimited', columns=${spec})`,
      );
    } finally {
      await Deno.remove(file).catch(() => {});
    }
  }

  /**
   * Where SQL finds table `table` (a temp table first, then the workspace's own database and
   * schema) and its columns in order; undefined when there is no such table.
   */
  private async locate(
    table: string,
  ): Promise<
    { catalog: string; schema: string; columns: { name: string; type: string }[] } | undefined
  > {
    const found = await this.one<{ catalog: string; schema: string }>(
      `SELECT database_name AS catalog, schema_name AS schema FROM duckdb_tables()
       WHERE table_name = $table
       ORDER BY database_name = 'temp' DESC, database_name = current_database() DESC,
                schema_name = current_schema() DESC
       LIMIT 1`,
      { table },
    );
    if (!found) return undefined;
    const columns = await this.all<{ name: string; type: string }>(
      `SELECT column_name AS name, data_type AS type FROM duckdb_columns()
       WHERE table_name = $table AND database_name = $catalog AND schema_name = $schema
       ORDER BY column_index`,
      { table, ...found },
    );
    return { ...found, columns };
  }

  /** Column names and DuckDB types of a table, in order. */
  async columns(name: string): Promise<{ name: string; type: string }[]> {
    const rows = await this.all<{ column_name: string; column_type: string }>(
      `DESCRIBE ${ident(name)}`,
    );
    return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
  }

  /**
   * Open a fast bulk appender on existing table `table` (a temp table of that name first, as SQL
   * resolves names), whose columns must be exactly `columns` (names, order and types; checked
   * here so a mismatch names the column). Call `close()` to flush the rows, `discard()` after an
   * error. For rows produced while other queries run on this database (e.g. read in batches).
   */
  async appender<C extends AppendColumns>(table: string, columns: C): Promise<RowAppender<C>> {
    const found = await this.locate(table);
    if (!found) throw new Error(`append to ${table}: no such table`);
    const { catalog, schema, columns: actual } = found;
    checkColumns(table, columns, actual);
    return rowAppender(await this.connection.createAppender(table, schema, catalog), columns);
  }

  /**
   * Append `rows` to existing table `table` with the bulk appender (see {@link appender}) and
   * return how many were appended. The appender flushes in chunks, so when a row cannot be
   * written the chunks before it have landed: call it inside {@link transaction} for all or none.
   */
  async append<C extends AppendColumns>(
    table: string,
    columns: C,
    rows: Iterable<AppendRow<C>>,
  ): Promise<number> {
    const appender = await this.appender(table, columns);
    try {
      for (const row of rows) appender.add(row);
    } catch (error) {
      appender.discard();
      throw error;
    }
    appender.close();
    return appender.rows;
  }

  /** DuckDB's version string, for the run manifest. */
  async version(): Promise<string> {
    const row = await this.one<{ v: string }>("SELECT version() AS v");
    return row?.v ?? "unknown";
  }

  /** Close the connection and release the file lock. */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
