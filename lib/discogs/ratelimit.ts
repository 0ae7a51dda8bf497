/**
 * Pacing requests to Discogs' moving-window rate limit (60 requests a minute with a token, 25
 * without). Discogs' headers carry counts (`X-Discogs-Ratelimit`, `-Used`, `-Remaining`), not
 * the window, so the window length is configured (`DISCOGS_RATE_WINDOW`, default 60 s).
 *
 * How it paces: it remembers when each of its own requests completed within the last window and
 * learns the limit and the server's used count from every response. Whatever the server counts
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
 * `never` is Infinity. `what` names the setting in the error message.
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

/** Options for {@link RatePacer}. */
export interface PacerOptions {
  windowMs: number;
  /** The limit assumed until the server states one. */
  limit: number;
  /** Extra wait after a slot frees, so clocks and latency never make us early (default 1% of the window, ≥ 10 ms). */
  marginMs?: number;
}

/** Moving-window pacer: pure logic, the caller supplies the clock and does the sleeping. */
export class RatePacer {
  readonly windowMs: number;
  readonly marginMs: number;
  /** The limit in force (learned from `X-Discogs-Ratelimit`). */
  limit: number;
  /** Completion times of our requests inside the window, oldest first. */
  private ours: number[] = [];
  /** Requests the server counted that were not ours, as of the last response. */
  private others = 0;
  /** The server said nothing is left, as of this time. */
  private exhaustedAt: number | null = null;

  constructor(options: PacerOptions) {
    this.windowMs = options.windowMs;
    this.limit = options.limit;
    this.marginMs = options.marginMs ?? Math.max(10, options.windowMs * 0.01);
  }

  private prune(now: number): void {
    while (this.ours.length > 0 && this.ours[0] <= now - this.windowMs) this.ours.shift();
    if (this.exhaustedAt !== null && this.exhaustedAt <= now - this.windowMs) {
      this.exhaustedAt = null;
    }
  }

  /** Our requests currently inside the window. */
  inWindow(now: number): number {
    this.prune(now);
    return this.ours.length;
  }

  /** Milliseconds to wait before the next request may be sent (0 = now). */
  delayMs(now: number): number {
    this.prune(now);
    const budget = this.limit - this.others - this.ours.length;
    if (budget > 0 && this.exhaustedAt === null) return 0;
    if (this.ours.length > 0) {
      return Math.max(0, this.ours[0] + this.windowMs + this.marginMs - now);
    }
    // Someone else holds the whole window: look again after a slice of it.
    const since = this.exhaustedAt ?? now;
    return Math.max(this.marginMs, Math.min(this.windowMs / 10, since + this.windowMs - now));
  }

  /** Record a completed request and the server's view of the window. */
  recordResponse(now: number, headers: RateHeaders): void {
    this.prune(now);
    this.ours.push(now);
    if (headers.limit !== null && headers.limit > 0) this.limit = headers.limit;
    if (headers.used !== null) {
      // Requests the server counted beyond ours belong to someone sharing the quota.
      this.others = Math.max(0, headers.used - this.ours.length);
    }
    this.exhaustedAt = headers.remaining === 0 ? now : null;
  }

  /** A 429: the server is full. Wait this long (Retry-After when given). */
  recordRateLimited(now: number, retryAfterMs: number | null): number {
    this.prune(now);
    this.exhaustedAt = now;
    if (retryAfterMs !== null) return retryAfterMs;
    return this.ours.length > 0
      ? Math.max(this.marginMs, this.ours[0] + this.windowMs + this.marginMs - now)
      : this.windowMs / 10;
  }

  /** Requests per minute this pacer allows at most. */
  allowedPerMinute(): number {
    return (this.limit * 60_000) / (this.windowMs + this.marginMs);
  }
}
