/**
 * Points for the taste map. A workspace table `embeddings_2d` (x, y, cluster, label, kind) is used
 * as is when present; otherwise the points are derived from the `embeddings` table the embed stage
 * writes and the shelves the recommend stage stored (`shelves`, `shelf_members`; never clustered
 * again here): each record sits on its stored shelf, each recommendation on its nearest stored
 * shelf, and everything is projected onto the plane that spreads the shelves apart most
 * ({@link shelfPlane}).
 *
 * @example
 * ```ts
 * const found = await loadTasteMapPoints(db);
 * if ("points" in found) inline(tasteMap(found.points, { projection: found.projection }));
 * else console.log(found.skipped);
 * ```
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { seededRandom } from "../embed/projection.ts";
import { readEmbeddings } from "../embed/table.ts";
import { InputError } from "../errors.ts";
import { loadCollectionCandidates } from "../recommend/load.ts";
import { nearestShelfOf, readShelves, shelfSimilarities } from "../recommend/shelves.ts";
import { recordLabel } from "./common.ts";
import type { TasteMapPoint } from "./rows.ts";

/** A 2-D linear projection: subtract `mean`, then dot with each axis. */
export interface Plane {
  mean: Float64Array;
  axes: [Float64Array, Float64Array];
}

/**
 * Up to `count` principal directions of `n` row-major vectors (optionally weighted), orthogonal
 * to the unit vectors already in `found`, by power iteration with deflation from a seeded start.
 * Each direction's sign is fixed so its largest component is positive: the map does not flip
 * between runs.
 */
function principalDirections(
  vectors: ArrayLike<number>,
  dims: number,
  count: number,
  options: {
    weights?: ArrayLike<number>;
    found?: Float64Array[];
    seed?: number;
    /** The vectors' (weighted) mean, when the caller already has it. */
    mean?: Float64Array;
  } = {},
): Float64Array[] {
  const n = Math.floor(vectors.length / dims);
  const weight = (i: number) => options.weights?.[i] ?? 1;
  const mean = options.mean ?? meanOf(vectors, dims, options.weights);
  const found = [...(options.found ?? [])];
  const rng = seededRandom(options.seed ?? 42);
  // Covariance times v, without forming the covariance: Σ wᵢ xᵢ (xᵢ · v) over centred rows.
  const times = (v: Float64Array) => {
    const out = new Float64Array(dims);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < dims; j++) s += (vectors[i * dims + j] - mean[j]) * v[j];
      s *= weight(i);
      for (let j = 0; j < dims; j++) out[j] += s * (vectors[i * dims + j] - mean[j]);
    }
    return out;
  };
  const orthonormalize = (v: Float64Array) => {
    for (const u of found) {
      let d = 0;
      for (let j = 0; j < dims; j++) d += v[j] * u[j];
      for (let j = 0; j < dims; j++) v[j] -= d * u[j];
    }
    let norm = 0;
    for (let j = 0; j < dims; j++) norm += v[j] ** 2;
    norm = Math.sqrt(norm);
    if (norm > 1e-12) { for (let j = 0; j < dims; j++) v[j] /= norm; }
    return norm;
  };
  const out: Float64Array[] = [];
  for (let c = 0; c < count && found.length < dims; c++) {
    let v = Float64Array.from({ length: dims }, () => rng() - 0.5);
    orthonormalize(v);
    for (let it = 0; it < 300; it++) {
      const next = times(v);
      // No variance left in the remaining directions: any orthogonal unit vector will do.
      if (orthonormalize(next) <= 1e-12) break;
      let delta = 0;
      for (let j = 0; j < dims; j++) delta = Math.max(delta, Math.abs(next[j] - v[j]));
      v = next;
      if (delta < 1e-10) break;
    }
    let big = 0;
    for (let j = 0; j < dims; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
    if (v[big] < 0) { for (let j = 0; j < dims; j++) v[j] = -v[j]; }
    found.push(v);
    out.push(v);
  }
  return out;
}

/** The mean of `n` row-major vectors, each counted `weights[i]` times (default once). */
function meanOf(
  vectors: ArrayLike<number>,
  dims: number,
  weights?: ArrayLike<number>,
): Float64Array {
  const n = Math.floor(vectors.length / dims);
  let total = 0;
  const mean = new Float64Array(dims);
  for (let i = 0; i < n; i++) {
    const w = weights?.[i] ?? 1;
    total += w;
    for (let j = 0; j < dims; j++) mean[j] += w * vectors[i * dims + j];
  }
  for (let j = 0; j < dims; j++) mean[j] /= total || 1;
  return mean;
}

/** The first two principal components of `n` row-major vectors of `dims` dimensions. */
export function principalPlane(vectors: ArrayLike<number>, dims: number, seed = 42): Plane {
  const mean = meanOf(vectors, dims);
  const [a, b] = principalDirections(vectors, dims, 2, { seed, mean });
  return { mean, axes: [a, b] };
}

/**
 * The plane that spreads the shelves apart: the principal directions of the cluster centroids
 * weighted by cluster size (between-shelf variance), completed by the collection's own principal
 * components when there are fewer than three shelves. Plain PCA lets one far-off shelf take both
 * axes and piles the others on top of each other.
 */
export function shelfPlane(
  vectors: ArrayLike<number>,
  dims: number,
  clustering: { k: number; centroids: ArrayLike<number>; sizes: readonly number[] },
  seed = 42,
): Plane {
  const between = clustering.k >= 2
    ? principalDirections(clustering.centroids, dims, Math.min(2, clustering.k - 1), {
      weights: clustering.sizes,
      seed,
    })
    : [];
  const mean = meanOf(vectors, dims);
  const rest = principalDirections(vectors, dims, 2 - between.length, {
    found: between,
    seed,
    mean,
  });
  const [a, b] = [...between, ...rest];
  return { mean, axes: [a, b] };
}

/** Project the `i`-th vector of `vectors` onto `plane`. */
export function projectOnto(
  plane: Plane,
  vectors: ArrayLike<number>,
  dims: number,
  i: number,
): [number, number] {
  let x = 0;
  let y = 0;
  for (let j = 0; j < dims; j++) {
    const v = vectors[i * dims + j] - plane.mean[j];
    x += v * plane.axes[0][j];
    y += v * plane.axes[1][j];
  }
  return [x, y];
}

/** A ready-made projection: the `embeddings_2d` table as taste map points. */
const EMBEDDINGS_2D_SQL =
  "SELECT x::DOUBLE AS x, y::DOUBLE AS y, cluster, label, kind FROM embeddings_2d";

/**
 * The pool's recommended records, one row per pool key, in the order they are labelled: list by
 * list in the registry's order (`recommendation_kinds`; a kind it does not list comes last), each
 * by rank.
 */
const RECOMMENDED_PICKS_SQL = `
  SELECT pool_key, any_value(artist) AS artist, any_value(title) AS title,
         min(coalesce(k.kind_order, 1000) * 100000 + r.rank) AS o
  FROM recommendations r LEFT JOIN recommendation_kinds k USING (kind)
  WHERE pool_key IS NOT NULL GROUP BY pool_key ORDER BY o, pool_key`;

/** The same without a `recommendation_kinds` table (a workspace recommended before it existed). */
const RECOMMENDED_PICKS_UNORDERED_SQL = RECOMMENDED_PICKS_SQL
  .replace("coalesce(k.kind_order, 1000)", "1")
  .replace(" LEFT JOIN recommendation_kinds k USING (kind)", "");

/** Where the taste map's points came from, or why there are none. */
export type TasteMapSource =
  | { points: TasteMapPoint[]; projection: string; source: "embeddings_2d" | "embeddings" }
  | { skipped: string };

/**
 * Read or derive taste map points from the workspace (see the module doc). Returns
 * `{ skipped }` with a reason when there is nothing to map yet.
 */
export async function loadTasteMapPoints(db: Database): Promise<TasteMapSource> {
  if (await db.tableExists("embeddings_2d")) {
    try {
      const points = await db.all<TasteMapPoint>(EMBEDDINGS_2D_SQL);
      return {
        points,
        projection: "Projection from the embeddings_2d table.",
        source: "embeddings_2d",
      };
    } catch (error) {
      throw new InputError(
        `the \`embeddings_2d\` table needs columns x, y, cluster, label, kind (${
          error instanceof Error ? error.message.split("\n")[0] : error
        })`,
      );
    }
  }
  if (!(await db.tableExists("embeddings"))) {
    return { skipped: "no `embeddings` table yet (run `deno task embed`)" };
  }
  const collection = await loadCollectionCandidates(db);
  const stored = await readEmbeddings(db, collection.map((c) => c.key));
  if (!stored || collection.length === 0) {
    return {
      skipped: "the `embeddings` table does not cover the collection (run `deno task embed`)",
    };
  }
  const { vectors, dims } = stored;
  const shelves = await readShelves(db);
  if (!shelves) {
    return { skipped: "no `shelves` table yet (run `deno task recommend`)" };
  }
  const shelfOf = collection.map((c) =>
    c.releaseId === null ? undefined : shelves.members.get(c.releaseId)
  );
  if (shelves.dims !== dims || shelfOf.some((s) => s === undefined)) {
    return {
      skipped:
        "the `shelves` table does not match the collection's embeddings (run `deno task recommend`)",
    };
  }
  const plane = shelfPlane(vectors, dims, shelves);
  const points: TasteMapPoint[] = collection.map((c, i) => {
    const [x, y] = projectOnto(plane, vectors, dims, i);
    return {
      x,
      y,
      cluster: shelves.names[shelfOf[i]!],
      label: recordLabel({ artist: c.artist, title: c.title }),
      kind: "collection",
    };
  });
  if (await db.tableExists("recommendations")) {
    const picks = await db.all<{ pool_key: string; artist: string | null; title: string | null }>(
      (await db.tableExists("recommendation_kinds"))
        ? RECOMMENDED_PICKS_SQL
        : RECOMMENDED_PICKS_UNORDERED_SQL,
    );
    const pickVectors = picks.length
      ? await readEmbeddings(db, picks.map((p) => p.pool_key))
      : null;
    if (pickVectors && pickVectors.dims === dims) {
      const sims = shelfSimilarities(pickVectors.vectors, shelves.centroids, dims);
      picks.forEach((p, i) => {
        const [x, y] = projectOnto(plane, pickVectors.vectors, dims, i);
        points.push({
          x,
          y,
          cluster: shelves.names[nearestShelfOf(sims, shelves.k, i).shelf],
          label: recordLabel(p),
          kind: "recommendation",
        });
      });
    }
  }
  return {
    points,
    projection:
      "Taste embeddings projected onto the plane that best separates your shelves; near means similar styles, labels and artists, and the axes carry no units.",
    source: "embeddings",
  };
}
