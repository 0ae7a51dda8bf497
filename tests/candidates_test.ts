/**
 * Recommendations for every collector, as a new user gets them: `deno task pipeline --username
 * NAME` with a token against the fake Discogs (its synthetic catalogue on 127.0.0.1) gathers
 * candidates from Discogs search and listings by default, prices the shortlist, and serves gems,
 * missing links and deep cuts with release ids, links and prices; `--offline` serves the same
 * from the cache without a request; without a token, listings alone, and the run says what a
 * token adds.
 */
import { Database } from "../lib/db/mod.ts";
import { SEARCH_NEEDS_TOKEN } from "../lib/discogs/search.ts";
import { assert, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { startFakeDiscogs } from "./fake_discogs/server.ts";
import { closedPort, runModule, type TaskResult, tempWorkspace } from "./helpers.ts";

const TOKEN = "candidates-token-7f3a21";

interface Pick {
  kind: string;
  release_id: number | null;
  discogs_url: string | null;
  lowest_price: number | null;
  num_for_sale: number | null;
  why: string;
  owned: boolean;
}

const PICKS_SQL = `
  SELECT r.kind, r.release_id, r.discogs_url, r.lowest_price, r.num_for_sale, r.why,
         r.release_id IN (SELECT release_id FROM collection) AS owned
  FROM recommendations r ORDER BY r.kind, r.rank`;

async function picksOf(path: string): Promise<Pick[]> {
  const db = await Database.open(path, { readOnly: true });
  try {
    return await db.all<Pick>(PICKS_SQL);
  } finally {
    db.close();
  }
}

function env(url: string, token: string): Record<string, string> {
  return {
    DISCOGS_API_URL: url,
    DISCOGS_RATE_WINDOW: "1s",
    DISCOGS_TOKEN: token,
    NEXTSPIN_QUIET: "0",
  };
}

type Fake = Awaited<ReturnType<typeof startFakeDiscogs>>;

/**
 * A test of gustw's `--username … --skip-enrich` pipeline against a fresh fake Discogs and a
 * fresh workspace; `pipeline(extra, token, url)` runs it there (token and fake by default).
 */
function userTest(
  name: string,
  body: (t: {
    fake: Fake;
    ws: Awaited<ReturnType<typeof tempWorkspace>>;
    pipeline: (extra?: string[], token?: string, url?: string) => Promise<TaskResult>;
  }) => Promise<void>,
): void {
  Deno.test({
    name,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const fake = await startFakeDiscogs({ windowMs: 1000 });
      const ws = await tempWorkspace();
      const args = ["--db", ws.db, "--out", ws.out, "--username", "gustw", "--skip-enrich"];
      try {
        await body({
          fake,
          ws,
          pipeline: (extra = [], token = TOKEN, url = fake.url) =>
            runModule("pipeline/pipeline.ts", [...args, ...extra], env(url, token)),
        });
      } finally {
        await fake.close();
        await ws.cleanup();
      }
    },
  });
}

userTest(
  "--username with a token: candidates from search and listings by default, priced picks with ids; --offline serves the same with no request",
  async ({ fake, ws, pipeline }) => {
    // No sets (--min-owned 0): under --skip-enrich the complete stage reads cached pages only,
    // and a later run would find sets in the listing pages this pool caches (and set gaps shift
    // as pricing caches more bodies); the set gaps have their own test (tests/set_gaps_test.ts).
    const noSets = ["--min-owned", "0"];
    const run = await pipeline(noSets);
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stderr, "candidate plan: up to ");
    const searches = fake.requests.filter((r) => r.path.startsWith("/database/search"));
    const listings = fake.requests.filter((r) => /^\/(artists|labels)\/\d+\/releases/.test(r.path));
    assert(searches.length > 20, `${searches.length} search pages`);
    assert(listings.length > 10, `${listings.length} listing pages`);
    // The complete stage (before the pool) spends its own budgets; the rest stays within these.
    const sets = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`)).stages.complete.summary;
    const setRequests = sets.listing.requests + sets.prices.requests;
    assert(
      sets.listing.planned <= sets.listing.budget && sets.prices.planned <= sets.prices.budget,
    );
    assert(
      fake.requests.length - setRequests <= 4 + 1 + 180 + 100,
      `${fake.requests.length} requests in all, ${setRequests} of them for the sets`,
    );

    const picks = await picksOf(ws.db);
    const count = (kind: string) => picks.filter((p) => p.kind === kind).length;
    assert(count("gem") >= 20, `${count("gem")} gems`);
    assert(count("missing_link") >= 10, `${count("missing_link")} missing links`);
    assert(count("deep_cut") >= 10, `${count("deep_cut")} deep cuts`);
    assertEquals(count("set_gap"), 0, "no sets (--min-owned 0)");
    for (const p of picks) {
      assert(p.release_id !== null && p.release_id > 0, `a pick without an id: ${p.why}`);
      assertEquals(p.discogs_url, `https://www.discogs.com/release/${p.release_id}`);
      assertEquals(p.owned, false, `release ${p.release_id} is owned`);
    }
    const priced = picks.filter((p) => p.lowest_price !== null || p.num_for_sale === 0);
    assertEquals(priced.length, picks.length, "every pick has a price or says none for sale");

    const manifest = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
    const sources = manifest.stages.pool.summary.sources;
    assert(sources.search.candidates > 0 && sources.listings.candidates > 0);
    assertEquals(manifest.stages.pool.parameters.token, true);
    const tokenSeen = (await Deno.readFile(ws.db)).toString().includes(TOKEN);
    assertEquals(tokenSeen, false);

    // A second run and an offline run cost nothing and serve the same picks.
    const before = fake.requests.length;
    const offline = await pipeline(["--offline", ...noSets]);
    assertEquals(offline.code, 0, offline.stderr);
    assertEquals(fake.requests.length, before, "--offline sent no request");
    assertEquals(await picksOf(ws.db), picks, "the same picks from the cache");
    const closed = await pipeline(
      ["--offline", ...noSets],
      TOKEN,
      `http://127.0.0.1:${closedPort()}`,
    );
    assertEquals(closed.code, 0, closed.stderr);
    assertEquals(await picksOf(ws.db), picks, "no connection needed at all");
  },
);

userTest(
  "--username without a token: picks from listings, and the run says what a token adds",
  async ({ fake, ws, pipeline }) => {
    const run = await pipeline([], "");
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stderr, SEARCH_NEEDS_TOKEN);
    assertEquals(fake.requests.filter((r) => r.path.startsWith("/database/search")).length, 0);
    const picks = await picksOf(ws.db);
    assert(picks.length >= 20, `${picks.length} picks from listings`);
    assert(picks.every((p) => p.release_id !== null && !p.owned));
    const manifest = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
    assert(
      manifest.warnings.some((w: { message: string }) => w.message === SEARCH_NEEDS_TOKEN),
      JSON.stringify(manifest.warnings),
    );
  },
);

userTest(
  "a run that ends with no candidates says why and the command that fixes it",
  async ({ ws, pipeline }) => {
    const run = await pipeline(["--pool-budget", "0"]);
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stderr, "no candidates: --pool-budget 0 turns off");
    assertStringIncludes(run.stderr, "no recommendations: the pool is empty");
    const manifest = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
    const messages = manifest.warnings.map((w: { message: string }) => w.message).join("\n");
    assertStringIncludes(messages, "rerun without --pool-budget 0");
    const report = await Deno.readTextFile(`${ws.out}/report.html`);
    assertStringIncludes(report, "rerun without --pool-budget 0");
  },
);
