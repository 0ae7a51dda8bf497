/**
 * The worker thread of `background.ts`: clusters a collection's vectors with
 * {@link chooseClusters} (the same code, so the same shelves bit for bit) and writes the result
 * into the job's shared buffer, then wakes the thread waiting on it.
 *
 * @module
 */

import { parentPort, workerData } from "node:worker_threads";
import { chooseClusters } from "./kmeans.ts";
import { type ClusterJob, jobLayout, STATE } from "./background.ts";

// Tell the thread that started this one that it loaded (it may be blocked waiting).
Atomics.store(workerData as Int32Array, 0, 1);

parentPort?.on("message", (job: ClusterJob) => {
  const layout = jobLayout(job.shared, job.n, job.dims, job.capacity);
  try {
    const c = chooseClusters(layout.vectors, job.dims, job.options);
    if (c.k > job.capacity) throw new RangeError(`k = ${c.k} over ${job.capacity}`);
    layout.centroids.set(c.centroids);
    layout.assignments.set(c.assignments);
    layout.header[1] = c.k;
    Atomics.store(layout.header, 0, STATE.done);
  } catch {
    // The waiting thread clusters for itself.
    Atomics.store(layout.header, 0, STATE.failed);
  }
  Atomics.notify(layout.header, 0);
});
