/**
 * Flags of the listening features that other stages take.
 *
 * @module
 */

import type { FlagDef } from "../cli/flags.ts";
import { DEFAULT_LISTENING_WEIGHT } from "./played.ts";

/** `--listening-weight W`: how much plays weigh in the taste profile against the collection. */
export const LISTENING_WEIGHT_FLAG: FlagDef = {
  type: "string",
  description:
    "how much what you play (deno task listen) weighs in your taste against what you own: 1 = as much, 0 = off",
  default: String(DEFAULT_LISTENING_WEIGHT),
  valueName: "W",
  number: { min: 0, max: 10 },
};
