/**
 * The optional sentence-embedding backend end to end: `deno task embed --embedder
 * transformers:<dir>` on the bundled sample with a tiny local model (tests/fixtures/
 * tiny_sentence_model, built by make_tiny_sentence_model.py), then `deno task recommend` on
 * those vectors.
 */

import { Database } from "../lib/db/mod.ts";
import {
  assert,
  assertEquals,
  assertNotMatch,
  assertStringIncludes,
} from "../lib/testing/assert.ts";
import { REPO_ROOT, runModule, runPipeline, tempWorkspace } from "./helpers.ts";

const TINY_MODEL = `${REPO_ROOT}tests/fixtures/tiny_sentence_model`;

Deno.test("embed with a local sentence model, then recommend from its vectors", async () => {
  const ws = await tempWorkspace();
  try {
    const pipeline = await runPipeline(ws, ["--embedder", `transformers:${TINY_MODEL}`]);
    assertEquals(pipeline.code, 0, pipeline.stderr);

    const db = await Database.open(ws.db);
    try {
      const shape = (await db.one<{ n: number; dims: number; min_norm: number; max_norm: number }>(
        `SELECT count(*)::INT AS n, max(len(vector))::INT AS dims,
                min(sqrt(list_sum(list_transform(vector::FLOAT[], x -> x * x)))) AS min_norm,
                max(sqrt(list_sum(list_transform(vector::FLOAT[], x -> x * x)))) AS max_norm
           FROM embeddings`,
      ))!;
      assertEquals(shape.dims, 16, "vectors have the model's hidden size");
      assert(shape.n > 3000, `collection + pool embedded (${shape.n})`);
      assert(Math.abs(shape.min_norm - 1) < 1e-4 && Math.abs(shape.max_norm - 1) < 1e-4);
      const kinds = await db.all<{ kind: string; n: number }>(
        "SELECT kind, count(*)::INT AS n FROM recommendations GROUP BY kind ORDER BY kind",
      );
      // Random weights carry no taste, so no record may sit between two shelves: missing links
      // can be none here; gems and deep cuts come regardless.
      const names = kinds.map((k) => k.kind);
      assert(names.includes("gem") && names.includes("deep_cut"), names.join(", "));
      for (const k of kinds) assert(k.n > 0, `${k.kind} recommendations`);
    } finally {
      db.close();
    }
    const manifest = JSON.parse(await Deno.readTextFile(`${ws.out}/run.json`));
    assertEquals(manifest.stages.embed.parameters.embedder, `transformers:${TINY_MODEL}`);
    assertEquals(manifest.stages.embed.parameters.dims, 16);
    assertEquals(manifest.stages.recommend.parameters.embedder, `transformers:${TINY_MODEL}`);
    const shelfDims = await (async () => {
      const db = await Database.open(ws.db);
      try {
        // The stored shelves live in the sentence model's space; then some vectors go missing.
        const row = await db.one<{ dims: number }>(
          "SELECT max(len(centroid))::INT AS dims FROM shelves",
        );
        await db.run(
          "DELETE FROM embeddings WHERE kind = 'pool' AND key IN (SELECT key FROM embeddings WHERE kind = 'pool' LIMIT 5)",
        );
        return row!.dims;
      } finally {
        db.close();
      }
    })();
    assertEquals(shelfDims, 16);
    // Sentence vectors cannot be recomputed: missing ones are an error, not TF-IDF vectors instead.
    const run = await runModule("pipeline/recommend.ts", ["--db", ws.db, "--out", ws.out], {
      NEXTSPIN_QUIET: "1",
    });
    assertEquals(run.code, 2, run.stderr);
    assertStringIncludes(
      run.stderr,
      "the `embeddings` table does not cover the collection and pool",
    );
    assertStringIncludes(run.stderr, "run `deno task embed` again");
    assertNotMatch(run.stderr, /\n\s+at /);
  } finally {
    await ws.cleanup();
  }
});
