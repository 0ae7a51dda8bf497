/**
 * Neighbour seeds (the artists and labels the collection holds most of) from cached release
 * bodies and, for releases not enriched yet, from a username import's `basic_information`.
 */
import { ensureCache, putResponse, releaseKey } from "../discogs/cache.ts";
import { releaseInfoOf } from "../discogs/user_lists.ts";
import { ingestApiRows, RELEASE_INFO_DDL } from "../ingest/mod.ts";
import { assertEquals } from "../testing/assert.ts";
import { withTempDb as withDb } from "../../tests/helpers.ts";

const SEEDS_SQL = await Deno.readTextFile(new URL("./neighbour_seeds.sql", import.meta.url));

const copy = (id: number) => ({
  instance_key: `instance:${id}`,
  release_id: id,
  custom_fields: {},
  source_file: "discogs:digger",
});

const credits = {
  artists: [{ id: 12, name: "Dillinja (2)" }],
  labels: [{ id: 34, name: "Metalheadz", catno: "META1" }, { id: 1, name: "Not On Label" }],
};

Deno.test("seeds come from basic_information when no body is cached, and from the body when one is", () =>
  withDb(async (db) => {
    const info = (id: number, styles: string[]) =>
      releaseInfoOf(
        { basic_information: { id, title: `R${id}`, styles, ...credits } },
        "discogs:digger:collection",
        new Date(),
      )!;
    await ingestApiRows(db, {
      collection: [copy(1), copy(2), copy(3)],
      releases: [info(1, ["Jungle"]), info(2, ["Darkstep"]), info(3, ["Jungle"])],
    });
    await ensureCache(db);
    // Release 3's body credits another artist: the body wins, the import's credits are not added.
    await putResponse(db, {
      url: releaseKey(3),
      status: 200,
      body: JSON.stringify({
        id: 3,
        artists: [{ id: 56, name: "Photek" }],
        labels: [{ id: 34, name: "Metalheadz" }],
        styles: ["Drum n Bass"],
      }),
      fetchedAt: new Date(),
      source: "api",
    });
    const seeds = await db.all<Record<string, unknown>>(SEEDS_SQL, { currency: "USD" });
    const sorted: Record<string, unknown>[] = seeds.map((s) => ({
      ...s,
      styles: (s.styles as string[]).toSorted(),
    }));
    assertEquals(sorted, [
      {
        kind: "label",
        id: 34,
        name: "Metalheadz",
        owned: 3,
        styles: ["Darkstep", "Drum n Bass", "Jungle"],
      },
      { kind: "artist", id: 12, name: "Dillinja (2)", owned: 2, styles: ["Darkstep", "Jungle"] },
      { kind: "artist", id: 56, name: "Photek", owned: 1, styles: ["Drum n Bass"] },
    ]);
  }));

Deno.test("a collection from a CSV export (no release_info rows) seeds from bodies as before", () =>
  withDb(async (db) => {
    await ingestApiRows(db, { collection: [copy(1)] });
    await db.run(RELEASE_INFO_DDL);
    await ensureCache(db);
    assertEquals(await db.all(SEEDS_SQL, { currency: "USD" }), []);
  }));
