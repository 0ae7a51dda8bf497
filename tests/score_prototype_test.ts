/**
 * The score stage reproduces the original prototype's numbers on its own enriched file
 * (`seed_enriched_collection.csv`, 4 records) to 1e-9, through real DuckDB tables.
 *
 * Expected values were computed once by a plain-Python replica of crate_ui.py's pandas
 * expressions (fillna defaults, groupby-mean skipping NaN) on the same file.
 */
import { Database, literal } from "../lib/db/mod.ts";
import { scoreCollection } from "../lib/score/mod.ts";
import { assertAlmostEquals, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { fixturePath } from "./helpers.ts";

const SEED = fixturePath("exports/seed_enriched_collection.csv");

/** release id → [value, smart buy, essential, deep cut] from the prototype. */
const PROTOTYPE: Record<number, Record<number, [number, number, number, number]>> = {
  1: {
    2772432: [0.029266073521592426, 0.001219419730066351, 0.55858969927411, 0.0003456619426201175],
    1587168: [
      0.008735041907409893,
      0.00022397543352333058,
      0.47136585365853656,
      4.878048780487805e-05,
    ],
    8614023: [
      0.009895331967198353,
      0.00026040347282100927,
      0.2655672448109184,
      0.0002843332385555871,
    ],
    5006908: [
      0.012668008541248358,
      0.00040864543681446314,
      0.2826404973790077,
      6.0953309764720226e-05,
    ],
  },
  2.5: {
    2772432: [0.012086508285540767, 0.0005036045118975319, 0.55858969927411, 0.0003456619426201175],
    1587168: [
      0.0035333048075250214,
      9.059755916730824e-05,
      0.47136585365853656,
      4.878048780487805e-05,
    ],
    8614023: [
      0.004048673376743146,
      0.00010654403623008279,
      0.2655672448109184,
      0.0002843332385555871,
    ],
    5006908: [
      0.005207245887706142,
      0.00016797567379697232,
      0.2826404973790077,
      6.0953309764720226e-05,
    ],
  },
};

/** Load the seed file as the `collection` and `releases` tables the score stage reads. */
async function loadSeed(db: Database) {
  const seed = `read_csv(${literal(SEED)}, header=true, all_varchar=true)`;
  await db.run(`CREATE TABLE collection AS SELECT
      Discogs_Release_ID::BIGINT || '#1' AS instance_key, Discogs_Release_ID::BIGINT AS release_id,
      Artist AS artist, Artist AS artist_display, Title AS title, Label AS label, NULL::VARCHAR AS format,
      Year::INTEGER AS released_year, ${
    literal(SEED)
  } AS source_file, row_number() OVER () + 1 AS source_line
    FROM ${seed}`);
  await db.run(`CREATE TABLE releases AS SELECT
      Discogs_Release_ID::BIGINT AS release_id, Discogs_MasterID::BIGINT AS master_id,
      string_split(Discogs_Genre, ', ') AS genres, string_split(Discogs_Style, ', ') AS styles,
      Discogs_Year::INTEGER AS year, Discogs_Want::DOUBLE::INTEGER AS want, Discogs_Have::DOUBLE::INTEGER AS have,
      Discogs_Lowest_Price::DOUBLE AS lowest_price, Discogs_Num_For_Sale::DOUBLE::INTEGER AS num_for_sale,
      'USD' AS currency, Discogs_CommunityRating::DOUBLE AS rating_average, Discogs_Thumb AS thumbnail_url,
      NULL::VARCHAR AS cover_url, NULL::VARCHAR AS discogs_url
    FROM ${seed}`);
}

for (const weight of [1, 2.5]) {
  Deno.test(`scores reproduce the prototype at price weight ${weight}`, async () => {
    const dir = await Deno.makeTempDir();
    const db = await Database.open(`${dir}/seed.duckdb`);
    try {
      await loadSeed(db);
      const summary = await scoreCollection(db, { priceWeight: weight, prototypeRanking: true });
      assertEquals(summary.rows, 4);
      const rows = await db.all<{
        release_id: number;
        value_score: number;
        smart_buy_score: number;
        essential_score: number;
        deep_cut_score: number;
        value_rank: number;
        imputed: string[];
      }>("SELECT * FROM scores ORDER BY release_id");
      assertEquals(rows.length, 4);
      for (const row of rows) {
        const [value, smartBuy, essential, deepCut] = PROTOTYPE[weight][row.release_id];
        assertAlmostEquals(row.value_score, value, 1e-9);
        assertAlmostEquals(row.smart_buy_score, smartBuy, 1e-9);
        assertAlmostEquals(row.essential_score, essential, 1e-9);
        assertAlmostEquals(row.deep_cut_score, deepCut, 1e-9);
        assertEquals(row.imputed, []);
      }
      // Kind of Blue is the prototype's top Crate Pick.
      assertEquals(rows.find((r) => r.value_rank === 1)?.release_id, 2772432);
    } finally {
      db.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("each score carries a readable why", async () => {
  const db = await Database.open(":memory:");
  try {
    await loadSeed(db);
    await scoreCollection(db, { priceWeight: 1, prototypeRanking: true });
    const row = await db.one<Record<string, string>>(
      "SELECT * FROM scores WHERE release_id = 2772432",
    );
    assertEquals(row!.value_why, "1,616 want / 2,893 have, lowest $18.08");
    assertStringIncludes(row!.smart_buy_why, "only 23 for sale");
    assertStringIncludes(row!.essential_why, "0.56 want per have");
    assertStringIncludes(row!.deep_cut_why, "1,616 mean want for Miles Davis");
  } finally {
    db.close();
  }
});
