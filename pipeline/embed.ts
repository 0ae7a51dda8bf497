/**
 * `deno task embed`: fit the offline taste embedder on the collection and the pool, save it to
 * `<out>/embedder/`, and write every release's vector to the `embeddings` table — from the
 * TF-IDF + SVD embedder by default, or from a local sentence-embedding model.
 *
 * @module
 */

import { join } from "node:path";
import { numberFlag, stringFlag } from "../lib/cli/flags.ts";
import { embed, fitEmbedder, saveModel } from "../lib/embed/model.ts";
import { writeEmbeddings } from "../lib/embed/table.ts";
import {
  embedWithTransformers,
  parseEmbedderSpec,
  releaseText,
} from "../lib/embed/transformers.ts";
import { writeTextAtomically } from "../lib/fs/atomic.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { loadCollectionCandidates, loadPoolCandidates } from "../lib/recommend/load.ts";

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
      check: parseEmbedderSpec,
    },
  },
  async run({ db, outDir, log }, flags) {
    const dims = numberFlag(flags, "dims", { min: 2, max: 512, integer: true })!;
    const seed = numberFlag(flags, "seed", { integer: true })!;
    const spec = parseEmbedderSpec(stringFlag(flags, "embedder") ?? "tfidf");
    const collection = await loadCollectionCandidates(db);
    const pool = await loadPoolCandidates(db);
    // The TF-IDF model is always fitted and saved: recommendations read its tokens for taste fit.
    const model = fitEmbedder([...collection, ...pool], { dims, seed });
    const modelDir = join(outDir, "embedder");
    let outDims = dims;
    let collectionVectors: Float32Array;
    let poolVectors: Float32Array;
    if (spec.kind === "transformers") {
      const { vectors, dims: modelDims } = await embedWithTransformers(
        spec.dir,
        [...collection, ...pool].map(releaseText),
      );
      outDims = modelDims;
      collectionVectors = vectors.subarray(0, collection.length * modelDims);
      poolVectors = vectors.subarray(collection.length * modelDims);
    } else {
      collectionVectors = embed(model, collection);
      poolVectors = embed(model, pool);
    }
    await saveModel(model, modelDir);
    // Which embedder made the `embeddings` table: recommend re-embeds exactly with the TF-IDF
    // model, and reads the table only for vectors it cannot recompute.
    await writeTextAtomically(
      join(modelDir, "embeddings.json"),
      JSON.stringify({
        embedder: spec.kind === "tfidf" ? "tfidf-svd" : `transformers:${spec.dir}`,
      }),
    );
    const rows = await writeEmbeddings(db, outDims, [
      { kind: "collection", keys: collection.map((c) => c.key), vectors: collectionVectors },
      { kind: "pool", keys: pool.map((c) => c.key), vectors: poolVectors },
    ]);
    const by = spec.kind === "tfidf" ? "the TF-IDF + SVD embedder" : spec.dir;
    log.info(
      `${rows} releases embedded in ${outDims} dimensions by ${by} ` +
        `(vocabulary ${model.tfidf.vocabulary.size} tokens); model in ${modelDir}`,
    );
    return {
      tables: { embeddings: rows },
      parameters: {
        dims: outDims,
        seed,
        embedder: spec.kind === "tfidf" ? "tfidf-svd" : `transformers:${spec.dir}`,
        vocabulary: model.tfidf.vocabulary.size,
      },
    };
  },
};

if (import.meta.main) await main([embedStage], { command: "embed", summary: embedStage.summary });
