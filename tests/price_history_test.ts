/**
 * One price snapshot per real fetch: rerunning the bundled sample (cache + the same JSONL
 * recording) leaves `price_history` as it was, while a real fetch from the fake Discogs server
 * adds exactly one snapshot per fetched release and a replay of it adds none.
 */
import { Database } from "../lib/db/mod.ts";
import { assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { startFakeDiscogs } from "./fake_discogs/server.ts";
import { runModule, runPipeline, tempWorkspace } from "./helpers.ts";

const HISTORY_SQL = `SELECT release_id, fetched_at::VARCHAR AS fetched_at, currency, lowest_price,
  num_for_sale, have, want FROM price_history ORDER BY ALL`;

async function history(path: string): Promise<unknown[]> {
  const db = await Database.open(path);
  try {
    return await db.all(HISTORY_SQL);
  } finally {
    db.close();
  }
}

Deno.test("rerunning the sample pipeline leaves price_history unchanged", async () => {
  const ws = await tempWorkspace();
  try {
    const first = await runPipeline(ws);
    assertEquals(first.code, 0, first.stderr);
    const before = await history(ws.db);
    assertEquals(before.length, 315, "one snapshot per sample release");
    for (let run = 0; run < 2; run++) {
      const again = await runPipeline(ws);
      assertEquals(again.code, 0, again.stderr);
      assertEquals(await history(ws.db), before, `rerun ${run + 1} changed price_history`);
    }
  } finally {
    await ws.cleanup();
  }
});

const FIVE = "Catalog#,Artist,Title,Label,Format,Rating,Released,release_id\n" +
  [1005321, 10089438, 1009325, 1009326, 999000111].map((id, i) =>
    `C${i},A${i},T${i},L,LP,,2000,${id}`
  ).join("\n") + "\n";

Deno.test("a real fetch adds one snapshot per fetched release; replays add none", async () => {
  const fake = await startFakeDiscogs({ windowMs: 1000 });
  const ws = await tempWorkspace();
  const env = {
    DISCOGS_TOKEN: "live-token",
    DISCOGS_API_URL: fake.url,
    DISCOGS_RATE_WINDOW: "1s",
    NEXTSPIN_QUIET: "0",
  };
  const run = (module: string, args: string[]) =>
    runModule(module, [...args, "--db", ws.db, "--out", ws.out], env);
  try {
    await Deno.writeTextFile(`${ws.dir}/c.csv`, FIVE);
    assertEquals((await run("pipeline/ingest.ts", ["--collection", `${ws.dir}/c.csv`])).code, 0);
    const fetched = await run("pipeline/enrich.ts", []);
    assertEquals(fetched.code, 0, fetched.stderr);
    assertStringIncludes(fetched.stderr, "3 new price snapshots");
    const once = await history(ws.db);
    assertEquals(once.length, 3, "3 releases found, 2 not found: one snapshot each found");

    // Replays: the cache offline, the cache online while fresh, and the same bodies as JSONL.
    const offline = await run("pipeline/enrich.ts", ["--offline"]);
    assertStringIncludes(offline.stderr, "0 new price snapshots");
    const fresh = await run("pipeline/enrich.ts", []);
    assertStringIncludes(fresh.stderr, "0 new price snapshots");
    const db = await Database.open(ws.db);
    let bodies: { body: string }[];
    try {
      bodies = await db.all<{ body: string }>(
        "SELECT body FROM http_cache WHERE status = 200 AND url LIKE '/releases/%' ORDER BY url",
      );
    } finally {
      db.close();
    }
    await Deno.writeTextFile(`${ws.dir}/b.jsonl`, bodies.map((b) => b.body).join("\n"));
    const replay = await run("pipeline/enrich.ts", [
      "--offline",
      "--from-jsonl",
      `${ws.dir}/b.jsonl`,
    ]);
    assertEquals(replay.code, 0, replay.stderr);
    assertStringIncludes(replay.stderr, "3 release bodies (0 new or changed, 3 already cached");
    assertStringIncludes(replay.stderr, "0 new price snapshots");
    assertEquals(await history(ws.db), once);

    // A real new fetch: exactly one more snapshot per fetched release.
    const requests = fake.requests.length;
    const refresh = await run("pipeline/enrich.ts", ["--max-age", "0s"]);
    assertEquals(refresh.code, 0, refresh.stderr);
    assertEquals(fake.requests.length - requests, 5);
    assertStringIncludes(refresh.stderr, "3 new price snapshots");
    const twice = (await history(ws.db)) as { release_id: number }[];
    assertEquals(twice.length, 6);
    const perRelease = new Map<number, number>();
    for (const r of twice) perRelease.set(r.release_id, (perRelease.get(r.release_id) ?? 0) + 1);
    assertEquals([...perRelease.values()], [2, 2, 2]);
  } finally {
    await fake.close();
    await ws.cleanup();
  }
});
