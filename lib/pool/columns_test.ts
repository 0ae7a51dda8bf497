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

import { Database } from "../db/mod.ts";
import { loadPoolFile } from "./load.ts";

Deno.test("a JSONL of release bodies loads as pool rows with ids, styles and market facts", async () => {
  const db = await Database.open(":memory:");
  try {
    const path = new URL(
      "../../../shared/fixtures/api/releases/greg-dubrow_releases_reserialized.jsonl",
      import.meta.url,
    ).pathname;
    const result = await loadPoolFile(db, path, "p");
    assertEquals(result.rows, 100);
    const row = await db.one<{ pool_key: string; styles: string[]; lowest_price: number | null }>(
      "SELECT pool_key, styles, lowest_price FROM p WHERE release_id = 1023342",
    );
    assertEquals(row!.pool_key, "release:1023342");
    assertEquals(row!.lowest_price, null);
    assertEquals(row!.styles, ["Ambient"]);
  } finally {
    db.close();
  }
});
