/**
 * End to end, as a user runs it: `deno task pipeline` on the bundled sample in a fresh
 * workspace, then the tables, exports and run manifest it leaves behind.
 */
import { Database } from "../lib/db/mod.ts";
import type { RunManifest } from "../lib/pipeline/manifest.ts";
import { sha256File } from "../lib/fs/atomic.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotMatch,
  assertStringIncludes,
} from "../lib/testing/assert.ts";
import { REPO_ROOT, runModule, runPipeline, tempWorkspace } from "./helpers.ts";

const QUIET = { NEXTSPIN_QUIET: "1" };

Deno.test("the pipeline runs offline on the bundled sample and writes every table", async () => {
  const ws = await tempWorkspace();
  try {
    const run = await runPipeline(ws);
    assertEquals(run.code, 0, run.stderr);

    const db = await Database.open(ws.db);
    try {
      assertEquals(await db.count("collection"), 316);
      assertEquals(await db.count("wantlist"), 0);
      assertEquals(await db.count("releases"), 315);
      assertEquals(await db.count("scores"), 315);
      // One release is owned twice: scored once, with two copies.
      const twice = await db.all<{ copies: number }>("SELECT copies FROM scores WHERE copies > 1");
      assertEquals(twice.map((r) => r.copies), [2]);
      // Ranks are a permutation of 1..n over the rankable rows, ordered by score.
      const ranked = await db.all<{ value_rank: number; value_score: number }>(
        "SELECT value_rank, value_score FROM scores WHERE value_rank IS NOT NULL ORDER BY value_rank",
      );
      // 315 releases less 6 that need market data and 9 at a suspect lowest price.
      assertEquals(ranked.length, 300);
      ranked.forEach((row, i) => {
        assertEquals(row.value_rank, i + 1);
        if (i > 0) assert(ranked[i - 1].value_score >= row.value_score);
      });
      const top = await db.one<{ value_why: string; currency: string }>(
        "SELECT value_why, currency FROM scores WHERE value_rank = 1",
      );
      assertMatch(top!.value_why, /^[\d,]+ want \/ [\d,]+ have, lowest \$[\d,.]+$/);
      assertEquals(top!.currency, "USD");
    } finally {
      db.close();
    }

    for (
      const table of [
        "collection",
        "wantlist",
        "ingest_rejects",
        "releases",
        "price_history",
        "scores",
        "recommendations",
        "recommendation_kinds",
        "shelves",
        "shelf_members",
      ]
    ) {
      const stat = await Deno.stat(`${ws.out}/${table}.parquet`);
      assert(stat.size > 0, `${table}.parquet is empty`);
    }
    const csv = await Deno.readTextFile(`${ws.out}/scores.csv`);
    assertEquals(csv.trim().split("\n").length, 316, "header + 315 rows");
    assertStringIncludes(csv.split("\n")[0], "value_why");

    const manifest: RunManifest = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
    assertEquals(Object.keys(manifest.stages), [
      "ingest",
      "enrich",
      "score",
      "trends",
      "complete",
      "pool",
      "embed",
      "recommend",
      "charts",
      "report",
    ]);
    assert((await Deno.stat(`${ws.out}/report.html`)).size > 10_000, "report.html");
    assert((await Deno.stat(`${ws.out}/recommendations.csv`)).size > 0);
    for (const chart of ["price_distribution", "top_genres", "value_vs_price", "taste_map"]) {
      for (const ext of ["svg", "png"]) {
        assert(
          (await Deno.stat(`${ws.out}/charts/${chart}.${ext}`)).size > 1000,
          `${chart}.${ext}`,
        );
      }
    }
    assert((await Deno.stat(`${ws.out}/embedder/model.json`)).size > 0);
    assertEquals(manifest.stages.ingest.tables.collection, 316);
    assertEquals(manifest.stages.score.tables.scores, 315);
    assertEquals(manifest.stages.score.parameters.price_weight, 1);
    const input = manifest.stages.ingest.inputs[0];
    assertEquals(input.path, "data/sample/collection.csv");
    assertEquals(input.sha256, await sha256File(`${REPO_ROOT}/data/sample/collection.csv`));
    for (const stage of Object.values(manifest.stages)) assert(stage.duration_ms >= 0);
    assertMatch(manifest.tools.duckdb, /^v\d+\.\d+/);
    assertEquals(manifest.tables.scores.rows, 315);
    // The embedder by its registry name, in the stage that made the vectors and the one using them.
    assertEquals(manifest.stages.embed.parameters.embedder, "tfidf");
    assertEquals(manifest.stages.recommend.parameters.embedder, "tfidf");
    assertEquals(manifest.stages.recommend.parameters.recommenders, [
      "played_not_owned",
      "set_gap",
      "gem",
      "missing_link",
      "deep_cut",
      "twin_pick",
    ]);
    assertEquals(manifest.stages.recommend.tables.shelf_members, 315, "every release on a shelf");
    // The gem blend the sample served, fitted on its own records, with every weight named.
    const blend = manifest.stages.recommend.summary.gem_blend as {
      served: string;
      reason: string;
      weights: { fields: number[] };
      inner_fold: { hand: { recall: number } };
      seconds: number;
    };
    assert(["hand", "tuned", "learned"].includes(blend.served), `served ${blend.served}`);
    assertEquals(blend.weights.fields.length, 8);
    assert(blend.inner_fold.hand.recall > 0, "the hand blend scored on the inner folds");
    assert(blend.seconds >= 0 && typeof blend.reason === "string");

    // In the pipeline the recommend stage took the embed stage's loaded candidates and model
    // from memory; run on its own it reads them back from the workspace: the same lists.
    const carried = await Deno.readTextFile(`${ws.out}/recommendations.csv`);
    const alone = await runModule(
      "pipeline/recommend.ts",
      ["--db", ws.db, "--out", ws.out, "--offline", "--serve-without-id"],
      QUIET,
    );
    assertEquals(alone.code, 0, alone.stderr);
    assertEquals(await Deno.readTextFile(`${ws.out}/recommendations.csv`), carried);
    const again: RunManifest = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
    const { seconds: _, ...fitted } = again.stages.recommend.summary.gem_blend as typeof blend;
    const { seconds: __, ...first } = blend;
    assertEquals(fitted, first);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("re-scoring with another price weight changes the ranking and updates the manifest", async () => {
  const ws = await tempWorkspace();
  try {
    assertEquals(
      (await runPipeline(ws)).code,
      0,
    );
    const read = async () => {
      const db = await Database.open(ws.db);
      try {
        return (await db.all<{ release_id: number }>(
          "SELECT release_id FROM scores WHERE value_rank <= 20 ORDER BY value_rank",
        )).map((r) => r.release_id);
      } finally {
        db.close();
      }
    };
    const atOne = await read();
    const run = await runModule("pipeline/score.ts", [
      "--db",
      ws.db,
      "--out",
      ws.out,
      "--price-weight",
      "10",
    ], QUIET);
    assertEquals(run.code, 0, run.stderr);
    const atTen = await read();
    assert(
      JSON.stringify(atOne) !== JSON.stringify(atTen),
      "the top 20 should move with the weight",
    );
    const manifest: RunManifest = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
    assertEquals(manifest.stages.score.parameters.price_weight, 10);
    assert("ingest" in manifest.stages, "earlier stages stay in the manifest");
  } finally {
    await ws.cleanup();
  }
});

Deno.test("every task answers --help with its flags and defaults", async () => {
  const expectations: Record<string, string[]> = {
    "pipeline/pipeline.ts": ["--collection", "--from-jsonl", "--price-weight", "--db", "--out"],
    "pipeline/ingest.ts": ["--collection", "--wantlist"],
    "pipeline/enrich.ts": ["--from-jsonl", "--currency"],
    "pipeline/score.ts": ["--price-weight W", "default: 1"],
    "pipeline/pool.ts": ["--pool FILE", "--include-other-pressings"],
    "pipeline/embed.ts": ["--dims D", "--seed N", "--embedder KIND"],
    "pipeline/recommend.ts": ["--budget PRICE", "--top N", "--price-weight W"],
    "pipeline/evaluate.ts": ["--folds N", "--bodies FILE"],
    "pipeline/charts.ts": ["--charts-dir DIR"],
    "pipeline/report.ts": ["--report FILE"],
  };
  for (const [module, flags] of Object.entries(expectations)) {
    const run = await runModule(module, ["--help"]);
    assertEquals(run.code, 0, run.stderr);
    for (const flag of flags) assertStringIncludes(run.stdout, flag);
    assertStringIncludes(run.stdout, "default: data/nextspin.duckdb");
  }
});

Deno.test("bad flags exit 2 with one clear line and no stack trace", async () => {
  const ws = await tempWorkspace();
  try {
    const weight = await runModule("pipeline/score.ts", [
      "--db",
      ws.db,
      "--out",
      ws.out,
      "--price-weight",
      "42",
    ]);
    assertEquals(weight.code, 2);
    assertStringIncludes(weight.stderr, '--price-weight "42": expected a number >= 0.5 and <= 10');
    assertNotMatch(weight.stderr, /\n\s+at /);

    const unknown = await runModule("pipeline/pipeline.ts", ["--colection", "x.csv"]);
    assertEquals(unknown.code, 2);
    assertStringIncludes(unknown.stderr, "--help");

    const model = await runModule("pipeline/embed.ts", [
      "--db",
      ws.db,
      "--out",
      ws.out,
      "--embedder",
      `transformers:${ws.dir}/minilm`,
    ]);
    assertEquals(model.code, 2);
    assertNotMatch(model.stderr, /\n\s+at /);

    const noTables = await runModule("pipeline/score.ts", ["--db", ws.db, "--out", ws.out]);
    assertEquals(noTables.code, 2);
    assertStringIncludes(
      noTables.stderr,
      "no `collection` table yet: run `deno task ingest` first",
    );
  } finally {
    await ws.cleanup();
  }
});

Deno.test("the evaluation harness runs on the sample and writes evaluation.parquet", async () => {
  const ws = await tempWorkspace();
  try {
    assertEquals(
      (await runPipeline(ws)).code,
      0,
    );
    const run = await runModule("pipeline/evaluate.ts", [
      "--db",
      ws.db,
      "--out",
      ws.out,
      "--folds",
      "1",
    ], { NEXTSPIN_QUIET: "0" });
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stdout, "next-spin gems");
    assertStringIncludes(run.stdout, "tf-idf kNN (baseline)");
    const db = await Database.open(ws.db);
    try {
      const rows = await db.all<{ recommender: string; recall_at_50: number }>(
        `SELECT recommender, recall_at_50 FROM '${ws.out}/evaluation.parquet'`,
      );
      assertEquals(rows.length, 5);
      const recall = Object.fromEntries(rows.map((r) => [r.recommender, r.recall_at_50]));
      assert(recall["next-spin gems"] > recall["random (baseline)"]);
      assert(recall["next-spin gems"] > recall["popularity (baseline)"]);
    } finally {
      db.close();
    }
    // A saved model that cannot be read is an error naming it and the fix, never a quiet refit.
    await Deno.remove(`${ws.out}/embedder/model.json`);
    const lost = await runModule("pipeline/recommend.ts", ["--db", ws.db, "--out", ws.out], QUIET);
    assertEquals(lost.code, 2, lost.stderr);
    assertStringIncludes(lost.stderr, `${ws.out}/embedder/model.json`);
    assertStringIncludes(lost.stderr, "run `deno task embed`");
    assertNotMatch(lost.stderr, /\n\s+at /);
  } finally {
    await ws.cleanup();
  }
});
