/**
 * The `embeddings` table: one row per collection or pool release, `vector FLOAT[dims]`.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";

/** Rows written per statement (bounds the JSON handed to DuckDB). */
const BATCH = 20_000;

/** Replace `embeddings` with the given vectors (row-major, unit length), atomically. */
export async function writeEmbeddings(
  db: Database,
  dims: number,
  groups: { kind: string; keys: readonly string[]; vectors: Float32Array }[],
): Promise<number> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE embeddings_staging (key VARCHAR, kind VARCHAR, vector FLOAT[${dims}])`,
  );
  for (const { kind, keys, vectors } of groups) {
    for (let start = 0; start < keys.length; start += BATCH) {
      const end = Math.min(keys.length, start + BATCH);
      const rows: number[][] = [];
      for (let i = start; i < end; i++) {
        rows.push(
          Array.from(vectors.subarray(i * dims, (i + 1) * dims), (v) => Math.round(v * 1e6) / 1e6),
        );
      }
      await db.run(
        `INSERT INTO embeddings_staging
         SELECT unnest($keys::JSON::VARCHAR[]), $kind, unnest($vectors::JSON::FLOAT[][])::FLOAT[${dims}]`,
        { keys: JSON.stringify(keys.slice(start, end)), kind, vectors: JSON.stringify(rows) },
      );
    }
  }
  const n = await db.replaceTable("embeddings", "SELECT * FROM embeddings_staging");
  await db.run("DROP TABLE IF EXISTS embeddings_staging");
  return n;
}
