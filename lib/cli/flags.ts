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
  const help = `Run \`deno task ${command} --help\` for the flags.`;
  const given = joinDashValues(spec, args);
  for (let i = 0; i < given.length; i++) {
    const problem = argProblem(spec, given[i]);
    if (problem) throw new InputError(`${command}: ${problem}\n${help}`);
    const flag = splitFlag(given[i])!;
    const next = splitFlag(given[i + 1] ?? "");
    const def = spec[flag[0]];
    if (def.type !== "string" || flag[1] !== undefined) continue;
    if (given[i + 1] === undefined || (next && next[0] in spec)) {
      throw new InputError(
        `${command}: --${flag[0]} needs ${acceptsText(def)} after it (none given)\n${help}`,
      );
    }
    i++; // `--top 10`: the 10 is the flag's value, not an argument of its own.
  }
  try {
    const { values } = parseArgs({ args: given, options, strict: true, allowPositionals: false });
    return values as FlagValues;
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new InputError(`${command}: ${plainParseError(spec, detail)}\n${help}`);
  }
}

/** A long flag's name and inline value: `--top=5` → ["top", "5"]; `--top` → ["top", undefined]. */
function splitFlag(arg: string): [string, string | undefined] | undefined {
  const match = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
  return match ? [match[1], match[2]] : undefined;
}

/**
 * A string flag followed by a value that starts with `-` (`--price-weight -1`, `--top -x`):
 * node's parser calls this ambiguous; a collector means the value, so it is joined as
 * `--price-weight=-1` and then checked like any other value.
 */
function joinDashValues(spec: FlagSpec, args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const flag = splitFlag(args[i]);
    const next = args[i + 1];
    const def = flag ? spec[flag[0]] : undefined;
    const nextIsFlag = next !== undefined && splitFlag(next) !== undefined &&
      splitFlag(next)![0] in spec;
    if (
      flag && def?.type === "string" && flag[1] === undefined && next !== undefined &&
      next.startsWith("-") && !nextIsFlag
    ) {
      out.push(`${args[i]}=${next}`);
      i++;
    } else out.push(args[i]);
  }
  return out;
}

/** What a flag accepts, in words, for messages. */
function acceptsText(def: FlagDef): string {
  if (def.number) return rangeText(def.number);
  return def.valueName ? `a value (${def.valueName})` : "a value";
}

/** The problem with one argument in plain words, or undefined when the parser may have it. */
function argProblem(spec: FlagSpec, arg: string): string | undefined {
  const flag = splitFlag(arg);
  if (!flag) {
    if (/^-[^-]/.test(arg)) {
      return `${JSON.stringify(arg)} is not a flag: flags are long, with two dashes (--name)`;
    }
    return `${JSON.stringify(arg)} is not a flag (flags start with --, and a value follows ` +
      "its flag: --top 10 or --top=10)";
  }
  const [name, value] = flag;
  const def = spec[name];
  if (!def) {
    const near = closestFlag(spec, name);
    return `--${name} is not a flag of this task` + (near ? ` (did you mean --${near}?)` : "");
  }
  if (def.type === "boolean" && value !== undefined) {
    return `--${name} takes no value (given ${JSON.stringify(value)}): write just --${name}`;
  }
  return undefined;
}

/** The flag whose name is nearest `name` (edit distance <= 3), if any. */
function closestFlag(spec: FlagSpec, name: string): string | undefined {
  let best: [string, number] | undefined;
  for (const candidate of Object.keys(spec)) {
    const d = editDistance(name, candidate);
    if (d <= 3 && (!best || d < best[1])) best = [candidate, d];
  }
  return best?.[0];
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        previous[j] + 1,
        row[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length];
}

/** node:util's parser message, rewritten in a collector's words where it is jargon. */
function plainParseError(spec: FlagSpec, detail: string): string {
  const missing = /Option '--([^ ']+)[^']*' argument missing/.exec(detail);
  if (missing && spec[missing[1]]) {
    return `--${missing[1]} needs ${acceptsText(spec[missing[1]])} after it (none given)`;
  }
  return detail;
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
