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

/**
 * Vectors of the given keys from the `embeddings` table, in that order, or null when the table is
 * missing or lacks any key (then the caller embeds afresh).
 */
export async function readEmbeddings(
  db: Database,
  keys: readonly string[],
): Promise<{ vectors: Float32Array; dims: number } | null> {
  if (!(await db.tableExists("embeddings"))) return null;
  const columns = await db.columnsOf("SELECT key, vector FROM embeddings");
  const index = new Map<string, number>();
  (columns.key as string[]).forEach((key, i) => index.set(key, i));
  if (keys.some((k) => !index.has(k))) return null;
  const first = columns.vector[0] as ArrayLike<number> | undefined;
  const dims = first?.length ?? 0;
  const vectors = new Float32Array(keys.length * dims);
  keys.forEach((key, i) =>
    vectors.set(columns.vector[index.get(key)!] as ArrayLike<number>, i * dims)
  );
  return { vectors, dims };
}
