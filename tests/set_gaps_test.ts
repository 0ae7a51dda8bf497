/**
 * Set gaps end to end against the fake Discogs (its synthetic catalogue on 127.0.0.1, never the
 * real API): a collector who owns all but two albums of an artist (on vinyl) and a third of a
 * label's catalogue runs `deno task pipeline`. The complete stage runs before the pool, the
 * `sets` source adds the artist's two missing albums (its cheapest pressings) to the pool, and
 * the recommend stage serves them as `set_gap` picks, priced, with reasons naming the set; the
 * label, far from complete, gives none. Expected records and prices are computed here from the
 * catalogue. Without the set tables the kind is absent.
 */
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import {
  artistEntries,
  CATALOGUE,
  chooseWorld,
  isVinyl,
  setOf,
  tables,
  USER,
} from "./complete_world.ts";
import { startFakeDiscogs } from "./fake_discogs/server.ts";
import { runModule, tempWorkspace } from "./helpers.ts";

type Pick = { release_id: number; why: string; lowest_price: number | null; sources: string[] };

async function picksOf(path: string, kind: string): Promise<Pick[]> {
  const db = await Database.open(path, { readOnly: true });
  try {
    const rows = await db.all<Pick>(
      `SELECT r.release_id, r.why, p.lowest_price, p.sources FROM recommendations r
       JOIN pool p USING (pool_key) WHERE r.kind = $kind ORDER BY r.rank`,
      { kind },
    );
    return rows.map((r) => ({ ...r, release_id: Number(r.release_id) }));
  } finally {
    db.close();
  }
}

Deno.test({
  name:
    "set gaps: the pipeline serves the missing records of a nearly complete set, priced, naming the set; none without sets",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const probe = await startFakeDiscogs({ catalogue: CATALOGUE });
    const c = probe.catalogue;
    await probe.close();
    const w = chooseWorld(c);
    // Own a vinyl pressing of every album of the artist but two that have copies for sale.
    const entries = artistEntries(c, w, true, false).sort((a, b) => a.key.localeCompare(b.key));
    const forSale = (e: (typeof entries)[number]) =>
      e.pressings.filter((r) => isVinyl(r) && r.numForSale > 0 && r.lowestPrice !== null);
    const missing = entries.filter((e) => forSale(e).length > 0).slice(0, 2);
    assertEquals(missing.length, 2);
    const owned = new Set(w.collection);
    for (const e of entries) {
      if (missing.includes(e)) e.pressings.forEach((r) => owned.delete(r.id));
      else if (!e.pressings.some((r) => owned.has(r.id))) owned.add(e.pressings[0].id);
    }
    const fake = await startFakeDiscogs({
      windowMs: 1000,
      catalogue: CATALOGUE,
      users: { [USER]: { collection: [...owned], wants: [] } },
    });
    const ws = await tempWorkspace();
    const env = { DISCOGS_API_URL: fake.url, DISCOGS_RATE_WINDOW: "1s", NEXTSPIN_QUIET: "1" };
    try {
      const run = await runModule("pipeline/pipeline.ts", [
        "--db",
        ws.db,
        "--out",
        ws.out,
        "--username",
        USER,
        "--min-owned",
        "0",
        "--artist",
        String(w.artist),
        "--label",
        String(w.label),
        "--pool-budget",
        "0",
        "--price-budget",
        "500",
      ], env);
      assertEquals(run.code, 0, run.stderr);
      const manifest = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
      const stages = Object.keys(manifest.stages);
      assert(stages.indexOf("complete") < stages.indexOf("pool"), stages.join());

      const t = await tables(ws.db);
      const artistSet = setOf(t, "artist", w.artist);
      assertEquals(artistSet.missing, 2);
      const labelSet = setOf(t, "label", w.label);
      assert(labelSet.pct < 50 && labelSet.missing > 3, JSON.stringify(labelSet));

      const picks = await picksOf(ws.db, "set_gap");
      assertEquals(picks.length, 2, JSON.stringify(picks));
      // Each is one of the two missing albums, as its cheapest pressing for sale, priced.
      const byEntry = picks.map((p) =>
        missing.findIndex((e) => e.pressings.some((r) => r.id === p.release_id))
      );
      assertEquals(byEntry.sort(), [0, 1]);
      for (const p of picks) {
        const e = missing.find((e) => e.pressings.some((r) => r.id === p.release_id))!;
        const cheapest = Math.min(...forSale(e).map((r) => r.lowestPrice!));
        assertEquals(p.lowest_price, cheapest);
        assertStringIncludes(p.why, `one of the 2 `);
        assertStringIncludes(p.why, `${artistSet.set_name}`);
        assertStringIncludes(p.why, `you are missing (you own ${artistSet.owned} of `);
        assertStringIncludes(p.why, `$${cheapest.toFixed(2)}`);
        assert(p.sources.includes("sets"), p.sources.join());
      }
      // The report's lists and crate builder carry the kind.
      const html = await Deno.readTextFile(`${ws.out}/report.html`);
      assertStringIncludes(html, "Complete the set");
      assertStringIncludes(html, '"set_gap"');

      // Without the set tables the pool has no set gaps and the kind is absent.
      const db = await Database.open(ws.db);
      try {
        await db.run("DROP TABLE set_completion");
        await db.run("DROP TABLE set_missing");
      } finally {
        db.close();
      }
      for (const stage of ["pool", "recommend"]) {
        const again = await runModule(`pipeline/${stage}.ts`, [
          "--db",
          ws.db,
          "--out",
          ws.out,
          "--offline",
        ], { ...env, NEXTSPIN_QUIET: "0" });
        assertEquals(again.code, 0, again.stderr);
        if (stage === "recommend") assert(!again.stderr.includes("set gaps"), again.stderr);
      }
      assertEquals(await picksOf(ws.db, "set_gap"), []);
    } finally {
      await fake.close();
      await ws.cleanup();
    }
  },
});
