/**
 * `releases` from fetched bodies and, where none was fetched, from the `basic_information` a
 * username import saved: one row per needed release, the body winning, `source` saying which.
 */
import { ensureCache, putResponse, releaseKey } from "../discogs/cache.ts";
import { releaseInfoOf } from "../discogs/user_lists.ts";
import { ingestApiRows } from "../ingest/mod.ts";
import { assertEquals } from "../testing/assert.ts";
import { buildReleases, fetchLaterCommand } from "./mod.ts";
import { withTempDb as withDb } from "../../tests/helpers.ts";

function copy(releaseId: number, title: string) {
  return {
    instance_key: `instance:${releaseId}`,
    instance_id: releaseId,
    release_id: releaseId,
    artist: "Dillinja (2)",
    artist_display: "Dillinja",
    title,
    custom_fields: {},
    source_file: "discogs:digger",
    source_line: null,
  };
}

function info(releaseId: number, styles: string[]) {
  return releaseInfoOf(
    {
      basic_information: {
        id: releaseId,
        master_id: releaseId * 10,
        title: `Info ${releaseId}`,
        year: 1996,
        artists: [{ id: 12, name: "Dillinja (2)", join: "" }],
        labels: [{ id: 34, name: "Metalheadz", catno: `META${releaseId}` }],
        formats: [{ name: "Vinyl", qty: "1", descriptions: ['12"'] }],
        genres: ["Electronic"],
        styles,
        thumb: "https://i.discogs.com/t.jpg",
      },
    },
    "discogs:digger:collection",
    new Date("2026-01-01T00:00:00Z"),
  )!;
}

Deno.test("every collection release gets a row: fetched bodies win, the rest come from basic_information", () =>
  withDb(async (db) => {
    await ingestApiRows(db, {
      collection: [copy(1, "One"), copy(2, "Two"), copy(3, "Three"), copy(4, "Four")],
      releases: [info(1, ["Jungle"]), info(2, ["Drum n Bass"]), info(3, ["Jungle"])],
    });
    await ensureCache(db);
    await putResponse(db, {
      url: releaseKey(1),
      status: 200,
      body: JSON.stringify({
        id: 1,
        title: "Body One",
        styles: ["Darkstep"],
        genres: ["Electronic"],
        community: { have: 50, want: 70 },
        lowest_price: 9.5,
        num_for_sale: 3,
      }),
      fetchedAt: new Date(),
      source: "api",
    });
    await putResponse(db, {
      url: releaseKey(3),
      status: 404,
      body: '{"message": "Release not found."}',
      fetchedAt: new Date(),
      source: "api",
    });
    const built = await buildReleases(db, "USD");
    assertEquals(
      [built.releases, built.enriched, built.fromBasicInformation, built.missing, built.notFound],
      [3, 1, 2, [2, 4], [3]],
    );
    const rows = await db.all<Record<string, unknown>>(
      `SELECT release_id, source, title, styles, labels, artists, master_id, year, formats,
              have, lowest_price, currency, discogs_url FROM releases ORDER BY release_id`,
    );
    assertEquals(rows[0], {
      release_id: 1,
      source: "release",
      title: "Body One",
      styles: ["Darkstep"],
      labels: [],
      artists: [],
      master_id: null,
      year: null,
      formats: [],
      have: 50,
      lowest_price: 9.5,
      currency: "USD",
      discogs_url: "https://www.discogs.com/release/1",
    });
    assertEquals(rows[1], {
      release_id: 2,
      source: "basic_information",
      title: "Info 2",
      styles: ["Drum n Bass"],
      labels: ["Metalheadz"],
      artists: ["Dillinja"],
      master_id: 20,
      year: 1996,
      formats: ['Vinyl, 12"'],
      have: null,
      lowest_price: null,
      currency: null,
      discogs_url: "https://www.discogs.com/release/2",
    });
    assertEquals(rows[2].source, "basic_information", "a 404 body keeps the import's facts");
    const history = await db.all<{ release_id: number }>("SELECT release_id FROM price_history");
    assertEquals(history, [{ release_id: 1 }], "snapshots only of fetched market data");
  }));

Deno.test("without basic_information a release with no fetched body has no row, as before", () =>
  withDb(async (db) => {
    await ingestApiRows(db, { collection: [copy(1, "One")] });
    const built = await buildReleases(db, "USD");
    assertEquals([built.releases, built.fromBasicInformation, built.missing], [0, 0, [1]]);
  }));

Deno.test("the command that fetches market data later names only non-default flags", () => {
  assertEquals(fetchLaterCommand("data/nextspin.duckdb", "USD"), "deno task enrich");
  assertEquals(
    fetchLaterCommand("/tmp/w.duckdb", "EUR"),
    "deno task enrich --db /tmp/w.duckdb --currency EUR",
  );
});
