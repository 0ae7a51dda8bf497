/**
 * `deno task evaluate --real-user`, end to end: the evaluate stage starts the fake Discogs
 * in-process (127.0.0.1), hides 20% of gustw's collection in its catalogue, runs the pipeline as
 * `--username alice` with a token and the default pool budget, and records the figures in the
 * `evaluation` table and run.json. The figures must be sane: recalls in [0, 1], some hidden
 * records reached, served recall no higher than the reach allows, and no owned release served.
 */
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals } from "../lib/testing/assert.ts";
import { runModule, tempWorkspace } from "./helpers.ts";

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
      const rows = await db.all<{ collection: string; recommender: string; recall_at_50: number }>(
        "SELECT collection, recommender, recall_at_50 FROM evaluation",
      );
      assert(rows.length >= 2, "served gems and whole-pool rows expected");
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
