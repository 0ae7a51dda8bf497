/**
 * `deno task embed`: fit the offline taste embedder on the collection and the pool, save it to
 * `<out>/embedder/`, and write every release's vector to the `embeddings` table.
 *
 * @module
 */

import { join } from "node:path";
import { numberFlag } from "../lib/cli/flags.ts";
import { embed, fitEmbedder, saveModel } from "../lib/embed/model.ts";
import { writeEmbeddings } from "../lib/embed/table.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { loadCollectionCandidates, loadPoolCandidates } from "../lib/recommend/load.ts";

export const embedStage: Stage = {
  name: "embed",
  summary: "Learn a taste space from the collection and the pool; write the embeddings table.",
  flags: {
    dims: { type: "string", description: "embedding dimensions", default: "64", valueName: "D" },
    seed: {
      type: "string",
      description: "random seed (same seed, same space)",
      default: "42",
      valueName: "N",
    },
  },
  async run({ db, outDir, log }, flags) {
    const dims = numberFlag(flags, "dims", { min: 2, max: 512, integer: true })!;
    const seed = numberFlag(flags, "seed", { integer: true })!;
    const collection = await loadCollectionCandidates(db);
    const pool = await loadPoolCandidates(db);
    const model = fitEmbedder([...collection, ...pool], { dims, seed });
    const modelDir = join(outDir, "embedder");
    await saveModel(model, modelDir);
    const rows = await writeEmbeddings(db, dims, [
      { kind: "collection", keys: collection.map((c) => c.key), vectors: embed(model, collection) },
      { kind: "pool", keys: pool.map((c) => c.key), vectors: embed(model, pool) },
    ]);
    log.info(
      `${rows} releases embedded in ${dims} dimensions (vocabulary ${model.tfidf.vocabulary.size} tokens); model in ${modelDir}`,
    );
    return {
      tables: { embeddings: rows },
      parameters: { dims, seed, embedder: "tfidf-svd", vocabulary: model.tfidf.vocabulary.size },
    };
  },
};

if (import.meta.main) await main([embedStage], { command: "embed", summary: embedStage.summary });
