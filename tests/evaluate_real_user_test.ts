/**
 * `deno task evaluate --real-user`, end to end: the evaluate stage starts the fake Discogs
 * in-process (127.0.0.1), hides 20% of gustw's collection in its catalogue, runs the pipeline as
 * `--username alice` with a token and the default pool budget, and records the figures in the
 * `evaluation` table and run.json. The figures must be sane: recalls in [0, 1], some hidden
 * records reached, served recall no higher than the reach allows, and no owned release served.
 */
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../lib/testing/assert.ts";
import { fixturePath, runModule, tempWorkspace } from "./helpers.ts";

Deno.test("evaluate --real-user measures the path a collector takes", async () => {
  const ws = await tempWorkspace();
  try {
    // A 250 ms window: the same pacing as 60/min, 240× faster.
    const run = await runModule(
      "pipeline/evaluate.ts",
      ["--real-user", "--real-user-window", "250", "--db", ws.db, "--out", ws.out],
      { NEXTSPIN_QUIET: "1" },
      { deadlineMs: 240_000 },
    );
    assertEquals(run.code, 0, run.stderr);
    const manifest = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
    const real = manifest.stages.evaluate.summary.real_user;
    assertEquals(real.hidden, 63, "20% of gustw's 315");
    assertEquals(real.collection, 252);
    assert(real.hidden_reached > 0, `no hidden record reached: ${JSON.stringify(real)}`);
    assert(real.hidden_reached <= real.hidden);
    assertEquals(real.owned_served, 0, "an owned release was served");
    assert(real.served.gem > 0, "no gems served");
    assert(real.hidden_served_gems <= real.hidden_reached, "served a hidden record never fetched");
    assert(real.candidates > 0 && real.requests_total > 0);
    assert(real.requests["collection pages"] >= 3, "alice's 252 records are 3 pages of 100");
    assert(real.requests.search > 0, "with a token, search is a source");
    const db = await Database.open(ws.db, { readOnly: true });
    try {
      const rows = await db.all<
        { collection: string; path: string; recommender: string; recall_at_50: number }
      >("SELECT collection, path, recommender, recall_at_50 FROM evaluation");
      assert(rows.length >= 2, "served gems and whole-pool rows expected");
      for (const r of rows) assertEquals([r.collection, r.path], ["gustw", "real user"]);
      for (const r of rows) {
        assert(r.recall_at_50 >= 0 && r.recall_at_50 <= 1, `${r.recommender}: ${r.recall_at_50}`);
        assert(r.recall_at_50 <= real.hidden_reached / real.hidden + 1e-9, "recall above reach");
      }
      const served = rows.find((r) => r.recommender.startsWith("gems as served"));
      assert(served, "no served-gems row");
      assertEquals(served.recall_at_50, real.hidden_served_gems / real.hidden);
    } finally {
      db.close();
    }
  } finally {
    await ws.cleanup();
  }
});

Deno.test("evaluate: a fixture export on both paths, with every metric, small ones skipped", async () => {
  const ws = await tempWorkspace();
  try {
    // jelambert's 23-record collection (styles from the fixture pool and the fake catalogue),
    // davide-bergamini's 5 (below the minimum); the marketplace listings as the pool, 1 fold.
    const run = await runModule(
      "pipeline/evaluate.ts",
      [
        "--export",
        fixturePath("exports/jelambert_collection.csv"),
        "--export",
        fixturePath("exports/davide-bergamini_collection.csv"),
        "--pool",
        fixturePath("pools/marketplace_listings.csv"),
        "--folds",
        "1",
        "--real-user",
        "--real-user-window",
        "250",
        "--db",
        ws.db,
        "--out",
        ws.out,
      ],
      { NEXTSPIN_QUIET: "0" },
      { deadlineMs: 240_000 },
    );
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stderr, "davide-bergamini collection: 5 records, fewer than 20");
    assertMatch(run.stderr, /jelambert collection: 23 records; styles for \d+ /);
    assertStringIncludes(run.stdout, "jelambert collection — file-pool path: 5 hidden per fold");
    assertStringIncludes(run.stdout, "jelambert collection — real-user path: 5 hidden per fold");
    assertMatch(run.stdout, /gems ÷ best baseline: recall@50 /);
    const db = await Database.open(ws.db, { readOnly: true });
    try {
      const rows = await db.all<{
        collection: string;
        path: string;
        recommender: string;
        hidden_per_fold: number;
        recall_at_50: number;
        recall_at_hidden: number;
        recall_k: number;
        ndcg_at_50: number;
        mrr: number;
      }>("SELECT * FROM evaluation ORDER BY path, recommender");
      assertEquals(new Set(rows.map((r) => r.collection)), new Set(["jelambert collection"]));
      const paths = rows.map((r) => r.path);
      assertEquals(paths.filter((p) => p === "file pool").length, 5, "gems and 4 baselines");
      assertEquals(paths.filter((p) => p === "real user").length, 6, "served gems too");
      for (const r of rows) {
        assertEquals(r.hidden_per_fold, 5);
        assertEquals(r.recall_k, 50, "k = max(50, hidden)");
        for (const v of [r.recall_at_50, r.recall_at_hidden, r.ndcg_at_50, r.mrr]) {
          assert(v >= 0 && v <= 1, `${r.path} ${r.recommender}: ${JSON.stringify(r)}`);
        }
        // k is 50 here, so the two recalls agree.
        assertEquals(r.recall_at_hidden, r.recall_at_50);
      }
      const manifest = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
      const summary = manifest.stages.evaluate.summary;
      const real = summary.real_user_by_collection["jelambert collection"];
      assertEquals([real.collection, real.hidden], [18, 5]);
      assertEquals(real.owned_served, 0, "an owned release was served");
      assert(real.requests["collection pages"] >= 1);
      assertEquals(summary.skipped, [{ collection: "davide-bergamini collection", records: 5 }]);
      assertEquals(summary.enrichment["jelambert collection"].records, 23);
      assertEquals(summary.gems_vs_best_baseline.length, 2, "one per path");
    } finally {
      db.close();
    }
  } finally {
    await ws.cleanup();
  }
});
