import { join } from "node:path";
import { assert, assertEquals } from "../testing/assert.ts";
import { withTempDb } from "../../tests/helpers.ts";
import { attachCatalog, catalogExists, describeCatalog } from "./open.ts";
import { writeTestCatalogue } from "./testing.ts";

Deno.test("attachCatalog: a view per table on disk, none for a table without parts", async () => {
  await withTempDb(async (db, dir) => {
    const cat = join(dir, "catalog");
    assertEquals(await catalogExists(cat), false);
    await writeTestCatalogue(cat, {
      releases: [1, 2, 3, 700].map((id) => ({
        id,
        title: `T${id}`,
        artists: [{ id: 5, name: "Dillinja" }],
        credits: id === 2 ? [{ id: 6, name: "Lemon D", role: "Remix" }] : [],
        styles: ["Jungle"],
      })),
    }, { partSize: 2 });
    assertEquals(await catalogExists(cat), true);
    const files = [...Deno.readDirSync(join(cat, "releases"))].map((e) => e.name).sort();
    assertEquals(files, ["000000001-000000002.parquet", "000000003-000000700.parquet"]);
    const attached = await attachCatalog(db, cat);
    assertEquals(attached.counts.releases, 4);
    assertEquals(attached.counts.release_artists, 5);
    assert(!attached.tables.includes("masters"));
    assertEquals(await db.tableExists("catalog_releases"), true);
    assertEquals(await db.tableExists("catalog_masters"), false);
    const credit = await db.one<{ name: string; role: string }>(
      "SELECT name, role FROM catalog_release_artists WHERE kind = 'credit'",
    );
    assertEquals(credit, { name: "Lemon D", role: "Remix" });
    assertEquals(
      describeCatalog(attached),
      `catalogue ${cat}: 4 releases, 5 release artist and credit rows`,
    );
  });
});

Deno.test("catalogExists: a directory without releases parts is no catalogue", async () => {
  await withTempDb(async (_db, dir) => {
    await Deno.mkdir(join(dir, "catalog", "releases"), { recursive: true });
    await Deno.writeTextFile(join(dir, "catalog", "catalog.json"), "{}");
    assertEquals(await catalogExists(join(dir, "catalog")), false);
    assertEquals(await catalogExists(join(dir, "nowhere")), false);
  });
});
