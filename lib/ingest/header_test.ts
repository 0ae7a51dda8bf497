import { assertEquals } from "../testing/assert.ts";
import { COLLECTION_HEADER, foldHeader, mapHeader } from "./header.ts";
import { recordStartLines } from "./lines.ts";

Deno.test("the standard header maps every field in order", () => {
  const map = mapHeader(COLLECTION_HEADER.split(","));
  assertEquals(map.fields, {
    catalog_number: 0,
    artist: 1,
    title: 2,
    label: 3,
    format: 4,
    rating: 5,
    released: 6,
    release_id: 7,
    folder: 8,
    date_added: 9,
    media_condition: 10,
    sleeve_condition: 11,
    notes: 12,
  });
  assertEquals(map.custom, []);
});

Deno.test("spellings fold together; custom fields keep their names; unnamed columns resolve by place", () => {
  assertEquals(foldHeader("\uFEFFDate Added "), "dateadded");
  assertEquals(foldHeader("Catalog#"), "catalog#");
  const pandas = mapHeader([null, "Catalognum", "Artist", "release_id", "DateAdded"]);
  assertEquals(pandas.fields, { catalog_number: 1, artist: 2, release_id: 3, date_added: 4 });
  assertEquals(pandas.ignored, [0]);
  const wantlist = mapHeader(["Artist", "release_id", "Notes", null]);
  assertEquals(wantlist.fields.date_added, 3);
  const custom = mapHeader(["release_id", "Collection Purchased At", "Collection Color", "Extra"]);
  assertEquals(custom.custom, [{ name: "Purchased At", index: 1 }, { name: "Color", index: 2 }]);
  assertEquals(custom.ignored, [3]);
});

Deno.test("record start lines follow quotes across lines and skip blank lines", () => {
  const text = 'h1,h2\r\n1,"a\r\nb"\r\n\r\n2,"x ""quoted"" y"\n3,z';
  assertEquals(recordStartLines(new TextEncoder().encode(text)), [1, 2, 5, 6]);
});
