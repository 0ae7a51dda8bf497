/**
 * The enrich task's live flags as a user runs them, against the fake Discogs server:
 * --offline, --max-age refreshes (building price history), --currency, and the bundled sample
 * staying offline.
 */
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { startFakeDiscogs } from "./fake_discogs/server.ts";
import { runModule, tempWorkspace } from "./helpers.ts";

async function withFake(
  body: (ctx: {
    fake: Awaited<ReturnType<typeof startFakeDiscogs>>;
    ws: Awaited<ReturnType<typeof tempWorkspace>>;
    env: Record<string, string>;
    run: (module: string, args: string[]) => ReturnType<typeof runModule>;
  }) => Promise<void>,
) {
  const fake = await startFakeDiscogs({ windowMs: 1000 });
  const ws = await tempWorkspace();
  const env = {
    DISCOGS_TOKEN: "live-token",
    DISCOGS_API_URL: fake.url,
    DISCOGS_RATE_WINDOW: "1s",
    NEXTSPIN_QUIET: "0",
  };
  try {
    await body({
      fake,
      ws,
      env,
      run: (module, args) => runModule(module, [...args, "--db", ws.db, "--out", ws.out], env),
    });
  } finally {
    await fake.close();
    await ws.cleanup();
  }
}

const FIVE = "Catalog#,Artist,Title,Label,Format,Rating,Released,release_id\n" +
  [1005321, 10089438, 1009325, 1009326, 999000111].map((id, i) =>
    `C${i},A${i},T${i},L,LP,,2000,${id}`
  ).join("\n") + "\n";

Deno.test("--offline never touches the network and says what is missing", () =>
  withFake(async ({ fake, ws, run }) => {
    await Deno.writeTextFile(`${ws.dir}/c.csv`, FIVE);
    assertEquals((await run("pipeline/ingest.ts", ["--collection", `${ws.dir}/c.csv`])).code, 0);
    const offline = await run("pipeline/enrich.ts", ["--offline"]);
    assertEquals(offline.code, 0, offline.stderr);
    assertEquals(fake.requests.length, 0);
    assertStringIncludes(offline.stderr, "5 releases have no Discogs data yet");
    assertStringIncludes(offline.stderr, "--offline: run without it to fetch them");
  }));

Deno.test("live enrich fetches once; --max-age decides refreshes, each adding a price snapshot", () =>
  withFake(async ({ fake, ws, run }) => {
    await Deno.writeTextFile(`${ws.dir}/c.csv`, FIVE);
    await run("pipeline/ingest.ts", ["--collection", `${ws.dir}/c.csv`]);
    const first = await run("pipeline/enrich.ts", []);
    assertEquals(first.code, 0, first.stderr);
    assertStringIncludes(first.stderr, "fetching 5 to go at up to ");
    assertStringIncludes(first.stderr, "(with your token)");
    assert(
      first.stderr.indexOf(": about ") < first.stderr.indexOf("fetching 1/5"),
      "an ETA before the first request",
    );
    assertStringIncludes(first.stderr, "fetched 3, from cache 0, not found 2, failed 0, 429s 0");
    assertEquals(fake.requests.length, 5);

    const again = await run("pipeline/enrich.ts", []);
    assertEquals(again.code, 0);
    assertStringIncludes(again.stderr, "all 5 releases are cached and fresh");
    assertEquals(fake.requests.length, 5, "the default max age (7 days) keeps fresh entries");

    const refresh = await run("pipeline/enrich.ts", ["--max-age", "0s"]);
    assertEquals(refresh.code, 0, refresh.stderr);
    assertEquals(fake.requests.length, 10);
    const db = await Database.open(ws.db);
    try {
      assertEquals(await db.count("releases"), 3);
      const snapshots = await db.all<{ n: number }>(
        "SELECT count(*) AS n FROM price_history GROUP BY release_id ORDER BY release_id",
      );
      assertEquals(snapshots.map((s) => s.n), [2, 2, 2], "two fetches, two snapshots per release");
    } finally {
      db.close();
    }
    const bad = await run("pipeline/enrich.ts", ["--max-age", "soon"]);
    assertEquals(bad.code, 2);
    assertStringIncludes(bad.stderr, '--max-age "soon": expected a duration');
  }));

Deno.test("--currency asks Discogs for that currency and labels every price with it", () =>
  withFake(async ({ fake, ws, run }) => {
    await Deno.writeTextFile(`${ws.dir}/c.csv`, FIVE);
    await run("pipeline/ingest.ts", ["--collection", `${ws.dir}/c.csv`]);
    assertEquals((await run("pipeline/enrich.ts", ["--currency", "EUR"])).code, 0);
    assert(fake.requests.every((r) => r.path.endsWith("?curr_abbr=EUR")));
    const score = await run("pipeline/score.ts", []);
    assertEquals(score.code, 0, score.stderr);
    const db = await Database.open(ws.db);
    try {
      const currencies = await db.all<{ currency: string }>(
        "SELECT DISTINCT currency FROM releases",
      );
      assertEquals(currencies, [{ currency: "EUR" }]);
      const why = await db.one<{ value_why: string }>(
        "SELECT value_why FROM scores WHERE release_id = 1005321",
      );
      assertStringIncludes(why!.value_why, "€");
    } finally {
      db.close();
    }
    const wrong = await run("pipeline/enrich.ts", ["--currency", "XYZ"]);
    assertEquals(wrong.code, 2);
  }));

Deno.test("the pipeline on the bundled sample stays offline even when an API is configured", () =>
  withFake(async ({ fake, run }) => {
    const sample = await run("pipeline/pipeline.ts", []);
    assertEquals(sample.code, 0, sample.stderr);
    assertEquals(fake.requests.length, 0);
  }));

Deno.test("ingest --username / --wantlist-of fill the same tables as the CSV exports", () =>
  withFake(async ({ ws, run }) => {
    const imported = await run("pipeline/ingest.ts", [
      "--username",
      "gustw",
      "--wantlist-of",
      "gustw",
    ]);
    assertEquals(imported.code, 0, imported.stderr);
    const db = await Database.open(ws.db);
    try {
      assertEquals(await db.count("collection"), 315);
      assertEquals(await db.count("wantlist"), 100);
      const columns = (await db.columns("collection")).map((c) => `${c.name} ${c.type}`);
      const csvWs = await tempWorkspace();
      try {
        await runModule("pipeline/ingest.ts", [
          "--collection",
          "data/sample/collection.csv",
          "--db",
          csvWs.db,
          "--out",
          csvWs.out,
        ]);
        const csvDb = await Database.open(csvWs.db);
        try {
          assertEquals(
            columns,
            (await csvDb.columns("collection")).map((c) => `${c.name} ${c.type}`),
          );
        } finally {
          csvDb.close();
        }
      } finally {
        await csvWs.cleanup();
      }
    } finally {
      db.close();
    }
    const both = await run("pipeline/ingest.ts", [
      "--username",
      "gustw",
      "--collection",
      "data/sample/collection.csv",
    ]);
    assertEquals(both.code, 2);
  }));
