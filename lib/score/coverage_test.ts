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
