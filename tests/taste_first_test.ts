/**
 * Taste before market data, through the real pipeline against the fake Discogs on 127.0.0.1:
 * `--username gustw --skip-enrich` asks only for the collection pages, yet yields a `releases`
 * row with styles for every release (from `basic_information`), embeddings and
 * recommendations, and says how much the rankings cover; enrichment later fills in market data
 * and wins over `basic_information`. And `--offline` replays the username import from the
 * workspace cache without a single request, even when the API address is a closed port.
 */
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { startFakeDiscogs } from "./fake_discogs/server.ts";
import { closedPort, fixturePath, runModule, tempWorkspace } from "./helpers.ts";

const TOKEN = "taste-first-token-4c1d9e";
const GUSTW_BODIES = fixturePath("api/releases/gustw_releases.jsonl");
const COLLECTION_SQL =
  "SELECT * EXCLUDE (date_added), date_added::VARCHAR AS date_added FROM collection ORDER BY instance_key";

/** Environment of a run against `url`, with a token that must never be stored. */
function apiEnv(url: string): Record<string, string> {
  return {
    DISCOGS_API_URL: url,
    DISCOGS_RATE_WINDOW: "2s",
    DISCOGS_TOKEN: TOKEN,
    NEXTSPIN_QUIET: "1",
  };
}

async function query<T>(path: string, sql: string): Promise<T[]> {
  const db = await Database.open(path, { readOnly: true });
  try {
    return await db.all<T>(sql);
  } finally {
    db.close();
  }
}

Deno.test({
  name:
    "--username --skip-enrich: only collection pages are fetched; taste and picks work, rankings say what they cover",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const fake = await startFakeDiscogs({ windowMs: 2000 });
    const ws = await tempWorkspace();
    try {
      const run = await runModule("pipeline/pipeline.ts", [
        "--db",
        ws.db,
        "--out",
        ws.out,
        "--username",
        "gustw",
        "--skip-enrich",
        "--pool",
        "data/sample/pool_listings.csv",
        "--pool-budget", // API candidates and shortlist prices are tested in tests/candidates_test.ts
        "0",
        "--price-budget",
        "0",
      ], { ...apiEnv(fake.url), NEXTSPIN_QUIET: "0" }); // info lines too: the hint is one
      assertEquals(run.code, 0, run.stderr);
      assertStringIncludes(
        run.stderr,
        "[enrich] --skip-enrich: 315 of 315 releases have no market data yet (315 have genres " +
          `and styles from the username import); fetch it later with \`deno task enrich --db ${ws.db}\``,
      );
      const paths = fake.requests.map((r) => r.path);
      assertEquals(
        paths.filter((p) => p.includes("/collection/folders/0/releases")),
        [1, 2, 3, 4].map((n) =>
          `/users/gustw/collection/folders/0/releases?page=${n}&per_page=100`
        ),
      );
      // Only the collection import: its pages and the custom field names, no release bodies.
      assert(paths.every((p) => p.startsWith("/users/gustw/collection")), paths.join("\n"));
      assertEquals(paths.length, 5, paths.join("\n"));

      const [releases] = await query<{ n: number; styled: number; info: number }>(
        ws.db,
        `SELECT count(*)::INTEGER AS n, count(*) FILTER (len(styles) > 0)::INTEGER AS styled,
                count(*) FILTER (source = 'basic_information' AND have IS NULL
                                 AND lowest_price IS NULL)::INTEGER AS info
         FROM releases`,
      );
      // As many styled releases as the recorded bodies have (one of the 315 has no styles).
      assertEquals(releases, { n: 315, styled: 314, info: 315 });
      const [one] = await query<Record<string, unknown>>(
        ws.db,
        "SELECT styles, genres, labels, master_id, currency FROM releases WHERE release_id = 1005321",
      );
      assertEquals(one, {
        styles: ["Drum n Bass"],
        genres: ["Electronic"],
        labels: ["Junglista Records"],
        master_id: null,
        currency: null,
      });
      const [taste] = await query<{ embedded: number; picks: number; history: number }>(
        ws.db,
        `SELECT (SELECT count(*) FROM embeddings WHERE key LIKE 'release:%')::INTEGER AS embedded,
                (SELECT count(*) FROM recommendations WHERE kind = 'gem')::INTEGER AS picks,
                (SELECT count(*) FROM price_history)::INTEGER AS history`,
      );
      assert(taste.embedded >= 315, `embedded ${taste.embedded}`);
      assertEquals(taste.picks, 20);
      assertEquals(taste.history, 0, "no snapshot without market data");

      const coverage =
        `rankings cover 0 of 315 releases (315 without market data: run \`deno task enrich --db ${ws.db}\`)`;
      assertStringIncludes(run.stderr, `[score] warning: ${coverage}`);
      const manifest = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
      assertEquals(manifest.stages.score.summary.coverage, coverage);
      assertEquals(manifest.stages.enrich.summary.from_basic_information, 315);
      const report = await Deno.readTextFile(`${ws.out}/report.html`);
      assertStringIncludes(report, "Rankings cover 0 of 315 releases (315 without market data");

      // The pages are cached under their paths; the token is in none of them.
      const cached = await query<{ url: string; leaked: boolean }>(
        ws.db,
        `SELECT url, contains(url || body, '${TOKEN}') AS leaked FROM http_cache ORDER BY url`,
      );
      assertEquals(cached.length, 5);
      assert(cached.every((c) => !c.leaked));

      // Neighbour seeds (artists and labels with Discogs ids) need no release body either.
      const pool = await runModule(
        "pipeline/pool.ts",
        ["--db", ws.db, "--out", ws.out, "--pool-budget", "2"],
        { ...apiEnv(fake.url), DISCOGS_TOKEN: "" }, // no token: listings get the whole budget
      );
      assertEquals(pool.code, 0, pool.stderr);
      const asked = fake.requests.slice(5).map((r) => r.path);
      assertEquals(asked.length, 2, asked.join("\n"));
      assert(asked[0].match(/^\/artists\/\d+\/releases\?page=1&per_page=100$/), asked[0]);
      assert(asked[1].match(/^\/labels\/\d+\/releases\?page=1&per_page=100$/), asked[1]);

      // Later, part of the market data arrives (offline, from recorded bodies): those rows win,
      // the rest keep their basic_information, and the score stage says what is left.
      const bodies = `${ws.dir}/first_120.jsonl`;
      const lines = (await Deno.readTextFile(GUSTW_BODIES)).split("\n").filter((l) => l.trim());
      await Deno.writeTextFile(bodies, lines.slice(0, 120).join("\n") + "\n");
      const enrich = await runModule(
        "pipeline/enrich.ts",
        ["--db", ws.db, "--out", ws.out, "--offline", "--from-jsonl", bodies],
        apiEnv(fake.url),
      );
      assertEquals(enrich.code, 0, enrich.stderr);
      const [mix] = await query<{ release: number; info: number; styled: number }>(
        ws.db,
        `SELECT count(*) FILTER (source = 'release')::INTEGER AS release,
                count(*) FILTER (source = 'basic_information')::INTEGER AS info,
                count(*) FILTER (len(styles) > 0)::INTEGER AS styled FROM releases`,
      );
      assertEquals(mix, { release: 120, info: 195, styled: 314 });
      const score = await runModule(
        "pipeline/score.ts",
        ["--db", ws.db, "--out", ws.out],
        apiEnv(fake.url),
      );
      assertEquals(score.code, 0, score.stderr);
      const summary = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`)).stages.score
        .summary;
      assertEquals(summary.withMarketData, 120);
      assertStringIncludes(
        score.stderr,
        `of 315 releases (195 without market data: run \`deno task enrich --db ${ws.db}\`)`,
      );
      assertEquals(fake.requests.length, 7, "enrich --offline and score made no request");
    } finally {
      await fake.close();
      await ws.cleanup();
    }
  },
});

Deno.test({
  name:
    "--offline replays a username import from the cache: no request, same rows, even on a closed port",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const fake = await startFakeDiscogs({ windowMs: 2000 });
    const ws = await tempWorkspace();
    try {
      const ingest = (env: Record<string, string>, ...extra: string[]) =>
        runModule("pipeline/ingest.ts", [
          "--db",
          ws.db,
          "--out",
          ws.out,
          "--username",
          "gustw",
          "--wantlist-of",
          "gustw",
          ...extra,
        ], env);
      const online = await ingest(apiEnv(fake.url));
      assertEquals(online.code, 0, online.stderr);
      const onlineRequests = fake.requests.length;
      assert(onlineRequests >= 6, `collection pages, fields and wantlist: ${onlineRequests}`);
      const rows = await query(ws.db, COLLECTION_SQL);
      const wants = await query(ws.db, "SELECT * FROM wantlist ORDER BY release_id");
      assertEquals([rows.length, wants.length], [315, 100]);

      const offline = await ingest(apiEnv(fake.url), "--offline");
      assertEquals(offline.code, 0, offline.stderr);
      assertEquals(fake.requests.length, onlineRequests, "offline sent no request");
      assertEquals(await query(ws.db, COLLECTION_SQL), rows);
      assertEquals(await query(ws.db, "SELECT * FROM wantlist ORDER BY release_id"), wants);

      const nowhere = `http://127.0.0.1:${closedPort()}`;
      const started = performance.now();
      const closed = await ingest(apiEnv(nowhere), "--offline");
      assertEquals(closed.code, 0, closed.stderr);
      assertEquals(await query(ws.db, COLLECTION_SQL), rows);
      // A connection attempt would have failed (and been retried with backoff) before giving up.
      assert(!/network|ECONNREFUSED|refused/i.test(closed.stderr), closed.stderr);
      assert(performance.now() - started < 30_000);
      const [info] = await query<{ n: number }>(
        ws.db,
        "SELECT count(*)::INTEGER AS n FROM release_info",
      );
      assertEquals(info.n, 415, "315 collection + 100 wantlist releases");
    } finally {
      await fake.close();
      await ws.cleanup();
    }
  },
});

Deno.test({
  name: "--offline with nothing cached for the user: one message naming the command to run online",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const ws = await tempWorkspace();
    try {
      const run = await runModule(
        "pipeline/pipeline.ts",
        ["--db", ws.db, "--out", ws.out, "--username", "gustw", "--offline"],
        apiEnv(`http://127.0.0.1:${closedPort()}`),
      );
      assertEquals(run.code, 2, run.stderr);
      assertStringIncludes(run.stderr, `no collection of "gustw" cached`);
      assertStringIncludes(run.stderr, `run \`deno task ingest --db ${ws.db} --username gustw\``);
      assertEquals(run.stderr.trim().split("\n").length, 1, run.stderr);
    } finally {
      await ws.cleanup();
    }
  },
});
