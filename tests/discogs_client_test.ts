/**
 * The live Discogs client against the fake Discogs server on 127.0.0.1: pacing, adaptation,
 * 429s, server errors, broken bodies, 404s, private collections, pagination, and the token.
 * Rates are measured from the server's own request log, never from the test's clock.
 */
import { Database } from "../lib/db/mod.ts";
import { DiscogsClient, DiscogsError, USER_AGENT } from "../lib/discogs/client.ts";
import { fetchReleasesIntoCache } from "../lib/discogs/fetch_releases.ts";
import { fetchCollection, fetchWantlist } from "../lib/discogs/user_lists.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../lib/testing/assert.ts";
import { maxInAnyWindow, startFakeDiscogs, TOO_MANY_REQUESTS } from "./fake_discogs/server.ts";
import { runModule, tempWorkspace } from "./helpers.ts";

const WINDOW = 1000;
const TOKEN = "test-token-7f3a9c1e5b2d";

async function setup(options: Parameters<typeof startFakeDiscogs>[0] = {}) {
  const fake = await startFakeDiscogs({ windowMs: WINDOW, synthesize: true, ...options });
  const dir = await Deno.makeTempDir({ prefix: "nextspin-live-" });
  const db = await Database.open(`${dir}/w.duckdb`);
  const client = (extra: ConstructorParameters<typeof DiscogsClient>[0] = {}) =>
    new DiscogsClient({ baseUrl: fake.url, token: TOKEN, windowMs: WINDOW, ...extra });
  return {
    fake,
    db,
    client,
    async [Symbol.asyncDispose]() {
      db.close();
      await fake.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const ids = (n: number, from = 2_000_000) => Array.from({ length: n }, (_, i) => from + i);

Deno.test("pacing: no 429s, never more than the limit in any window, ≥95% of the allowed rate", async () => {
  await using t = await setup({ authenticatedLimit: 40 });
  const summary = await fetchReleasesIntoCache(t.db, t.client(), ids(140), { currency: "USD" });
  assertEquals([summary.fetched, summary.failed, summary.rateLimited429], [140, 0, 0]);
  assertEquals(t.fake.requests.filter((r) => r.status === 429).length, 0);
  const times = t.fake.requests.map((r) => r.at);
  assert(
    maxInAnyWindow(times, WINDOW) <= 40,
    `${maxInAnyWindow(times, WINDOW)} requests in one window`,
  );
  // Steady state: after the opening burst, the rate over the rest of the run.
  const start = times[0] + WINDOW;
  const steady = times.filter((at) => at >= start);
  const span = times.at(-1)! - start;
  const allowed = (40 * span) / WINDOW;
  assert(
    steady.length >= 0.95 * allowed,
    `${steady.length} requests where ${allowed.toFixed(1)} were allowed`,
  );
  assertEquals(summary.requests, 140, "exactly one call per release");
});

Deno.test("adapts when the server's numbers differ: a lower limit and another app sharing the token", async () => {
  await using t = await setup({ authenticatedLimit: 30 });
  t.fake.consume(12); // another app has used 12 of this window already
  const client = t.client(); // assumes Discogs' 60 until told otherwise
  const summary = await fetchReleasesIntoCache(t.db, client, ids(70), { currency: "USD" });
  assertEquals([summary.fetched, summary.rateLimited429], [70, 0]);
  assertEquals(client.pacer.limit, 30);
});

Deno.test("a 429 is waited out (with and without Retry-After) and the request retried", async () => {
  for (const retryAfter of [null, 1]) {
    await using t = await setup({ authenticatedLimit: 20 });
    t.fake.faults.retryAfterSeconds = retryAfter;
    const client = t.client();
    await fetchReleasesIntoCache(t.db, client, ids(5), { currency: "USD" });
    t.fake.consume(20); // someone else fills the window behind our back
    const summary = await fetchReleasesIntoCache(t.db, client, ids(5, 3_000_000), {
      currency: "USD",
    });
    assertEquals(summary.fetched, 5);
    assert(summary.rateLimited429 >= 1, "the server answered 429 at least once");
    const limited = t.fake.requests.find((r) => r.status === 429)!;
    const next = t.fake.requests.find((r) => r.at > limited.at && r.status === 200)!;
    if (retryAfter !== null) assert(next.at - limited.at >= 950, "Retry-After was honoured");
  }
  assertEquals(TOO_MANY_REQUESTS.message, "You are making requests too quickly.");
});

Deno.test("server errors back off and succeed; bounded attempts, then failed and the run continues", async () => {
  await using t = await setup();
  t.fake.faults.serverErrors = 3;
  const ok = await fetchReleasesIntoCache(t.db, t.client({ backoffMs: 5 }), ids(3), {
    currency: "USD",
  });
  assertEquals([ok.fetched, ok.failed], [3, 0]);
  assert(ok.retries >= 3);

  t.fake.faults.serverErrors = 7; // two releases exhaust 3 attempts each, the third recovers
  const failures: number[] = [];
  const partial = await fetchReleasesIntoCache(
    t.db,
    t.client({ backoffMs: 5, maxAttempts: 3 }),
    ids(5, 4_000_000),
    {
      currency: "USD",
      onFailure: (id) => failures.push(id),
    },
  );
  assertEquals([partial.fetched, partial.failed], [3, 2]);
  assertEquals(failures, [4_000_000, 4_000_001]);
  const cached = await t.db.one<{ n: number }>(
    "SELECT count(*) AS n FROM http_cache WHERE url LIKE '/releases/4000%'",
  );
  assertEquals(cached!.n, 3, "failed releases are not cached, so the next run retries them");
});

Deno.test("a 404 is stored and not asked again on the next run", async () => {
  await using t = await setup({ synthesize: false });
  const missing = 999_000_001;
  const first = await fetchReleasesIntoCache(t.db, t.client(), [1005321, missing], {
    currency: "USD",
  });
  assertEquals([first.fetched, first.missing], [1, 1]);
  const second = await fetchReleasesIntoCache(t.db, t.client(), [1005321, missing], {
    currency: "USD",
  });
  assertEquals([second.fromCache, second.requests], [2, 0]);
  assertEquals(t.fake.requests.filter((r) => r.path.startsWith(`/releases/${missing}`)).length, 1);
  const row = await t.db.one<{ status: number }>(
    `SELECT status FROM http_cache WHERE url LIKE '/releases/${missing}%'`,
  );
  assertEquals(row!.status, 404);
});

Deno.test("a private collection says whose token is needed", async () => {
  await using t = await setup();
  const error = await assertRejects(
    () => fetchCollection(t.client(), "private_digger"),
    DiscogsError,
  );
  assertEquals(
    error.message,
    "the collection of private_digger is private; set DISCOGS_TOKEN of its owner",
  );
  assertEquals(error.kind, "private");
  const owner = await fetchCollection(t.client({ token: "owner-token" }), "private_digger");
  assertEquals(owner.length, 5);
});

Deno.test("empty bodies and broken JSON get clear messages after bounded retries", async () => {
  await using t = await setup();
  t.fake.faults.emptyBodies = 2;
  const empty = await assertRejects(
    () => t.client({ maxAttempts: 2, backoffMs: 1 }).release(1005321, "USD"),
    DiscogsError,
  );
  assertEquals(empty.kind, "empty_body");
  assertStringIncludes(empty.message, "User-Agent");
  t.fake.faults.malformedJson = 2;
  const broken = await assertRejects(
    () => t.client({ maxAttempts: 2, backoffMs: 1 }).release(1005321, "USD"),
    DiscogsError,
  );
  assertEquals(broken.kind, "bad_json");
  t.fake.faults.malformedJson = 1;
  const recovered = await t.client({ backoffMs: 1 }).release(1005321, "USD");
  assertEquals((recovered.json as { id: number }).id, 1005321);
});

Deno.test("collection and wantlist come page by page into ingest-shaped rows", async () => {
  await using t = await setup();
  const collection = await fetchCollection(t.client(), "gustw");
  assertEquals(collection.length, 315);
  assertEquals(
    t.fake.requests.filter((r) => r.path.includes("/collection/folders/0/releases")).length,
    4,
  );
  assert(
    t.fake.requests.every((r) => !r.path.includes("per_page=") || r.path.includes("per_page=100")),
  );
  const first = collection[0];
  assertEquals(first.instance_key, "instance:9000000");
  assertEquals(first.release_id, 1005321);
  assertEquals(first.media_condition, "Near Mint (NM or M-)");
  assertEquals(first.custom_fields, { Colour: "Red vinyl" });
  const suffixed = collection.find((r) => r.artist === "Gunmen (2)")!;
  assertEquals(suffixed.artist_display, "Gunmen");
  const wants = await fetchWantlist(t.client(), "gustw");
  assertEquals(wants.length, 100);
  assertEquals(wants[0].notes, "must find");
});

Deno.test("requests carry Next Spin's User-Agent and the token only in the Authorization header", async () => {
  await using t = await setup();
  await t.client().release(1005321, "USD");
  await new DiscogsClient({ baseUrl: t.fake.url, windowMs: WINDOW }).release(1005321, "USD");
  assertMatch(USER_AGENT, /^NextSpin\/\d+\.\d+\.\d+ \+https:\/\/github\.com\//);
  assertEquals(t.fake.requests.map((r) => [r.userAgent, r.authorized]), [[USER_AGENT, true], [
    USER_AGENT,
    false,
  ]]);
  assertEquals(t.fake.requests.at(-1)!.status, 200);
});

Deno.test("the token never reaches logs, errors, the cache, the manifest or any output", async () => {
  const fake = await startFakeDiscogs({ windowMs: WINDOW, synthesize: false });
  const ws = await tempWorkspace();
  try {
    fake.faults.notFound.add(1005321);
    fake.faults.serverErrors = 2;
    const env = { DISCOGS_TOKEN: TOKEN, DISCOGS_API_URL: fake.url, DISCOGS_RATE_WINDOW: "1s" };
    const csv = `${ws.dir}/c.csv`;
    await Deno.writeTextFile(
      csv,
      "Catalog#,Artist,Title,Label,Format,Rating,Released,release_id\nX,A,T,L,LP,,2000,1005321\nY,B,U,L,LP,,2001,1009325\n",
    );
    const run = await runModule("pipeline/pipeline.ts", [
      "--collection",
      csv,
      "--db",
      ws.db,
      "--out",
      ws.out,
    ], env);
    assertEquals(run.code, 0, run.stderr);
    const bad = await runModule("pipeline/ingest.ts", [
      "--username",
      "private_digger",
      "--db",
      ws.db,
      "--out",
      ws.out,
    ], env);
    assertEquals(bad.code, 2);
    for (const text of [run.stdout, run.stderr, bad.stdout, bad.stderr]) {
      assert(!text.includes(TOKEN), "token in output");
    }
    const walk = async (dir: string): Promise<void> => {
      for await (const entry of Deno.readDir(dir)) {
        const path = `${dir}/${entry.name}`;
        if (entry.isDirectory) await walk(path);
        else {assert(
            !new TextDecoder("latin1").decode(await Deno.readFile(path)).includes(TOKEN),
            `token in ${path}`,
          );}
      }
    };
    await walk(ws.out);
    const db = await Database.open(ws.db);
    try {
      const hits = await db.one<{ n: number }>(
        "SELECT count(*) AS n FROM http_cache WHERE contains(url, $t) OR contains(coalesce(body, ''), $t) OR contains(source, $t)",
        { t: TOKEN },
      );
      assertEquals(hits!.n, 0);
      assertEquals(await db.count("http_cache"), 2, "one body and one remembered 404");
    } finally {
      db.close();
    }
    const dbBytes = new TextDecoder("latin1").decode(await Deno.readFile(ws.db));
    assert(!dbBytes.includes(TOKEN), "token in the database file");
    assert(fake.requests.some((r) => r.authorized), "the token was sent to the server");
  } finally {
    await fake.close();
    await ws.cleanup();
  }
});

Deno.test("paged catalogue endpoints (master versions, artist and label releases) follow pagination", async () => {
  await using t = await setup();
  const client = t.client();
  const versions: unknown[] = [];
  for await (const items of client.paginate((n) => client.masterVersions(4242, n), "versions")) {
    versions.push(...items);
  }
  assert(versions.length > 0, "master 4242 has recorded versions");
  const artist: unknown[] = [];
  for await (const items of client.paginate((n) => client.artistReleases(1, n), "releases")) {
    artist.push(...items);
  }
  assert(artist.length > 0);
  const label: unknown[] = [];
  for await (const items of client.paginate((n) => client.labelReleases(1, n), "releases")) {
    label.push(...items);
  }
  assertEquals(label, [], "an unrecorded label pages out empty");
  assert(t.fake.requests.every((r) => r.status === 200));
});

Deno.test("network errors are retried with backoff, then reported clearly", async () => {
  // A port nobody listens on, on loopback: connection refused.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const client = new DiscogsClient({
    baseUrl: `http://127.0.0.1:${port}`,
    token: TOKEN,
    windowMs: WINDOW,
    maxAttempts: 3,
    backoffMs: 1,
  });
  const error = await assertRejects(() => client.release(1, "USD"), DiscogsError);
  assertEquals(error.kind, "network");
  assertStringIncludes(error.message, "network error for /releases/1?curr_abbr=USD");
  assertStringIncludes(error.message, "gave up after 3 attempts");
  assert(!error.message.includes(TOKEN));
  assertEquals(client.stats.retries, 2);
});
