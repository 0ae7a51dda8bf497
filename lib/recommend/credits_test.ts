import { join } from "node:path";
import { assertEquals } from "../testing/assert.ts";
import { Database } from "../db/mod.ts";
import { addCredits, CATALOG_FACTS_DDL, CATALOG_FACTS_TABLE } from "./credits.ts";
import { rec, resetIds } from "./testing.ts";

Deno.test("addCredits gives candidates the catalogue facts of their release ids, and only theirs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-credits-" });
  const db = await Database.open(join(dir, "ws.duckdb"));
  try {
    await db.run(`CREATE TABLE ${CATALOG_FACTS_TABLE} (${CATALOG_FACTS_DDL})`);
    // Release 1 has everything; 2 has NULL lists; 3 is in the facts but asked by nobody; 4 has an
    // empty credits list and a style; 5 is not in the facts at all.
    await db.run(`INSERT INTO ${CATALOG_FACTS_TABLE} VALUES
      (1, ['Electronic'], ['Jungle', 'Drum n Bass'],
          [{'name': 'E. Priest', 'role': 'Remix'}, {'name': 'Kemal', 'role': 'Producer'}]),
      (2, NULL, NULL, NULL),
      (3, ['Reggae'], ['Dub'], [{'name': 'King Tubby', 'role': 'Mixed By'}]),
      (4, ['Jazz'], ['Modal'], [])`);
    resetIds();
    const one = rec("A", "Metalheadz", [], "", 1995, {
      genres: [],
      credits: [{ name: "Kemal", role: "Producer" }, { name: "Doc Scott", role: "Written-By" }],
    });
    const oneAgain = rec("A", "Metalheadz", ["Techstep"], "Electronic", 1995, { releaseId: 1 });
    const two = rec("B", "Studio One", [], "", 1978, { genres: [] });
    const threeless = rec("C", "Blue Note", [], "", 1965, { releaseId: 4, genres: [] });
    const five = rec("D", "Warp", ["IDM"], "Electronic", 1994, { releaseId: 5 });
    const noId = rec("E", "Warp", [], "", 1994, { releaseId: null, genres: [] });
    // releaseIds: one 1, oneAgain 1, two 3 → set to 2 below.
    two.releaseId = 2;
    const candidates = [one, oneAgain, two, threeless, five, noId];
    await addCredits(db, candidates, { fillTaste: true });

    // Credits merge without duplicates (Kemal was known already), in the order first seen.
    assertEquals(one.credits, [
      { name: "Kemal", role: "Producer" },
      { name: "Doc Scott", role: "Written-By" },
      { name: "E. Priest", role: "Remix" },
    ]);
    assertEquals([one.styles, one.genres], [["Jungle", "Drum n Bass"], ["Electronic"]]);
    // A candidate sharing the id gets the credits too; styles it had are kept.
    assertEquals(oneAgain.credits, [
      { name: "E. Priest", role: "Remix" },
      { name: "Kemal", role: "Producer" },
    ]);
    assertEquals(oneAgain.styles, ["Techstep"]);
    // NULL lists are empty lists.
    assertEquals([two.credits, two.styles, two.genres], [[], [], []]);
    const four = [threeless.credits, threeless.styles, threeless.genres];
    assertEquals(four, [[], ["Modal"], ["Jazz"]]);
    // Not in the facts, or without an id: untouched.
    assertEquals([five.credits, five.styles], [undefined, ["IDM"]]);
    assertEquals([noId.credits, noId.styles], [undefined, []]);

    // Without fillTaste, empty styles stay empty.
    const bare = rec("F", "Metalheadz", [], "", 1995, { releaseId: 1, genres: [] });
    await addCredits(db, [bare]);
    assertEquals([bare.styles, bare.genres, bare.credits?.length], [[], [], 2]);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
