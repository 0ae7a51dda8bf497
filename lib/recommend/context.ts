/**
 * The recommendation context of a workspace, built the way `deno task recommend` builds it: the
 * collection and pool from their tables, embedded in the space the embed stage fitted (its saved
 * model in `<out>/embedder/`), or with the stored vectors when a sentence model made them. For
 * notebooks and anything else that wants to re-run the recommenders with other knobs.
 *
 * @example
 * ```ts
 * const { ctx } = await loadContext(db, "data/out");
 * recommendGems(ctx, { priceWeight: 3, budget: 15 });
 * ```
 *
 * @module
 */

import { join } from "node:path";
import type { Database } from "../db/mod.ts";
import { loadModel } from "../embed/model.ts";
import { readEmbeddings } from "../embed/table.ts";
import type { Candidate } from "./candidates.ts";
import { loadCollectionCandidates, loadPoolCandidates } from "./load.ts";
import { buildContext, type RecommendContext } from "./mod.ts";

/** A workspace's recommendation context and where its vectors came from. */
export interface LoadedContext {
  ctx: RecommendContext;
  collection: Candidate[];
  pool: Candidate[];
  /** "saved model", "stored vectors (transformers:…)" or "fitted afresh". */
  space: string;
}

/**
 * Load the collection and pool of the workspace in `db` and build their context in the embed
 * stage's space (`outDir` holds `embedder/`); without a saved model, one is fitted afresh.
 */
export async function loadContext(db: Database, outDir: string): Promise<LoadedContext> {
  const collection = await loadCollectionCandidates(db);
  const pool = await loadPoolCandidates(db);
  const model = await loadModel(join(outDir, "embedder")).catch(() => undefined);
  const made = await Deno.readTextFile(join(outDir, "embedder", "embeddings.json")).then(
    JSON.parse,
    () => ({}),
  );
  const embedder = String(made.embedder ?? "");
  const stored = embedder.startsWith("transformers:")
    ? await readEmbeddings(db, [...collection, ...pool].map((c) => c.key))
    : null;
  const vectors = stored
    ? {
      collection: stored.vectors.subarray(0, collection.length * stored.dims),
      pool: stored.vectors.subarray(collection.length * stored.dims),
      dims: stored.dims,
    }
    : undefined;
  const ctx = buildContext(collection, pool, { model, vectors });
  const space = stored ? `stored vectors (${embedder})` : model ? "saved model" : "fitted afresh";
  return { ctx, collection, pool, space };
}
