/**
 * Discogs database search (`GET /database/search`, token required): building query paths and
 * turning result items into pool rows. A release result already carries what scoring needs
 * (community have/want, genres, styles, label, year, format, master id), so a candidate found by
 * search is scoreable without another call; only its price waits for the shortlist.
 *
 * @example
 * ```ts
 * searchPath({ type: "release", style: "Dub", genre: "Reggae" }, 1);
 * // "/database/search?type=release&genre=Reggae&style=Dub&page=1&per_page=100"
 * ```
 *
 * @module
 */

import { asCount, asList, asText, withoutDiscogsSuffix } from "./release.ts";

/** What search needs that listings do not: shown when a run has no token. */
export const SEARCH_NEEDS_TOKEN =
  "Discogs search needs a token: set DISCOGS_TOKEN (discogs.com → Settings → Developers → " +
  "Generate token) to add candidates found by your styles, decades, labels and artists, " +
  "not only the discographies of the artists and labels you own";

/** Filters of a search, in the order they appear in the path (stable cache keys). */
export interface SearchQuery {
  type?: "release" | "master";
  q?: string;
  artist?: string;
  release_title?: string;
  label?: string;
  genre?: string;
  style?: string;
  year?: number;
  format?: string;
  country?: string;
}

const FILTER_ORDER: (keyof SearchQuery)[] = [
  "type",
  "q",
  "artist",
  "release_title",
  "label",
  "genre",
  "style",
  "year",
  "format",
  "country",
];

/** Results per page Discogs allows at most. */
export const SEARCH_PER_PAGE = 100;

/** The request path (and cache key) of one page of a search. */
export function searchPath(query: SearchQuery, page: number, perPage = SEARCH_PER_PAGE): string {
  const params = new URLSearchParams();
  for (const key of FILTER_ORDER) {
    const value = query[key];
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  params.set("page", String(page));
  params.set("per_page", String(perPage));
  return `/database/search?${params}`;
}

/**
 * Split a search result's title, "Artist - Title", at the first " - " (titles contain dashes
 * more often than artist names do).
 */
export function splitSearchTitle(text: string): { artist: string; title: string } | null {
  const at = text.indexOf(" - ");
  if (at <= 0 || at + 3 >= text.length) return null;
  return { artist: text.slice(0, at).trim(), title: text.slice(at + 3).trim() };
}

/** Number of pages a search body says it has (1 when it does not say). */
export function searchPages(body: unknown): number {
  const pages = asCount(
    (body as { pagination?: { pages?: unknown } })?.pagination?.pages as number,
  );
  return pages && pages > 0 ? pages : 1;
}

/** Pool rows (see `POOL_ROW_DDL`) from the release results of one search page. */
export function searchResultRows(
  body: unknown,
  options: { source: string; currency: string },
): Record<string, unknown>[] {
  const results = (body as { results?: unknown })?.results;
  if (!Array.isArray(results)) return [];
  const rows: Record<string, unknown>[] = [];
  results.forEach((raw, i) => {
    const item = (raw ?? {}) as Record<string, unknown>;
    if (asText(item.type as string) !== "release") return;
    const releaseId = asCount(item.id as number);
    const split = splitSearchTitle(asText(item.title as string) ?? "");
    if (!releaseId || !split) return;
    const texts = (v: unknown) =>
      asList(v as string[]).map((x) => asText(x as string)).filter((x): x is string => !!x);
    const community = (item.community ?? {}) as Record<string, unknown>;
    const artist = split.artist.split(/ [*] | & |, /)[0] === split.artist
      ? withoutDiscogsSuffix(split.artist)
      : split.artist.replace(/ \(\d+\)(?=$| |,)/g, "").replace(/\*(?=$| |,)/g, "");
    rows.push({
      pool_key: `release:${releaseId}`,
      release_id: releaseId,
      master_id: asCount(item.master_id as number) || null,
      artist,
      artist_display: artist,
      title: split.title,
      label: texts(item.label)[0] ?? null,
      catalog_number: asText(item.catno as string),
      country: asText(item.country as string),
      format: texts(item.format).join(", ") || null,
      genres: texts(item.genre),
      styles: texts(item.style),
      have: asCount(community.have as number),
      want: asCount(community.want as number),
      lowest_price: null,
      num_for_sale: null,
      currency: options.currency,
      year: asCount(item.year as number) || null,
      thumbnail_url: asText(item.thumb as string),
      discogs_url: `https://www.discogs.com/release/${releaseId}`,
      source: options.source,
      source_row: i + 1,
    });
  });
  return rows;
}
