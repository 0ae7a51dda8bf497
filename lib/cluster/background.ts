/**
 * Clustering a collection on the helper thread (`lib/parallel/helper.ts`) while this one does
 * other work: a first query over a big pool needs the shelves (clustering the collection) and the
 * taste fit (a pass over every pool record's tokens), and neither needs the other, so on a 2-core
 * machine they can run at once. The helper runs {@link chooseClusters} itself — the same shelves,
 * bit for bit — and hands the result back through a `SharedArrayBuffer`;
 * {@link PendingClustering.result} blocks until it is there. Without a helper, or when it fails,
 * the waiting thread clusters for itself.
 *
 * @example
 * ```ts
 * const pending = clusterInBackground(vectors, 64, { kMax: 8, seed: 42 });
 * const taste = tasteScores(…); // meanwhile, on this thread
 * const clustering = pending.result();
 * ```
 *
 * @module
 */

import type { SharedScan } from "../embed/shared_scan.ts";
import { helperThread, waitForHelper } from "../parallel/helper.ts";
import { chooseClusters, type Clustering } from "./kmeans.ts";

/** The options {@link chooseClusters} takes. */
export type ChooseOptions = NonNullable<Parameters<typeof chooseClusters>[2]>;

/** A clustering under way; {@link result} waits for it. */
export interface PendingClustering {
  /** The clustering (blocks until the helper has it; clusters here if the helper failed). */
  result(): Clustering;
  /** Which thread clustered, once {@link result} has returned. */
  readonly by: "helper" | "this thread" | null;
  /**
   * False while the helper is still at it (so the waiting thread has time for other work); true
   * once {@link result} would not wait, and when this thread clusters for itself.
   */
  ready(): boolean;
}

/** A clustering job as the helper receives it. */
export interface ClusterJob {
  kind: "cluster";
  shared: SharedArrayBuffer;
  n: number;
  dims: number;
  /** Centroid rows the buffer has room for. */
  capacity: number;
  options: ChooseOptions;
  /**
   * A shared scan to take part in once the clustering is done, against its centroids (the shelf
   * scan a context runs next: see `lib/embed/shared_scan.ts`).
   */
  then?: SharedScan;
}

/** Job states in header[0]. */
const STATE = { pending: 0, done: 1, failed: 2 } as const;

/**
 * The views of a job's shared buffer: header (state, k), the collection's vectors (n × dims),
 * the centroids (capacity × dims) and the assignments (n).
 */
function jobLayout(shared: SharedArrayBuffer, n: number, dims: number, capacity: number) {
  const header = new Int32Array(shared, 0, 2);
  const vectors = new Float32Array(shared, 8, n * dims);
  const centroids = new Float32Array(shared, 8 + n * dims * 4, capacity * dims);
  const assignments = new Int32Array(shared, 8 + (n + capacity) * dims * 4, n);
  return { header, vectors, centroids, assignments };
}

/** Run a clustering job (on the helper thread); its centroids, or null when it failed. */
export function runClusterJob(job: ClusterJob): Float32Array | null {
  const layout = jobLayout(job.shared, job.n, job.dims, job.capacity);
  let centroids: Float32Array | null = null;
  try {
    const c = chooseClusters(layout.vectors, job.dims, job.options);
    if (c.k > job.capacity) throw new RangeError(`k = ${c.k} over ${job.capacity}`);
    layout.centroids.set(c.centroids);
    layout.assignments.set(c.assignments);
    layout.header[1] = c.k;
    Atomics.store(layout.header, 0, STATE.done);
    centroids = c.centroids;
  } catch {
    // The waiting thread clusters for itself.
    Atomics.store(layout.header, 0, STATE.failed);
  }
  Atomics.notify(layout.header, 0);
  return centroids;
}

function here(vectors: Float32Array, dims: number, options: ChooseOptions): PendingClustering {
  let done: Clustering | null = null;
  return {
    result: () => (done ??= chooseClusters(vectors, dims, options)),
    ready: () => true,
    get by() {
      return done ? "this thread" : null;
    },
  };
}

/**
 * Start clustering `vectors` (row-major, `dims` wide) as `chooseClusters(vectors, dims, options)`
 * would, on the helper thread; the vectors are copied, so the caller may go on using them. With
 * `then`, the helper goes on to take part in that shared scan against the centroids it found
 * (the caller finishes the scan: `finishSharedScan`).
 */
export function clusterInBackground(
  vectors: Float32Array,
  dims: number,
  options: ChooseOptions = {},
  then?: SharedScan,
): PendingClustering {
  const n = vectors.length / dims;
  const helper = n > 0 && dims > 0 ? helperThread() : null;
  if (!helper) return here(vectors, dims, options);
  const capacity = Math.max(1, options.kMin ?? 1, options.kMax ?? 8);
  const shared = new SharedArrayBuffer(8 + (n + capacity) * dims * 4 + n * 4);
  const layout = jobLayout(shared, n, dims, capacity);
  layout.vectors.set(vectors);
  try {
    const job: ClusterJob = { kind: "cluster", shared, n, dims, capacity, options };
    helper.postMessage(then ? { ...job, then } : job);
  } catch {
    return here(vectors, dims, options);
  }
  let done: Clustering | null = null;
  let by: PendingClustering["by"] = null;
  return {
    get by() {
      return by;
    },
    ready: () => done !== null || Atomics.load(layout.header, 0) !== STATE.pending,
    result() {
      if (done) return done;
      const header = layout.header;
      const finished = waitForHelper(() => Atomics.load(header, 0) !== STATE.pending, header, 0);
      if (!finished || Atomics.load(header, 0) !== STATE.done) {
        by = "this thread";
        return (done = chooseClusters(vectors, dims, options));
      }
      by = "helper";
      const k = header[1];
      const assignments = Int32Array.from(layout.assignments);
      const sizes = new Array(k).fill(0);
      for (const a of assignments) sizes[a]++;
      done = { k, dims, centroids: layout.centroids.slice(0, k * dims), assignments, sizes };
      return done;
    },
  };
}
