/**
 * The catalogue: Discogs' monthly data dump read as records (`DumpParser`), the contract of the
 * Parquet tables the `catalog` stage writes from them (`schema.ts`), and DuckDB views that read
 * those tables in place (`open.ts`).
 *
 * @module
 */

export * from "./schema.ts";
export * from "./open.ts";
export { DumpFormatError, DumpParser, type DumpParserOptions } from "./parse.ts";
export { RECORD_ELEMENT } from "./values.ts";
