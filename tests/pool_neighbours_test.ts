/**
 * The listings source (discographies and label catalogues of what you own) against the fake
 * Discogs server: bounded by the request budget, cached (a second run or --offline costs no
 * request), merged into the pool minus what is owned.
 */
import { Database } from "../lib/db/mod.ts";
import { DiscogsClient } from "../lib/discogs/client.ts";
import { ensureCache, putResponse, releaseKey } from "../lib/discogs/cache.ts";
import { buildPool } from "../lib/pool/mod.ts";
import { listingsSource } from "../lib/pool/sources/listings.ts";
import { assert, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { startFakeDiscogs } from "./fake_discogs/server.ts";
import { runModule, tempWorkspace } from "./helpers.ts";

/** A one-release collection by Discogs artist 1 (The Persuader) on label 1 (Planet E). */
async function seedWorkspace(db: Database) {
  await db.run(
    `CREATE TABLE collection AS SELECT 20209::BIGINT AS release_id, 'The Persuader' AS artist_display,
    'Kaos' AS title, 1 AS source_line`,
  );
  await db.run(
    `CREATE TABLE releases AS SELECT 20209::BIGINT AS release_id, NULL::BIGINT AS master_id,
    ['Deep Techno'] AS styles, ['Electronic'] AS genres, ['The Persuader'] AS artists,
    ['Planet E'] AS labels, 1997 AS year`,
  );
  await ensureCache(db);
  await putResponse(db, {
    url: releaseKey(20209, "USD"),
    status: 200,
    body: JSON.stringify({
      id: 20209,
      title: "Kaos",
      styles: ["Deep Techno"],
      genres: ["Electronic"],
      artists: [{ id: 1, name: "The Persuader" }, { id: 194, name: "Various" }],
      labels: [{ id: 1, name: "Planet E" }],
    }),
    fetchedAt: new Date(),
    source: "api",
  });
}

Deno.test("listings: budgeted, cached, offline-safe, and owned releases stay out of the pool", async () => {
  const fake = await startFakeDiscogs({ windowMs: 1000 });
  const db = await Database.open(":memory:");
  try {
    await seedWorkspace(db);
    const client = new DiscogsClient({ baseUrl: fake.url, windowMs: 1000 });
    const gather = (budget: number, offline = false) =>
      buildPool(db, {
        files: [],
        budget,
        offline,
        client: offline ? undefined : client,
        sources: [listingsSource],
      });
    const one = await gather(1);
    const first = one.sources.listings;
    assertEquals([first.details?.seeds, first.requests], [2, 1], "two seeds, one request allowed");
    assertEquals(fake.requests.map((r) => r.path), ["/artists/1/releases?page=1&per_page=100"]);
    assert(first.candidates >= 5, `${first.candidates} candidates from the artist's discography`);

    const again = (await gather(5)).sources.listings;
    assertEquals(
      [again.requests, again.fromCache],
      [1, 1],
      "the artist listing is cached; only the label is asked for",
    );
    const offline = await gather(5, true);
    assertEquals(offline.sources.listings.requests, 0);
    assertEquals(
      offline.sources.listings.candidates,
      again.candidates,
      "offline replays the cache",
    );
    assertEquals(fake.requests.length, 2);

    const row = await db.one<{ artist: string; styles: string[]; sources: string[] }>(
      "SELECT artist, styles, sources FROM pool WHERE release_id = 62584",
    );
    assertEquals(row, {
      artist: "The Persuader",
      styles: ["Deep Techno"],
      sources: ["listings:artist:1"],
    });
    const owned = await db.one<{ n: number }>(
      "SELECT count(*) AS n FROM pool WHERE release_id = 20209",
    );
    assertEquals(owned!.n, 0, "the owned release is not a candidate");
  } finally {
    db.close();
    await fake.close();
  }
});

Deno.test("the pool task plans an automatic budget, takes --pool-budget, and reports each source", async () => {
  const fake = await startFakeDiscogs({ windowMs: 1000 });
  const ws = await tempWorkspace();
  try {
    const db = await Database.open(ws.db);
    try {
      await seedWorkspace(db);
    } finally {
      db.close();
    }
    const env = {
      DISCOGS_API_URL: fake.url,
      DISCOGS_RATE_WINDOW: "1s",
      DISCOGS_TOKEN: "",
      NEXTSPIN_QUIET: "0",
    };
    const run = await runModule("pipeline/pool.ts", [
      "--pool-budget",
      "2",
      "--db",
      ws.db,
      "--out",
      ws.out,
    ], env);
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stderr, "listings: ");
    assertStringIncludes(run.stderr, "from 2 requests and 0 cached pages");
    assertStringIncludes(run.stderr, "Discogs search needs a token");
    const auto = await runModule("pipeline/pool.ts", ["--db", ws.db, "--out", ws.out], env);
    assertEquals(auto.code, 0, auto.stderr);
    assertStringIncludes(
      auto.stderr,
      "candidate plan: up to 64 API pages (auto: 1 styles in 1 records)",
    );
    assertEquals(fake.requests.length, 2, "both listings are cached: the second run asks nothing");
    const manifest = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
    assertEquals(manifest.stages.pool.summary.sources.listings.fromCache, 2);

    // Nothing gathered (no budget, no file): the pool is not replaced by nothing unless asked.
    const kept = manifest.stages.pool.tables.pool;
    assert(kept > 0);
    const none = await runModule("pipeline/pool.ts", [
      "--db",
      ws.db,
      "--out",
      ws.out,
      "--pool-budget",
      "0",
    ], env);
    assertEquals(none.code, 0, none.stderr);
    assertStringIncludes(none.stderr, `the previous pool of ${kept} candidates is kept`);
    const emptied = await runModule("pipeline/pool.ts", [
      "--db",
      ws.db,
      "--out",
      ws.out,
      "--pool-budget",
      "0",
      "--allow-empty",
    ], env);
    assertEquals(emptied.code, 0, emptied.stderr);
    assertStringIncludes(emptied.stderr, "no candidates: --pool-budget 0 turns off");
    const after = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
    assertEquals(after.stages.pool.tables.pool, 0);
  } finally {
    await fake.close();
    await ws.cleanup();
  }
});
