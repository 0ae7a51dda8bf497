/**
 * HTTP for the live listening accounts (Spotify, Last.fm): JSON GETs and form POSTs with a
 * deadline per request, 429s waited out (`Retry-After`, capped), server errors retried a few
 * times, and every message scrubbed of the secrets in play (access and refresh tokens, API keys)
 * before it can reach a log or an error.
 *
 * @module
 */

import { UserFacingError } from "../../errors.ts";

/** Attempts per request (429s and 5xx count). */
export const MAX_ATTEMPTS = 5;

/** Longest `Retry-After` honoured, in seconds: a longer wait fails the pull with a message. */
export const MAX_RETRY_AFTER_S = 120;

/** A request that takes longer than this is abandoned and retried. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** What a live pull counts. */
export interface HttpStats {
  requests: number;
  rateLimited: number;
}

/** An account service's answer that the collector must act on (bad key, refused login). */
export class AccountError extends UserFacingError {
  override name = "AccountError";
}

/** Replace every secret in `text` with `[redacted]`. */
export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.replaceAll(s, "[redacted]");
  return out;
}

/** Options for {@link requestJson}. */
export interface RequestOptions {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** A form body (POST). */
  form?: Record<string, string>;
  /** Secrets to scrub from any message. */
  secrets: readonly (string | undefined)[];
  stats: HttpStats;
  /** Which service, for messages ("Spotify", "Last.fm"). */
  service: string;
  /** How to wait (tests need not sleep). */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Send one request and parse its JSON answer, retrying 429s after `Retry-After` and 5xx/network
 * failures with a short backoff. Other 4xx answers are returned (status and body) for the caller
 * to explain.
 */
export async function requestJson(
  url: string,
  options: RequestOptions,
): Promise<{ status: number; body: unknown }> {
  const sleep = options.sleep ?? defaultSleep;
  const where = scrub(new URL(url).origin + new URL(url).pathname, options.secrets);
  for (let attempt = 1;; attempt++) {
    let response: Response;
    try {
      options.stats.requests++;
      response = await fetch(url, {
        method: options.method ?? "GET",
        headers: {
          "User-Agent": "NextSpin (listening history)",
          ...(options.form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
          ...options.headers,
        },
        body: options.form ? new URLSearchParams(options.form).toString() : undefined,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new UserFacingError(
          `${options.service} (${where}) could not be reached after ${attempt} attempts: ` +
            scrub(detail, options.secrets),
        );
      }
      await sleep(500 * 2 ** (attempt - 1));
      continue;
    }
    const text = await response.text();
    if (response.status === 429) {
      options.stats.rateLimited++;
      const after = Number(response.headers.get("Retry-After") ?? "1");
      const wait = Number.isFinite(after) && after >= 0 ? after : 1;
      if (attempt >= MAX_ATTEMPTS || wait > MAX_RETRY_AFTER_S) {
        throw new UserFacingError(
          `${options.service} is rate-limiting this app (429, Retry-After ${wait} s): ` +
            "run the same command again later; what was fetched is kept",
        );
      }
      await sleep(wait * 1000);
      continue;
    }
    if (response.status >= 500 && attempt < MAX_ATTEMPTS) {
      await sleep(500 * 2 ** (attempt - 1));
      continue;
    }
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      if (response.ok) {
        throw new UserFacingError(
          `${options.service} (${where}) answered ${response.status} with a body that is not JSON`,
        );
      }
    }
    return { status: response.status, body };
  }
}
