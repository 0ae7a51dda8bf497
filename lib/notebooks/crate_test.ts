import { computeScores, scoreInputsFromRows } from "../score/mod.ts";
import { assertEquals } from "../testing/assert.ts";
import { type CrateRow, filterScores, rankingTable, rescore, topOf } from "./crate.ts";

type Row = CrateRow & {
  want: number | null;
  have: number | null;
  num_for_sale: number | null;
  value_rank: number | null;
};

const row = (id: number, extra: Partial<Row>): Row => ({
  release_id: id,
  artist: `Artist ${id}`,
  title: `Title ${id}`,
  year: 1995,
  genres: ["Electronic"],
  styles: ["Jungle"],
  lowest_price: 10,
  currency: "USD",
  imputed: [],
  want: 100,
  have: 100,
  num_for_sale: 5,
  value_rank: id,
  ...extra,
});

const ROWS = [
  row(1, { genres: ["Reggae"], styles: ["Dub"], year: 1978, lowest_price: 30 }),
  row(2, { year: 1996, lowest_price: 4 }),
  row(3, { year: 0, lowest_price: null, imputed: ["lowestPrice"], value_rank: null }),
  row(4, { year: 2001, lowest_price: 12, want: 400 }),
];

Deno.test("filterScores: genre and style ignore case; unknown years and prices drop out", () => {
  const ids = (rows: Row[]) => rows.map((r) => r.release_id);
  assertEquals(ids(filterScores(ROWS, { genre: "reggae" })), [1]);
  assertEquals(ids(filterScores(ROWS, { style: "JUNGLE" })), [2, 3, 4]);
  assertEquals(ids(filterScores(ROWS, { yearFrom: 1990, yearTo: 1999 })), [2]);
  assertEquals(ids(filterScores(ROWS, { maxPrice: 12 })), [2, 4]);
  assertEquals(ids(filterScores(ROWS, { completeDataOnly: true })), [1, 2, 4]);
  assertEquals(ids(filterScores(ROWS, {})), [1, 2, 3, 4]);
});

Deno.test("topOf and rankingTable: ranked rows best first, with position and rank in crate", () => {
  assertEquals(topOf(ROWS, "value", 2).map((r) => r.release_id), [1, 2]);
  const table = rankingTable(filterScores(ROWS, { style: "Jungle" }), "value", 5);
  assertEquals(table.columns, ["#", "Rank in crate", "Record", "Lowest price", "Score", "Why"]);
  assertEquals(table.getColumn("#").toArray(), [1, 2]);
  assertEquals(table.getColumn("Rank in crate").toArray(), [2, 4]);
  assertEquals(table.getColumn("Record").toArray()[0], "Artist 2 – Title 2 (1996)");
  assertEquals(table.getColumn("Lowest price").toArray()[0], "$4.00");
});

Deno.test("rescore re-ranks with the score stage's formulas and keeps the other columns", () => {
  const rescored = rescore(ROWS, 5);
  const expected = computeScores(scoreInputsFromRows(ROWS), 5);
  assertEquals(rescored.map((r) => r.value_rank), expected.map((s) => s.ranks.value));
  assertEquals(rescored.map((r) => r.smart_buy_why), expected.map((s) => s.why.smartBuy));
  assertEquals(rescored[0].title, "Title 1");
  assertEquals(rescored[0].price_weight, 5);
});
