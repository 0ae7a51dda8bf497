/**
 * The process's helper thread: one worker (`helper_worker.ts`) that takes jobs a query can hand
 * off while it goes on with other work — clustering the collection (`lib/cluster/background.ts`),
 * scoring half of the catalogue's parts (`lib/catalog/release_scan.ts`) — on a 2-core machine,
 * the second core. Jobs carry their data and results in small
 * `SharedArrayBuffer`s, because the thread
 * that handed them off waits with `Atomics.wait` (it cannot receive messages while it blocks).
 * The worker starts on first use and does not keep the process alive; where none can be had (no
 * shared memory, no worker threads) {@link helperThread} is null and callers do the work
 * themselves, as they do when the worker fails.
 *
 * @module
 */

import { Worker } from "node:worker_threads";

/** How long the worker may take to start before a waiting thread gives up on it. */
const START_MS = 5_000;

/**
 * Longest wait for a job: far beyond what any job takes (well under a second), so it only guards
 * against a worker that died.
 */
const WAIT_MS = 60_000;

let worker: Worker | null | undefined;
/** alive[0] is set by the worker once it has loaded. */
let alive: Int32Array;

/** The helper thread, started on first use; null when none can be had (or it failed). */
export function helperThread(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    if (typeof SharedArrayBuffer !== "function") throw new Error("no shared memory");
    alive = new Int32Array(new SharedArrayBuffer(4));
    worker = new Worker(new URL("./helper_worker.ts", import.meta.url), { workerData: alive });
    worker.unref(); // an idle helper must not keep a finished program running
    worker.on("error", () => (worker = null));
  } catch {
    worker = null;
  }
  return worker;
}

/**
 * Block until `done()` holds, waking when the helper notifies `signal[index]`. False when the
 * helper never started or took far too long: it is then given up on for the rest of the process,
 * and the caller does the work itself.
 */
export function waitForHelper(done: () => boolean, signal: Int32Array, index: number): boolean {
  const started = performance.now();
  while (!done()) {
    const waited = performance.now() - started;
    if (waited > WAIT_MS || (waited > START_MS && Atomics.load(alive, 0) === 0)) {
      worker = null;
      return false;
    }
    Atomics.wait(signal, index, Atomics.load(signal, index), 200);
  }
  return true;
}
