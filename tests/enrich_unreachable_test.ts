/**
 * Enrichment with Discogs unreachable (issue #12): after a short run of connection failures the
 * run stops with "cannot reach Discogs (…): nothing lost", within a minute even at Discogs' real
 * 60 s window, keeps everything fetched so far, and the next run fetches only the rest.
 */
import { DiscogsClient } from "../lib/discogs/client.ts";
import { UNREACHABLE_AFTER } from "../lib/discogs/fetch_releases.ts";
import { UserFacingError } from "../lib/errors.ts";
import { EXIT_UNREACHABLE, fetchMissingReleases } from "../lib/enrich/live.ts";
import { ingestExports } from "../lib/ingest/mod.ts";
import type { Logger } from "../lib/log.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../lib/testing/assert.ts";
import { VirtualClock } from "../lib/testing/clock.ts";
import { startFakeDiscogs } from "./fake_discogs/server.ts";
import { runModule, tempWorkspace, withTempDb } from "./helpers.ts";

const MESSAGE = "nothing lost, run the same command again when online";

/** A loopback port nothing listens on: bound, noted, closed. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

const quiet: Logger = { info() {}, warn() {} };

/** A collection CSV of `n` synthesized release ids (the fake invents their bodies). */
async function writeCollection(path: string, n: number): Promise<number[]> {
  const ids = Array.from({ length: n }, (_, i) => 7_000_000 + i);
  await Deno.writeTextFile(
    path,
    ["Catalog#,Artist,Title,Label,Format,Rating,Released,release_id"]
      .concat(ids.map((id, i) => `C${i},Artist ${i},T${i},L,LP,,2000,${id}`)).join("\n") + "\n",
  );
  return ids;
}

Deno.test("a closed port: the enrich task stops with 'cannot reach Discogs' in bounded time", async () => {
  const ws = await tempWorkspace();
  try {
    const csv = `${ws.dir}/c.csv`;
    await writeCollection(csv, 40);
    const env = { DISCOGS_API_URL: `http://127.0.0.1:${closedPort()}`, DISCOGS_RATE_WINDOW: "2s" };
    const ingest = await runModule("pipeline/ingest.ts", [
      "--collection",
      csv,
      "--db",
      ws.db,
      "--out",
      ws.out,
    ], env);
    assertEquals(ingest.code, 0, ingest.stderr);
    const t0 = performance.now();
    const run = await runModule("pipeline/enrich.ts", ["--db", ws.db, "--out", ws.out], env, {
      deadlineMs: 60_000,
    });
    assertEquals(run.code, EXIT_UNREACHABLE, run.stderr);
    assertStringIncludes(run.stderr, "error: cannot reach Discogs (");
    assertStringIncludes(run.stderr, "Connection refused");
    assertStringIncludes(run.stderr, MESSAGE);
    assert(performance.now() - t0 < 60_000);
    assertStringIncludes(run.stderr, `failed ${UNREACHABLE_AFTER},`, "stopped after a few, not 40");
  } finally {
    await ws.cleanup();
  }
});

Deno.test("at Discogs' real 60 s window, an unreachable Discogs ends the run within a minute", () =>
  withTempDb(async (db, dir) => {
    await writeCollection(`${dir}/c.csv`, 300);
    await ingestExports(db, { collection: `${dir}/c.csv` });
    const clock = new VirtualClock();
    const client = new DiscogsClient({
      baseUrl: `http://127.0.0.1:${closedPort()}`,
      windowMs: 60_000,
      now: clock.now,
      sleep: clock.sleep,
    });
    const start = clock.now();
    const error = await assertRejects(
      () => fetchMissingReleases(db, { currency: "USD", log: quiet, client }),
      UserFacingError,
      MESSAGE,
    );
    assertEquals(error.exitCode, EXIT_UNREACHABLE);
    const waited = clock.now() - start;
    assert(waited < 60_000, `waited ${waited} ms of backoff before giving up`);
    assertEquals(
      client.stats.requests,
      UNREACHABLE_AFTER * 5,
      "5 attempts per release, 2 releases",
    );
  }));

Deno.test("Discogs going away mid-run keeps what was fetched, and the next run resumes", () =>
  withTempDb(async (db, dir) => {
    const ids = await writeCollection(`${dir}/c.csv`, 30);
    await ingestExports(db, { collection: `${dir}/c.csv` });
    const first = await startFakeDiscogs({ windowMs: 1000, synthesize: true });
    let closing: Promise<void> | undefined;
    const dyingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      // The server dies after answering its 10th request.
      if (first.requests.length >= 10) closing ??= first.close();
      return response;
    };
    const client = new DiscogsClient({
      baseUrl: first.url,
      windowMs: 1000,
      fetch: dyingFetch,
    });
    const error = await assertRejects(
      () => fetchMissingReleases(db, { currency: "USD", log: quiet, client }),
      UserFacingError,
      "cannot reach Discogs (",
    );
    await closing;
    assertStringIncludes(error.message, MESSAGE);
    const kept = await db.count("http_cache");
    assertEquals(kept, 10, "every release answered before Discogs went away is kept");

    const second = await startFakeDiscogs({ windowMs: 1000, synthesize: true });
    try {
      const summary = await fetchMissingReleases(db, {
        currency: "USD",
        log: quiet,
        client: new DiscogsClient({ baseUrl: second.url, windowMs: 1000 }),
      });
      assertEquals(summary?.fetched, ids.length - kept, "the next run fetches only the rest");
      assertEquals(second.requests.length, ids.length - kept, "nothing asked for twice");
      assertEquals(await db.count("http_cache"), ids.length);
    } finally {
      await second.close();
    }
  }));
