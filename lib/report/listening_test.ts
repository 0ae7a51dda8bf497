import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { type ListeningReport, listeningSection } from "./listening.ts";

const report = (over: Partial<ListeningReport> = {}): ListeningReport => ({
  plays: 12,
  weak: 2,
  first: "2023-01-01",
  last: "2024-06-30",
  days: 546,
  bySource: [{ source: "spotify_extended", plays: 12 }],
  albums: 2,
  matched: 1,
  topAlbums: [
    {
      artist: "<script>alert(1)</script>",
      album: "Dummy & Co",
      plays: 9,
      weighted_plays: 8.25,
      owned: false,
      master_id: 4242,
      match_rule: "title_prefix",
      confidence: 0.6,
      pressing_release_id: 77,
      pressing_format: "LP, Album",
      unmatched_reason: null,
    },
  ],
  unmatched: [],
  ownedNeverPlayed: [{ release_id: 5, artist: "Tricky", title: "Maxinquaye" }],
  ownedNeverPlayedCount: 1,
  ...over,
});

Deno.test("What you play: figures, links, escaped names; nothing without a history", () => {
  assertEquals(listeningSection(null), "");
  const html = listeningSection(report());
  assertStringIncludes(html, '<h2 id="listening-title">What you play</h2>');
  assertStringIncludes(
    html,
    "12 plays from 2023-01-01 to 2024-06-30 (546 days; Spotify extended history 12)",
  );
  assertStringIncludes(html, "1 of 2 played albums matched to a Discogs master (50%)");
  assertStringIncludes(html, 'href="https://www.discogs.com/master/4242"');
  assertStringIncludes(html, "(title prefix, 0.6)");
  assertStringIncludes(html, 'href="https://www.discogs.com/release/77"');
  assertStringIncludes(html, "Owned, never played (1)");
  assert(!html.includes("<script>"), "names are escaped");
  const short = listeningSection(
    report({ days: 40, ownedNeverPlayed: null, ownedNeverPlayedCount: null }),
  );
  assertStringIncludes(short, "shown once the history covers 365 days (it covers 40)");
});
