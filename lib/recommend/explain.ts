/**
 * Words for recommendations: turning tokens (`style:dub techno`) and clusters into what a
 * collector would say ("Dub Techno", "your Jungle / Drum n Bass shelf").
 *
 * @module
 */

import { tokensOf } from "../embed/features.ts";
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
    case "decade":
      return `the ${value.toLowerCase()}`;
    case "country":
      // "UK", "US", "USA" stay capitals; "Uk pressings" reads wrong.
      return `${value.length <= 3 ? value.toUpperCase() : value} pressings`;
    default:
      return value;
  }
}

/**
 * Name a group of releases (a taste cluster) by its 1–2 most common styles, falling back to
 * genres: "Jungle / Drum n Bass".
 */
export function shelfName(members: readonly ReleaseFeatures[]): string {
  const counts = new Map<string, number>();
  for (const m of members) {
    for (
      const t of tokensOf(m, {
        ...TASTE_FIELD_WEIGHTS,
        artist: 0,
        label: 0,
        decade: 0,
        country: 0,
        format: 0,
        genre: 0,
      }).keys()
    ) {
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
  }
  if (counts.size === 0) {
    for (const m of members) {
      for (const g of m.genres) {
        counts.set(`genre:${g.toLowerCase()}`, (counts.get(`genre:${g.toLowerCase()}`) ?? 0) + 1);
      }
    }
  }
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 2).map((
    [t],
  ) => describeToken(t));
  return top.length ? top.join(" / ") : "Unlabelled";
}
