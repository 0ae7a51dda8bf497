/**
 * Recognising the columns of a candidate-pool file. Pool files come from many places (Discogs
 * dumps, marketplace scrapes, other people's notebooks), so each pool column is found by any of
 * its usual names, compared after lower-casing and dropping everything but letters and digits
 * (`lowest_price_(USD)` → `lowestpriceusd`).
 *
 * @module
 */

/** The pool columns Next Spin reads, and the header names that may hold them. */
export const POOL_COLUMN_NAMES = {
  release_id: ["releaseid", "discogsreleaseid", "id"],
  master_id: ["masterid", "discogsmasterid"],
  release_url: ["releasepage", "releaseurl", "uri", "url", "discogsurl"],
  artist: ["artist", "artists", "artistname"],
  title: ["title", "releasetitle"],
  label: ["label", "labelname", "labels"],
  catalog_number: ["catalognumber", "catalog", "catno", "catalognum", "labelcode"],
  country: ["country"],
  format: ["format", "releaseformat", "formats"],
  genres: ["genre", "genres"],
  styles: ["styles", "style"],
  have: ["have", "communityhave"],
  want: ["want", "communitywant"],
  lowest_price: ["lowestprice", "lowestpriceusd", "lowestpriceeur", "lowestpricegbp", "price"],
  num_for_sale: ["numforsale", "forsale"],
  year: ["releaseyear", "year", "released"],
  thumbnail_url: ["thumb", "thumbnail", "thumbnailurl", "coverimage"],
} as const;

/** A pool column name. */
export type PoolColumn = keyof typeof POOL_COLUMN_NAMES;

/** Header name → comparison key. */
export function headerKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Map pool columns to the header names found in a file (first match wins). */
export function mapPoolColumns(headers: readonly string[]): Partial<Record<PoolColumn, string>> {
  const byKey = new Map(headers.map((h) => [headerKey(h), h]));
  const mapping: Partial<Record<PoolColumn, string>> = {};
  for (
    const [column, names] of Object.entries(POOL_COLUMN_NAMES) as [PoolColumn, readonly string[]][]
  ) {
    const found = names.map((n) => byKey.get(n)).find((h) => h !== undefined);
    if (found !== undefined) mapping[column] = found;
  }
  return mapping;
}

/** The currency a price header names, e.g. `lowest_price_(USD)` → `USD`. */
export function currencyInHeader(header: string | undefined): string | undefined {
  return header?.match(/\b(USD|EUR|GBP|CAD|AUD|JPY|CHF|MXN|BRL|NZD|SEK|ZAR)\b/i)?.[1].toUpperCase();
}
