import { Database } from "../db/mod.ts";
import { rec, resetIds } from "../recommend/testing.ts";
import { assertEquals } from "../testing/assert.ts";
import { setWhat, withSetGaps } from "./gaps.ts";

const SETS = `INSERT INTO set_completion_staging BY NAME SELECT * FROM (VALUES
  ('label', 1, 'Moving Shadow', 9, 10, 90.0, 1, false, 'album', 'USD',
   '9 of 10 Moving Shadow 12"s from 1994; the last one is $14.00'),
  ('artist', 2, 'Omni Trio', 4, 6, 66.7, 2, false, 'album', 'USD',
   '4 of 6 Omni Trio 12"s from 1993–1996; the 2 missing cost $30.00'),
  ('artist', 3, 'Photek', 1, 10, 10.0, 9, false, 'album', 'USD', '1 of 10 Photek LPs; …'),
  ('label', 4, 'Metalheadz', 8, 10, 80.0, 2, true, 'album', 'USD', '8 of 10 Metalheadz 12"s; …'),
  ('label', 5, 'Reinforced', 1, 3, 33.3, 2, false, 'album', 'USD', '1 of 3 Reinforced 12"s; …'),
  ('artist', 6, 'Pete Moss', 0, 1, 0.0, 1, false, 'album', 'USD', '0 of 1 Pete Moss 12"s; …')
) t(set_kind, set_id, set_name, owned, total, pct, missing, partial, counted_by, currency, why)`;

const MISSING = `INSERT INTO set_missing_staging BY NAME SELECT * FROM (VALUES
  ('label', 1, 100, NULL, 'Renegade Snares', 1994, '12"', 101, 14.0, 'USD', 6, false, 'Omni Trio'),
  ('artist', 2, 200, 10, 'Renegade Snares', 1994, '12"', 102, 9.0, 'USD', 3, true, 'Omni Trio'),
  ('artist', 2, 300, NULL, 'Thru The Vibe', 1995, '12"', NULL, NULL, 'USD', NULL, false, NULL),
  ('artist', 3, 400, 40, 'Ni Ten Ichi Ryu', 1995, '12"', 401, 20.0, 'USD', 2, false, 'Photek'),
  ('label', 4, 500, 50, 'Dead Dred', 1995, '12"', 501, 8.0, 'USD', 2, false, 'Dillinja'),
  ('label', 5, 600, 60, 'Pure Rush', 1994, '12"', 601, 8.0, 'USD', 2, false, 'Nookie'),
  ('artist', 6, 700, 70, 'Strange Fruit', 1999, '12"', 701, 8.0, 'USD', 2, false, 'Pete Moss')
) t(set_kind, set_id, release_id, master_id, title, year, format, cheapest_release_id,
    lowest_price, currency, num_for_sale, in_wantlist, artist)`;

Deno.test("set gaps: nearly complete sets only, and a label pressing fills the artist's album", async () => {
  const db = await Database.open(":memory:");
  try {
    // The real tables' columns (lib/complete/schema.sql), a few rows each.
    await db.run(await Deno.readTextFile(new URL("./schema.sql", import.meta.url)));
    await db.run(SETS);
    await db.run(MISSING);
    await db.run("CREATE TABLE set_completion AS SELECT * FROM set_completion_staging");
    await db.run("CREATE TABLE set_missing AS SELECT * FROM set_missing_staging");
    resetIds();
    const pool = [101, 102, 300, 401, 501, 601, 701, 999].map((id) =>
      rec("Omni Trio", "Moving Shadow", ["Jungle"], "Electronic", 1994, {
        key: `release:${id}`,
        releaseId: id,
      })
    );
    await withSetGaps(db, pool);
    const sets = pool.map((c) => (c.setGaps ?? []).map((g) => `${g.kind}:${g.id}`));
    // 101: the label's pressing of an album the artist's set misses too (a label listing names
    // no master: matched by artist and title); 102: the artist's
    // cheapest pressing, on another label; 300: no master, its own release; Photek (10%), the
    // Metalheadz listing read in part and Reinforced (1 of 3 but 2 short: 33%, ≤ 3 missing) —
    // the last is nearly complete by the few-missing rule; Pete Moss, owned none of, is not.
    assertEquals(sets, [
      ["label:1", "artist:2"],
      ["artist:2"],
      ["artist:2"],
      [],
      [],
      ["label:5"],
      [],
      [],
    ]);
    assertEquals(pool[0].setGaps![0].what, 'Moving Shadow 12"s from 1994');
    assertEquals(pool[1].setGaps![0].inWantlist, true);
    assertEquals(pool[1].setGaps![0].albums, ["master:10", "work:omni trio|renegade snares"]);
  } finally {
    db.close();
  }
});

Deno.test("set gaps: the set's noun is read back from its reason", () => {
  assertEquals(
    setWhat('9 of 10 Moving Shadow 12"s from 1994; the last one is $14.00', "Moving Shadow"),
    'Moving Shadow 12"s from 1994',
  );
  assertEquals(setWhat("all 4 Photek LPs: complete", "Photek"), "Photek");
});
