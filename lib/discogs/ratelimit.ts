/**
 * Pacing requests to Discogs' moving-window rate limit (60 requests a minute with a token, 25
 * without). Discogs' headers carry counts (`X-Discogs-Ratelimit`, `-Used`, `-Remaining`), not
 * the window, so the window length is configured (`DISCOGS_RATE_WINDOW`, default 60 s).
 *
 * How it paces: it remembers when each of its own requests completed within the last window and
 * learns the limit and the server's used count from every response. (Completion, not send, time:
 * the server counted the request somewhere in between, so waiting a window from the completion
 * can never be early, whatever the latency; it costs one round trip per window, under 1% at 60 s.) Whatever the server counts
 * beyond our own requests is someone else sharing the token or address; the budget left is
 * `limit − others − ours`. With budget left it sends at once; without, it waits until its oldest
 * request leaves the window, plus a small margin. That sustains ~99% of the allowed rate with no
 * 429s once the window is full, and adapts when the server's numbers differ from the defaults.
 *
 * @example
 * ```ts
 * const pacer = new RatePacer({ windowMs: 60_000, limit: 60 });
 * await sleep(pacer.delayMs(Date.now()));
 * // … request …
 * pacer.recordResponse(Date.now(), { limit: 60, used: 12, remaining: 48 });
 * ```
 *
 * @module
 */

import { InputError } from "../errors.ts";

/** Requests per window Discogs allows with a token. */
export const AUTHENTICATED_LIMIT = 60;
/** Requests per window Discogs allows without a token. */
export const UNAUTHENTICATED_LIMIT = 25;
/** Discogs' window. */
export const DEFAULT_WINDOW_MS = 60_000;

/** The rate-limit headers of one response (null where absent). */
export interface RateHeaders {
  limit: number | null;
  used: number | null;
  remaining: number | null;
}

/** Read the `X-Discogs-Ratelimit*` headers. */
export function rateHeaders(headers: Headers): RateHeaders {
  const num = (name: string) => {
    const v = headers.get(name);
    return v !== null && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : null;
  };
  return {
    limit: num("x-discogs-ratelimit"),
    used: num("x-discogs-ratelimit-used"),
    remaining: num("x-discogs-ratelimit-remaining"),
  };
}

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Parse a duration such as `60s`, `500ms`, `1m`, `12h`, `7d` (a bare number is seconds);
 * `never` is Infinity. `what` names the setting in the error message, which is an
 * {@link InputError} the collector can act on.
 *
 * @example
 * ```ts
 * parseDuration("7d", "--max-age"); // 604800000
 * parseDuration("soon", "--max-age"); // throws: --max-age "soon": expected a duration such as …
 * ```
 */
export function parseDuration(text: string, what: string): number {
  const value = text.trim().toLowerCase();
  if (value === "never" || value === "inf") return Infinity;
  const match = value.match(/^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/);
  if (!match) {
    throw new InputError(
      `${what} ${JSON.stringify(text)}: expected a duration such as 500ms, 60s, 1m, 12h or 7d`,
    );
  }
  return Number(match[1]) * UNITS[match[2] ?? "s"];
}

/**
 * Parse `DISCOGS_RATE_WINDOW`: a positive, finite duration (`60s`, `2s`, `500ms`).
 *
 * @example
 * ```ts
 * parseRateWindow(Deno.env.get("DISCOGS_RATE_WINDOW") ?? "60s"); // 60000
 * ```
 */
export function parseRateWindow(text: string, what = "DISCOGS_RATE_WINDOW"): number {
  const ms = parseDuration(text, what);
  if (!(ms > 0) || !Number.isFinite(ms)) {
    throw new InputError(
      `${what} ${JSON.stringify(text)}: expected a window longer than zero, such as 60s or 2s`,
    );
  }
  return ms;
}

/** Options for {@link RatePacer}. */
export interface PacerOptions {
  windowMs: number;
  /** The limit assumed until the server states one. */
  limit: number;
  /** Extra wait after a slot frees, so clocks and latency never make us early (default 1% of the window, ≥ 10 ms). */
  marginMs?: number;
}

/**
 * Moving-window pacer: pure logic, the caller supplies the clock and does the sleeping.
 *
 * @example
 * ```ts
 * const pacer = new RatePacer({ windowMs: 2000, limit: 60 });
 * const wait = pacer.delayMs(Date.now()); // 0 until 60 requests sit in the last 2 s
 * ```
 */
export class RatePacer {
  readonly windowMs: number;
  readonly marginMs: number;
  /** The limit in force (learned from `X-Discogs-Ratelimit`). */
  limit: number;
  /** Completion times of our requests inside the window, oldest first. */
  private ours: number[] = [];
  /** Requests the server counted that were not ours, as of {@link heardAt}. */
  private others = 0;
  /** When the server last told us about the window (a response or a 429). */
  private heardAt = -Infinity;
  /** The server said nothing is left, as of this time (cleared when one of ours leaves). */
  private exhaustedAt: number | null = null;
  /** The server named the time to come back (Retry-After). */
  private retryAt: number | null = null;

  constructor(options: PacerOptions) {
    this.windowMs = options.windowMs;
    this.limit = options.limit;
    this.marginMs = options.marginMs ?? Math.max(10, options.windowMs * 0.01);
  }

  private prune(now: number): void {
    let freed = false;
    while (this.ours.length > 0 && this.ours[0] <= now - this.windowMs) {
      this.ours.shift();
      freed = true;
    }
    // One of ours left the window since the server said it was full: a slot is free again.
    if (freed) this.exhaustedAt = null;
    // Whatever the server counted back then has left the window by now.
    if (now - this.heardAt >= this.windowMs) {
      this.others = 0;
      this.exhaustedAt = null;
    }
  }

  /** Our requests currently inside the window. */
  inWindow(now: number): number {
    this.prune(now);
    return this.ours.length;
  }

  /** Requests we may still send in the current window, as far as we know. */
  budget(now: number): number {
    this.prune(now);
    return this.exhaustedAt !== null ? 0 : Math.max(0, this.limit - this.others - this.ours.length);
  }

  /** Milliseconds to wait before the next request may be sent (0 = now). */
  delayMs(now: number): number {
    this.prune(now);
    if (this.retryAt !== null) return Math.max(0, this.retryAt - now);
    const budget = this.limit - this.others - this.ours.length;
    if (budget > 0 && this.exhaustedAt === null) return 0;
    // How many of our requests must leave the window before one more fits: one when the budget
    // is just spent, more when the limit dropped below what we already sent.
    const mustLeave = Math.max(1, 1 - budget);
    if (this.ours.length >= mustLeave) {
      return Math.max(0, this.ours[mustLeave - 1] + this.windowMs + this.marginMs - now);
    }
    // Someone else holds (nearly) the whole window and we cannot tell when it frees: ask again
    // a tenth of a window after the server last told us.
    return Math.max(0, this.heardAt + this.windowMs / 10 - now);
  }

  private learn(now: number, headers: RateHeaders): void {
    this.heardAt = now;
    this.retryAt = null;
    if (headers.limit !== null && headers.limit > 0) this.limit = headers.limit;
    if (headers.used !== null) {
      // Requests the server counted beyond ours belong to someone sharing the quota.
      this.others = Math.max(0, headers.used - this.ours.length);
    }
    this.exhaustedAt = headers.remaining === 0 ? now : null;
  }

  /**
   * Remember requests made before this pacer existed (a previous run that was killed or
   * stopped, whose responses are in the cache): a restart then does not open with a burst
   * into a window that is still full.
   */
  rememberPast(times: number[], now: number): void {
    const recent = times.filter((t) => t > now - this.windowMs && t <= now);
    this.ours = [...recent, ...this.ours].sort((a, b) => a - b);
    this.prune(now);
  }

  /** Record a completed request and the server's view of the window. */
  recordResponse(now: number, headers: RateHeaders): void {
    this.prune(now);
    this.ours.push(now);
    this.learn(now, headers);
  }

  /**
   * A 429: the server is full. Learns what the 429's headers say and returns how long to wait:
   * Retry-After when given, else until enough of our own requests leave the window (or a tenth
   * of a window when the window is all someone else's). {@link delayMs} returns the same wait.
   */
  recordRateLimited(
    now: number,
    retryAfterMs: number | null,
    headers: RateHeaders = { limit: null, used: null, remaining: null },
  ): number {
    this.prune(now);
    this.learn(now, headers);
    this.exhaustedAt = now;
    if (retryAfterMs !== null) this.retryAt = now + retryAfterMs;
    return this.delayMs(now);
  }

  /** Requests per minute this pacer allows at most. */
  allowedPerMinute(): number {
    return (this.limit * 60_000) / (this.windowMs + this.marginMs);
  }
}
