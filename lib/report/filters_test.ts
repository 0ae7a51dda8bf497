import { assert } from "../testing/assert.ts";
import { type FilterableRecord, matchesFilter, NO_FILTER } from "./filters.ts";

const bjork: FilterableRecord = {
  artistDisplay: "Björk",
  title: "Homogenic",
  label: "One Little Indian",
  year: 1997,
  genres: ["Electronic", "Pop"],
  styles: ["Trip Hop"],
  lowestPrice: 25,
};
const unknown: FilterableRecord = { ...bjork, year: null, lowestPrice: null };

Deno.test("text search ignores case and accents and matches every word", () => {
  assert(matchesFilter(bjork, { ...NO_FILTER, text: "bjork homo" }));
  assert(matchesFilter(bjork, { ...NO_FILTER, text: "LITTLE indian" }));
  assert(!matchesFilter(bjork, { ...NO_FILTER, text: "bjork vespertine" }));
});

Deno.test("genre, style, year and price filters", () => {
  assert(matchesFilter(bjork, { ...NO_FILTER, genre: "Pop", style: "Trip Hop" }));
  assert(!matchesFilter(bjork, { ...NO_FILTER, genre: "Jazz" }));
  assert(matchesFilter(bjork, { ...NO_FILTER, yearFrom: 1990, yearTo: 1997 }));
  assert(!matchesFilter(bjork, { ...NO_FILTER, yearFrom: 1998 }));
  assert(matchesFilter(bjork, { ...NO_FILTER, priceMin: 25, priceMax: 25 }));
  assert(!matchesFilter(bjork, { ...NO_FILTER, priceMax: 20 }));
});

Deno.test("an unknown year or price never passes a bound on it", () => {
  assert(matchesFilter(unknown, NO_FILTER));
  assert(!matchesFilter(unknown, { ...NO_FILTER, yearTo: 2100 }));
  assert(!matchesFilter(unknown, { ...NO_FILTER, priceMax: 1000 }));
});
