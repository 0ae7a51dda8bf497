/**
 * Name normalisation for matching what streaming services call an album or an artist to what
 * Discogs calls it. Streaming titles carry edition tags Discogs keeps apart ("Abbey Road
 * (Remastered)", "Rumours - Deluxe Edition", "Hunky Dory - 2015 Remaster"), guest credits
 * ("feat. …") and spelling variants ("Vol." / "Volume", "&" / "and", "The Beatles" / "Beatles").
 *
 * The rules, applied in order by {@link normaliseName}:
 * 1. accents off and case folded (Björk → bjork);
 * 2. Discogs' disambiguation suffix and name-variation star off ("Nirvana (2)", "Tricky*");
 * 3. a trailing " - …" part that names an edition (remaster, deluxe, edition, expanded,
 *    anniversary, version, bonus, mono, stereo, reissue) off, and the same in (…) or […];
 * 4. guest credits off: "(feat. X)", "[with X]", " feat. X", " ft. X", " featuring X";
 * 5. "Vol." / "Vol" → "volume", "&" and "+" → "and";
 * 6. a leading "The " off;
 * 7. punctuation to spaces, spaces collapsed.
 *
 * @example
 * ```ts
 * normaliseName("Abbey Road (Remastered 2019)") === normaliseName("Abbey Road"); // true
 * normaliseName("The Beatles") === normaliseName("Beatles, The"); // false: Discogs says "The Beatles"
 * ```
 *
 * @module
 */

/** Words that make a bracketed or dashed part an edition tag rather than part of the title. */
const EDITION_WORDS =
  /\b(remaster(ed)?|deluxe|edition|expanded|anniversary|version|bonus|mono|stereo|reissue|special|collector'?s)\b/i;

/** The text of an edition tag part: `- Remastered 2011`, `(Deluxe Edition)`, `[2009 Remaster]`. */
function withoutEditionTags(text: string): string {
  let out = text;
  // Bracketed groups that name an edition or a guest.
  out = out.replace(
    /\s*[([]([^()[\]]*)[)\]]/g,
    (whole, inner: string) =>
      EDITION_WORDS.test(inner) || /^\s*(feat\.?|ft\.?|featuring|with)\s/i.test(inner) ? "" : whole,
  );
  // " - Remastered 2011", " - 2009 Remaster", " - Deluxe Edition" at the end.
  out = out.replace(
    /\s+[-–—]\s+([^-–—]*)$/,
    (whole, tail: string) => EDITION_WORDS.test(tail) ? "" : whole,
  );
  return out;
}

/** Guest credits at the end of a name: "Artist feat. Guest", "Title ft. Guest". */
function withoutGuests(text: string): string {
  return text.replace(/\s+(feat\.?|ft\.|featuring)\s+.*$/i, "");
}

/**
 * A title or artist as search should send it: edition tags, guests and Discogs suffixes off, the
 * words kept as written (for `release_title=` and `artist=`).
 */
export function searchableName(text: string): string {
  return withoutGuests(withoutEditionTags(withoutDiscogsMarks(text))).trim() || text.trim();
}

/** Discogs' "(2)" disambiguation and "*" name-variation marks off. */
export function withoutDiscogsMarks(text: string): string {
  return text.replace(/\s+\(\d+\)(?=$|\s|,)/g, "").replace(/\*(?=$|\s|,)/g, "").trim();
}

/** The normalised form two names are compared by (see the module's rules). */
export function normaliseName(text: string): string {
  let t = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  t = withoutDiscogsMarks(t);
  t = withoutGuests(withoutEditionTags(t));
  t = t.replace(/\bvol\b\.?/g, "volume").replace(/\s*[&+]\s*/g, " and ");
  t = t.replace(/^the\s+/, "");
  t = t.replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  return t;
}

/** Case- and space-insensitive equality, nothing else (the "exact" rule). */
export function sameExactly(a: string, b: string): boolean {
  const f = (s: string) => withoutDiscogsMarks(s).replace(/\s+/g, " ").trim().toLowerCase();
  return f(a) === f(b);
}

/**
 * The SQL twin of {@link normaliseName} for artist names, as a coarse filter over catalogue
 * tables (accents, case, "(2)", "&"/"+", a leading "The", punctuation); the exact rules then run
 * in TypeScript on what it lets through.
 */
export function sqlNameKey(column: string): string {
  return `trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(` +
    `lower(strip_accents(${column})), ' \\(\\d+\\)$', ''), '\\s*[&+]\\s*', ' and ', 'g'), ` +
    `'^the\\s+', ''), '[^\\pL\\pN]+', ' ', 'g'))`;
}
