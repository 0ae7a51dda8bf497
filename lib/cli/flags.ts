/**
 * Flag definitions shared by every task: parsed with `node:util` parseArgs, rendered as `--help`,
 * and validated into clear {@link InputError}s instead of stack traces. A flag's spec can say
 * what its value must be (a number in a range, or any check), so {@link validateFlags} rejects a
 * bad value before any stage runs — a typo in `--top` fails in milliseconds, not after ingest and
 * enrichment.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { InputError } from "../errors.ts";

/** What a numeric flag accepts. */
export interface NumberRange {
  min?: number;
  max?: number;
  integer?: boolean;
}

/** One flag of a task. */
export interface FlagDef {
  type: "string" | "boolean";
  description: string;
  /** Shown in --help and used when the flag is absent. */
  default?: string | boolean;
  /** The flag may be given several times; its value is then a list. */
  multiple?: boolean;
  /** Placeholder shown in --help, e.g. `FILE`. */
  valueName?: string;
  /** The value must be a number in this range (checked by {@link validateFlags}). */
  number?: NumberRange;
  /**
   * Any other check of one value (a currency code, a duration, an embedder kind): throw an
   * {@link InputError} naming the flag and what was expected. Its result is ignored.
   */
  check?: (value: string) => unknown;
}

/** Flags by long name (without the leading `--`). */
export type FlagSpec = Record<string, FlagDef>;

/** Parsed values: strings, booleans or string lists, keyed by flag name. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/**
 * Parse `args` against `spec`. Unknown flags and stray positional arguments are input errors
 * that point at `--help`.
 *
 * @example
 * ```ts
 * const v = parseFlags({ top: { type: "string", description: "rows", default: "5" } }, ["--top", "9"], "score");
 * // v.top === "9"
 * ```
 */
export function parseFlags(spec: FlagSpec, args: string[], command: string): FlagValues {
  const options = Object.fromEntries(
    Object.entries(spec).map(([name, def]) => [name, {
      type: def.type,
      multiple: def.multiple ?? false,
      ...(def.default !== undefined && !def.multiple ? { default: def.default } : {}),
    }]),
  );
  try {
    const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
    return values as FlagValues;
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new InputError(
      `${command}: ${detail}\nRun \`deno task ${command} --help\` for the flags.`,
    );
  }
}

/**
 * Check every given value against its spec (`number`, `check`), so a bad flag fails before any
 * stage runs. Throws the first problem as an {@link InputError} naming the flag and what was
 * expected.
 *
 * @example
 * ```ts
 * const spec = { top: { type: "string", description: "rows", number: { min: 1, integer: true } } };
 * validateFlags(spec, { top: "0" }); // InputError: --top "0": expected a whole number >= 1
 * ```
 */
export function validateFlags(spec: FlagSpec, values: FlagValues): void {
  for (const [name, def] of Object.entries(spec)) {
    if (def.type !== "string" || values[name] === undefined) continue;
    for (const value of listFlag(values, name)) {
      if (def.number) numberFlag({ [name]: value }, name, def.number);
      def.check?.(value);
    }
  }
}

/** What a range accepts, for --help: "a whole number from 1 to 1000", "a number >= 0". */
function rangeText({ min, max, integer = false }: NumberRange): string {
  const kind = integer ? "a whole number" : "a number";
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} >= ${min}`;
  if (max !== undefined) return `${kind} <= ${max}`;
  return kind;
}

/** Render `--help` text for a task. */
export function helpText(command: string, summary: string, spec: FlagSpec): string {
  const rows = Object.entries(spec).map(([name, def]) => {
    const left = def.type === "string" ? `--${name} ${def.valueName ?? "VALUE"}` : `--${name}`;
    const extras = [
      def.number ? rangeText(def.number) : "",
      def.multiple ? "repeatable" : "",
      def.default !== undefined && def.default !== false ? `default: ${def.default}` : "",
    ].filter(Boolean).join("; ");
    return [left, def.description + (extras ? ` (${extras})` : "")];
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [
    `Usage: deno task ${command} [flags]`,
    "",
    summary,
    "",
    "Flags:",
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
  ].join("\n");
}

/** Read a numeric flag, checking it is a finite number within [min, max]. */
export function numberFlag(
  values: FlagValues,
  name: string,
  range: NumberRange = {},
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const { min = -Infinity, max = Infinity, integer = false } = range;
  if (
    typeof raw !== "string" || raw.trim() === "" || !Number.isFinite(value) || value < min ||
    value > max || (integer && !Number.isInteger(value))
  ) {
    const bounds = [
      Number.isFinite(min) ? `>= ${min}` : "",
      Number.isFinite(max) ? `<= ${max}` : "",
    ].filter(Boolean).join(" and ");
    throw new InputError(
      `--${name} ${JSON.stringify(raw)}: expected ${integer ? "a whole number" : "a number"}` +
        (bounds ? ` ${bounds}` : ""),
    );
  }
  return value;
}

/** Read a string flag (undefined when absent). */
export function stringFlag(values: FlagValues, name: string): string | undefined {
  const raw = values[name];
  return typeof raw === "string" ? raw : undefined;
}

/** Read a repeatable string flag as a list (empty when absent). */
export function listFlag(values: FlagValues, name: string): string[] {
  const raw = values[name];
  if (Array.isArray(raw)) return raw;
  return typeof raw === "string" ? [raw] : [];
}
