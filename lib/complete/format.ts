/**
 * Formats in a set: which listing entries are in the format a collector collects (`--format`),
 * and the collector's word for a set's records (12"s, LPs, 7"s).
 *
 * Discogs prints a listing's format as text: a vinyl record by its descriptions (`12"`,
 * `LP, Album`, `12", W/Lbl`), anything else by its name first (`CD, Album`, `File, MP3`); a
 * release body's formats read `2×Vinyl, LP, Album`. Both are read the same way here.
 *
 * @module
 */

import { InputError } from "../errors.ts";

/** `--format any`: every format counts. */
export const ANY_FORMAT = "any";

/** Share of owned copies on vinyl from which `--format Vinyl` is assumed. */
export const MOSTLY_VINYL = 0.5;

/** Words that make a format text a vinyl record. */
const VINYL_WORDS = new Set([
  "vinyl",
  "lp",
  "flexi-disc",
  "lathe cut",
  "acetate",
  "test pressing",
]);

/** The comma-separated parts of a format text, lower-case, quantities (`2×`) off. */
function parts(text: string): string[] {
  // `2×Vinyl, 12", Album + CD` (the catalogue's summary joins formats with " + ").
  return text.split(/,\s*|\s+\+\s+/).map((p) =>
    p.trim().toLowerCase().replace(/^\d+\s*[×x]\s*/, "")
  )
    .filter((p) => p !== "");
}

/** Whether a format text describes a vinyl record (`12"`, `LP`, `Vinyl`, `7", Single`). */
export function isVinylText(text: string): boolean {
  return parts(text).some((p) => VINYL_WORDS.has(p) || /^\d+(\.\d+)?"$/.test(p));
}

/**
 * Whether `text` is in the `wanted` format: `any` takes everything, `Vinyl` any vinyl record,
 * anything else (`CD`, `Cassette`, `12"`, `LP`) a part of the text equal to it. Undefined when
 * the format is not known (a Discogs master item lists none).
 */
export function inFormat(text: string | null | undefined, wanted: string): boolean | undefined {
  if (wanted.toLowerCase() === ANY_FORMAT) return true;
  if (text === null || text === undefined || text.trim() === "") return undefined;
  if (wanted.toLowerCase() === "vinyl") return isVinylText(text);
  const want = wanted.trim().toLowerCase();
  return parts(text).some((p) => p === want);
}

/**
 * A major format Discogs can filter a master's versions by (`?format=Vinyl`), or undefined for
 * `any` and for descriptions (`12"`, `LP`), which are filtered here instead.
 */
export function versionsFilter(wanted: string): string | undefined {
  const majors = ["vinyl", "cd", "cassette", "file", "dvd", "cdr", "box set", "shellac"];
  return majors.includes(wanted.toLowerCase()) ? wanted : undefined;
}

/**
 * The collector's word for records in these formats: `12"s`, `LPs`, `7"s`, `10"s` when at
 * least 60% share one, else `records`.
 */
export function formatNoun(texts: readonly (string | null)[]): string {
  const known = texts.filter((t): t is string => t !== null && t !== "");
  if (known.length === 0) return "records";
  const counts = new Map<string, number>();
  for (const t of known) {
    const p = parts(t);
    const size = p.find((x) => /^\d+"$/.test(x));
    const noun = size ? `${size}s` : p.includes("lp") ? "LPs" : p.includes("cd") ? "CDs" : null;
    if (noun) counts.set(noun, (counts.get(noun) ?? 0) + 1);
  }
  const [best, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ["records", 0];
  return n / known.length >= 0.6 ? best : "records";
}

/**
 * The format a run collects: the one asked for, else `Vinyl` when at least half of the owned
 * copies with a known format are vinyl, else `any`; with the sentence saying why.
 */
export function chooseFormat(
  asked: string | undefined,
  ownedFormats: readonly (string | null)[],
): { format: string; assumed: boolean; why: string } {
  if (asked !== undefined && asked.trim() !== "") {
    const format = checkFormat(asked);
    return { format, assumed: false, why: `format ${format} (--format)` };
  }
  const known = ownedFormats.filter((f): f is string => f !== null && f.trim() !== "");
  const vinyl = known.filter(isVinylText).length;
  if (known.length > 0 && vinyl / known.length >= MOSTLY_VINYL) {
    return {
      format: "Vinyl",
      assumed: true,
      why: `format Vinyl assumed: ${vinyl} of the ${known.length} copies you own are vinyl ` +
        `(--format any counts every format)`,
    };
  }
  return {
    format: ANY_FORMAT,
    assumed: true,
    why: `every format counted: ${vinyl} of the ${known.length} copies you own are vinyl ` +
      `(--format Vinyl counts vinyl only)`,
  };
}

/** The formats `--format` takes: Discogs' format names and the vinyl sizes and kinds. */
export const KNOWN_FORMATS = [
  "any",
  "Vinyl",
  "LP",
  '12"',
  '10"',
  '7"',
  "Flexi-disc",
  "Shellac",
  "CD",
  "CDr",
  "SACD",
  "Cassette",
  "File",
  "DVD",
  "Blu-ray",
  "Box Set",
  "Minidisc",
  "Reel-To-Reel",
  "8-Track Cartridge",
  "VHS",
  "DAT",
] as const;

/**
 * `--format`'s value in the spelling Discogs uses (any case accepted), or an {@link InputError}
 * naming what it takes.
 */
export function checkFormat(value: string): string {
  const found = KNOWN_FORMATS.find((f) => f.toLowerCase() === value.trim().toLowerCase());
  if (found) return found;
  throw new InputError(
    `--format ${JSON.stringify(value)}: expected one of ${KNOWN_FORMATS.join(", ")}`,
  );
}
