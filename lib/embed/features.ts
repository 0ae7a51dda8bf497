/**
 * What the taste embedder looks at in a release, and how it turns that into weighted tokens
 * (`style:dub techno`, `label:basic channel`, `artist:dillinja`, `decade:1990s`,
 * `credit:lemon d`, …). Styles, artists and labels carry most of a collector's taste, so they
 * weigh most; the people credited (remixers, producers, engineers) by the class of their role.
 *
 * @module
 */

import { splitRoles } from "../discogs/credits.ts";

/** The facts of a release the embedder uses; collection, pool and API candidates all map here. */
export interface ReleaseFeatures {
  key: string;
  artists: string[];
  labels: string[];
  genres: string[];
  styles: string[];
  year: number | null;
  country: string | null;
  formats: string[];
  /**
   * People credited on it, with their roles (`extraartists`: from the catalogue or a release
   * body); absent or empty when not known.
   */
  credits?: readonly { name: string; role: string }[];
}

/** Fields that produce tokens. */
export type FeatureField =
  | "style"
  | "genre"
  | "artist"
  | "label"
  | "decade"
  | "country"
  | "format"
  | "credit";

/**
 * Per-field weights. Tuned on the fixture collections with the evaluation harness: styles are
 * the strongest shared-taste signal, artists and labels next (collectors follow both), genre is
 * coarse (one of 15), era, country and format are weak hints.
 */
export const DEFAULT_FIELD_WEIGHTS: Record<FeatureField, number> = {
  style: 3,
  artist: 2.5,
  label: 2,
  genre: 1,
  decade: 1,
  country: 0.5,
  format: 0.5,
  credit: 1.5,
};

/**
 * Roles (lower case, a regular expression) that say nothing about the music: the sleeve, the
 * photos, the business, the pressing plant. The catalogue's prefilter skips them too.
 */
export const IGNORED_CREDIT_ROLES =
  "photo|design|artwork|art by|art direction|layout|cover|illustrat|liner|sleeve|manag|legal|" +
  "a&r|booking|copyright|lacquer|pressed|manufactur|distribut";

/**
 * How much a credit's role says about the music, as a share of the `credit` field weight:
 * who remixed a record says most (a remixer is a sound), who produced, mixed or wrote it next,
 * players and featured artists less, engineers (mastering, cutting) little — and who took the
 * photos or designed the sleeve nothing. A person with several roles on one release counts by
 * the strongest. Unknown roles count as players.
 */
export function creditRoleShare(role: string): number {
  const r = role.toLowerCase();
  if (IGNORED_ROLE.test(r)) return 0;
  if (/remix|re-?mixed|rework|edit by|dub by/.test(r)) return 1;
  if (/produc|mixed by|mixed|written|composed|music by|arranged|programmed|lyrics/.test(r)) {
    return 0.8;
  }
  if (/master|engineer|recorded|cut by|transfer|restor/.test(r)) return 0.4;
  return 0.5;
}

const IGNORED_ROLE = new RegExp(IGNORED_CREDIT_ROLES);

/** A credited person's share and the role it comes from. */
export interface CreditShare {
  share: number;
  role: string;
  name: string;
}

// A catalogue pool repeats a few hundred role strings across thousands of credits, and the
// taste fit, the embedder, the signals and the reasons each ask for a release's shares: the
// strongest share of each raw role string, and each credits list's shares, are worked out once.
const ROLE_SHARES = new Map<string, { share: number; role: string }>();
const SHARES_OF = new WeakMap<object, ReadonlyMap<string, CreditShare>>();
const NO_SHARES: ReadonlyMap<string, CreditShare> = new Map();

function strongestRole(raw: string): { share: number; role: string } {
  let best = ROLE_SHARES.get(raw);
  if (!best) {
    best = { share: 0, role: "" };
    for (const role of splitRoles(raw)) {
      const share = creditRoleShare(role);
      if (share > best.share) best = { share, role };
    }
    // Bounded: a run sees a few hundred distinct role strings, a hostile file could send more.
    if (ROLE_SHARES.size < 100_000) ROLE_SHARES.set(raw, best);
  }
  return best;
}

/**
 * The strongest role share per credited person (normalised name) of a release. The map is shared
 * between calls on the same credits list: read it, do not change it.
 */
export function creditShares(
  credits: readonly { name: string; role: string }[] | undefined,
): ReadonlyMap<string, CreditShare> {
  if (!credits?.length) return NO_SHARES;
  const cached = SHARES_OF.get(credits);
  if (cached) return cached;
  const out = new Map<string, CreditShare>();
  for (const c of credits) {
    const name = normalizeName(c.name);
    if (!name || PLACEHOLDER_NAMES.has(name)) continue;
    const { share, role } = strongestRole(c.role);
    const current = out.get(name);
    if (share > 0 && (!current || share > current.share)) {
      out.set(name, { share, role, name: c.name });
    }
  }
  SHARES_OF.set(credits, out);
  return out;
}

/** Format words that say something about how music is released; the rest (RPM, qty) do not. */
const FORMAT_WORDS = new Set([
  "vinyl",
  "cd",
  "cassette",
  "lp",
  "ep",
  '12"',
  '10"',
  '7"',
  "album",
  "single",
  "compilation",
  "maxi-single",
  "mini-album",
  "box set",
  "file",
  "reissue",
  "re",
  "white label",
  "promo",
  "test pressing",
]);

/** Names Discogs uses for "no particular artist/label": never a taste signal. */
export const PLACEHOLDER_NAMES = new Set([
  "various",
  "unknown artist",
  "not on label",
  "no label",
  "unknown",
]);

/** Lower-case, trim, strip Discogs' `(2)` suffix and `*` ANV marker. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/ \(\d+\)$/, "").replace(/\*$/, "").trim();
}

function formatTokens(formats: string[]): string[] {
  const out = new Set<string>();
  for (const format of formats) {
    for (const part of format.split(/,|\+/)) {
      const word = part.trim().toLowerCase().replace(/^\d+×/, "").replace(/^\d+x/, "");
      if (FORMAT_WORDS.has(word)) out.add(word);
    }
  }
  return [...out];
}

/**
 * Call `visit(token, weight)` for each token of a release, once per distinct token (no map is
 * built: the embedding hot path calls this for a million releases).
 */
export function forEachToken(
  f: ReleaseFeatures,
  weights: Record<FeatureField, number>,
  visit: (token: string, weight: number) => void,
): void {
  const seen = new Set<string>();
  const add = (field: FeatureField, values: Iterable<string>) => {
    const w = weights[field];
    if (!w) return;
    for (const v of values) {
      const value = field === "artist" || field === "label"
        ? normalizeName(v)
        : v.toLowerCase().trim();
      if (!value || PLACEHOLDER_NAMES.has(value)) continue;
      const token = `${field}:${value}`;
      if (seen.has(token)) continue;
      seen.add(token);
      visit(token, w);
    }
  };
  add("style", f.styles);
  add("genre", f.genres);
  add("artist", f.artists);
  add("label", f.labels);
  if (f.year) add("decade", [`${Math.floor(f.year / 10) * 10}s`]);
  if (f.country) add("country", [f.country]);
  add("format", formatTokens(f.formats));
  if (f.credits?.length && weights.credit) {
    for (const [name, { share }] of creditShares(f.credits)) {
      const token = `credit:${name}`;
      if (seen.has(token)) continue;
      seen.add(token);
      visit(token, weights.credit * share);
    }
  }
}

/** Weighted tokens of one release (a token appears once; its weight is its field's). */
export function tokensOf(
  f: ReleaseFeatures,
  weights: Record<FeatureField, number> = DEFAULT_FIELD_WEIGHTS,
): Map<string, number> {
  const tokens = new Map<string, number>();
  forEachToken(f, weights, (token, weight) => tokens.set(token, weight));
  return tokens;
}
