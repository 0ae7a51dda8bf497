/**
 * The catalogue: Discogs' monthly data dump read as records (`DumpParser`), the contract of the
 * Parquet tables the `catalog` stage writes from them (`schema.ts`), the build itself (`build.ts`:
 * file → parser → `write.ts`'s Parquet parts, `catalog.json`, resuming), the synthetic dumps of
 * tests and benchmarks (`synthetic.ts`), and DuckDB views that read the tables in place
 * (`open.ts`).
 *
 * @module
 */

export * from "./schema.ts";
export * from "./open.ts";
export { DumpFormatError, DumpParser, type DumpParserOptions } from "./parse.ts";
export { RECORD_ELEMENT } from "./values.ts";
export { buildCatalog, type BuildOptions, DUMP_KINDS, type EntitySummary } from "./build.ts";
export {
  type CatalogEntity,
  type CatalogManifest,
  type CatalogPart,
  readCatalogManifest,
} from "./manifest.ts";
export { CatalogWriter, DEFAULT_PART_SIZE } from "./write.ts";
export { type DumpGeneration, writeSyntheticDump } from "./synthetic.ts";
