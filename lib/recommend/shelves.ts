/**
 * Taste shelves: the collection clustered in the embedding space (spherical k-means, k chosen
 * from the data) and named by what the shelf's records share. Clustered once, by the recommend
 * stage's context, and stored in two tables everything else reads (the taste map, notebooks):
 *
 * - `shelves` (shelf_id, name, size, centroid FLOAT[]): shelf 1 is the first cluster;
 * - `shelf_members` (release_id, shelf_id, similarity): every collection release, its shelf and
 *   its cosine to the shelf's centroid.
 *
 * @example
 * ```ts
 * const shelves = fitShelves(collection, vectors, dims);
 * await writeShelves(db, collection, shelves, vectors);
 * const stored = await readShelves(db); // names, centroids, members by release id
 * ```
 *
 * @module
 */

import { clusterInBackground } from "../cluster/background.ts";
import type { SharedScan } from "../embed/shared_scan.ts";
import { chooseClusters, type Clustering } from "../cluster/kmeans.ts";
import type { Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import { rowDot } from "../embed/similarity.ts";
import type { Candidate } from "./candidates.ts";
import { shelfNames } from "./explain.ts";

export {
  beginShelfScan,
  bestShelfSimilarities,
  sharedRows,
  type ShelfScan,
  shelfSimilarities,
} from "./shelf_scan.ts";

/** How shelves are clustered unless a caller asks otherwise: at most 8, seed 42. */
export const SHELF_CLUSTERING = { kMax: 8, seed: 42 } as const;

/** A collection's shelves: the clustering and each shelf's name (index = cluster). */
export interface Shelves {
  clustering: Clustering;
  names: string[];
}

/** Cluster the collection's vectors (row-major, `dims` wide) into named shelves. */
export function fitShelves(
  collection: readonly Candidate[],
  vectors: Float32Array,
  dims: number,
  options: { kMax?: number; seed?: number } = {},
): Shelves {
  const clustering = chooseClusters(vectors, dims, {
    kMax: options.kMax ?? SHELF_CLUSTERING.kMax,
    seed: options.seed ?? SHELF_CLUSTERING.seed,
  });
  return { clustering, names: shelfNames(collection, clustering.assignments, clustering.k) };
}

/** Shelves being clustered on another thread ({@link fitShelvesInBackground}). */
export interface PendingShelves {
  /** The shelves, as {@link fitShelves} gives them (waits for the clustering). */
  result(): Shelves;
  /** False while the helper is still clustering (see `PendingClustering.ready`). */
  ready(): boolean;
}

/**
 * {@link fitShelves}, with the clustering on the worker thread of `lib/cluster/background.ts`
 * (the same shelves): start it, do other work, then ask for the result. With `scan` (a shelf
 * scan's job, see `beginShelfScan`), the helper goes on to its share of the scan.
 */
export function fitShelvesInBackground(
  collection: readonly Candidate[],
  vectors: Float32Array,
  dims: number,
  options: { kMax?: number; seed?: number } = {},
  scan?: SharedScan,
): PendingShelves {
  const pending = clusterInBackground(vectors, dims, {
    kMax: options.kMax ?? SHELF_CLUSTERING.kMax,
    seed: options.seed ?? SHELF_CLUSTERING.seed,
  }, scan);
  let shelves: Shelves | null = null;
  return {
    ready: () => pending.ready(),
    result() {
      if (shelves) return shelves;
      const clustering = pending.result();
      return (shelves = {
        clustering,
        names: shelfNames(collection, clustering.assignments, clustering.k),
      });
    },
  };
}

/** The shelf record `i` is most similar to (first on ties), from n × k {@link shelfSimilarities}. */
export function nearestShelfOf(
  sims: Float32Array,
  k: number,
  i: number,
): { shelf: number; similarity: number } {
  let shelf = 0;
  for (let c = 1; c < k; c++) if (sims[i * k + c] > sims[i * k + shelf]) shelf = c;
  return { shelf, similarity: sims[i * k + shelf] };
}

const SHELVES_SQL = `
  SELECT (j ->> 'shelf_id')::INTEGER AS shelf_id, j ->> 'name' AS name,
    (j ->> 'size')::INTEGER AS size, (j -> 'centroid')::FLOAT[] AS centroid
  FROM (SELECT unnest($rows::JSON[]) AS j)
  ORDER BY shelf_id`;

const SHELF_MEMBERS_SQL = `
  SELECT (j ->> 'release_id')::BIGINT AS release_id, (j ->> 'shelf_id')::INTEGER AS shelf_id,
    (j ->> 'similarity')::DOUBLE AS similarity
  FROM (SELECT unnest($rows::JSON[]) AS j)
  ORDER BY shelf_id, similarity DESC, release_id`;

/**
 * Replace the `shelves` and `shelf_members` tables with these shelves of `collection`
 * (`vectors` are the collection's, as clustered). Returns the rows of each.
 */
export async function writeShelves(
  db: Database,
  collection: readonly Pick<Candidate, "releaseId">[],
  shelves: Shelves,
  vectors: Float32Array,
): Promise<{ shelves: number; shelf_members: number }> {
  const { k, dims, centroids, assignments, sizes } = shelves.clustering;
  const shelfRows = shelves.names.map((name, c) => ({
    shelf_id: c + 1,
    name,
    size: sizes[c],
    centroid: Array.from(centroids.subarray(c * dims, (c + 1) * dims)),
  }));
  const members = collection.flatMap((release, i) =>
    release.releaseId === null ? [] : [{
      release_id: release.releaseId,
      shelf_id: assignments[i] + 1,
      similarity: rowDot(vectors, i, centroids, assignments[i], dims),
    }]
  );
  if (shelfRows.length !== k) throw new Error(`${k} shelves but ${shelfRows.length} names`);
  return {
    shelves: await db.replaceTable("shelves", SHELVES_SQL, { rows: JSON.stringify(shelfRows) }),
    shelf_members: await db.replaceTable("shelf_members", SHELF_MEMBERS_SQL, {
      rows: JSON.stringify(members),
    }),
  };
}

/** The stored shelves: names, sizes and centroids by shelf index, and each member's shelf. */
export interface StoredShelves {
  k: number;
  dims: number;
  names: string[];
  sizes: number[];
  /** Row-major k × dims. */
  centroids: Float32Array;
  /** Shelf index (0-based: `shelf_id` − 1) of each collection release, by release id. */
  members: Map<number, number>;
}

const STALE = "the `shelves` table does not match the collection: run `deno task recommend` again";

/**
 * The `shelves` and `shelf_members` tables, or null when the recommend stage has not written
 * them yet. Shelf ids must run 1..k with centroids of one width (an {@link InputError} otherwise).
 */
export async function readShelves(db: Database): Promise<StoredShelves | null> {
  if (!(await db.tableExists("shelves")) || !(await db.tableExists("shelf_members"))) return null;
  const rows = await db.all<{ shelf_id: number; name: string; size: number; centroid: number[] }>(
    "SELECT shelf_id, name, size, centroid FROM shelves ORDER BY shelf_id",
  );
  const dims = rows[0]?.centroid?.length ?? 0;
  if (rows.some((r, c) => r.shelf_id !== c + 1 || r.centroid?.length !== dims)) {
    throw new InputError(`${STALE} (shelf ids must run 1..${rows.length})`);
  }
  const centroids = new Float32Array(rows.length * dims);
  rows.forEach((r, c) => centroids.set(r.centroid, c * dims));
  const members = new Map<number, number>();
  const columns = await db.columnsOf("SELECT release_id, shelf_id FROM shelf_members");
  columns.release_id.forEach((id, i) => members.set(Number(id), Number(columns.shelf_id[i]) - 1));
  return {
    k: rows.length,
    dims,
    names: rows.map((r) => r.name),
    sizes: rows.map((r) => r.size),
    centroids,
    members,
  };
}

/**
 * Stored shelves as the {@link Shelves} of `collection` (assignments in its order), for a
 * context that reads the shelves instead of clustering again. An {@link InputError} when they were
 * clustered from another collection or in another space.
 */
export function storedShelvesOf(
  stored: StoredShelves,
  collection: readonly Candidate[],
  dims: number,
): Shelves {
  if (stored.dims !== dims) {
    throw new InputError(
      `${STALE} (its centroids have ${stored.dims} dimensions, the embeddings ${dims})`,
    );
  }
  const assignments = Int32Array.from(
    collection,
    (c) => c.releaseId === null ? -1 : stored.members.get(c.releaseId) ?? -1,
  );
  if (
    assignments.some((a) => a < 0 || a >= stored.k) || stored.members.size !== collection.length
  ) {
    throw new InputError(
      `${STALE} (it has ${stored.members.size} releases, the collection ${collection.length})`,
    );
  }
  return {
    clustering: {
      k: stored.k,
      dims,
      centroids: stored.centroids,
      assignments,
      sizes: stored.sizes,
    },
    names: stored.names,
  };
}
