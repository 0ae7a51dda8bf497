/** `release_info`: the username import's basic_information, one row per release, refreshed. */
import { assertEquals } from "../testing/assert.ts";
import { ingestApiRows } from "./mod.ts";
import { withTempDb as withDb } from "../../tests/helpers.ts";

const info = (id: number, title: string, source: string) => ({
  release_id: id,
  title,
  artists: ["A"],
  artist_credits: [{ id: 5, name: "A" }],
  label_credits: [{ id: 6, name: "L", catno: "C1" }],
  styles: ["Dub"],
  source,
  fetched_at: new Date("2026-01-01T00:00:00Z"),
});

Deno.test("a release in both lists is one row (the last given wins); a later import refreshes it", () =>
  withDb(async (db) => {
    await ingestApiRows(db, {
      // Empty lists on purpose: this test is about release_info alone.
      allowEmpty: true,
      collection: [],
      wantlist: [],
      releases: [info(1, "Wanted", "discogs:d:wantlist"), info(1, "Owned", "discogs:d:collection")],
    });
    assertEquals(
      await db.all(
        "SELECT release_id, title, source, artist_credits, label_credits FROM release_info",
      ),
      [{
        release_id: 1,
        title: "Owned",
        source: "discogs:d:collection",
        artist_credits: [{ id: 5, name: "A" }],
        label_credits: [{ id: 6, name: "L", catno: "C1" }],
      }],
    );
    await ingestApiRows(db, {
      allowEmpty: true,
      collection: [],
      releases: [info(1, "Renamed", "x"), info(2, "Two", "x")],
    });
    assertEquals(
      await db.all("SELECT release_id, title FROM release_info ORDER BY release_id"),
      [{ release_id: 1, title: "Renamed" }, { release_id: 2, title: "Two" }],
    );
  }));
