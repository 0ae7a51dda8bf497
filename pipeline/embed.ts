/**
 * `deno task embed`: fit the offline taste embedder on the collection and the pool, save it to
 * `<out>/embedder/`, and write every release's vector to the `embeddings` table — from the
 * TF-IDF + SVD embedder by default, or from a local sentence-embedding model.
 *
 * @module
 */

import { join } from "node:path";
import { numberFlag, stringFlag } from "../lib/cli/flags.ts";
import { parseEmbedder, saveSpace } from "../lib/embed/embedders.ts";
import { fitEmbedder } from "../lib/embed/model.ts";
import { writeEmbeddings } from "../lib/embed/table.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { loadCollectionCandidates, loadPoolCandidates } from "../lib/recommend/load.ts";
import { carryEmbedded } from "../lib/recommend/context.ts";

export const embedStage: Stage = {
  name: "embed",
  summary: "Learn a taste space from the collection and the pool; write the embeddings table.",
  flags: {
    dims: {
      type: "string",
      description: "embedding dimensions",
      default: "64",
      valueName: "D",
      number: { min: 2, max: 512, integer: true },
    },
    seed: {
      type: "string",
      description: "random seed (same seed, same space)",
      default: "42",
      valueName: "N",
      number: { integer: true },
    },
    embedder: {
      type: "string",
      description: "tfidf (offline, learned from your data) or transformers:<local model dir>",
      default: "tfidf",
      valueName: "KIND",
      check: parseEmbedder,
    },
  },
  async run({ db, outDir, log, carried }, flags) {
    const dims = numberFlag(flags, "dims", { min: 2, max: 512, integer: true })!;
    const seed = numberFlag(flags, "seed", { integer: true })!;
    const embedder = parseEmbedder(stringFlag(flags, "embedder") ?? "tfidf");
    const collection = await loadCollectionCandidates(db);
    const pool = await loadPoolCandidates(db);
    // The TF-IDF model is always fitted and saved: recommendations read its tokens for taste fit.
    const model = fitEmbedder([...collection, ...pool], { dims, seed });
    const modelDir = join(outDir, "embedder");
    const { vectors, dims: outDims } = await embedder.embed([...collection, ...pool], model);
    // The model and which embedder made the `embeddings` table: recommend re-embeds exactly
    // with the TF-IDF model, and reads the table only for vectors it cannot recompute.
    await saveSpace(model, embedder, modelDir);
    const rows = await writeEmbeddings(db, outDims, [
      {
        kind: "collection",
        keys: collection.map((c) => c.key),
        vectors: vectors.subarray(0, collection.length * outDims),
      },
      {
        kind: "pool",
        keys: pool.map((c) => c.key),
        vectors: vectors.subarray(collection.length * outDims),
      },
    ]);
    // For the recommend stage after this one in the same run: what it would read back.
    await carryEmbedded(db, carried, { collection, pool, model, embedder });
    log.info(
      `${rows} releases embedded in ${outDims} dimensions by ${embedder.title} ` +
        `(vocabulary ${model.tfidf.vocabulary.size} tokens); model in ${modelDir}`,
    );
    return {
      tables: { embeddings: rows },
      parameters: {
        dims: outDims,
        seed,
        embedder: embedder.name,
        vocabulary: model.tfidf.vocabulary.size,
      },
    };
  },
};

if (import.meta.main) await main([embedStage], { command: "embed", summary: embedStage.summary });
