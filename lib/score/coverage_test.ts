import { assertEquals } from "../testing/assert.ts";
import { coverageText } from "./coverage.ts";

Deno.test("coverage names what lacks market data and the command that fetches it", () => {
  assertEquals(
    coverageText({ releases: 315, ranked: 120, withoutMarketData: 195 }),
    "rankings cover 120 of 315 releases (195 without market data: run `deno task enrich`)",
  );
  assertEquals(
    coverageText({ releases: 4000, ranked: 0, withoutMarketData: 4000 }, "deno task enrich --db x"),
    "rankings cover 0 of 4,000 releases (4,000 without market data: run `deno task enrich --db x`)",
  );
});

Deno.test("a fully enriched collection gets no hint", () => {
  assertEquals(
    coverageText({ releases: 315, ranked: 315, withoutMarketData: 0 }),
    "rankings cover 315 of 315 releases",
  );
  assertEquals(
    coverageText({ releases: 1, ranked: 1, withoutMarketData: 0 }),
    "rankings cover 1 of 1 release",
  );
});

Deno.test("records Discogs answers 404 for are not sent back to enrich", () => {
  assertEquals(
    coverageText({ releases: 68, ranked: 0, withoutMarketData: 68, notOnDiscogs: 68 }),
    "rankings cover 0 of 68 releases (68 without market data: Discogs does not know their " +
      "release ids (404), so enriching cannot add it; check the export's release_id column)",
  );
  assertEquals(
    coverageText({ releases: 315, ranked: 120, withoutMarketData: 195, notOnDiscogs: 45 }),
    "rankings cover 120 of 315 releases (195 without market data: run `deno task enrich` for " +
      "150; 45 are not on Discogs (404))",
  );
});
