/**
 * A virtual clock for tests of anything paced in time (the Discogs client, its pacer, the fake
 * Discogs server's moving window): `now` reads it and `sleep` advances it at once instead of
 * waiting. Hand the same clock to the client (`now`, `sleep`) and to the fake server (`now`), and
 * every window, wait and backoff is exact and independent of how busy the machine is, so a test
 * can assert on them without ever measuring wall-clock time.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * const client = new DiscogsClient({ baseUrl, now: clock.now, sleep: clock.sleep });
 * const fake = await startFakeDiscogs({ now: clock.now });
 * ```
 *
 * @module
 */

/** Virtual time in milliseconds since the epoch; only {@link VirtualClock.sleep} moves it. */
export class VirtualClock {
  #time: number;
  /** Every positive sleep, in order (what the code under test waited). */
  readonly slept: number[] = [];

  /** Starts at `start` (default: the real time now, so timestamps stored by the code look real). */
  constructor(start: number = Date.now()) {
    this.#time = start;
  }

  /** The current virtual time (bound, so it can be passed as a `now` option). */
  readonly now = (): number => this.#time;

  /** Advance the clock by `ms` at once (bound, so it can be passed as a `sleep` option). */
  readonly sleep = (ms: number): Promise<void> => {
    if (ms > 0) {
      this.slept.push(ms);
      this.#time += ms;
    }
    return Promise.resolve();
  };
}
