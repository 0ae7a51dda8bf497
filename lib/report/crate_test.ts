import { assertEquals } from "../testing/assert.ts";
import { FORMULA_TRIGGER_PATTERN, neutraliseCell } from "../export/tables.ts";
import { crateCsv, type CrateItem, crateTotals, csvCell } from "./crate.ts";

const trigger = new RegExp(FORMULA_TRIGGER_PATTERN);

const item = (over: Partial<CrateItem>): CrateItem => ({
  source: "collection",
  releaseId: 1,
  artist: "Artist",
  title: "Title",
  year: 1999,
  label: "Label",
  lowestPrice: 10,
  currency: "USD",
  url: "https://www.discogs.com/release/1",
  ...over,
});

Deno.test("crate CSV cells follow lib/export's formula rule", () => {
  for (const text of ["=1+1", "+44", "-5", "@SUM(A1)", "\tx", "\rx", "plain", "a=b", ""]) {
    const cell = csvCell(text, trigger);
    const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
    assertEquals(unquoted, neutraliseCell(text), JSON.stringify(text));
  }
  // Numbers are numbers, not text a spreadsheet could run.
  assertEquals(csvCell(-5, trigger), "-5");
  assertEquals(csvCell(null, trigger), "");
});

Deno.test("crate CSV has a header, quotes commas and quotes, and neutralises formulas", () => {
  const csv = crateCsv([
    item({ title: '=HYPERLINK("http://evil","click")', label: "Warp, UK" }),
    item({ releaseId: 2, artist: "@risk", lowestPrice: null, url: null }),
  ], trigger);
  assertEquals(csv.split("\r\n"), [
    "source,release_id,artist,title,year,label,lowest_price,currency,discogs_url",
    `collection,1,Artist,"'=HYPERLINK(""http://evil"",""click"")",1999,"Warp, UK",10,USD,https://www.discogs.com/release/1`,
    "collection,2,'@risk,Title,1999,Label,,USD,",
    "",
  ]);
});

Deno.test("crate totals add prices per currency and count the unpriced apart", () => {
  const totals = crateTotals([
    item({ lowestPrice: 0.1 }),
    item({ lowestPrice: 0.2 }),
    item({ lowestPrice: null }),
    item({ lowestPrice: 7.5, currency: "EUR" }),
  ]);
  assertEquals(totals, {
    count: 4,
    unpriced: 1,
    byCurrency: [
      { currency: "USD", total: 0.3, average: 0.15, priced: 2 },
      { currency: "EUR", total: 7.5, average: 7.5, priced: 1 },
    ],
  });
  assertEquals(crateTotals([]), { count: 0, unpriced: 0, byCurrency: [] });
});
