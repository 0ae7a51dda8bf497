/**
 * The baselines the evaluation harness measures Next Spin against, each scoring every
 * candidate (higher is better):
 *
 * - random;
 * - popularity: most wanted first;
 * - genre-only: how common the candidate's genres are in the collection;
 * - TF-IDF kNN: TF-IDF over genre, style, label and decade tokens, a candidate's score being the
 *   mean of its top-5 cosine similarities to the collection's releases (the original prototype's
 *   recommender, and a strong baseline).
 *
 * @module
 */

import { type FeatureField, tokensOf } from "../embed/features.ts";
import { seededRandom } from "../embed/projection.ts";
import { topK } from "../embed/similarity.ts";
import { fitTfidf, tfidfVector } from "../embed/tfidf.ts";
import type { Candidate } from "./candidates.ts";

/** A scorer: the collection in, one score per candidate out. */
export type Scorer = (
  collection: readonly Candidate[],
  candidates: readonly Candidate[],
  seed: number,
) => Float64Array;

export const randomBaseline: Scorer = (_c, candidates, seed) => {
  const rng = seededRandom(seed);
  return Float64Array.from(candidates, () => rng());
};

export const popularityBaseline: Scorer = (_c, candidates) =>
  Float64Array.from(candidates, (c) => c.want ?? 0);

export const genreBaseline: Scorer = (collection, candidates) => {
  const share = new Map<string, number>();
  for (const c of collection) {
    for (const g of c.genres) {
      share.set(g.toLowerCase(), (share.get(g.toLowerCase()) ?? 0) + 1 / collection.length);
    }
  }
  return Float64Array.from(
    candidates,
    (c) => c.genres.reduce((s, g) => s + (share.get(g.toLowerCase()) ?? 0), 0),
  );
};

const KNN_FIELDS: Record<FeatureField, number> = {
  genre: 1,
  style: 1,
  label: 1,
  decade: 1,
  artist: 0,
  country: 0,
  format: 0,
  // The prototype's kNN knew no credits; the baseline stays the prototype's.
  credit: 0,
};

export const tfidfKnnBaseline: Scorer = (collection, candidates) => {
  const collectionDocs = collection.map((f) => tokensOf(f, KNN_FIELDS));
  const candidateDocs = candidates.map((f) => tokensOf(f, KNN_FIELDS));
  const model = fitTfidf([...collectionDocs, ...candidateDocs]);
  // Inverted index over the collection so each candidate touches only releases sharing a token.
  const postings = new Map<number, { index: number; value: number }[]>();
  collectionDocs.forEach((doc, index) => {
    const v = tfidfVector(model, doc);
    v.ids.forEach((id, z) => {
      if (!postings.has(id)) postings.set(id, []);
      postings.get(id)!.push({ index, value: v.values[z] });
    });
  });
  const sims = new Float64Array(collection.length);
  return Float64Array.from(candidateDocs, (doc) => {
    sims.fill(0);
    const v = tfidfVector(model, doc);
    v.ids.forEach((id, z) => {
      for (const p of postings.get(id) ?? []) sims[p.index] += p.value * v.values[z];
    });
    const top = topK(sims, 5);
    return top.reduce((s, t) => s + t.score, 0) / 5;
  });
};
