/**
 * The catalogue as a candidate source, end to end: a collector with a CSV export and a catalogue
 * (made from the fake Discogs' catalogue, so its ids are the ones the fake serves) gets
 * recommendations from the catalogue offline, without a socket — every pick saying it has no
 * market data yet, some naming a credit shared with the collection — and online, against the
 * fake, the served catalogue picks are priced by the shortlist (and records by artists you
 * collect too, so they can be deep cuts).
 */
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals } from "../lib/testing/assert.ts";
import { writeFakeCatalogue } from "./catalog_fixture.ts";
import { startFakeDiscogs } from "./fake_discogs/server.ts";
import { closedPort, fixturePath, runModule, tempWorkspace } from "./helpers.ts";

interface Pick {
  kind: string;
  release_id: number | null;
  lowest_price: number | null;
  num_for_sale: number | null;
  why: string;
  sources: string[];
  owned: boolean;
}

async function picksOf(path: string): Promise<Pick[]> {
  const db = await Database.open(path, { readOnly: true });
  try {
    return await db.all<Pick>(`
      SELECT r.kind, r.release_id, r.lowest_price, r.num_for_sale, r.why, r.sources,
             r.release_id IN (SELECT release_id FROM collection) AS owned
      FROM recommendations r ORDER BY r.kind, r.rank`);
  } finally {
    db.close();
  }
}

Deno.test({
  name:
    "catalogue candidates: offline picks say no market data yet and name shared credits; online the shortlist prices them",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const ws = await tempWorkspace();
    const fake = await startFakeDiscogs({ windowMs: 1000 });
    try {
      const catalog = `${ws.dir}/catalog`;
      await writeFakeCatalogue(catalog);
      const args = [
        "--db",
        ws.db,
        "--out",
        ws.out,
        "--collection",
        fixturePath("exports/gustw_collection.csv"),
        "--skip-enrich",
        "--catalog",
        catalog,
        "--catalog-candidates",
        "3000",
        // A shared credit is the third or fourth strongest tie of a record at best, so it shows
        // in some reasons of a longer list.
        "--top",
        "50",
      ];
      // Offline, with the API at a closed port: nothing may even try to connect.
      const offline = await runModule("pipeline/pipeline.ts", [...args, "--offline"], {
        DISCOGS_API_URL: `http://127.0.0.1:${closedPort()}`,
        DISCOGS_TOKEN: "",
        NEXTSPIN_QUIET: "1",
      });
      assertEquals(offline.code, 0, offline.stderr);
      const manifest = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
      const source = manifest.stages.pool.summary.sources.catalogue;
      assertEquals(source.candidates, 3000, "the bound");
      assertEquals(source.warnings, []);
      const picks = await picksOf(ws.db);
      const gems = picks.filter((p) => p.kind === "gem");
      assert(gems.length >= 40, `${gems.length} gems`);
      for (const p of picks) {
        assert(p.sources.includes("catalogue"), `${p.release_id} from ${p.sources}`);
        assert(p.release_id !== null && !p.owned, `${p.release_id}`);
        assertEquals(p.lowest_price, null);
        assert(p.why.endsWith("; no market data yet"), p.why);
      }
      assert(
        picks.some((p) => /(remixed|produced) by [^,]+, like \d+ records? you own/.test(p.why)),
        picks.map((p) => p.why).join("\n"),
      );

      // Online: the records about to be served are priced with GET /releases/{id}.
      const online = await runModule("pipeline/pipeline.ts", [...args, "--pool-budget", "0"], {
        DISCOGS_API_URL: fake.url,
        DISCOGS_RATE_WINDOW: "1s",
        DISCOGS_TOKEN: "catalogue-token-51c0",
        NEXTSPIN_QUIET: "1",
      });
      assertEquals(online.code, 0, online.stderr);
      const asked = new Set(
        fake.requests.flatMap((r) => {
          const m = r.path.match(/^\/releases\/(\d+)\?/);
          return m ? [Number(m[1])] : [];
        }),
      );
      assert(asked.size > 0, "the shortlist was priced");
      assertEquals(
        fake.requests.filter((r) => r.path.startsWith("/database/search")).length,
        0,
        "--pool-budget 0: no candidate requests",
      );
      const priced = await picksOf(ws.db);
      assert(priced.filter((p) => p.kind === "gem").length >= 40);
      // Records by artists you collect were priced too, so the catalogue brings deep cuts.
      assert(priced.some((p) => p.kind === "deep_cut"), "deep cuts once priced");
      assertEquals(picks.filter((p) => p.kind === "deep_cut").length, 0, "none offline");
      for (const p of priced) {
        assert(p.sources.includes("catalogue"));
        assert(asked.has(p.release_id!), `${p.release_id} served unpriced`);
        assert(p.lowest_price !== null || p.num_for_sale === 0, `${p.release_id}: ${p.why}`);
        assert(!p.why.includes("no market data yet"), p.why);
      }
    } finally {
      await fake.close();
      await ws.cleanup();
    }
  },
});
