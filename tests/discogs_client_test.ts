/**
 * The live Discogs client against the fake Discogs server on 127.0.0.1: pacing, adaptation,
 * 429s, server errors, slow and broken responses, 404s, private collections, pagination,
 * currency, and the token. The client and the fake share a virtual clock (lib/testing/clock.ts):
 * the client's waits advance it instead of passing, and the fake's window counts by it, so every
 * window, wait and backoff below is exact whatever the machine's load, and no test measures
 * wall-clock time. Rates are measured from the server's own request log (arrival times). The real
 * API is never contacted.
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
import {
  maxInAnyWindow,
  requestsPerWindow,
  startFakeDiscogs,
  TOO_MANY_REQUESTS,
} from "./fake_discogs/server.ts";
import { VirtualClock } from "../lib/testing/clock.ts";
import { spawnWithDeadline } from "../lib/testing/deadline.ts";
import { REPO_ROOT, runModule, tempWorkspace } from "./helpers.ts";

const WINDOW = 1000;
/** The pacer's safety margin after a slot frees at this window: 1% of it, at least 10 ms. */
const MARGIN = 10;
const TOKEN = "test-token-7f3a9c1e5b2d";

/**
 * A fake Discogs and a workspace database on one virtual clock. `client()` makes a client on that
 * clock (backoff jitter fixed at 1×); `fetchReleases()` runs {@link fetchReleasesIntoCache} on it.
 */
async function setup(options: Parameters<typeof startFakeDiscogs>[0] = {}) {
  const clock = new VirtualClock();
  const fake = await startFakeDiscogs({
    windowMs: WINDOW,
    synthesize: true,
    now: clock.now,
    ...options,
  });
  const dir = await Deno.makeTempDir({ prefix: "nextspin-live-" });
  const db = await Database.open(`${dir}/w.duckdb`);
  const client = (extra: ConstructorParameters<typeof DiscogsClient>[0] = {}) =>
    new DiscogsClient({
      baseUrl: fake.url,
      token: TOKEN,
      windowMs: WINDOW,
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      ...extra,
    });
  const fetchReleases = (
    into: DiscogsClient,
    releaseIds: number[],
    extra: Partial<Parameters<typeof fetchReleasesIntoCache>[3]> = {},
  ) => fetchReleasesIntoCache(db, into, releaseIds, { currency: "USD", now: clock.now, ...extra });
  return {
    clock,
    fake,
    db,
    client,
    fetchReleases,
    async [Symbol.asyncDispose]() {
      db.close();
      await fake.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const ids = (n: number, from = 2_000_000) => Array.from({ length: n }, (_, i) => from + i);

Deno.test("pacing: zero 429s, never over the limit, ≥95% of it in every window after the first", async () => {
  // 20 a second: the same pacing as Discogs' 60 a minute, compressed.
  await using t = await setup({ authenticatedLimit: 20 });
  const summary = await t.fetchReleases(t.client(), ids(90));
  assertEquals([summary.fetched, summary.failed, summary.rateLimited429], [90, 0, 0]);
  assertEquals(summary.requests, 90, "exactly one call per release");
  const times = t.fake.requests.map((r) => r.at);
  assertEquals(t.fake.requests.filter((r) => r.status === 429).length, 0);
  const busiest = maxInAnyWindow(times, WINDOW);
  assert(busiest <= 20, `${busiest} requests in one window`);
  // Whole windows after the opening one, up to the last request: each holds (nearly) 20.
  const perWindow = requestsPerWindow(times, WINDOW, times[0] + WINDOW);
  assert(perWindow.length >= 3, `${perWindow.length} whole windows measured`);
  for (const n of perWindow) assert(n >= 0.95 * 20, `windows held ${perWindow.join(", ")} of 20`);
});

Deno.test("adapts to the server's numbers: a lower limit, part of the window used by another app", async () => {
  await using t = await setup({ authenticatedLimit: 30 });
  t.fake.consume(12); // another app has used 12 of this window already
  const client = t.client(); // assumes Discogs' 60 until told otherwise
  const summary = await t.fetchReleases(client, ids(75));
  assertEquals([summary.fetched, summary.rateLimited429], [75, 0]);
  assertEquals(client.pacer.limit, 30);
  const first = t.fake.requests.filter((r) => r.at < t.fake.requests[0].at + WINDOW);
  assertEquals(first.length, 18, "the first window: all of the 30 − 12 left, no more");
});

Deno.test("a run restarted right after another does not open with a 429", async () => {
  await using t = await setup(); // Discogs' own numbers: 60 a window with a token
  // The first run fills the window, then "dies"; a new process (new client) starts at once.
  const first = await t.fetchReleases(t.client(), ids(60));
  assertEquals(first.fetched, 60);
  const second = await t.fetchReleases(t.client(), ids(90));
  assertEquals([second.fromCache, second.fetched, second.rateLimited429], [60, 30, 0]);
  assertEquals(t.fake.requests.filter((r) => r.status === 429).length, 0);
  assert(maxInAnyWindow(t.fake.requests.map((r) => r.at), WINDOW) <= 60);
});

Deno.test("a limit lowered mid-run costs at most one 429, then the new limit holds", async () => {
  await using t = await setup({ authenticatedLimit: 40 });
  let loweredAt = Infinity;
  const summary = await t.fetchReleases(t.client(), ids(90), {
    onProgress: (p) => {
      if (p.done === 50) {
        t.fake.setLimits(20, 25);
        loweredAt = t.clock.now();
      }
    },
  });
  assertEquals(summary.fetched, 90);
  assert(summary.rateLimited429 <= 1, `${summary.rateLimited429} 429s`);
  const after = t.fake.requests.filter((r) => r.at >= loweredAt + WINDOW && r.status === 200);
  const busiest = maxInAnyWindow(after.map((r) => r.at), WINDOW);
  assert(busiest <= 20, `${busiest} in one window after the limit dropped to 20`);
});

Deno.test("a 429 is waited out (Retry-After when sent, else until the window frees) and retried", async () => {
  for (const retryAfter of [null, 1]) {
    await using t = await setup({ authenticatedLimit: 20 });
    t.fake.setFaults({ retryAfterSeconds: retryAfter });
    const client = t.client();
    await t.fetchReleases(client, ids(5));
    t.fake.consume(15); // someone else fills the rest of the window behind our back
    const summary = await t.fetchReleases(client, ids(5, 3_000_000));
    assertEquals(summary.fetched, 5);
    assertEquals(summary.rateLimited429, 1, "one 429, then the pacer knows");
    const limited = t.fake.requests.findIndex((r) => r.status === 429);
    const [refused, retried] = t.fake.requests.slice(limited, limited + 2);
    assertEquals(retried.path, refused.path, "the same request, retried");
    assertEquals(retried.status, 200);
    const waited = retried.at - refused.at;
    if (retryAfter !== null) assertEquals(waited, 1000, "Retry-After: 1 honoured to the ms");
    else assertEquals(waited, WINDOW + MARGIN, "until our oldest request left the window");
  }
  assertEquals(TOO_MANY_REQUESTS.message, "You are making requests too quickly.");
});

Deno.test("server errors back off and succeed; bounded attempts, then failed and the run continues", async () => {
  await using t = await setup();
  t.fake.setFaults({ serverErrors: 3, serverErrorStatus: 502 });
  const ok = await t.fetchReleases(t.client({ backoffMs: 5 }), ids(3));
  assertEquals([ok.fetched, ok.failed, ok.retries], [3, 0, 3]);
  const gaps = t.fake.requests.slice(0, 4).map((r, i, all) => i === 0 ? 0 : r.at - all[i - 1].at);
  assertEquals(gaps, [0, 5, 10, 20], "the backoff doubles from 5 ms (jitter fixed at 1×)");

  t.fake.setFaults({ serverErrors: 7, serverErrorStatus: 503 }); // 2 × 3 attempts, then 1 more
  const failures: number[] = [];
  const partial = await t.fetchReleases(
    t.client({ backoffMs: 5, maxAttempts: 3 }),
    ids(5, 4_000_000),
    { onFailure: (id) => failures.push(id) },
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
  const first = await t.fetchReleases(t.client(), [1005321, missing]);
  assertEquals([first.fetched, first.missing], [1, 1]);
  const second = await t.fetchReleases(t.client(), [1005321, missing]);
  assertEquals([second.fromCache, second.requests], [2, 0]);
  assertEquals(t.fake.requests.filter((r) => r.path.startsWith(`/releases/${missing}`)).length, 1);
  const row = await t.db.one<{ status: number; body: string }>(
    `SELECT status, body FROM http_cache WHERE url = '/releases/${missing}?curr_abbr=USD'`,
  );
  assertEquals(row, { status: 404, body: '{"message":"Release not found."}' });
});

Deno.test("a private collection says whose token is needed; a wrong token stops the run", async () => {
  await using t = await setup({ validTokens: [TOKEN, "owner-token"] });
  const error = await assertRejects(
    () => fetchCollection(t.client(), "private_digger"),
    DiscogsError,
  );
  assertEquals(error.kind, "private");
  assertStringIncludes(
    error.message,
    "the collection of private_digger is private; set DISCOGS_TOKEN of its owner",
  );
  const anonymous = await assertRejects(
    () => fetchWantlist(t.client({ token: undefined }), "private_digger"),
    DiscogsError,
  );
  assertEquals(
    anonymous.message,
    "the wantlist of private_digger is private; set DISCOGS_TOKEN of its owner",
  );
  const owner = await fetchCollection(t.client({ token: "owner-token" }), "private_digger");
  assertEquals(owner.length, 5);

  const wrong = await assertRejects(
    () => t.fetchReleases(t.client({ token: "stale-token" }), ids(3)),
    DiscogsError,
  );
  assertEquals(wrong.kind, "unauthorized");
  assertStringIncludes(wrong.message, "check DISCOGS_TOKEN");
  assert(!wrong.message.includes("stale-token"));
  assertEquals(t.fake.requests.filter((r) => r.path.startsWith("/releases/")).length, 1);
});

Deno.test("empty bodies, a missing User-Agent and broken JSON get clear messages after bounded retries", async () => {
  await using t = await setup();
  t.fake.setFaults({ emptyBodies: 2 });
  const empty = await assertRejects(
    () => t.client({ maxAttempts: 2, backoffMs: 1 }).release(1005321, "USD"),
    DiscogsError,
  );
  assertEquals(empty.kind, "empty_body");
  assertStringIncludes(empty.message, "User-Agent");
  // Discogs answers a request without a User-Agent with an empty body: the same message.
  const noAgent = await assertRejects(
    () => t.client({ maxAttempts: 1, userAgent: "" }).release(1005321, "USD"),
    DiscogsError,
  );
  assertEquals(noAgent.kind, "empty_body");
  assert(!t.fake.requests.at(-1)!.userAgent, "sent without a User-Agent");

  t.fake.setFaults({ malformedJson: 2 });
  const broken = await assertRejects(
    () => t.client({ maxAttempts: 2, backoffMs: 1 }).release(1005321, "USD"),
    DiscogsError,
  );
  assertEquals(broken.kind, "bad_json");
  assertStringIncludes(broken.message, "not JSON for /releases/1005321?curr_abbr=USD");
  t.fake.setFaults({ malformedJson: 1 });
  const recovered = await t.client({ backoffMs: 1 }).release(1005321, "USD");
  assertEquals((recovered.json as { id: number }).id, 1005321);
});

Deno.test("a response slower than the time limit is abandoned and retried", async () => {
  await using t = await setup();
  t.fake.setFaults({ slowMs: 300 });
  const slow = await assertRejects(
    () => t.client({ timeoutMs: 100, maxAttempts: 2, backoffMs: 1 }).release(1005321, "USD"),
    DiscogsError,
  );
  assertEquals(slow.kind, "network");
  assertStringIncludes(slow.message, "no answer within 100 ms (gave up after 2 attempts)");
  t.fake.setFaults({ slowMs: 50 });
  const patient = await t.client({ timeoutMs: 1000 }).release(1005321, "USD");
  assertEquals(patient.status, 200);
});

Deno.test("collection and wantlist come page by page (per_page=100) into ingest-shaped rows", async () => {
  await using t = await setup();
  const collection = await fetchCollection(t.client(), "gustw");
  assertEquals(collection.length, 315);
  const pages = t.fake.requests.filter((r) => r.path.includes("/collection/folders/0/releases"));
  assertEquals(pages.map((r) => new URL(r.path, t.fake.url).searchParams.get("page")), [
    "1",
    "2",
    "3",
    "4",
  ]);
  assert(pages.every((r) => r.path.includes("per_page=100")));
  assertEquals(new Set(collection.map((r) => r.instance_key)).size, 315);
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
  const example = await fetchCollection(t.client(), "example");
  assertEquals(example.map((r) => r.instance_id), [101, 102, 103]);
  const copies = await fetchCollection(t.client(), "DamIDhagor");
  assertEquals(copies.length, 7);
});

Deno.test("master versions, artist and label releases page through; unknown ids are 404s", async () => {
  await using t = await setup();
  const client = t.client();
  const all = async (page: (n: number) => ReturnType<DiscogsClient["get"]>, key: string) => {
    const items: unknown[] = [];
    for await (const batch of client.paginate(page, key)) items.push(...batch);
    return items;
  };
  assertEquals((await all((n) => client.masterVersions(4242, n), "versions")).length, 2);
  // The 57 recorded releases of artist 1: one page of 100, or two of 50.
  assertEquals((await all((n) => client.artistReleases(1, n), "releases")).length, 57);
  const byFifty = await all((n) => client.artistReleases(1, n, 50), "releases");
  assertEquals(byFifty.length, 57, "two pages of 50");
  assertEquals(
    t.fake.requests.filter((r) => r.path.startsWith("/artists/1/releases")).length,
    1 + 2,
  );
  assertEquals(await all((n) => client.labelReleases(1, n), "releases"), []);
  const unknown = await assertRejects(() => client.artistReleases(424242, 1), DiscogsError);
  assertEquals(unknown.kind, "not_found");
  const stats = await client.marketplaceStats(249504, "USD");
  assertEquals(stats.json, {
    num_for_sale: 120,
    lowest_price: { value: 0.68, currency: "USD" },
    blocked_from_sale: false,
  });
});

Deno.test("prices come in the currency asked for", async () => {
  await using t = await setup();
  const usd = await t.client().release(1005321, "USD");
  const eur = await t.client().release(1005321, "EUR");
  assertEquals((usd.json as { lowest_price: number }).lowest_price, 5.32);
  assertEquals((eur.json as { lowest_price: number }).lowest_price, 4.89);
  assertEquals(t.fake.requests.map((r) => r.path), [
    "/releases/1005321?curr_abbr=USD",
    "/releases/1005321?curr_abbr=EUR",
  ]);
});

Deno.test("requests carry Next Spin's User-Agent, and the token only in the Authorization header", async () => {
  await using t = await setup();
  await t.client().release(1005321, "USD");
  await new DiscogsClient({ baseUrl: t.fake.url, windowMs: WINDOW }).release(1005321, "USD");
  assertMatch(USER_AGENT, /^NextSpin\/\d+\.\d+\.\d+ \+https:\/\/github\.com\/nextspin\/nextspin$/);
  assertEquals(t.fake.requests.map((r) => [r.userAgent, r.authorized, r.path.includes(TOKEN)]), [
    [USER_AGENT, true, false],
    [USER_AGENT, false, false],
  ]);
});

Deno.test("the token never reaches logs, errors, the cache, the manifest or any output", async () => {
  const fake = await startFakeDiscogs({ windowMs: WINDOW, synthesize: false });
  const ws = await tempWorkspace();
  try {
    fake.faults.notFound.add(1005321);
    fake.setFaults({ serverErrors: 2 });
    const env = { DISCOGS_TOKEN: TOKEN, DISCOGS_API_URL: fake.url, DISCOGS_RATE_WINDOW: "1s" };
    const csv = `${ws.dir}/c.csv`;
    await Deno.writeTextFile(
      csv,
      "Catalog#,Artist,Title,Label,Format,Rating,Released,release_id\nX,A,T,L,LP,,2000,1005321\nY,B,U,L,LP,,2001,1009325\n",
    );
    const task = (module: string, args: string[]) =>
      runModule(module, [...args, "--db", ws.db, "--out", ws.out], env);
    const ingest = await task("pipeline/ingest.ts", ["--collection", csv]);
    assertEquals(ingest.code, 0, ingest.stderr);
    const enrich = await task("pipeline/enrich.ts", []);
    assertEquals(enrich.code, 0, enrich.stderr);
    assertStringIncludes(enrich.stderr, "not found 1");
    const bad = await runModule("pipeline/ingest.ts", [
      "--username",
      "private_digger",
      "--db",
      ws.db,
      "--out",
      ws.out,
    ], env);
    assertEquals(bad.code, 2);
    assertStringIncludes(bad.stderr, "set DISCOGS_TOKEN of its owner");
    for (const text of [ingest, enrich, bad].flatMap((r) => [r.stdout, r.stderr])) {
      assert(!text.includes(TOKEN), "token in output");
    }
    const files: string[] = [];
    const walk = async (dir: string) => {
      for await (const entry of Deno.readDir(dir)) {
        const path = `${dir}/${entry.name}`;
        if (entry.isDirectory) await walk(path);
        else files.push(path);
      }
    };
    await walk(ws.dir);
    assert(files.some((f) => f.endsWith("run.json")), "the manifest was searched");
    for (const file of files) {
      const bytes = new TextDecoder("latin1").decode(await Deno.readFile(file));
      assert(!bytes.includes(TOKEN), `token in ${file}`);
    }
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
    assert(fake.requests.some((r) => r.authorized), "the token was sent to the server");
  } finally {
    await fake.close();
    await ws.cleanup();
  }
});

Deno.test("network errors are retried with backoff, then reported clearly", async () => {
  // A port nobody listens on, on loopback: connection refused.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const clock = new VirtualClock();
  const client = new DiscogsClient({
    baseUrl: `http://127.0.0.1:${port}`,
    token: TOKEN,
    windowMs: WINDOW,
    maxAttempts: 3,
    backoffMs: 1,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
  });
  const error = await assertRejects(() => client.release(1, "USD"), DiscogsError);
  assertEquals(error.kind, "network");
  assertStringIncludes(error.message, "network error for /releases/1?curr_abbr=USD");
  assertStringIncludes(error.message, "gave up after 3 attempts");
  assert(!error.message.includes(TOKEN));
  assertEquals(client.stats.retries, 2);
  assertEquals(clock.slept, [1, 2], "backed off 1 ms, then 2 ms");
});

Deno.test("the fake also runs as its own process, printing its address", async () => {
  // It serves until killed; should it hang before printing, the deadline kills it, which ends
  // its stdout and so the read below.
  const child = spawnWithDeadline(
    Deno.execPath(),
    {
      args: ["run", "-A", "tests/fake_discogs/server.ts", "--port", "0", "--window", "1s"],
      cwd: REPO_ROOT,
      stdout: "piped",
      stderr: "null",
    },
    120_000,
    "the fake Discogs server process",
  );
  const reader = child.process.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    let text = "";
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    if (child.timedOut) await child.status(); // throws: it never printed its address
    const url = text.trim();
    assert(/^http:\/\/127\.0\.0\.1:\d+$/.test(url), `printed ${JSON.stringify(url)}`);
    const response = await new DiscogsClient({ baseUrl: url, windowMs: WINDOW }).release(1005321);
    assertEquals(response.headers.get("x-discogs-ratelimit"), "25", "anonymous limit");
    assertEquals(response.headers.get("x-discogs-ratelimit-used"), "1");
  } finally {
    if (!child.timedOut) child.process.kill("SIGTERM");
    await reader.cancel().catch(() => {});
    await child.process.status;
  }
});
