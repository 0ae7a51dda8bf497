import { assertEquals } from "../../testing/assert.ts";
import { withTempDb } from "../../../tests/helpers.ts";
import { readTaste, tasteQueries } from "./search.ts";
import { CANDIDATE_SOURCES, type SourceContext, splitBudget } from "./mod.ts";

function ctx(authenticated: boolean, online = true): SourceContext {
  return {
    db: undefined as never,
    target: "t",
    currency: "USD",
    offline: !online,
    authenticated,
    files: [],
    includeOtherPressings: false,
    info: () => {},
  };
}

Deno.test("the budget goes 60/40 to search and listings with a token, all to listings without", () => {
  assertEquals(Object.fromEntries(splitBudget(CANDIDATE_SOURCES, ctx(true), 101)), {
    search: 61,
    listings: 40,
  });
  assertEquals(Object.fromEntries(splitBudget(CANDIDATE_SOURCES, ctx(false), 100)), {
    listings: 100,
  });
  assertEquals(
    Object.fromEntries(splitBudget(CANDIDATE_SOURCES, ctx(true, false), 10)),
    { search: 6, listings: 4 },
    "offline, the plan is the one the online run made",
  );
});

Deno.test("taste queries come from the collection: styles with genres, labels, artists, decades", async () => {
  await withTempDb(async (db) => {
    await db.run(
      `CREATE TABLE collection AS SELECT * FROM (VALUES
        (1, 'Greensleeves', 'King Tubby', 1976), (2, 'Greensleeves', 'Scientist', 1981),
        (3, 'Reinforced', 'Various', 1994), (3, 'Reinforced', 'Various', 1994)
      ) t(release_id, label, artist_display, released_year)`,
    );
    await db.run(`CREATE TABLE releases AS SELECT * FROM (VALUES
      (1, ['Dub', 'Roots Reggae'], ['Reggae'], ['Greensleeves'], ['King Tubby'], 1976),
      (2, ['Dub'], ['Reggae'], ['Greensleeves', 'Not On Label'], ['Scientist'], 1981),
      (3, ['Jungle'], ['Electronic'], ['Reinforced'], ['Various'], 1994)
    ) t(release_id, styles, genres, labels, artists, year)`);
    const taste = await readTaste(db);
    const queries = tasteQueries(taste);
    assertEquals(queries.slice(0, 4).map((q) => q.why), [
      "style Dub (Reggae), 2 owned",
      "label Greensleeves, 2 owned",
      "artist King Tubby, 1 owned",
      "style Dub in 1976, 1 owned from the 1970s",
    ]);
    const whys = queries.map((q) => q.why);
    assertEquals(whys.some((w) => w.includes("Not On Label") || w.includes("Various")), false);
    assertEquals(
      whys.filter((w) => w.includes(" in 19")),
      ["style Dub in 1976, 1 owned from the 1970s"],
      "past the strongest, only what is owned twice is searched",
    );
    assertEquals(queries[0].query, { type: "release", genre: "Reggae", style: "Dub" });
  });
});
