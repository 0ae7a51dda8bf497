import { assertEquals } from "../testing/assert.ts";
import { frame, toCell } from "./frames.ts";

Deno.test("toCell: lists joined, dates as ISO text, objects as JSON, non-finite numbers null", () => {
  assertEquals(toCell(["Dub", null, "Reggae"]), "Dub, Reggae");
  assertEquals(toCell(new Date("2026-01-02T03:04:05Z")), "2026-01-02T03:04:05Z");
  assertEquals(toCell({ a: 1 }), '{"a":1}');
  assertEquals(toCell(Number.NaN), null);
  assertEquals(toCell(12n), 12);
  assertEquals(toCell(undefined), null);
});

Deno.test("frame: readable headings in order, integer columns stay integers with nulls", () => {
  const rows = [
    { rank: 1, artist: "King Tubby", price: 12.3456, genres: ["Reggae"], ok: true },
    { rank: null, artist: null, price: null, genres: [], ok: false },
  ];
  const df = frame(rows, {
    "Rank": "rank",
    "Record": (r) => r.artist ?? "unknown",
    "Lowest price ($)": "price",
    "Genres": "genres",
    "Ranked": "ok",
  });
  assertEquals(df.columns, ["Rank", "Record", "Lowest price ($)", "Genres", "Ranked"]);
  assertEquals(df.dtypes.map(String), [
    "DataType(Int64)",
    "DataType(String)",
    "DataType(Float64)",
    "DataType(String)",
    "DataType(Bool)",
  ]);
  assertEquals(df.toRecords(), [
    {
      "Rank": 1,
      "Record": "King Tubby",
      "Lowest price ($)": 12.35,
      "Genres": "Reggae",
      "Ranked": true,
    },
    { "Rank": null, "Record": "unknown", "Lowest price ($)": null, "Genres": "", "Ranked": false },
  ]);
});

Deno.test("frame: without columns every key of the first row; digits null keeps numbers", () => {
  const df = frame([{ a: 0.123456789, b: "x" }], undefined, { digits: null });
  assertEquals(df.columns, ["a", "b"]);
  assertEquals(df.toRecords(), [{ a: 0.123456789, b: "x" }]);
  assertEquals(frame([]).height, 0);
});
