/**
 * What the taste embedder looks at in a release, and how it turns that into weighted tokens
 * (`style:dub techno`, `label:basic channel`, `artist:dillinja`, `decade:1990s`, …). Styles,
 * artists and labels carry most of a collector's taste, so they weigh most.
 *
 * @module
 */

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
}

/** Fields that produce tokens. */
export type FeatureField = "style" | "genre" | "artist" | "label" | "decade" | "country" | "format";

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
};

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
