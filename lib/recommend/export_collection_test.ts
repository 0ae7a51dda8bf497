import { assert, assertEquals } from "../testing/assert.ts";
import {
  artistKey,
  candidatesFromExport,
  exportKindOf,
  exportName,
  inventedCommunity,
  ReferenceIndex,
} from "./export_collection.ts";

const FIXTURES = new URL("../../../shared/fixtures/exports/", import.meta.url);

const reference = new ReferenceIndex([
  { artist: "Zapp", title: "More Bounce", label: "Warner", genres: ["Funk"], styles: ["Boogie"] },
  {
    artist: "The Neville Brothers",
    title: "Yellow Moon",
    label: "A&M Records",
    genres: ["Funk / Soul"],
    styles: ["Soul", "Funk"],
  },
  {
    artist: "Neville Brothers",
    title: "Uptown",
    label: "EMI",
    genres: ["Funk / Soul"],
    styles: ["Soul"],
  },
  { artist: "Nobody", title: "X", label: "A&M Records", genres: ["Rock"], styles: ["Pop Rock"] },
  { artist: "No Styles", title: "Y", label: "Z", genres: ["Rock"], styles: [] },
]);

Deno.test("ReferenceIndex: artist and title first, then the artist's, then the label's styles", () => {
  assertEquals(reference.lookup("Zapp", "more  bounce"), {
    genres: ["Funk"],
    styles: ["Boogie"],
    by: "title",
  });
  // "The" and Discogs' "(2)" do not make another artist; the artist's most frequent styles.
  assertEquals(reference.lookup("Neville Brothers (2)", "Brother's Keeper"), {
    genres: ["Funk / Soul"],
    styles: ["Soul", "Funk"],
    by: "artist",
  });
  assertEquals(reference.lookup("Unknown", "Z", "A&M Records")?.by, "label");
  assertEquals(reference.lookup("Unknown", "Z", "A&M Records")?.styles, [
    "Funk",
    "Pop Rock",
    "Soul",
  ]);
  assertEquals(reference.lookup("No Styles", "Y"), undefined, "a row without styles is no match");
  assertEquals(artistKey("The Orb*"), "orb");
});

Deno.test("inventedCommunity: seeded by the id, in range", () => {
  assertEquals(inventedCommunity(925929), inventedCommunity(925929));
  assert(inventedCommunity(1).have !== inventedCommunity(2).have);
  for (const id of [1, 2, 3, 925929, 4235004]) {
    const { have, want } = inventedCommunity(id);
    assert(have >= 20 && have < 2020 && want >= Math.round(have * 0.2), `${id}: ${have} ${want}`);
  }
});

Deno.test("candidatesFromExport reads jelambert's wantlist with ingest's reader", async () => {
  const path = new URL("jelambert_wantlist.csv", FIXTURES).pathname;
  assertEquals(exportKindOf(path), "wantlist");
  assertEquals(exportName(path, "wantlist"), "jelambert wantlist");
  const read = await candidatesFromExport(path, reference);
  assertEquals(read.candidates.length, 359);
  const first = read.candidates.find((c) => c.releaseId === 925929)!;
  assertEquals(first.artist, "The Neville Brothers");
  assertEquals(first.title, "Brother's Keeper");
  assertEquals(first.labels, ["A&M Records"]);
  assertEquals(first.formats, ["CD, Album"]);
  assertEquals(first.year, 1990);
  assertEquals(first.styles, ["Soul", "Funk"], "the artist's styles");
  const e = read.enrichment;
  assertEquals(e.records, 359);
  assertEquals(e.byTitle + e.byArtist + e.byLabel + e.none, 359);
  assert(e.byArtist > 0 && e.none > 0, JSON.stringify(e));
});
