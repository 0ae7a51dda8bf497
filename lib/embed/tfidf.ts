/**
 * TF-IDF over release tokens, as sparse vectors in typed arrays. Tokens are interned to ids once,
 * so embedding a million releases does not allocate per token.
 *
 * @module
 */

/** A sparse vector: token ids and their values (L2-normalised). */
export interface SparseVector {
  ids: Int32Array;
  values: Float32Array;
}

/** A fitted vocabulary with inverse document frequencies. */
export interface TfidfModel {
  vocabulary: Map<string, number>;
  idf: Float32Array;
}

/**
 * Fit the vocabulary and smoothed IDF (`ln((1 + n) / (1 + df)) + 1`) on documents of weighted
 * tokens, keeping tokens seen in at least `minDf` documents (and at most `maxVocabulary`, most
 * frequent first).
 */
export function fitTfidf(
  documents: Iterable<Map<string, number>>,
  options: { minDf?: number; maxVocabulary?: number } = {},
): TfidfModel {
  const df = new Map<string, number>();
  let n = 0;
  for (const doc of documents) {
    n++;
    for (const token of doc.keys()) df.set(token, (df.get(token) ?? 0) + 1);
  }
  const minDf = options.minDf ?? 1;
  const kept = [...df].filter(([, count]) => count >= minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxVocabulary ?? Infinity);
  const vocabulary = new Map<string, number>();
  const idf = new Float32Array(kept.length);
  kept.forEach(([token, count], i) => {
    vocabulary.set(token, i);
    idf[i] = Math.log((1 + n) / (1 + count)) + 1;
  });
  return { vocabulary, idf };
}

/** One document as an L2-normalised TF-IDF vector; unknown tokens are ignored. */
export function tfidfVector(model: TfidfModel, tokens: Map<string, number>): SparseVector {
  const ids: number[] = [];
  const values: number[] = [];
  let norm = 0;
  for (const [token, weight] of tokens) {
    const id = model.vocabulary.get(token);
    if (id === undefined) continue;
    const v = weight * model.idf[id];
    ids.push(id);
    values.push(v);
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  return { ids: Int32Array.from(ids), values: Float32Array.from(values, (v) => v / norm) };
}

/** Cosine of two normalised sparse vectors. */
export function sparseCosine(a: SparseVector, b: SparseVector): number {
  let sum = 0;
  const map = new Map<number, number>();
  for (let i = 0; i < a.ids.length; i++) map.set(a.ids[i], a.values[i]);
  for (let i = 0; i < b.ids.length; i++) sum += (map.get(b.ids[i]) ?? 0) * b.values[i];
  return sum;
}
