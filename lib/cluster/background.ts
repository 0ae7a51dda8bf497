/**
 * Clustering a collection on a second thread while this one does other work: a first query over
 * a big pool needs the shelves (clustering the collection) and the taste fit (a pass over every
 * pool record's tokens), and neither needs the other, so on a 2-core machine they can run at
 * once. The worker (`cluster_worker.ts`) runs {@link chooseClusters} itself — the same shelves,
 * bit for bit — and hands the result back through a `SharedArrayBuffer`; {@link
 * PendingClustering.result} blocks until it is there. One worker serves the process; it does not
 * keep the process alive. Where no worker can be had (no shared memory, a runtime without
 * worker threads) or it fails, the waiting thread clusters for itself.
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

import { Worker } from "node:worker_threads";
import { chooseClusters, type Clustering } from "./kmeans.ts";

/** The options {@link chooseClusters} takes. */
export type ChooseOptions = NonNullable<Parameters<typeof chooseClusters>[2]>;

/** A clustering under way; {@link result} waits for it. */
export interface PendingClustering {
  /** The clustering (blocks until the worker has it; clusters here if the worker failed). */
  result(): Clustering;
  /** Which thread clustered, once {@link result} has returned. */
  readonly by: "worker" | "this thread" | null;
}

/** A job as the worker receives it. */
export interface ClusterJob {
  shared: SharedArrayBuffer;
  n: number;
  dims: number;
  /** Centroid rows the buffer has room for. */
  capacity: number;
  options: ChooseOptions;
}

/** Job states in header[0]. */
export const STATE = { pending: 0, done: 1, failed: 2 } as const;

/**
 * Longest wait for the worker before clustering here instead: far beyond what clustering takes
 * (well under a second for 5,000 records), so it only guards against a worker that died.
 */
const WAIT_MS = 60_000;

/**
 * The views of a job's shared buffer: header (state, k), the collection's vectors (n × dims),
 * the centroids (capacity × dims) and the assignments (n).
 */
export function jobLayout(shared: SharedArrayBuffer, n: number, dims: number, capacity: number) {
  const header = new Int32Array(shared, 0, 2);
  const vectors = new Float32Array(shared, 8, n * dims);
  const centroids = new Float32Array(shared, 8 + n * dims * 4, capacity * dims);
  const assignments = new Int32Array(shared, 8 + (n + capacity) * dims * 4, n);
  return { header, vectors, centroids, assignments };
}

const bytesOf = (n: number, dims: number, capacity: number) =>
  8 + (n + capacity) * dims * 4 + n * 4;

/** How long a worker may take to start before the waiting thread clusters for itself. */
const START_MS = 5_000;

let worker: Worker | null | undefined;
/** alive[0] is set by the worker once it has loaded (it cannot message a blocked thread). */
let alive: Int32Array;

/** The process's clustering worker, started on first use; null when none can be had. */
function clusteringWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    if (typeof SharedArrayBuffer !== "function") throw new Error("no shared memory");
    alive = new Int32Array(new SharedArrayBuffer(4));
    worker = new Worker(new URL("./cluster_worker.ts", import.meta.url), { workerData: alive });
    worker.unref(); // an idle worker must not keep a finished program running
    worker.on("error", () => (worker = null));
  } catch {
    worker = null;
  }
  return worker;
}

/** Wait for a job's state to leave pending: true when the worker finished it. */
function waitFor(header: Int32Array): boolean {
  const started = performance.now();
  while (Atomics.load(header, 0) === STATE.pending) {
    const waited = performance.now() - started;
    if (waited > WAIT_MS || (waited > START_MS && Atomics.load(alive, 0) === 0)) {
      worker = null; // never started, or stuck: cluster here from now on
      return false;
    }
    Atomics.wait(header, 0, STATE.pending, 500);
  }
  return Atomics.load(header, 0) === STATE.done;
}

const inline = (vectors: Float32Array, dims: number, options: ChooseOptions): PendingClustering => {
  let done: Clustering | null = null;
  return {
    result: () => (done ??= chooseClusters(vectors, dims, options)),
    get by() {
      return done ? "this thread" : null;
    },
  };
};

/**
 * Start clustering `vectors` (row-major, `dims` wide) as `chooseClusters(vectors, dims, options)`
 * would, on the worker thread; the vectors are copied, so the caller may go on using them.
 */
export function clusterInBackground(
  vectors: Float32Array,
  dims: number,
  options: ChooseOptions = {},
): PendingClustering {
  const n = vectors.length / dims;
  const w = n > 0 && dims > 0 ? clusteringWorker() : null;
  if (!w) return inline(vectors, dims, options);
  const capacity = Math.max(1, options.kMin ?? 1, options.kMax ?? 8);
  const shared = new SharedArrayBuffer(bytesOf(n, dims, capacity));
  const layout = jobLayout(shared, n, dims, capacity);
  layout.vectors.set(vectors);
  try {
    w.postMessage({ shared, n, dims, capacity, options } satisfies ClusterJob);
  } catch {
    return inline(vectors, dims, options);
  }
  let done: Clustering | null = null;
  let by: PendingClustering["by"] = null;
  return {
    get by() {
      return by;
    },
    result() {
      if (done) return done;
      if (!waitFor(layout.header)) {
        by = "this thread";
        return (done = chooseClusters(vectors, dims, options));
      }
      by = "worker";
      const k = layout.header[1];
      const assignments = Int32Array.from(layout.assignments);
      const sizes = new Array(k).fill(0);
      for (const a of assignments) sizes[a]++;
      done = { k, dims, centroids: layout.centroids.slice(0, k * dims), assignments, sizes };
      return done;
    },
  };
}
