import { Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import type { Candidate } from "./candidates.ts";
import { buildContext, contextShelves } from "./context.ts";
import { recommendAll } from "./served.ts";
import { readShelves, storedShelvesOf, writeShelves } from "./shelves.ts";
import { rec, resetIds } from "./testing.ts";

function world() {
  resetIds();
  const collection: Candidate[] = [];
  for (let i = 0; i < 12; i++) {
    collection.push(rec(`Junglist ${i % 4}`, "Metalheadz", ["Jungle"], "Electronic", 1995));
    collection.push(rec(`Roots ${i % 4}`, "Studio One", ["Dub"], "Reggae", 1978));
  }
  const pool: Candidate[] = [];
  for (let i = 0; i < 8; i++) {
    pool.push(rec(`Junglist ${i % 4}`, "Metalheadz", ["Jungle"], "Electronic", 1996));
    pool.push(rec(`Dubwise ${i}`, "Dub Label", ["Dub", "Jungle"], "Electronic", 1999));
  }
  return { collection, pool };
}

Deno.test("shelves are stored once and read back as the same shelves", async () => {
  const { collection, pool } = world();
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  const dir = await Deno.makeTempDir({ prefix: "nextspin-shelves-" });
  const db = await Database.open(`${dir}/w.duckdb`);
  try {
    assertEquals(await readShelves(db), null, "nothing stored yet");
    const written = await writeShelves(db, collection, contextShelves(ctx), ctx.collectionVectors);
    assertEquals(written, { shelves: ctx.clustering.k, shelf_members: collection.length });
    const rows = await db.all<{ shelf_id: number; name: string; size: number }>(
      "SELECT shelf_id, name, size FROM shelves ORDER BY shelf_id",
    );
    assertEquals(
      rows,
      ctx.shelves.map((name, c) => ({ shelf_id: c + 1, name, size: ctx.clustering.sizes[c] })),
    );
    const member = await db.one<{ shelf_id: number; similarity: number }>(
      "SELECT shelf_id, similarity FROM shelf_members WHERE release_id = $id",
      { id: collection[0].releaseId },
    );
    assertEquals(member!.shelf_id, ctx.clustering.assignments[0] + 1);
    assert(member!.similarity > 0.5 && member!.similarity <= 1 + 1e-6);

    const raw = (await readShelves(db))!;
    const stored = storedShelvesOf(raw, collection, ctx.dims);
    assertEquals(stored.names, ctx.shelves);
    assertEquals(stored.clustering.assignments, ctx.clustering.assignments);
    assertEquals(stored.clustering.centroids, ctx.clustering.centroids, "FLOAT[] keeps float32");
    // A context on the stored shelves serves exactly what the clustering context served.
    const again = buildContext(collection, pool, { dims: 8, shelves: stored });
    assertEquals(recommendAll(again, { top: 5 }), recommendAll(ctx, { top: 5 }));
    assertEquals(again.centroidSims, ctx.centroidSims);

    // Shelves of another collection (or space) are stale, never silently used.
    const grown = [...collection, rec("Newcomer", "New Label", ["Jungle"], "Electronic", 1997)];
    for (
      const [records, dims] of [[grown, ctx.dims], [collection.slice(1), ctx.dims], [
        collection,
        16,
      ]] as const
    ) {
      assertThrows(
        () => storedShelvesOf(raw, records, dims),
        InputError,
        "run `deno task recommend` again",
      );
    }
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
