import { assertEquals } from "../testing/assert.ts";
import { collectionSummary } from "./summary.ts";
import type { ReportRecord } from "./types.ts";

const record = (over: Partial<ReportRecord>): ReportRecord => ({
  releaseId: 1,
  artist: "A",
  artistDisplay: "A",
  title: "T",
  label: null,
  format: null,
  year: 2000,
  copies: 1,
  genres: [],
  styles: [],
  want: 1,
  have: 1,
  lowestPrice: 10,
  numForSale: 1,
  currency: "USD",
  thumbnail: null,
  why: { value: "", smartBuy: "", essential: "", deepCut: "" },
  ...over,
});

Deno.test("the summary sums lowest prices per copy, per currency, and counts the unpriced", () => {
  const summary = collectionSummary([
    record({ releaseId: 1, lowestPrice: 10, copies: 2, genres: ["Jazz"], styles: ["Modal"] }),
    record({ releaseId: 2, lowestPrice: 4, genres: ["Jazz", "Jazz"], styles: ["Hard Bop"] }),
    record({ releaseId: 3, lowestPrice: 1, year: 1959, genres: ["Rock"] }),
    record({ releaseId: 4, lowestPrice: null, year: null }),
    record({ releaseId: 5, lowestPrice: 20, currency: "EUR", year: 2024 }),
  ]);
  assertEquals(summary.releases, 5);
  assertEquals(summary.copies, 6);
  assertEquals(summary.unpriced, 1);
  assertEquals(summary.value, [
    { currency: "USD", total: 25, median: 4, priced: 3 },
    { currency: "EUR", total: 20, median: 20, priced: 1 },
  ]);
  assertEquals(summary.genres, [{ name: "Jazz", count: 2 }, { name: "Rock", count: 1 }]);
  assertEquals(summary.styles, [{ name: "Hard Bop", count: 1 }, { name: "Modal", count: 1 }]);
  assertEquals(summary.years, { first: 1959, last: 2024 });
});

Deno.test("an empty collection summarises without dividing by zero", () => {
  const summary = collectionSummary([]);
  assertEquals(summary.value, []);
  assertEquals(summary.years, null);
  assertEquals(summary.copies, 0);
});
