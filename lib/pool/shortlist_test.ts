import { assertEquals } from "../testing/assert.ts";
import { matchSearchResult } from "./shortlist.ts";

Deno.test("an id-less candidate matches the search result of the same artist and title only", () => {
  const body = {
    results: [
      { type: "master", id: 9, title: "Burial - Untrue" },
      { type: "release", id: 10, title: "Burial - Untrue (Remixes)" },
      { type: "release", id: 11, title: "Burial* - Untrue" },
      { type: "release", id: 12, title: "Burial - Untrue" },
    ],
  };
  assertEquals(matchSearchResult(body, "Burial", "Untrue"), 11, "ANV marker ignored, first wins");
  assertEquals(matchSearchResult(body, "Kode9", "Untrue"), null, "another artist's record");
  assertEquals(matchSearchResult({ results: [] }, "Burial", "Untrue"), null);
  assertEquals(matchSearchResult({}, "Burial", "Untrue"), null);
});
