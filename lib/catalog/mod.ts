/**
 * The catalogue: Discogs' monthly data dump as Parquet (`schema.ts` is the contract), read in
 * place by DuckDB views (`open.ts`).
 *
 * @module
 */

export * from "./schema.ts";
export * from "./open.ts";
