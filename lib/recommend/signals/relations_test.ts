import { Database } from "../../db/mod.ts";
import { writeTestCatalogue } from "../../catalog/testing.ts";
import { assertEquals } from "../../testing/assert.ts";
import { rec, resetIds } from "../testing.ts";
import { artistKinSignal } from "./artist_kin.ts";
import { labelFamilySignal } from "./label_family.ts";
import { loadCatalogRelations } from "./relations.ts";
import { bareContext } from "./testing.ts";

Deno.test("catalogue relations: label parents and artist aliases load for the names in use", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-relations-" });
  const db = await Database.open(":memory:");
  try {
    resetIds();
    const collection = [
      rec("Dillinja", "Metalheadz", ["Jungle"], "Electronic", 1995),
      rec("Dillinja", "Razors Edge", ["Jungle"], "Electronic", 1995),
    ];
    const pool = [
      rec("Capone", "Platinum", ["Jungle"], "Electronic", 1996),
      rec("Photek", "Photek Productions", ["Jungle"], "Electronic", 1996),
    ];
    const none = await loadCatalogRelations(db, dir, [...collection, ...pool]);
    assertEquals(none, undefined, "no catalogue: no relations");
    await writeTestCatalogue(dir, {
      releases: [{ id: 1, title: "T", artists: [{ id: 9, name: "Dillinja" }] }],
      artists: [
        { id: 9, name: "Dillinja", aliases: [{ id: 10, name: "Capone (2)" }] },
        { id: 10, name: "Capone (2)", aliases: [{ id: 9, name: "Dillinja" }] },
        { id: 11, name: "Someone Else", aliases: [{ id: 9, name: "Dillinja" }] },
      ],
      labels: [
        { id: 1, name: "Metalheadz", sublabels: [{ id: 2, name: "Razors Edge" }] },
        { id: 2, name: "Razors Edge", parent: { id: 1, name: "Metalheadz" } },
        { id: 3, name: "Platinum (2)", parent: { id: 1, name: "Metalheadz" } },
        { id: 4, name: "Unused", parent: { id: 1, name: "Metalheadz" } },
      ],
    });
    const relations = (await loadCatalogRelations(db, dir, [...collection, ...pool]))!;
    assertEquals(
      [...relations.labelFamily].sort(),
      [["metalheadz", "metalheadz"], ["platinum", "metalheadz"], ["razors edge", "metalheadz"]],
      "only the labels named, by normalised name",
    );
    assertEquals([...relations.artistKin.keys()].sort(), ["capone", "dillinja"]);
    const ctx = bareContext(collection, pool, relations);
    assertEquals([...labelFamilySignal.column(ctx)].map((v) => v > 0), [true, false]);
    assertEquals([...artistKinSignal.column(ctx)].map((v) => v > 0), [true, false]);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
