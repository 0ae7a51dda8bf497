/**
 * The request budget for API candidates (`--pool-budget`): `auto` by default, scaled to how
 * varied the collection is, so a collector gets good recommendations in minutes; a number
 * overrides it (0 = no API candidates).
 *
 * @example
 * ```ts
 * parsePoolBudget("auto"); // "auto"
 * autoPoolBudget({ styles: 40, records: 300 }); // 180
 * ```
 *
 * @module
 */

import { InputError } from "../errors.ts";

/** Requests the automatic budget never goes over (3 minutes at 60/min). */
export const AUTO_BUDGET_MAX = 180;
/** Requests the automatic budget starts from. */
export const AUTO_BUDGET_MIN = 60;
/**
 * Collection pages and candidate pages together stay under this, so a username import of any
 * size reaches its first recommendations in about five minutes at 60/min (with the shortlist's
 * prices on top).
 */
export const AUTO_FIRST_RUN_PAGES = 190;

/** `auto` or a whole number of requests. */
export type PoolBudget = "auto" | number;

/** Parse `--pool-budget`; bad values are an {@link InputError} saying what is expected. */
export function parsePoolBudget(value: string | undefined): PoolBudget {
  const text = (value ?? "auto").trim().toLowerCase();
  if (text === "auto" || text === "") return "auto";
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    throw new InputError(
      `--pool-budget must be auto or a whole number of requests (0 = no API candidates), not ${
        JSON.stringify(value)
      }`,
    );
  }
  return n;
}

/**
 * The automatic budget: 60 requests plus 4 for every style the collection holds, up to 180 —
 * a collection of one sound needs few searches, a varied one needs a page or two per corner.
 * A big username import has spent requests on its own pages (100 records a page), so the
 * candidates get what is left of {@link AUTO_FIRST_RUN_PAGES}, never under the floor of 60.
 */
export function autoPoolBudget(
  taste: { styles: number; records: number; collectionPages?: number },
): number {
  if (taste.records === 0) return 0;
  const room = Math.max(AUTO_BUDGET_MIN, AUTO_FIRST_RUN_PAGES - (taste.collectionPages ?? 0));
  return Math.min(AUTO_BUDGET_MAX, AUTO_BUDGET_MIN + 4 * taste.styles, room);
}
