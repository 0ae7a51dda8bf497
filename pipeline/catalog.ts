/**
 * `deno task catalog`: Discogs' monthly data dump as the catalogue — zstd Parquet under
 * `data/catalog/` (releases with their artists and credits, labels, genres, styles and formats;
 * masters; artists; labels), partitioned by id range. Streams `.xml.gz` or `.xml`; a rerun
 * resumes after the last complete part and skips finished files.
 *
 * @module
 */

import { numberFlag, stringFlag } from "../lib/cli/flags.ts";
import { InputError } from "../lib/errors.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { buildCatalog, DUMP_KINDS } from "../lib/catalog/build.ts";
import { DEFAULT_CATALOG_DIR, type DumpKind } from "../lib/catalog/schema.ts";
import { DEFAULT_PART_SIZE } from "../lib/catalog/write.ts";
import { catalogLine } from "../lib/catalog/summary.ts";
import { prepareCatalogue } from "../lib/pool/sources/catalog.ts";

const PART_SIZE = { min: 1, max: 10_000_000, integer: true };

const fileFlag = (kind: DumpKind) => ({
  type: "string" as const,
  description: `the dump's ${kind} file (discogs_YYYYMMDD_${kind}.xml.gz, or .xml)`,
  valueName: "FILE",
});

export const catalogStage: Stage = {
  name: "catalog",
  summary:
    "Build the catalogue from Discogs' monthly data dump (https://data.discogs.com/): Parquet tables of every release, master, artist and label.",
  flags: {
    releases: fileFlag("releases"),
    masters: fileFlag("masters"),
    artists: fileFlag("artists"),
    labels: fileFlag("labels"),
    catalog: {
      type: "string",
      description: "catalogue folder (Parquet tables and catalog.json)",
      default: DEFAULT_CATALOG_DIR,
      valueName: "DIR",
    },
    "part-size": {
      type: "string",
      description: "records per Parquet part (each table of an entity is cut at the same records)",
      default: String(DEFAULT_PART_SIZE),
      valueName: "N",
      number: PART_SIZE,
    },
    rebuild: {
      type: "boolean",
      description: "build the given files from the start, instead of resuming or skipping them",
    },
    "skip-index": {
      type: "boolean",
      description:
        "do not build the release index now (the first pool or complete run builds it instead)",
    },
  },
  validate(flags) {
    if (DUMP_KINDS.every((k) => stringFlag(flags, k) === undefined)) {
      throw new InputError(
        "catalog: give at least one dump file: --releases FILE (and --masters, --artists, " +
          "--labels FILE); download them from https://data.discogs.com/",
      );
    }
  },
  async run({ db, log }, flags) {
    const inputs: Partial<Record<DumpKind, string>> = {};
    for (const kind of DUMP_KINDS) {
      const path = stringFlag(flags, kind);
      if (path !== undefined) inputs[kind] = path;
    }
    const dir = stringFlag(flags, "catalog") ?? DEFAULT_CATALOG_DIR;
    const partSize = numberFlag(flags, "part-size", PART_SIZE) ?? DEFAULT_PART_SIZE;
    const rebuild = flags.rebuild === true;
    const entities = await buildCatalog(inputs, {
      dir,
      partSize,
      rebuild,
      info: (line) => log.info(line),
    });
    for (const entity of entities) log.info(catalogLine(entity));
    // Its release index and market counts, unless left to the first pool or complete run.
    const prepared = flags["skip-index"] === true
      ? { index: null }
      : await prepareCatalogue(db, dir, (line) => log.info(line));
    return {
      // The catalogue lives in its own folder (see catalog.json), not in the workspace.
      tables: {},
      warnings: prepared.warning ? [prepared.warning] : [],
      parameters: {
        ...inputs,
        catalog: dir,
        part_size: partSize,
        rebuild,
        skip_index: flags["skip-index"] === true,
      },
      summary: { ...Object.fromEntries(entities.map((e) => [e.kind, e])), index: prepared.index },
    };
  },
};

if (import.meta.main) {
  await main([catalogStage], { command: "catalog", summary: catalogStage.summary });
}
