/**
 * The helper thread of `helper.ts`: runs each job it is handed with the same code the handing
 * thread would run (so the same results, bit for bit) and writes the result into the job's
 * shared buffers, then wakes the thread waiting on them.
 *
 * @module
 */

import { parentPort, workerData } from "node:worker_threads";
import { type ClusterJob, runClusterJob } from "../cluster/background.ts";
import { type FirstCutJob, runFirstCutJob } from "../catalog/release_scan.ts";
import { scanChunks, type SharedScan } from "../embed/shared_scan.ts";

// Tell the thread that started this one that it loaded (it may be blocked waiting).
Atomics.store(workerData as Int32Array, 0, 1);

parentPort?.on("message", (job: ClusterJob | SharedScan | FirstCutJob) => {
  if (job.kind === "cluster") {
    const centroids = runClusterJob(job);
    // A failed scan share is left to the thread that finishes the scan.
    if (centroids && job.then) tryScan(job.then, centroids);
  } else if (job.kind === "scan" && job.centroids) tryScan(job, job.centroids);
  else if (job.kind === "first_cut") void runFirstCutJob(job);
});

function tryScan(scan: SharedScan, centroids: Float32Array) {
  try {
    scanChunks(scan, centroids);
  } catch {
    // The thread finishing the scan computes the chunks this one did not mark done.
  }
}
