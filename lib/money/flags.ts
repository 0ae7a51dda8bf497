/**
 * The trends stage's flag values in the collector's words: `--horizon 30d`, `--threshold 5%`,
 * `--since` / `--until` dates. Each bad value is an InputError naming the flag and what it takes.
 *
 * @example
 * ```ts
 * parseHorizon("30d"); // 30
 * parseWhen("2026-11-30", "since"); // the end of that UTC day
 * ```
 *
 * @module
 */

import { InputError } from "../errors.ts";
import { parseDuration } from "../discogs/ratelimit.ts";
import { parseThreshold } from "./history.ts";

/** `--horizon 30d`: how far ahead forecasts look, in whole days (1 to 365). */
export function parseHorizon(text: string): number {
  const ms = parseDuration(text, "--horizon");
  const days = ms / 86_400_000;
  if (!Number.isInteger(days) || days < 1 || days > 365) {
    throw new InputError(`--horizon ${JSON.stringify(text)}: expected whole days from 1d to 365d`);
  }
  return days;
}

/** `--threshold 5%`: the smallest move that counts, as a fraction (an InputError naming the flag). */
export function thresholdFlag(text: string): number {
  try {
    return parseThreshold(text);
  } catch (error) {
    throw new InputError(`--threshold: ${(error as Error).message}`);
  }
}

/** `--since` / `--until`: a date (YYYY-MM-DD, the end of that UTC day) or a timestamp. */
export function parseWhen(text: string, flag: string): Date {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text.trim());
  const when = new Date(day ? `${text.trim()}T23:59:59.999Z` : text);
  if (Number.isNaN(when.getTime())) {
    throw new InputError(
      `--${flag} ${JSON.stringify(text)}: expected a date such as 2026-11-30 (or an ISO time)`,
    );
  }
  return when;
}
