import { assertEquals } from "../testing/assert.ts";
import { searchPages, searchPath, searchResultRows, splitSearchTitle } from "./search.ts";

Deno.test("search paths keep one filter order, so the same query is the same cache key", () => {
  assertEquals(
    searchPath({ style: "Dub", type: "release", genre: "Reggae" }, 2),
    "/database/search?type=release&genre=Reggae&style=Dub&page=2&per_page=100",
  );
  assertEquals(
    searchPath({ type: "release", artist: "King Tubby", release_title: "Dub & Co" }, 1, 10),
    "/database/search?type=release&artist=King+Tubby&release_title=Dub+%26+Co&page=1&per_page=10",
  );
});

Deno.test("a search title splits into artist and title at the first ' - '", () => {
  assertEquals(splitSearchTitle("Trash80 - Icarus"), { artist: "Trash80", title: "Icarus" });
  assertEquals(splitSearchTitle("A Guy Called Gerald - Black Secret Technology - Remixes"), {
    artist: "A Guy Called Gerald",
    title: "Black Secret Technology - Remixes",
  });
  assertEquals(splitSearchTitle("Untitled"), null);
});

Deno.test("release results become scoreable pool rows; artists, labels and other types are skipped", async () => {
  const body = JSON.parse(
    await Deno.readTextFile(
      new URL(
        "../../../shared/fixtures/api/endpoint_samples/database/search_q-trash80__per_page-50__page-1.json",
        import.meta.url,
      ),
    ),
  );
  const rows = searchResultRows(body, { source: "search", currency: "EUR" });
  const releases = body.results.filter((r: { type: string }) => r.type === "release");
  assertEquals(rows.length, releases.length);
  const icarus = rows.find((r) => r.release_id === 1743771)!;
  assertEquals(
    [icarus.artist, icarus.title, icarus.label, icarus.year, icarus.styles, icarus.genres],
    ["Trash80", "Icarus", "8bitpeoples", 2008, ["Electro", "Chiptune"], ["Electronic"]],
  );
  assertEquals(icarus.discogs_url, "https://www.discogs.com/release/1743771");
  assertEquals([icarus.currency, icarus.lowest_price], ["EUR", null]);
  assertEquals(searchPages(body), 1);
  assertEquals(searchPages({}), 1);
  assertEquals(
    searchResultRows({
      results: [{
        type: "release",
        id: 7,
        title: "Dillinja (2) - Silver Blade",
        community: { have: 10, want: 30 },
      }],
    }, { source: "search", currency: "USD" })[0].artist,
    "Dillinja",
  );
});
