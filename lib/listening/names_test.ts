import { assertEquals } from "../testing/assert.ts";
import { normaliseName, searchableName } from "./names.ts";
import { bestMaster, type MasterCandidate, pickPressing } from "./match.ts";

Deno.test("names are normalised by the stated rules", () => {
  const same = (a: string, b: string) => assertEquals(normaliseName(a), normaliseName(b), a);
  same("Björk", "bjork");
  same("The Beatles", "Beatles");
  same("Nirvana (2)", "Nirvana");
  same("Tricky*", "Tricky");
  same("Abbey Road (Remastered)", "Abbey Road");
  same("Rumours - Deluxe Edition", "Rumours");
  same("Let It Be - Remastered 2009", "Let It Be");
  same("Hunky Dory - 2015 Remaster", "Hunky Dory");
  same("Paul's Boutique [20th Anniversary Remastered Edition]", "Paul's Boutique");
  same("Lose Yourself (feat. Someone)", "Lose Yourself");
  same("Daft Punk feat. Pharrell Williams", "Daft Punk");
  same("Greatest Hits Vol. 2", "Greatest Hits Volume 2");
  same("Simon & Garfunkel", "Simon and Garfunkel");
  // Not edition tags: a live album or a subtitle stays itself.
  assertEquals(normaliseName("Alive - Live in Paris"), "alive live in paris");
  assertEquals(normaliseName("Selected Ambient Works (85-92)"), "selected ambient works 85 92");
  assertEquals(searchableName("Seventeen Seconds - Deluxe Edition"), "Seventeen Seconds");
});

const master = (id: number, artist: string, title: string): MasterCandidate => ({
  id,
  artist,
  title,
  year: 1990,
  genres: [],
  styles: [],
  mainRelease: null,
});

Deno.test("a match says its rule and confidence; no match is guessed", () => {
  const found = [master(1, "Portishead", "Dummy"), master(2, "Portishead", "Portishead")];
  assertEquals(bestMaster({ artist: "Portishead", album: "Dummy" }, found).rule, "exact");
  const n = bestMaster({ artist: "portishead", album: "Dummy (Deluxe Edition)" }, found);
  assertEquals([n.master?.id, n.rule, n.confidence], [1, "normalised", 0.9]);
  const p = bestMaster({ artist: "Portishead", album: "Dummy Live Sessions" }, found);
  assertEquals([p.master?.id, p.rule, p.confidence], [1, "title_prefix", 0.6]);
  const none = bestMaster({ artist: "Tricky", album: "Dummy" }, found);
  assertEquals([none.master, none.rule], [null, null]);
  assertEquals(none.unmatched, "none of 2 Discogs masters found has that artist and title");
});

Deno.test("the pressing to buy is in the collector's format, the most collected first", () => {
  const versions = {
    versions: [
      {
        id: 5,
        format: "CD, Album",
        major_formats: ["CD"],
        stats: { community: { in_collection: 900 } },
      },
      {
        id: 7,
        format: "LP, Album",
        major_formats: ["Vinyl"],
        stats: { community: { in_collection: 40 } },
      },
      {
        id: 3,
        format: "LP, RE",
        major_formats: ["Vinyl"],
        stats: { community: { in_collection: 60 } },
      },
    ],
  };
  assertEquals(pickPressing(versions, "Vinyl")?.releaseId, 3);
  assertEquals(pickPressing(versions, "CD")?.releaseId, 5);
  assertEquals(pickPressing(versions, "Cassette")?.releaseId, 5);
});
