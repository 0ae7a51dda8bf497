/**
 * The recommendation context every recommender ranks from: the collection and the pool embedded
 * in one space, the collection's taste shelves, the pool's similarity to each shelf, and the
 * collection's taste profile. {@link buildContext} builds it in memory; {@link loadContext}
 * builds it from a workspace the way `deno task recommend` does — in the embed stage's space
 * (its saved model in `<out>/embedder/`, or the stored vectors when a sentence model made them)
 * and, for notebooks, with the shelves the recommend stage stored.
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
import type { Clustering } from "../cluster/kmeans.ts";
import type { Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import { type Embedder, loadSavedSpace } from "../embed/embedders.ts";
import {
  embed,
  type EmbedderModel,
  embedWithTokens,
  fitEmbedder,
  tokenFields,
  type TokenRows,
  tokenRows,
} from "../embed/model.ts";
import { readEmbeddings } from "../embed/table.ts";
import { helperThread } from "../parallel/helper.ts";
import type { Candidate } from "./candidates.ts";
import { loadCollectionCandidates, loadPoolCandidates } from "./load.ts";
import {
  beginShelfScan,
  fitShelves,
  fitShelvesInBackground,
  nearestShelfOf,
  readShelves,
  SHELF_CLUSTERING,
  shelfSimilarities,
  type Shelves,
  storedShelvesOf,
  writeShelves,
} from "./shelves.ts";
import {
  fitTasteFromTokens,
  gemTasteScores,
  liftVector,
  type Market,
  type TasteProfile,
  unseenTokenLift,
} from "./taste.ts";
import { loadMarket } from "./credits.ts";
import { DEFAULT_PRICE_WEIGHT, valueColumn } from "./pool_columns.ts";
import { type CatalogRelations, loadCatalogRelations } from "./signals/relations.ts";
import {
  type ListeningDoc,
  loadListeningDocs,
  loadPlayedNotOwned,
  type PlayedAlbumPick,
  withListening,
} from "../listening/played.ts";

/** Everything the recommenders share for one collection and pool. */
export interface RecommendContext {
  collection: readonly Candidate[];
  pool: readonly Candidate[];
  dims: number;
  collectionVectors: Float32Array;
  poolVectors: Float32Array;
  clustering: Clustering;
  /** Each shelf's name (index = cluster). */
  shelves: string[];
  taste: TasteProfile;
  /** Pool × clusters cosine similarities. */
  centroidSims: Float32Array;
  /** The pool's token ids, for taste fit on typed arrays. */
  poolTokens: TokenRows;
  /** Taste lift of every vocabulary token, and each token's field. */
  tokenLift: Float32Array;
  tokenField: Uint8Array;
  unseenLift: number;
  /** Played albums you do not own, by pool key (`deno task listen`; absent without plays). */
  played?: ReadonlyMap<string, PlayedAlbumPick>;
  /**
   * The TF-IDF model the tokens come from: the self-tuning (`lib/recommend/tune/`) tokenises and
   * embeds the records it hides with it, as the harness does its hidden records.
   */
  model?: EmbedderModel;
  /** True when the vectors are `model`'s own (not stored ones another embedder made). */
  modelVectors?: boolean;
  /** The market taste lift is measured against, when one was given (see {@link ContextOptions}). */
  market?: Market;
  /** Gem signal weights by name, over their defaults (`deno task evaluate --signals`). */
  signalWeights?: Readonly<Record<string, number>>;
  /** The catalogue's label families and artist aliases, groups and members (absent: none). */
  relations?: CatalogRelations;
}

/** Options for {@link buildContext}. */
export interface ContextOptions {
  model?: EmbedderModel;
  /** Precomputed vectors (e.g. from the `embeddings` table, any embedder); else the model embeds. */
  vectors?: { collection: Float32Array; pool: Float32Array; dims: number };
  /** The pool's token rows, precomputed with its embeddings (they do not depend on the collection). */
  poolTokens?: TokenRows;
  /** Shelves already clustered (the stored ones); else the collection is clustered here. */
  shelves?: Shelves;
  /** The catalogue's token counts: the market taste lift is measured against (else the pool). */
  market?: Market;
  dims?: number;
  seed?: number;
  kMax?: number;
  /** Played albums you do not own, by pool key (for the played-not-owned list). */
  played?: ReadonlyMap<string, PlayedAlbumPick>;
  /** Listening mixed into the taste profile at `weight` (`--listening-weight`; 0 = off). */
  listening?: { docs: readonly ListeningDoc[]; weight: number };
  /**
   * Cluster the shelves on a worker thread while the taste is fitted (default: over a pool of
   * {@link BACKGROUND_CLUSTERING_POOL} records or more). The same shelves either way.
   */
  clusterInBackground?: boolean;
  /** Gem signal weights by name, over their defaults. */
  signalWeights?: Readonly<Record<string, number>>;
  /** The catalogue's label and artist relations (see `signals/relations.ts`). */
  relations?: CatalogRelations;
}

/**
 * Pools from which buildContext clusters the shelves on the helper thread: over a million records
 * the taste fit this overlaps is 0.07–0.10 s of a first query; over a small pool it is a few
 * milliseconds, not worth a second thread (nor starting one in every small test or notebook).
 */
export const BACKGROUND_CLUSTERING_POOL = 100_000;

// Each vocabulary token's field, kept with the model: it depends on the vocabulary alone, and
// working it out means slicing every token's name.
const TOKEN_FIELDS_OF = new WeakMap<EmbedderModel, Uint8Array>();

function modelTokenFields(model: EmbedderModel): Uint8Array {
  let fields = TOKEN_FIELDS_OF.get(model);
  if (!fields || fields.length !== model.tfidf.vocabulary.size) {
    fields = tokenFields(model);
    TOKEN_FIELDS_OF.set(model, fields);
  }
  return fields;
}

/** Embed, cluster and profile a collection against a pool. */
export function buildContext(
  collection: readonly Candidate[],
  pool: readonly Candidate[],
  options: ContextOptions = {},
): RecommendContext {
  const model = options.model ??
    fitEmbedder([...collection, ...pool], { dims: options.dims ?? 64, seed: options.seed ?? 42 });
  const dims = options.vectors?.dims ?? model.dims;
  const collectionVectors = options.vectors?.collection ?? embed(model, collection);
  // A big pool's vectors go straight into shared memory, for the helper's share of the scan.
  // Vectors and token rows both to make: one pass over the pool's tokens gives both.
  const shared = pool.length >= BACKGROUND_CLUSTERING_POOL;
  const both = !options.vectors && !options.poolTokens
    ? embedWithTokens(model, pool, { shared })
    : null;
  const poolVectors = options.vectors?.pool ?? both?.vectors ?? embed(model, pool, { shared });
  const shelfOptions = { kMax: options.kMax, seed: options.seed };
  // Over a big pool the shelves cluster on another thread while this one fits the taste and
  // scores every pool record's taste fit (what the first gem query needs): neither needs the
  // other. Either way they are the same shelves.
  const background = !options.shelves &&
    (options.clusterInBackground ?? pool.length >= BACKGROUND_CLUSTERING_POOL);
  // The helper goes on from the clustering to its share of the shelf scan (the same cosines).
  const scan = background
    ? beginShelfScan(poolVectors, dims, Math.max(1, shelfOptions.kMax ?? SHELF_CLUSTERING.kMax))
    : null;
  const pending = background
    ? fitShelvesInBackground(collection, collectionVectors, dims, shelfOptions, scan!.job)
    : null;
  const shelves = pending
    ? null
    : options.shelves ?? fitShelves(collection, collectionVectors, dims, shelfOptions);
  const poolTokens = options.poolTokens ?? both?.tokens ?? tokenRows(model, pool);
  const fitted = fitTasteFromTokens(
    collection,
    model.tfidf.vocabulary,
    poolTokens,
    options.market,
  );
  const taste = options.listening
    ? withListening(fitted, options.listening.docs, options.listening.weight)
    : fitted;
  const tokenLift = liftVector(taste, model.tfidf.vocabulary);
  const tokenField = modelTokenFields(model);
  const unseenLift = unseenTokenLift(taste);
  if (pending) {
    gemTasteScores(tokenLift, tokenField, poolTokens, unseenLift); // kept for gems
    // Time left before the shelves are in: the value term under the default price weight, which
    // depends on the pool alone (kept with its columns) and most first queries rank under.
    if (!pending.ready()) valueColumn(pool, DEFAULT_PRICE_WEIGHT);
  }
  const { clustering, names } = shelves ?? pending!.result();
  return {
    collection,
    pool,
    dims,
    collectionVectors,
    poolVectors,
    clustering,
    shelves: names,
    taste,
    centroidSims: scan
      ? scan.finish(clustering.centroids)
      : shelfSimilarities(poolVectors, clustering.centroids, dims),
    poolTokens,
    tokenLift,
    tokenField,
    unseenLift,
    ...(options.played ? { played: options.played } : {}),
    model,
    modelVectors: options.vectors === undefined,
    ...(options.market ? { market: options.market } : {}),
    ...(options.signalWeights ? { signalWeights: options.signalWeights } : {}),
    ...(options.relations ? { relations: options.relations } : {}),
  };
}

/** The shelf pool record `i` is most similar to, and that similarity. */
export function nearestShelf(
  ctx: RecommendContext,
  i: number,
): { shelf: number; similarity: number } {
  return nearestShelfOf(ctx.centroidSims, ctx.clustering.k, i);
}

/** The shelves of {@link RecommendContext} as {@link Shelves}. */
export function contextShelves(ctx: RecommendContext): Shelves {
  return { clustering: ctx.clustering, names: ctx.shelves };
}

/**
 * Store the context's shelves (tables `shelves` and `shelf_members`, see shelves.ts) so the taste
 * map and notebooks read them instead of clustering again. Returns the rows of each.
 */
export function storeShelves(
  db: Database,
  ctx: RecommendContext,
): Promise<{ shelves: number; shelf_members: number }> {
  return writeShelves(db, ctx.collection, contextShelves(ctx), ctx.collectionVectors);
}

/** A workspace's recommendation context and where its vectors came from. */
export interface LoadedContext {
  ctx: RecommendContext;
  collection: Candidate[];
  pool: Candidate[];
  /** The embedder that made the workspace's `embeddings` (run.json names it). */
  embedder: Embedder;
  /** "saved model" or "stored vectors (transformers:…)". */
  space: string;
}

/**
 * What the embed stage loaded and fitted, handed to the recommend stage of the same run (see
 * `StageContext.carried`) so it does not read the collection, the pool and the saved model back
 * (0.16 s of 5,000 catalogue candidates): the same rows and the same model the tables and
 * `embedder/` hold, as the test in tests/pipeline_e2e_test.ts holds them to.
 */
export interface EmbeddedCandidates {
  collection: Candidate[];
  pool: Candidate[];
  model: EmbedderModel;
  embedder: Embedder;
  /** Rows of `collection` and `pool` when they were loaded: a table since changed is read again. */
  rows: { collection: number; pool: number };
}

/** The key the embed stage leaves its {@link EmbeddedCandidates} under in `carried`. */
const EMBEDDED_CANDIDATES = "embedded candidates";

/** The row counts {@link EmbeddedCandidates} are checked by. */
async function candidateRows(db: Database): Promise<EmbeddedCandidates["rows"]> {
  return { collection: await db.count("collection"), pool: await db.count("pool") };
}

/**
 * Leave what the embed stage loaded and fitted in `carried` (the run's `StageContext.carried`)
 * for the recommend stage after it, with the tables' row counts it is checked by.
 */
export async function carryEmbedded(
  db: Database,
  carried: Map<string, unknown>,
  embedded: Omit<EmbeddedCandidates, "rows">,
): Promise<void> {
  carried.set(EMBEDDED_CANDIDATES, { ...embedded, rows: await candidateRows(db) });
}

/** What {@link carryEmbedded} left, taken out of `carried` (undefined: load the workspace). */
export function takeEmbedded(carried: Map<string, unknown>): EmbeddedCandidates | undefined {
  const embedded = carried.get(EMBEDDED_CANDIDATES) as EmbeddedCandidates | undefined;
  carried.delete(EMBEDDED_CANDIDATES);
  return embedded;
}

/** Options for {@link loadContext}. */
export interface LoadContextOptions {
  /**
   * `stored` (default): the shelves the recommend stage wrote (`shelves`, `shelf_members`), so a
   * notebook sees the shelves the lists were made with; `fit`: cluster the collection afresh
   * (what the recommend stage does, then stores them).
   */
  shelves?: "stored" | "fit";
  /** How much plays weigh in the taste profile against the collection (0 = off). */
  listeningWeight?: number;
  /**
   * A catalogue directory (`data/catalog`): its label families and artist aliases, groups and
   * members feed the gem signals that read them. No catalogue there: those signals are all 0.
   */
  catalog?: string;
  /** The embed stage's candidates and model, when it ran earlier in this run. */
  embedded?: EmbeddedCandidates;
}

/**
 * Load the collection and pool of the workspace in `db` and build their context in the embed
 * stage's space (`outDir` holds `embedder/`). A missing or unreadable saved model, vectors that
 * do not cover the collection and pool, or missing or stale shelves are {@link InputError}s that
 * say what to rerun; nothing is fitted afresh behind the collector's back.
 */
export async function loadContext(
  db: Database,
  outDir: string,
  options: LoadContextOptions = {},
): Promise<LoadedContext> {
  const rows = options.embedded && (await candidateRows(db));
  const carried = rows && rows.collection === options.embedded!.rows.collection &&
      rows.pool === options.embedded!.rows.pool
    ? options.embedded
    : undefined;
  const collection = carried?.collection ?? await loadCollectionCandidates(db);
  const pool = carried?.pool ?? await loadPoolCandidates(db);
  // Over a big pool the helper thread takes part in building the context: it starts loading now,
  // while the rest is read, rather than when the first query needs it.
  if (pool.length >= BACKGROUND_CLUSTERING_POOL) helperThread();
  const { model, embedder } = carried ?? await loadSavedSpace(join(outDir, "embedder"));
  let vectors: ContextOptions["vectors"];
  if (!embedder.recomputable) {
    const stored = await readEmbeddings(db, [...collection, ...pool].map((c) => c.key));
    if (!stored) {
      throw new InputError(
        `the \`embeddings\` table does not cover the collection and pool (${embedder.name} made ` +
          "it, and its vectors cannot be recomputed): run `deno task embed` again",
      );
    }
    vectors = {
      collection: stored.vectors.subarray(0, collection.length * stored.dims),
      pool: stored.vectors.subarray(collection.length * stored.dims),
      dims: stored.dims,
    };
  }
  let shelves: Shelves | undefined;
  if ((options.shelves ?? "stored") === "stored") {
    const stored = await readShelves(db);
    if (!stored) {
      throw new InputError(
        `the workspace ${db.path} has no \`shelves\` table yet: run \`deno task recommend\` first`,
      );
    }
    shelves = storedShelvesOf(stored, collection, vectors?.dims ?? model.dims);
  }
  const market = await loadMarket(db);
  const played = await loadPlayedNotOwned(db, pool);
  const listening = {
    docs: await loadListeningDocs(db, [...collection, ...pool]),
    weight: options.listeningWeight ?? 0,
  };
  const relations = options.catalog
    ? await loadCatalogRelations(db, options.catalog, [...collection, ...pool])
    : undefined;
  const ctx = buildContext(collection, pool, {
    model,
    relations,
    vectors,
    shelves,
    market,
    played,
    listening,
  });
  const space = vectors ? `stored vectors (${embedder.name})` : "saved model";
  return { ctx, collection, pool, embedder, space };
}
