/**
 * Fetching into the cache with a stub `fetch` (no sockets), an in-memory database and a fake
 * clock: order, one call per release, freshness rules, 404s, failures, stopping and the summary.
 */
import { Database } from "../db/mod.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../testing/assert.ts";
import { ensureCache, getResponse, putResponse, releaseKey } from "./cache.ts";
import { DiscogsClient, DiscogsError } from "./client.ts";
import {
  describeFetch,
  etaForReleases,
  type FetchProgress,
  fetchReleasesIntoCache,
  MARKET_MAX_AGE_MS,
  releasesToFetch,
} from "./fetch_releases.ts";

const TOKEN = "fetch-unit-token-91ab";
const DAY = 86_400_000;

/** A world with a fake clock: a client whose stub server answers by release id. */
function world(answer: (id: number) => Response = (id) => Response.json({ id, lowest_price: 9 })) {
  const clock = { now: Date.UTC(2025, 0, 1) };
  const asked: number[] = [];
  const client = new DiscogsClient({
    baseUrl: "http://127.0.0.1:9",
    token: TOKEN,
    windowMs: 1000,
    backoffMs: 1,
    maxAttempts: 2,
    now: () => clock.now,
    sleep: (ms) => {
      clock.now += Math.max(0, ms);
      return Promise.resolve();
    },
    fetch: ((input: string | URL | Request) => {
      const id = Number(new URL(String(input)).pathname.split("/")[2]);
      asked.push(id);
      clock.now += 5; // each request takes 5 ms
      return Promise.resolve(answer(id));
    }) as typeof fetch,
  });
  return { client, asked, clock, now: () => clock.now };
}

async function withDb(body: (db: Database) => Promise<void>) {
  const db = await Database.open(":memory:");
  try {
    await body(db);
  } finally {
    db.close();
  }
}

Deno.test("releases are fetched in the given order, each once, one call per release", () =>
  withDb(async (db) => {
    const w = world();
    const summary = await fetchReleasesIntoCache(db, w.client, [5, 3, 5, 9, 3], {
      currency: "EUR",
      now: w.now,
    });
    assertEquals(w.asked, [5, 3, 9]);
    assertEquals(summary.total, 3);
    assertEquals([summary.fetched, summary.fromCache, summary.requests], [3, 0, 3]);
    const row = await getResponse(db, releaseKey(3, "EUR"));
    assertEquals(row?.status, 200);
    assertEquals(row?.source, "api");
    assertEquals(JSON.parse(row!.body!), { id: 3, lowest_price: 9 });
    assertEquals(row?.fetchedAt.getTime(), Date.UTC(2025, 0, 1) + 10, "stored as it arrived");
    // Another currency is another cache entry.
    assertEquals(await releasesToFetch(db, [5, 3], "USD"), [5, 3]);
  }));

Deno.test("freshness: bodies refresh for market fields after 7 days, 404s are not asked again, --max-age overrides", () =>
  withDb(async (db) => {
    const w = world((id) =>
      id === 404
        ? Response.json({ message: "Release not found." }, { status: 404 })
        : Response.json({ id })
    );
    const first = await fetchReleasesIntoCache(db, w.client, [1, 404], {
      currency: "USD",
      now: w.now,
    });
    assertEquals([first.fetched, first.missing], [1, 1]);
    const gone = await getResponse(db, releaseKey(404, "USD"));
    assertEquals([gone?.status, gone?.body], [404, '{"message":"Release not found."}']);

    const at = (days: number) => () => w.clock.now + days * DAY;
    assertEquals(await releasesToFetch(db, [1, 404, 2], "USD", { now: at(6) }), [2]);
    assertEquals(await releasesToFetch(db, [1, 404, 2], "USD", { now: at(8) }), [1, 2]);
    assertEquals(
      await releasesToFetch(db, [1, 404, 2], "USD", { now: at(8), refreshMarket: false }),
      [2],
      "metadata alone never goes stale",
    );
    assertEquals(
      await releasesToFetch(db, [1, 404, 2], "USD", { now: at(3), marketMaxAgeMs: 2 * DAY }),
      [1, 2],
    );
    assertEquals(await releasesToFetch(db, [1, 404, 2], "USD", { now: at(8), maxAgeMs: 9 * DAY }), [
      2,
    ]);
    assertEquals(
      await releasesToFetch(db, [1, 404, 2], "USD", { now: at(8), maxAgeMs: 7 * DAY }),
      [1, 404, 2],
      "an explicit max age applies to 404s too",
    );
    assertEquals(
      await releasesToFetch(db, [1, 404], "USD", { now: at(999), maxAgeMs: Infinity }),
      [],
    );
    assertEquals(await releasesToFetch(db, [1], "USD", 0), [1], "a number is a max age");
    assertEquals(MARKET_MAX_AGE_MS, 7 * DAY);

    w.clock.now += 8 * DAY;
    const refresh = await fetchReleasesIntoCache(db, w.client, [1, 404], {
      currency: "USD",
      now: w.now,
    });
    assertEquals([refresh.fetched, refresh.fromCache, refresh.missing], [1, 1, 0]);
    assertEquals(w.asked, [1, 404, 1]);
  }));

Deno.test("a failed release is counted, reported, not cached, and the run goes on", () =>
  withDb(async (db) => {
    const w = world((id) =>
      id === 2 ? new Response("upstream timeout", { status: 504 }) : Response.json({ id })
    );
    const failures: [number, string][] = [];
    const summary = await fetchReleasesIntoCache(db, w.client, [1, 2, 3], {
      currency: "USD",
      now: w.now,
      onFailure: (id, error) => failures.push([id, error.kind]),
    });
    assertEquals([summary.fetched, summary.failed, summary.retries, summary.requests], [
      2,
      1,
      1,
      4,
    ]);
    assertEquals(failures, [[2, "server"]]);
    assertEquals(
      await releasesToFetch(db, [1, 2, 3], "USD", { now: w.now }),
      [2],
      "retried next run",
    );
  }));

Deno.test("a refused token stops the run, keeping what was fetched", () =>
  withDb(async (db) => {
    const w = world((id) =>
      id === 3
        ? Response.json({ message: "Invalid consumer token." }, { status: 401 })
        : Response.json({ id })
    );
    const error = await assertRejects(
      () => fetchReleasesIntoCache(db, w.client, [1, 2, 3, 4, 5], { currency: "USD", now: w.now }),
      DiscogsError,
    );
    assertEquals(error.kind, "unauthorized");
    assert(!error.message.includes(TOKEN));
    assertEquals(w.asked, [1, 2, 3]);
    assertEquals(await releasesToFetch(db, [1, 2, 3, 4, 5], "USD", { now: w.now }), [3, 4, 5]);
  }));

Deno.test("shouldStop ends the run between requests; the next run resumes where it stopped", () =>
  withDb(async (db) => {
    const w = world();
    let handled = 0;
    const stopped = await fetchReleasesIntoCache(db, w.client, [1, 2, 3, 4], {
      currency: "USD",
      now: w.now,
      onProgress: (p) => (handled = p.done),
      shouldStop: () => handled >= 2,
    });
    assertEquals([stopped.stopped, stopped.fetched], [true, 2]);
    const resumed = await fetchReleasesIntoCache(db, w.client, [1, 2, 3, 4], {
      currency: "USD",
      now: w.now,
    });
    assertEquals([resumed.stopped, resumed.fetched, resumed.fromCache], [false, 2, 2]);
    assertEquals(w.asked, [1, 2, 3, 4], "nothing asked twice");
  }));

Deno.test("progress counts up with an ETA from the allowed rate; the summary says it all", () =>
  withDb(async (db) => {
    await ensureCache(db);
    await putResponse(db, {
      url: releaseKey(7, "USD"),
      status: 200,
      body: "{}",
      fetchedAt: new Date(),
      source: "jsonl:x",
    });
    const w = world();
    const seen: FetchProgress[] = [];
    const summary = await fetchReleasesIntoCache(db, w.client, [7, 8, 9, 10], {
      currency: "USD",
      onProgress: (p) => seen.push(p),
    });
    assertEquals(seen.map((p) => [p.done, p.total]), [[0, 3], [1, 3], [2, 3], [3, 3]]);
    const perRelease = 60_000 / w.client.pacer.allowedPerMinute();
    assert(Math.abs(seen[0].etaMs - 3 * perRelease) < 1e-6, `${seen[0].etaMs} for 3 releases`);
    assert(Math.abs(perRelease - 1010 / 60) < 1e-9, "60 a window of 1 s, plus the pacing margin");
    assertEquals(seen.at(-1)!.etaMs, 0);
    assertEquals(
      Math.round(etaForReleases(4000, 59.4) / 60_000),
      67,
      "4,000 releases: about 67 min",
    );
    assertEquals(etaForReleases(0, 60), 0);
    const line = describeFetch(summary);
    assertStringIncludes(line, "fetched 3, from cache 1, not found 0, failed 0, 429s 0, rate ");
    assertStringIncludes(line, `of ${summary.allowedRatePerMin.toFixed(1)} allowed`);
  }));
