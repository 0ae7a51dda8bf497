/**
 * The catalogue end to end, as a collector would use it: `deno task catalog` builds the catalogue
 * from real data-dump files (the 2020-08-06 samples in ../shared/fixtures/dump), then the whole
 * pipeline runs offline on a CSV export of some of those releases — no socket, no market data —
 * and recommends from the catalogue: records it holds that the collector does not own, each saying
 * it has no market data yet, and finding records of the collection's taste that were held back
 * from the export. And Complete the Set reads a label's catalogue from the same catalogue, with
 * counts worked out here from its Parquet tables.
 */
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals } from "../lib/testing/assert.ts";
import { closedPort, fixturePath, runModule, tempWorkspace } from "./helpers.ts";

const DUMP = (kind: string) => fixturePath(`dump/discogs_20200806_${kind}.xml.gz`);
/** The style the export is made of: the dump sample's second most common (69 releases). */
const STYLE = "Deep House";

/** A cell of a Discogs CSV export. */
const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

Deno.test({
  name:
    "a catalogue built from the dump samples gives an offline CSV collection recommendations from it",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const ws = await tempWorkspace();
    try {
      const catalog = `${ws.dir}/catalog`;
      const built = await runModule("pipeline/catalog.ts", [
        "--releases",
        DUMP("releases"),
        "--masters",
        DUMP("masters"),
        "--artists",
        DUMP("artists"),
        "--labels",
        DUMP("labels"),
        "--catalog",
        catalog,
      ]);
      assertEquals(built.code, 0, built.stderr);

      // The export: two thirds of the dump's Deep House releases, in Discogs' CSV layout; the
      // other third is held back, as records the collector would like.
      const db = await Database.open(":memory:");
      let owned: Record<string, unknown>[];
      try {
        owned = await db.all(`
          SELECT r.id, r.title, r.released, r.format_summary,
                 (SELECT string_agg(a.name, ', ' ORDER BY a.position)
                  FROM read_parquet('${catalog}/release_artists/*.parquet') a
                  WHERE a.release_id = r.id AND a.kind = 'main') AS artist,
                 (SELECT first(l.name ORDER BY l.position)
                  FROM read_parquet('${catalog}/release_labels/*.parquet') l
                  WHERE l.release_id = r.id) AS label,
                 (SELECT first(l.catno ORDER BY l.position)
                  FROM read_parquet('${catalog}/release_labels/*.parquet') l
                  WHERE l.release_id = r.id) AS catno
          FROM read_parquet('${catalog}/releases/*.parquet') r
          WHERE r.id IN (SELECT release_id FROM read_parquet('${catalog}/release_styles/*.parquet')
                         WHERE style = '${STYLE}')
          ORDER BY r.id`);
      } finally {
        db.close();
      }
      assert(owned.length >= 60, `${owned.length} ${STYLE} releases in the sample`);
      const hidden = new Set(owned.filter((_, i) => i % 3 === 2).map((r) => Number(r.id)));
      const kept = owned.filter((r) => !hidden.has(Number(r.id)));
      const header = "Catalog#,Artist,Title,Label,Format,Rating,Released,release_id," +
        "CollectionFolder,Date Added,Collection Media Condition,Collection Sleeve Condition," +
        "Collection Notes";
      const csv = [
        header,
        ...kept.map((r) =>
          [
            r.catno,
            r.artist,
            r.title,
            r.label,
            r.format_summary,
            "",
            String(r.released ?? "").slice(0, 4),
            r.id,
            "Uncategorized",
            "2024-01-01 10:00:00",
            "",
            "",
            "",
          ].map(csvCell).join(",")
        ),
      ].join("\n") + "\n";
      const exportFile = `${ws.dir}/deep-house-collection.csv`;
      await Deno.writeTextFile(exportFile, csv);

      // Offline, with the API at a closed port: nothing may even try to connect.
      const run = await runModule("pipeline/pipeline.ts", [
        "--db",
        ws.db,
        "--out",
        ws.out,
        "--collection",
        exportFile,
        "--catalog",
        catalog,
        "--offline",
        "--top",
        "50",
      ], {
        DISCOGS_API_URL: `http://127.0.0.1:${closedPort()}`,
        DISCOGS_TOKEN: "",
        NEXTSPIN_QUIET: "1",
      });
      assertEquals(run.code, 0, run.stderr);
      const manifest = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
      const source = manifest.stages.pool.summary.sources.catalogue;
      assert(source.candidates > 0, JSON.stringify(source));

      const out = await Database.open(ws.db, { readOnly: true });
      try {
        const picks = await out.all<
          { kind: string; release_id: number; why: string; sources: string[]; owned: boolean }
        >(`SELECT kind, release_id, why, sources,
                  release_id IN (SELECT release_id FROM collection) AS owned
           FROM recommendations ORDER BY kind, rank`);
        const gems = picks.filter((p) => p.kind === "gem");
        assert(gems.length >= 20, `${gems.length} gems`);
        for (const p of picks) {
          assert(p.sources.includes("catalogue"), `${p.release_id} from ${p.sources}`);
          assert(!p.owned, `${p.release_id} is owned`);
          assert(p.why.includes("no market data yet"), p.why);
        }
        // Taste from the export alone (offline, no release bodies): the catalogue's own rows
        // for the owned ids give it styles, so the held-back Deep House records are found far
        // above chance (50 picks of ~950 candidates would hold about one of the 23 by chance).
        const found = gems.filter((p) => hidden.has(Number(p.release_id))).length;
        assert(found >= 12, `${found} of ${hidden.size} held-back ${STYLE} records among the gems`);
      } finally {
        out.close();
      }
    } finally {
      await ws.cleanup();
    }
  },
});

/** The catalogue built once from the dump samples for the tests below. */
async function buildCatalogue(dir: string): Promise<string> {
  const catalog = `${dir}/catalog`;
  const built = await runModule("pipeline/catalog.ts", [
    "--releases",
    DUMP("releases"),
    "--masters",
    DUMP("masters"),
    "--artists",
    DUMP("artists"),
    "--labels",
    DUMP("labels"),
    "--catalog",
    catalog,
  ]);
  assertEquals(built.code, 0, built.stderr);
  return catalog;
}

Deno.test({
  name: "Complete the Set counts a label's catalogue from a catalogue built from the dump samples",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const ws = await tempWorkspace();
    try {
      const catalog = await buildCatalogue(ws.dir);
      // Philips, the dump sample's label with the most releases (14): the collector owns every
      // other one of them.
      const LABEL = 7704;
      const db = await Database.open(":memory:");
      let releases: { id: number; title: string; album: string; artist: string }[];
      try {
        releases = await db.all(`
          SELECT r.id, r.title,
                 coalesce('m' || r.master_id, 'r' || r.id) AS album,
                 (SELECT string_agg(a.name, ', ' ORDER BY a.position)
                  FROM read_parquet('${catalog}/release_artists/*.parquet') a
                  WHERE a.release_id = r.id AND a.kind = 'main') AS artist
          FROM read_parquet('${catalog}/releases/*.parquet') r
          WHERE r.id IN (SELECT release_id FROM read_parquet('${catalog}/release_labels/*.parquet')
                         WHERE label_id = ${LABEL})
          ORDER BY r.id`);
      } finally {
        db.close();
      }
      const owned = releases.filter((_, i) => i % 2 === 0);
      const csv = [
        "Catalog#,Artist,Title,Label,Format,Rating,Released,release_id",
        ...owned.map((r) => ["X", r.artist, r.title, "Philips", "LP", "", "", r.id].map(csvCell)),
      ].join("\n") + "\n";
      const exportFile = `${ws.dir}/philips.csv`;
      await Deno.writeTextFile(exportFile, csv);
      const env = { DISCOGS_API_URL: `http://127.0.0.1:${closedPort()}`, NEXTSPIN_QUIET: "1" };
      const ingest = await runModule("pipeline/ingest.ts", [
        "--db",
        ws.db,
        "--out",
        ws.out,
        "--collection",
        exportFile,
      ], env);
      assertEquals(ingest.code, 0, ingest.stderr);
      const set = async (extra: string[]) => {
        const run = await runModule("pipeline/complete.ts", [
          "--db",
          ws.db,
          "--out",
          ws.out,
          "--catalog",
          catalog,
          "--offline",
          "--min-owned",
          "0",
          "--label",
          String(LABEL),
          "--format",
          "any",
          ...extra,
        ], env);
        assertEquals(run.code, 0, run.stderr);
        const out = await Database.open(ws.db, { readOnly: true });
        try {
          return (await out.all<{ owned: number; total: number; missing: number }>(
            `SELECT owned, total, missing FROM set_completion
             WHERE set_kind = 'label' AND set_id = ${LABEL}`,
          ))[0];
        } finally {
          out.close();
        }
      };
      // Every pressing its own entry.
      assertEquals(await set(["--pressings"]), {
        owned: owned.length,
        total: releases.length,
        missing: releases.length - owned.length,
      });
      // By album: pressings of one master are one entry, owned when any pressing is.
      const albums = new Set(releases.map((r) => r.album));
      const ownedAlbums = new Set(owned.map((r) => r.album));
      assertEquals(await set([]), {
        owned: ownedAlbums.size,
        total: albums.size,
        missing: albums.size - ownedAlbums.size,
      });
    } finally {
      await ws.cleanup();
    }
  },
});
