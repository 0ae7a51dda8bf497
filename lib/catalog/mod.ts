/**
 * The catalogue: Discogs' monthly data dump read as records (`DumpParser`), and the contract of
 * the Parquet tables the `catalog` stage writes from them (`schema.ts`).
 *
 * @module
 */

export * from "./schema.ts";
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
