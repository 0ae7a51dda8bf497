import { assert, assertEquals, assertRejects, assertStringIncludes } from "../testing/assert.ts";
import { InputError } from "../errors.ts";
import { Database } from "../db/mod.ts";
import { loadReportData, rankingRules, usableThumbnail } from "./data.ts";

Deno.test("a workspace without scores is an input error that says what to run", async () => {
  const db = await Database.open(":memory:");
  try {
    const error = await assertRejects(() => loadReportData(db), InputError);
    assertStringIncludes(error.message, "no `scores` table yet: run `deno task pipeline`");
    assert(!error.message.includes("\n"), "one line");
  } finally {
    db.close();
  }
});

Deno.test("only https and inline image covers are kept", () => {
  assertEquals(usableThumbnail("https://i.discogs.com/a.jpeg"), "https://i.discogs.com/a.jpeg");
  assertEquals(usableThumbnail("data:image/png;base64,AAAA"), "data:image/png;base64,AAAA");
  assertEquals(usableThumbnail("javascript:alert(1)"), null);
  assertEquals(usableThumbnail("http://i.discogs.com/a.jpeg"), null);
  assertEquals(usableThumbnail(""), null);
});

Deno.test("rankingRules reads the scores table's rules; a table without them was the prototype's", () => {
  assertEquals(rankingRules(undefined), {
    prototypeRanking: true,
    keepSuspectPrices: false,
    priceModel: "prototype",
  });
  assertEquals(rankingRules("complete data", "demand"), {
    prototypeRanking: false,
    keepSuspectPrices: false,
    priceModel: "demand",
  });
  assertEquals(
    rankingRules("complete data, suspect prices kept", "prototype").keepSuspectPrices,
    true,
  );
  assertEquals(rankingRules("complete data", "prototype").priceModel, "prototype");
  assertEquals(rankingRules("prototype", "demand").priceModel, "demand");
});
