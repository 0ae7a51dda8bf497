import { assertEquals } from "../testing/assert.ts";
import { currencyInHeader, headerKey, mapPoolColumns } from "./columns.ts";

Deno.test("pool columns are found by their usual names", () => {
  const electronic = [
    "artist",
    "title",
    "label",
    "country",
    "format",
    "genre",
    "styles",
    "have",
    "want",
    "num_ratings",
    "lowest_price_(USD)",
    "median price_(USD)",
    "highest_price_(USD)",
    "mean_rating",
    "release_year",
  ];
  assertEquals(mapPoolColumns(electronic), {
    artist: "artist",
    title: "title",
    label: "label",
    country: "country",
    format: "format",
    genres: "genre",
    styles: "styles",
    have: "have",
    want: "want",
    lowest_price: "lowest_price_(USD)",
    year: "release_year",
  });
  const listings = [
    "artist",
    "title",
    "release_format",
    "price",
    "release_page",
    "label_name",
    "label_code",
    "year",
  ];
  assertEquals(mapPoolColumns(listings), {
    release_url: "release_page",
    artist: "artist",
    title: "title",
    label: "label_name",
    catalog_number: "label_code",
    format: "release_format",
    lowest_price: "price",
    year: "year",
  });
});

Deno.test("header keys ignore case and punctuation; currencies come from price headers", () => {
  assertEquals(headerKey("Lowest Price (USD)"), "lowestpriceusd");
  assertEquals(currencyInHeader("lowest_price_(EUR)"), "EUR");
  assertEquals(currencyInHeader("price"), undefined);
});
