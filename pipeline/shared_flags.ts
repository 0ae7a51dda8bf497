/**
 * Flags several stages take, defined once so `deno task pipeline` (which merges every stage's
 * flags) and each single task describe and check them alike.
 *
 * @module
 */

import type { FlagDef } from "../lib/cli/flags.ts";
import { DEFAULT_CURRENCY } from "../lib/discogs/cache.ts";
import { checkCurrency } from "../lib/enrich/mod.ts";

/** `--offline`: the workspace cache only; no socket is opened. */
export const OFFLINE_FLAG: FlagDef = {
  type: "boolean",
  description: "never touch the network: use the workspace cache only",
};

/**
 * `--allow-empty`: an input with no usable rows (or a run that gathers no candidates) may
 * replace a table that has rows; without it the old table is kept.
 */
export const ALLOW_EMPTY_FLAG: FlagDef = {
  type: "boolean",
  description:
    "let an input with no usable rows (or a run with no candidates) empty its table; without it nothing is replaced by nothing",
};

/** `--currency CODE`: the marketplace currency prices are asked for and shown in. */
export const CURRENCY_FLAG: FlagDef = {
  type: "string",
  description: "marketplace currency (Discogs curr_abbr) of prices",
  default: DEFAULT_CURRENCY,
  valueName: "CODE",
  check: checkCurrency,
};
