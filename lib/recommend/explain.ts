/**
 * Words for recommendations: turning tokens (`style:dub techno`) and clusters into what a
 * collector would say ("Dub Techno", "your Jungle / Drum n Bass shelf").
 *
 * @module
 */

import { withoutDiscogsSuffix } from "../discogs/release.ts";
import { normalizeName, PLACEHOLDER_NAMES, tokensOf } from "../embed/features.ts";
import type { ReleaseFeatures } from "../embed/features.ts";
import { TASTE_FIELD_WEIGHTS } from "./taste.ts";

/** `style:dub techno` → `Dub Techno`; `label:basic channel` → `the Basic Channel label`. */
export function describeToken(token: string): string {
  const i = token.indexOf(":");
  const field = token.slice(0, i);
  // Title case, but Discogs keeps small joining words lower case ("Drum n Bass").
  const value = token.slice(i + 1).split(" ")
    .map((w, n) =>
      n > 0 && ["n", "and", "of", "the", "&"].includes(w)
        ? w
        : w.split("-").map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("-")
    )
    .join(" ");
  switch (field) {
    case "label":
      return `${value} (label)`;
    case "artist":
      return `${value} (artist you collect)`;
    case "credit":
      return `${value} (credited)`;
    case "decade":
      return `from the ${value.toLowerCase()}`;
    case "format":
      return FORMAT_PHRASES[token.slice(i + 1)] ?? value;
    case "country":
      // "UK", "US", "USA" stay capitals; "Uk pressings" reads wrong.
      return `${value.length <= 3 ? value.toUpperCase() : value} pressings`;
    default:
      return value;
  }
}

/** Credit roles as a reason reads them: "remixed by", "produced by". */
const ROLE_PHRASES: Record<string, string> = {
  remix: "remixed by",
  "remixed by": "remixed by",
  producer: "produced by",
  "co-producer": "co-produced by",
  "executive-producer": "executive-produced by",
  "executive producer": "executive-produced by",
  engineer: "engineered by",
  featuring: "featuring",
  "written-by": "written by",
  "lyrics by": "lyrics by",
  "music by": "music by",
  "edited by": "edited by",
};

/**
 * A shared credit in words: "remixed by Dillinja, like 7 records you own" (`owned` = records of
 * the collection crediting that person). Roles that read as "… By" are used as they are
 * ("mastered by", "mixed by"); an instrument or other role is named after the person
 * ("with Kirk Degiorgio (keyboards)").
 */
export function describeCredit(name: string, role: string, owned: number): string {
  const r = role.toLowerCase();
  const who = withoutDiscogsSuffix(name);
  const phrase = ROLE_PHRASES[r] ?? (/ by$/.test(r) ? r : null);
  const credit = phrase ? `${phrase} ${who}` : `with ${who} (${r})`;
  return `${credit}, like ${owned} record${owned === 1 ? "" : "s"} you own`;
}

/** Format tokens as a reason reads them: "on vinyl", "a 12\"", "a reissue". */
const FORMAT_PHRASES: Record<string, string> = {
  vinyl: "on vinyl",
  cd: "on CD",
  cassette: "on cassette",
  file: "a digital release",
  lp: "an LP",
  ep: "an EP",
  '12"': 'a 12"',
  '10"': 'a 10"',
  '7"': 'a 7"',
  album: "an album",
  single: "a single",
  "maxi-single": "a maxi-single",
  "mini-album": "a mini-album",
  compilation: "a compilation",
  "box set": "a box set",
  reissue: "a reissue",
  re: "a reissue",
  "white label": "a white label",
  promo: "a promo",
  "test pressing": "a test pressing",
};

/**
 * What a shelf is named after, in order: styles say the most; a collection without Discogs data
 * (no styles or genres yet) still has labels, artists, decades and formats from its CSV export.
 */
const SHELF_NAME_FIELDS = ["style", "genre", "label", "artist", "decade", "format"] as const;

/**
 * Name a group of releases (a taste cluster) by its 1–2 most common styles, falling back to
 * genres, then labels, artists, decades and formats: "Jungle / Drum n Bass".
 */
export function shelfName(members: readonly ReleaseFeatures[]): string {
  const none = Object.fromEntries(Object.keys(TASTE_FIELD_WEIGHTS).map((f) => [f, 0]));
  for (const field of SHELF_NAME_FIELDS) {
    if (field === "label" || field === "artist") {
      // Names as the collector's export spells them ("4AD", not the token's "4ad").
      const top = mostCommon(members.flatMap((m) => field === "label" ? m.labels : m.artists));
      if (top.length) return `${top.join(" / ")} (${field}${top.length > 1 ? "s" : ""})`;
      continue;
    }
    const counts = new Map<string, number>();
    const only = { ...TASTE_FIELD_WEIGHTS, ...none, [field]: 1 };
    for (const m of members) {
      for (const t of tokensOf(m, only).keys()) {
        counts.set(t, (counts.get(t) ?? 0) + 1);
      }
    }
    const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 2)
      .map(([t]) => field === "decade" || field === "format" ? bareValue(t) : describeToken(t));
    if (top.length) return top.join(" / ");
  }
  return "Unlabelled";
}

/** A decade or format token as a shelf name ("1990s", "Vinyl", "CD"), not a reason's phrase. */
function bareValue(token: string): string {
  const value = token.slice(token.indexOf(":") + 1);
  return value.length <= 2 ? value.toUpperCase() : value.charAt(0).toUpperCase() + value.slice(1);
}

/** The two most common names (case-insensitively, first spelling kept; placeholders skipped). */
function mostCommon(names: readonly string[]): string[] {
  const counts = new Map<string, { name: string; n: number }>();
  for (const name of names) {
    const key = normalizeName(name);
    if (!key || PLACEHOLDER_NAMES.has(key)) continue;
    const entry = counts.get(key) ?? { name: withoutDiscogsSuffix(name), n: 0 };
    entry.n++;
    counts.set(key, entry);
  }
  return [...counts.entries()].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1))
    .slice(0, 2).map(([, e]) => e.name);
}

/**
 * Names of the `k` shelves of a clustering, made distinct ("Punk", "Punk #2") so a reason or a
 * legend never names two shelves alike.
 */
export function shelfNames(
  collection: readonly ReleaseFeatures[],
  assignments: ArrayLike<number>,
  k: number,
): string[] {
  const seen = new Map<string, number>();
  return Array.from({ length: k }, (_, shelf) => {
    const name = shelfName(collection.filter((_, i) => assignments[i] === shelf));
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name} #${n}`;
  });
}
