/**
 * `--signals name=weight,…`: gem signal weights over their defaults, as `deno task evaluate`
 * takes them to measure a signal on and off.
 *
 * @module
 */

import { InputError } from "../../errors.ts";
import { GEM_SIGNALS } from "./mod.ts";

/** Parse `credits=0.1,series=0` into weights by signal name; an unknown name or weight fails. */
export function parseSignalWeights(text: string): Record<string, number> {
  const names = GEM_SIGNALS.map((s) => s.name);
  const out: Record<string, number> = {};
  for (const part of text.split(",").map((p) => p.trim()).filter((p) => p !== "")) {
    const [name, value, ...rest] = part.split("=");
    const weight = Number(value);
    if (rest.length || value === undefined || value.trim() === "" || !Number.isFinite(weight)) {
      throw new InputError(`--signals: "${part}" is not name=weight (e.g. series=0.1)`);
    }
    if (!names.includes(name.trim())) {
      throw new InputError(
        `--signals: no gem signal "${name.trim()}" (signals: ${names.join(", ")})`,
      );
    }
    out[name.trim()] = weight;
  }
  return out;
}
