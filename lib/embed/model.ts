/**
 * The default taste embedder: offline, deterministic, learned from the data itself. Weighted
 * TF-IDF over styles, artists, labels, genres, decade, country and format tokens, reduced to
 * `dims` (64) by a fitted truncated SVD, L2-normalised. The fitted model is saved, so the pool
 * and later runs embed into the same space.
 *
 * @example
 * ```ts
 * const model = fitEmbedder([...collection, ...pool], { dims: 64, seed: 42 });
 * const vectors = embed(model, pool); // Float32Array, pool.length × 64
 * await saveModel(model, "data/out/embedder");
 * ```
 *
 * @module
 */

import { join } from "node:path";
import { writeAtomically, writeTextAtomically } from "../fs/atomic.ts";
import {
  DEFAULT_FIELD_WEIGHTS,
  type FeatureField,
  forEachToken,
  type ReleaseFeatures,
  tokensOf,
} from "./features.ts";
import { fitProjection, seededRandom } from "./projection.ts";
import { fitTfidf, type TfidfModel, tfidfVector } from "./tfidf.ts";

/** Bumped when the embedding space changes meaning. */
export const EMBEDDER_VERSION = 1;

/** A fitted embedder. */
export interface EmbedderModel {
  version: number;
  dims: number;
  seed: number;
  fieldWeights: Record<FeatureField, number>;
  tfidf: TfidfModel;
  /** Row-major vocabulary × dims. */
  projection: Float32Array;
}

/** Options for {@link fitEmbedder}. */
export interface FitOptions {
  dims?: number;
  seed?: number;
  fieldWeights?: Record<FeatureField, number>;
  /** Releases used to fit the SVD (a seeded sample of the corpus when larger). */
  fitSample?: number;
  /** Tokens seen in fewer documents carry no shared signal and are dropped. */
  minDf?: number;
}

/** Fit the embedder on a corpus (typically the collection plus the pool). */
export function fitEmbedder(
  corpus: readonly ReleaseFeatures[],
  options: FitOptions = {},
): EmbedderModel {
  const dims = options.dims ?? 64;
  const seed = options.seed ?? 42;
  const fieldWeights = options.fieldWeights ?? DEFAULT_FIELD_WEIGHTS;
  const limit = options.fitSample ?? 40_000;
  // Document frequencies in one streaming pass: holding a token map per release would cost
  // gigabytes at a million releases; only the SVD sample is tokenised and kept — and when the
  // sample is the whole corpus, the first pass's tokens are kept for it instead of made again.
  const whole = corpus.length <= limit;
  const kept: Map<string, number>[] = [];
  const tfidf = fitTfidf(
    (function* () {
      for (const f of corpus) {
        const tokens = tokensOf(f, fieldWeights);
        if (whole) kept.push(tokens);
        yield tokens;
      }
    })(),
    { minDf: options.minDf ?? 2 },
  );
  let sampleIndexes = [...Array(Math.min(corpus.length, limit)).keys()];
  if (corpus.length > limit) {
    const rng = seededRandom(seed + 1);
    const idx = [...corpus.keys()];
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    sampleIndexes = idx.slice(0, limit);
  }
  const sample = whole ? kept : sampleIndexes.map((i) => tokensOf(corpus[i], fieldWeights));
  const rows = sample.map((d) => tfidfVector(tfidf, d));
  const projection = fitProjection(rows, tfidf.vocabulary.size, { dims, seed });
  return { version: EMBEDDER_VERSION, dims, seed, fieldWeights, tfidf, projection };
}

/**
 * Embed releases into the model's space: a row-major Float32Array of n × dims unit vectors.
 * Projection is linear and the result is normalised, so each token's projected row is added
 * straight into the output (weight × idf) — no sparse vector is built per release. With
 * `shared`, the output is in a `SharedArrayBuffer` (a big pool's vectors, which the helper thread
 * reads for its share of the shelf scan), the same values.
 */
export function embed(
  model: EmbedderModel,
  releases: readonly ReleaseFeatures[],
  options: { shared?: boolean } = {},
): Float32Array {
  return tokenPass(model, releases, { vectors: true, tokens: false, shared: options.shared })
    .vectors!;
}

/**
 * {@link embed} and {@link tokenRows} of the same releases in one pass over their tokens (the
 * recommend stage needs both for the pool; tokenising is most of either): the same values.
 */
export function embedWithTokens(
  model: EmbedderModel,
  releases: readonly ReleaseFeatures[],
  options: { shared?: boolean } = {},
): { vectors: Float32Array; tokens: TokenRows } {
  const out = tokenPass(model, releases, { vectors: true, tokens: true, shared: options.shared });
  return { vectors: out.vectors!, tokens: out.tokens! };
}

/** What {@link embed} and {@link tokenRows} compute, whichever of the two is asked for. */
function tokenPass(
  model: EmbedderModel,
  releases: readonly ReleaseFeatures[],
  want: { vectors: boolean; tokens: boolean; shared?: boolean },
): { vectors?: Float32Array; tokens?: TokenRows } {
  const { dims, projection } = model;
  const { vocabulary, idf } = model.tfidf;
  const length = want.vectors ? releases.length * dims : 0;
  const out = want.shared
    ? new Float32Array(new SharedArrayBuffer(length * 4))
    : new Float32Array(length);
  const offsets = new Int32Array(want.tokens ? releases.length + 1 : 0);
  const ids: number[] = [];
  const unseenFields = new Uint32Array(want.tokens ? releases.length : 0);
  releases.forEach((f, i) => {
    const offset = i * dims;
    forEachToken(f, model.fieldWeights, (token, weight) => {
      const id = vocabulary.get(token);
      if (id === undefined) {
        if (want.tokens) {
          unseenFields[i] |= 2 ** FIELD_INDEX.get(token.slice(0, token.indexOf(":")))!;
        }
        return;
      }
      if (want.tokens) ids.push(id);
      if (!want.vectors) return;
      const x = weight * idf[id];
      const base = id * dims;
      for (let j = 0; j < dims; j++) out[offset + j] += x * projection[base + j];
    });
    if (want.tokens) offsets[i + 1] = ids.length;
    if (!want.vectors) return;
    let norm = 0;
    for (let j = 0; j < dims; j++) norm += out[offset + j] ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0) { for (let j = 0; j < dims; j++) out[offset + j] /= norm; }
  });
  return {
    ...(want.vectors ? { vectors: out } : {}),
    ...(want.tokens ? { tokens: { offsets, ids: Int32Array.from(ids), unseenFields } } : {}),
  };
}

/** Save the model as `model.json` + `projection.f32` in `dir`, atomically. */
export async function saveModel(model: EmbedderModel, dir: string): Promise<void> {
  const meta = {
    version: model.version,
    dims: model.dims,
    seed: model.seed,
    fieldWeights: model.fieldWeights,
    vocabulary: [...model.tfidf.vocabulary.keys()],
    idf: [...model.tfidf.idf],
  };
  await writeAtomically(
    join(dir, "projection.f32"),
    (tmp) => Deno.writeFile(tmp, new Uint8Array(model.projection.buffer)),
  );
  await writeTextAtomically(join(dir, "model.json"), JSON.stringify(meta));
}

/** Load a model saved by {@link saveModel}. */
export async function loadModel(dir: string): Promise<EmbedderModel> {
  const meta = JSON.parse(await Deno.readTextFile(join(dir, "model.json")));
  const bytes = await Deno.readFile(join(dir, "projection.f32"));
  const vocabulary = new Map<string, number>((meta.vocabulary as string[]).map((t, i) => [t, i]));
  return {
    version: meta.version,
    dims: meta.dims,
    seed: meta.seed,
    fieldWeights: meta.fieldWeights,
    tfidf: { vocabulary, idf: Float32Array.from(meta.idf) },
    projection: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4),
  };
}

/** Field of each token id, as an index into {@link TOKEN_FIELDS}. */
export const TOKEN_FIELDS = [
  "style",
  "genre",
  "artist",
  "label",
  "decade",
  "country",
  "format",
  "credit",
] as const;

/** Each field's index in {@link TOKEN_FIELDS}. */
const FIELD_INDEX = new Map<string, number>(TOKEN_FIELDS.map((f, i) => [f, i]));

/**
 * Token ids of many releases at once, in compressed sparse rows: the ids of release `i` are
 * `ids[offsets[i] .. offsets[i + 1])`. Tokens outside the vocabulary (seen once in the corpus)
 * are not listed; `unseenFields[i]` has bit `f` set when release `i` had such a token in field
 * `TOKEN_FIELDS[f]`. Computed once, this lets per-collection scoring run on typed arrays.
 */
export interface TokenRows {
  offsets: Int32Array;
  ids: Int32Array;
  /** One bit per field of {@link TOKEN_FIELDS} (up to 32 fields). */
  unseenFields: Uint32Array;
}

/** Token rows of releases in the model's vocabulary (see {@link TokenRows}). */
export function tokenRows(model: EmbedderModel, releases: readonly ReleaseFeatures[]): TokenRows {
  return tokenPass(model, releases, { vectors: false, tokens: true }).tokens!;
}

/** Field index (into {@link TOKEN_FIELDS}) of every vocabulary token. */
export function tokenFields(model: EmbedderModel): Uint8Array {
  const out = new Uint8Array(model.tfidf.vocabulary.size);
  for (const [token, id] of model.tfidf.vocabulary) {
    out[id] = FIELD_INDEX.get(token.slice(0, token.indexOf(":")))!;
  }
  return out;
}
