/**
 * A larger catalogue from a built one, for the prefilter benchmark: `copies` copies of every
 * releases part, copy k with release and master ids shifted by k × `offset` and artist and label
 * ids moved by a per-copy rotation of the synthetic dump's id ranges (artists 1–9,000,000,
 * labels 1–2,300,000, lib/catalog/synthetic.ts), so ids stay as uniform as the generator draws
 * them and each copy's credits are other people's. Styles, names, titles and years are copied:
 * the same distributions as the generator's at the larger size. The prefilter builds its release
 * index (`lib/catalog/release_index.ts`) the first time it reads the copy. Generating 5M releases
 * of XML and building them takes most of an hour on this shared 2-core machine; this takes
 * minutes.
 *
 * @module
 */

import { join } from "node:path";
import { Database, literal } from "../lib/db/mod.ts";
import { partFileName } from "../lib/catalog/manifest.ts";
import { writeTextAtomically } from "../lib/fs/atomic.ts";
import { MANIFEST_FILE } from "../lib/catalog/schema.ts";

const ARTIST_IDS = 9_000_000;
const LABEL_IDS = 2_300_000;

/** The SELECT that copies table `table` of one part as copy `k` (`$src` is the file). */
function copySelect(table: string, k: number, offset: number): string {
  const shift = (col: string) => `${col} + ${k * offset}`;
  const rotate = (col: string, n: number, step: number) =>
    k === 0
      ? col
      : `CASE WHEN ${col} IS NULL THEN NULL ELSE (${col} - 1 + ${k * step}) % ${n} + 1 END`;
  switch (table) {
    case "releases":
      return `SELECT * REPLACE (${shift("id")} AS id, ${shift("master_id")} AS master_id)`;
    case "release_artists":
      return `SELECT * REPLACE (${shift("release_id")} AS release_id,
        ${rotate("artist_id", ARTIST_IDS, 1_800_017)} AS artist_id)`;
    case "release_labels":
      return `SELECT * REPLACE (${shift("release_id")} AS release_id,
        ${rotate("label_id", LABEL_IDS, 460_009)} AS label_id)`;
    default:
      return `SELECT * REPLACE (${shift("release_id")} AS release_id)`;
  }
}

/**
 * Write `copies` copies of the releases tables of catalogue `from` into `to` (which must not
 * exist yet), with a `catalog.json` listing the releases as built from `from`.
 */
export async function replicateCatalogue(
  from: string,
  to: string,
  copies: number,
): Promise<void> {
  const tables = [
    "releases",
    "release_artists",
    "release_labels",
    "release_genres",
    "release_styles",
    "release_formats",
  ];
  const parts = [...Deno.readDirSync(join(from, "releases"))]
    .map((e) => e.name).filter((n) => n.endsWith(".parquet")).sort();
  const ranges = parts.map((p) => p.replace(".parquet", "").split("-").map(Number));
  const offset = 10 ** Math.ceil(Math.log10(Math.max(...ranges.map((r) => r[1])) + 1));
  const db = await Database.open(":memory:");
  try {
    for (const table of tables) await Deno.mkdir(join(to, table), { recursive: true });
    for (let k = 0; k < copies; k++) {
      for (let i = 0; i < parts.length; i++) {
        const file = partFileName(ranges[i][0] + k * offset, ranges[i][1] + k * offset);
        for (const table of tables) {
          const src = literal(join(from, table, parts[i]));
          await db.run(
            `COPY (${copySelect(table, k, offset)} FROM read_parquet(${src}))
             TO ${literal(join(to, table, file))} (FORMAT parquet, COMPRESSION zstd)`,
          );
        }
      }
    }
  } finally {
    db.close();
  }
  await writeTextAtomically(
    join(to, MANIFEST_FILE),
    JSON.stringify(
      {
        version: 1,
        updated_at: new Date().toISOString(),
        sources: {},
        entities: {},
        replicated_from: { dir: from, copies, id_offset: offset },
      },
      null,
      2,
    ) + "\n",
  );
}
