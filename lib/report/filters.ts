/**
 * The page's record filters (text search, genre, style, year range, price range) as one pure
 * predicate, shared by the browser script and its tests.
 *
 * @module
 */

/** The fields a filter looks at. */
export interface FilterableRecord {
  artistDisplay: string;
  title: string;
  label: string | null;
  year: number | null;
  genres: readonly string[];
  styles: readonly string[];
  lowestPrice: number | null;
}

/** A filter as the controls set it; empty strings and nulls mean "any". */
export interface RecordFilter {
  text: string;
  genre: string;
  style: string;
  yearFrom: number | null;
  yearTo: number | null;
  priceMin: number | null;
  priceMax: number | null;
}

/** The filter that lets every record through. */
export const NO_FILTER: RecordFilter = {
  text: "",
  genre: "",
  style: "",
  yearFrom: null,
  yearTo: null,
  priceMin: null,
  priceMax: null,
};

// Case and accents should not matter when a collector types "bjork" or "SADE".
const fold = (text: string) =>
  text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();

/**
 * Whether `record` passes `filter`. Text matches artist, title or label, each word anywhere. A
 * year or price bound leaves out records whose year or price is unknown: an unknown price is not
 * a cheap one.
 */
export function matchesFilter(record: FilterableRecord, filter: RecordFilter): boolean {
  const words = fold(filter.text).split(/\s+/).filter(Boolean);
  if (words.length) {
    const haystack = fold(`${record.artistDisplay} ${record.title} ${record.label ?? ""}`);
    if (!words.every((w) => haystack.includes(w))) return false;
  }
  if (filter.genre && !record.genres.includes(filter.genre)) return false;
  if (filter.style && !record.styles.includes(filter.style)) return false;
  if (filter.yearFrom !== null || filter.yearTo !== null) {
    if (!record.year) return false;
    if (filter.yearFrom !== null && record.year < filter.yearFrom) return false;
    if (filter.yearTo !== null && record.year > filter.yearTo) return false;
  }
  if (filter.priceMin !== null || filter.priceMax !== null) {
    if (record.lowestPrice === null) return false;
    if (filter.priceMin !== null && record.lowestPrice < filter.priceMin) return false;
    if (filter.priceMax !== null && record.lowestPrice > filter.priceMax) return false;
  }
  return true;
}
