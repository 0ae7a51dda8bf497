/**
 * Complete the Set against the fake Discogs (its synthetic catalogue on 127.0.0.1, never the real
 * API): a collector who owns part of an artist's discography and of a label's catalogue runs
 * `deno task complete`. Every expected figure is computed here from the catalogue itself
 * (masters, versions, formats, prices), not from the listings the code reads: sets counted by
 * album and by pressing, the vinyl filter (assumed: the collection is vinyl), appearances and
 * unofficial releases left out unless asked, sub-labels, wantlist marking, the cost to complete
 * as the sum of the cheapest copies, a record with no copy for sale, a 404 artist, pagination
 * (a label of more than 100 releases), the request budget, a second run and `--offline` (under
 * `--deny-net`) costing no request, and a bad `--artist` name failing in plain words.
 */
import { outputWithDeadline } from "../lib/testing/deadline.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertNotMatch,
  assertStringIncludes,
} from "../lib/testing/assert.ts";
import {
  artistEntries,
  CATALOGUE,
  chooseWorld,
  labelEntries,
  setOf,
  tables,
  tally,
  USER,
} from "./complete_world.ts";
import { startFakeDiscogs } from "./fake_discogs/server.ts";
import {
  closedPort,
  REPO_ROOT,
  runModule,
  TASK_DEADLINE_MS,
  type TaskResult,
  tempWorkspace,
} from "./helpers.ts";

const listingPath = /^\/(artists|labels|masters)\/\d+(\/(releases|versions))?(\?|$)/;
const bodyPath = /^\/releases\/\d+\?curr_abbr=/;

Deno.test({
  name:
    "complete: sets counted by album and by pressing, vinyl assumed, sub-labels, wantlist, cost to complete, budget, offline replay",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const probe = await startFakeDiscogs({ catalogue: CATALOGUE });
    const c = probe.catalogue;
    await probe.close();
    const w = chooseWorld(c);
    // A record of the artist with no copy for sale anywhere.
    Object.assign(c.release(w.soldOut)!, { lowestPrice: null, numForSale: 0 });
    const fake = await startFakeDiscogs({
      windowMs: 1000,
      catalogue: CATALOGUE,
      users: { [USER]: { collection: w.collection, wants: w.wants } },
      sublabels: { [w.label]: [w.sublabel] },
      artistCredits: {
        [w.artist]: [
          { releaseId: w.appearance, role: "Appearance" },
          { releaseId: w.unofficial, role: "UnofficialRelease" },
        ],
      },
    });
    const ws = await tempWorkspace();
    const env = (url = fake.url) => ({
      DISCOGS_API_URL: url,
      DISCOGS_RATE_WINDOW: "1s",
      NEXTSPIN_QUIET: "0",
    });
    const complete = (extra: string[], url?: string): Promise<TaskResult> =>
      runModule("pipeline/complete.ts", ["--db", ws.db, "--out", ws.out, ...extra], env(url));
    const owned = new Set(w.collection);
    try {
      const ingest = await runModule(
        "pipeline/ingest.ts",
        ["--db", ws.db, "--out", ws.out, "--username", USER, "--wantlist-of", USER],
        env(),
      );
      assertEquals(ingest.code, 0, ingest.stderr);
      const named = [
        "--min-owned",
        "0",
        "--artist",
        String(w.artist),
        "--label",
        String(w.label),
        "--artist",
        "79999999", // no such artist
        "--price-budget",
        "500",
      ];
      const before = fake.requests.length;
      const run = await complete(named);
      assertEquals(run.code, 0, run.stderr);
      const sent = fake.requests.slice(before);
      // The plan is printed (before the first request: it is the line before the listings').
      assertStringIncludes(run.stderr, "format Vinyl assumed");
      const plan = run.stderr.match(/set plan: up to (\d+) API pages \(auto\) for 3 sets/);
      assert(plan, run.stderr);
      assert(
        sent.filter((r) => listingPath.test(r.path)).length <= Number(plan[1]),
        "listing requests within the plan",
      );
      assert(sent.filter((r) => bodyPath.test(r.path)).length <= 500, "prices within budget");
      assert(
        sent.every((r) => /per_page=100|^\/releases\/|^\/(artists|labels)\/\d+$/.test(r.path)),
        "listings 100 a page",
      );
      assertStringIncludes(run.stderr, "artist 79999999: Discogs has no such artist");
      assertNotMatch(run.stderr, /\n\s+at /);

      const t = await tables(ws.db);
      // The artist, by album, vinyl only; appearances and unofficial releases are not in it.
      const a = tally(artistEntries(c, w, true, false), owned);
      const artistRow = setOf(t, "artist", w.artist);
      assertEquals([artistRow.owned, artistRow.total, artistRow.missing], [
        a.owned,
        a.total,
        a.missing.length,
      ]);
      assertEquals(artistRow.format, "Vinyl");
      assertAlmostEquals(artistRow.pct, Math.round((a.owned / a.total) * 1000) / 10, 1e-9);
      assertAlmostEquals(artistRow.cost_to_complete, a.cost, 0.005);
      assertEquals(artistRow.no_copy_for_sale, a.noCopy);
      assert(a.noCopy >= 1, "the sold-out record is missing");
      assertEquals(artistRow.unpriced, 0);
      const artistMissing = t.missing.filter((m) =>
        m.set_kind === "artist" && m.set_id === w.artist
      );
      assertEquals(artistMissing.length, a.missing.length);
      const soldOut = artistMissing.find((m) => m.release_id === w.soldOut)!;
      assertEquals([soldOut.lowest_price, soldOut.num_for_sale], [null, 0]);
      assertStringIncludes(soldOut.why, "no copy for sale");
      for (const id of [w.appearance, w.unofficial]) {
        assert(!artistMissing.some((m) => m.release_id === id), `credit ${id} left out`);
      }
      // Wantlist: the wanted pressing's album is marked.
      const wantedMaster = c.release(w.wants[0])?.masterId;
      if (wantedMaster) {
        const row = artistMissing.find((m) => m.master_id === wantedMaster)!;
        assert(row.in_wantlist, "the wanted album is marked");
        assertStringIncludes(row.why, "on your wantlist");
      }
      assertEquals(artistRow.in_wantlist, artistMissing.filter((m) => m.in_wantlist).length);
      // Each priced missing record's cheapest copy is the cheapest of its vinyl pressings.
      for (const e of a.missing) {
        const key = e.key.split(":");
        const row = artistMissing.find((m) =>
          key[0] === "master" ? m.master_id === Number(key[1]) : m.release_id === Number(key[1])
        )!;
        const forSale = e.pressings.filter((r) => r.numForSale > 0 && r.lowestPrice !== null);
        const best = forSale.sort((x, y) => x.lowestPrice! - y.lowestPrice! || x.id - y.id)[0];
        assertEquals(row.cheapest_release_id, best?.id ?? null, JSON.stringify(row));
      }
      // The label, by album (a label listing names no master: one artist and title is one album).
      const l = tally(labelEntries(c, [w.label], true, false), owned);
      const labelRow = setOf(t, "label", w.label);
      assertEquals([labelRow.owned, labelRow.total, labelRow.missing], [
        l.owned,
        l.total,
        l.missing.length,
      ]);
      assertAlmostEquals(labelRow.cost_to_complete, l.cost, 0.005);
      assertEquals(labelRow.in_wantlist, 1);
      assertMatch(labelRow.why, new RegExp(`^${l.owned} of ${l.total} `));
      assertEquals(t.sets.length, 2, "the unknown artist has no row");

      // Exports: Parquet and neutralised CSV.
      for (
        const f of [
          "set_completion.parquet",
          "set_missing.parquet",
          "set_completion.csv",
          "set_missing.csv",
        ]
      ) {
        assert((await Deno.stat(`${ws.out}/${f}`)).size > 0, f);
      }

      // A second run costs no request and writes the same tables.
      const again = fake.requests.length;
      const second = await complete(named);
      assertEquals(second.code, 0, second.stderr);
      assertEquals(fake.requests.length, again, "a second run is answered from the cache");
      assertStringIncludes(second.stderr, "from 0 requests");
      assertEquals(await tables(ws.db), t);

      // --offline replays the cache without a socket (no network permission at all).
      const offline = await outputWithDeadline(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--deny-net",
          "pipeline/complete.ts",
          "--db",
          ws.db,
          "--out",
          ws.out,
          ...named,
          "--offline",
        ],
        cwd: REPO_ROOT,
        env: { ...env(`http://127.0.0.1:${closedPort()}`), NO_COLOR: "1" },
      }, TASK_DEADLINE_MS);
      const offlineErr = new TextDecoder().decode(offline.stderr);
      assertEquals(offline.code, 0, offlineErr);
      assertEquals(fake.requests.length, again);
      assertEquals(await tables(ws.db), t);

      // By pressing: every vinyl pressing is an entry.
      const pressings = await complete([...named, "--pressings"]);
      assertEquals(pressings.code, 0, pressings.stderr);
      const tp = await tables(ws.db);
      const ap = tally(artistEntries(c, w, true, true), owned);
      const pRow = setOf(tp, "artist", w.artist);
      assertEquals([pRow.owned, pRow.total], [ap.owned, ap.total]);
      assert(ap.total > a.total, "more pressings than albums");
      const lp = tally(labelEntries(c, [w.label], true, true), owned);
      assertEquals([setOf(tp, "label", w.label).owned, setOf(tp, "label", w.label).total], [
        lp.owned,
        lp.total,
      ]);

      // Every format: the CD owned counts, CD-only albums join the set.
      const any = await complete([...named, "--format", "any"]);
      assertEquals(any.code, 0, any.stderr);
      const ta = await tables(ws.db);
      const aa = tally(artistEntries(c, w, false, false), owned);
      assertEquals([setOf(ta, "artist", w.artist).owned, setOf(ta, "artist", w.artist).total], [
        aa.owned,
        aa.total,
      ]);
      assert(aa.owned > a.owned || aa.total > a.total, "the format filter matters here");

      // Sub-labels, and appearances / unofficial releases when asked.
      const subs = await complete([...named, "--with-sublabels", "--appearances", "--unofficial"]);
      assertEquals(subs.code, 0, subs.stderr);
      const ts = await tables(ws.db);
      const ls = tally(labelEntries(c, [w.label, w.sublabel], true, false), owned);
      const sRow = setOf(ts, "label", w.label);
      assertEquals([sRow.owned, sRow.total], [ls.owned, ls.total]);
      const aRow = setOf(ts, "artist", w.artist);
      assertEquals(aRow.total, a.total + 2, "the appearance and the unofficial release");

      // Pagination: a label of more than 100 releases is read page by page.
      const big = await complete([
        "--min-owned",
        "0",
        "--label",
        String(w.bigLabel),
        "--format",
        "any",
        "--price-budget",
        "0",
      ]);
      assertEquals(big.code, 0, big.stderr);
      const tb = await tables(ws.db);
      const lb = tally(labelEntries(c, [w.bigLabel], false, false), owned);
      assertEquals(setOf(tb, "label", w.bigLabel).total, lb.total);
      assert(
        fake.requests.some((r) => r.path.startsWith(`/labels/${w.bigLabel}/releases?page=2&`)),
      );
      assertEquals(setOf(tb, "label", w.bigLabel).unpriced, lb.missing.length);
      assertStringIncludes(big.stderr, "not priced (--price-budget 0 spent");

      // A bad name: a plain message, exit 2, nothing written over.
      const bad = await complete(["--artist", "Nobody Of This Name"]);
      assertEquals(bad.code, 2, bad.stderr);
      assertStringIncludes(bad.stderr, '--artist "Nobody Of This Name": no artist of that name');
      assertNotMatch(bad.stderr, /\n\s+at /);
      assertEquals(await tables(ws.db), tb);
    } finally {
      await fake.close();
      await ws.cleanup();
    }
  },
});

Deno.test({
  name:
    "complete: a small budget reads part of the sets and prices part of the missing records, and says so",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const probe = await startFakeDiscogs({ catalogue: CATALOGUE });
    const w = chooseWorld(probe.catalogue);
    await probe.close();
    const fake = await startFakeDiscogs({
      windowMs: 1000,
      catalogue: CATALOGUE,
      users: { [USER]: { collection: w.collection, wants: w.wants } },
    });
    const ws = await tempWorkspace();
    const env = { DISCOGS_API_URL: fake.url, DISCOGS_RATE_WINDOW: "1s" };
    try {
      const ingest = await runModule(
        "pipeline/ingest.ts",
        ["--db", ws.db, "--out", ws.out, "--username", USER],
        env,
      );
      assertEquals(ingest.code, 0, ingest.stderr);
      const before = fake.requests.length;
      const run = await runModule("pipeline/complete.ts", [
        "--db",
        ws.db,
        "--out",
        ws.out,
        "--min-owned",
        "0",
        "--label",
        String(w.label),
        "--artist",
        String(w.artist),
        "--listing-budget",
        "1",
        "--price-budget",
        "2",
      ], env);
      assertEquals(run.code, 0, run.stderr);
      const sent = fake.requests.slice(before);
      assertEquals(sent.filter((r) => listingPath.test(r.path)).length, 1);
      assert(sent.filter((r) => bodyPath.test(r.path)).length <= 2);
      assertStringIncludes(run.stderr, "set plan: up to 1 API pages for 2 sets");
      assertStringIncludes(run.stderr, "1 set not read: the listing budget of 1 pages was spent");
      assertStringIncludes(run.stderr, "not priced (--price-budget 2 spent");
      const t = await tables(ws.db);
      assertEquals(t.sets.length, 1);
      assert(t.sets[0].unpriced > 0, "some missing records unpriced");
      assertStringIncludes(t.sets[0].why, "not priced yet");
    } finally {
      await fake.close();
      await ws.cleanup();
    }
  },
});

function assertMatch(actual: string, pattern: RegExp): void {
  assert(pattern.test(actual), `${JSON.stringify(actual)} matches ${pattern}`);
}
