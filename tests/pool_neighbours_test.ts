/**
 * API neighbours in the pool, against the fake Discogs server: bounded by --pool-budget, cached
 * (a second run or --offline costs no request), merged into the pool minus what is owned.
 */
import { Database } from "../lib/db/mod.ts";
import { DiscogsClient } from "../lib/discogs/client.ts";
import { ensureCache, putResponse, releaseKey } from "../lib/discogs/cache.ts";
import { gatherNeighbours } from "../lib/pool/neighbours.ts";
import { buildPool } from "../lib/pool/mod.ts";
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
    `CREATE TABLE releases AS SELECT 20209::BIGINT AS release_id, NULL::BIGINT AS master_id`,
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

Deno.test("neighbours: budgeted, cached, offline-safe, and owned releases stay out of the pool", async () => {
  const fake = await startFakeDiscogs({ windowMs: 1000 });
  const db = await Database.open(":memory:");
  try {
    await seedWorkspace(db);
    const client = new DiscogsClient({ baseUrl: fake.url, token: "t", windowMs: 1000 });
    const one = await gatherNeighbours(db, { budget: 1, currency: "USD", offline: false, client });
    assertEquals(
      [one.seeds, one.requests],
      [2, 1],
      "artist and label seeds; the budget allows one request",
    );
    assertEquals(fake.requests.map((r) => r.path), ["/artists/1/releases?page=1&per_page=100"]);
    assert(one.candidates >= 5, `${one.candidates} candidates from the artist's discography`);

    const again = await gatherNeighbours(db, {
      budget: 5,
      currency: "USD",
      offline: false,
      client,
    });
    assertEquals(
      [again.requests, again.fromCache],
      [1, 1],
      "the artist listing is cached; only the label is asked for",
    );
    const offline = await gatherNeighbours(db, { budget: 5, currency: "USD", offline: true });
    assertEquals(offline.requests, 0);
    assertEquals(offline.candidates, again.candidates, "offline replays the cache");
    assertEquals(fake.requests.length, 2);

    const row = await db.one<{ artist: string; styles: string[]; source: string }>(
      "SELECT artist, styles, source FROM pool_api WHERE release_id = 62584",
    );
    assertEquals(row, { artist: "The Persuader", styles: ["Deep Techno"], source: "api:artist:1" });
    const pool = await buildPool(db, { files: [] });
    assertEquals(pool.fromApi, again.candidates);
    const owned = await db.one<{ n: number }>(
      "SELECT count(*) AS n FROM pool WHERE release_id = 20209",
    );
    assertEquals(owned!.n, 0, "the owned release is not a candidate");
  } finally {
    db.close();
    await fake.close();
  }
});

Deno.test("the pool task takes --pool-budget and reports what it fetched", async () => {
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
      DISCOGS_TOKEN: "t",
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
    assertStringIncludes(run.stderr, "neighbours from 2 API requests");
    const none = await runModule("pipeline/pool.ts", ["--db", ws.db, "--out", ws.out], env);
    assertEquals(none.code, 0);
    assertEquals(fake.requests.length, 2, "the default budget is 0: cached listings only");
  } finally {
    await fake.close();
    await ws.cleanup();
  }
});
