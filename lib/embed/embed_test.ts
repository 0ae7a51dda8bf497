import { assert, assertAlmostEquals, assertEquals } from "../testing/assert.ts";
import { normalizeRelease } from "../discogs/release.ts";
import { type ReleaseFeatures, tokensOf } from "./features.ts";
import { embed, embedWithTokens, fitEmbedder, loadModel, saveModel, tokenRows } from "./model.ts";
import { orthonormalize, symmetricEigen } from "./projection.ts";
import { rowDot, topK } from "./similarity.ts";
import { fitTfidf, sparseCosine, tfidfVector } from "./tfidf.ts";

const GUSTW = new URL(
  "../../../shared/fixtures/api/releases/gustw_releases.jsonl",
  import.meta.url,
);

function gustw(): ReleaseFeatures[] {
  return Deno.readTextFileSync(GUSTW).trim().split("\n").map((line) => {
    const r = normalizeRelease(JSON.parse(line), "USD", new Date());
    if ("reject" in r) throw new Error(r.reject);
    const x = r.release;
    return {
      key: String(x.releaseId),
      artists: x.artists,
      labels: x.labels,
      genres: x.genres,
      styles: x.styles,
      year: x.year,
      country: x.country,
      formats: x.formats,
    };
  });
}

Deno.test("tokens: fields, names without Discogs suffixes, decade, meaningful format words, no placeholders", () => {
  const tokens = tokensOf({
    key: "1",
    artists: ["Dillinja (2)", "Various"],
    labels: ["Metalheadz"],
    genres: ["Electronic"],
    styles: ["Drum n Bass"],
    year: 1996,
    country: "UK",
    formats: ['Vinyl, 12", 33 ⅓ RPM'],
  });
  assertEquals([...tokens.keys()].sort(), [
    "artist:dillinja",
    "country:uk",
    "decade:1990s",
    'format:12"',
    "format:vinyl",
    "genre:electronic",
    "label:metalheadz",
    "style:drum n bass",
  ]);
  assertEquals(tokens.get("style:drum n bass"), 3);
});

Deno.test("TF-IDF weights match a hand computation", () => {
  const docs = [new Map([["a", 1], ["b", 1]]), new Map([["a", 1]]), new Map([["c", 2]])];
  const model = fitTfidf(docs);
  // idf = ln((1+n)/(1+df)) + 1 with n = 3.
  assertAlmostEquals(model.idf[model.vocabulary.get("a")!], Math.log(4 / 3) + 1, 1e-6);
  assertAlmostEquals(model.idf[model.vocabulary.get("c")!], Math.log(4 / 2) + 1, 1e-6);
  const v = tfidfVector(model, docs[0]);
  const a = Math.log(4 / 3) + 1;
  const b = Math.log(4 / 2) + 1;
  assertAlmostEquals(
    v.values[[...v.ids].indexOf(model.vocabulary.get("a")!)],
    a / Math.hypot(a, b),
    1e-6,
  );
  assertAlmostEquals(sparseCosine(v, v), 1, 1e-6);
});

Deno.test("Jacobi eigen-decomposition recovers a known spectrum", () => {
  const { values } = symmetricEigen(Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]), 3);
  assertEquals([...values].map((v) => Math.round(v * 1e9) / 1e9).sort(), [1, 3, 5]);
});

Deno.test("the SVD embedding keeps TF-IDF neighbourhoods of a real collection", () => {
  const releases = gustw();
  const model = fitEmbedder(releases, { dims: 64, seed: 42, minDf: 1 });
  const vectors = embed(model, releases);
  const sparse = releases.map((r) => tfidfVector(model.tfidf, tokensOf(r, model.fieldWeights)));
  let overlap = 0;
  const probes = 60;
  for (let i = 0; i < probes; i++) {
    const exact = new Float64Array(releases.length);
    const dense = new Float64Array(releases.length);
    for (let j = 0; j < releases.length; j++) {
      exact[j] = sparseCosine(sparse[i], sparse[j]);
      dense[j] = rowDot(vectors, i, vectors, j, 64);
    }
    const a = new Set(topK(exact, 11, (j) => j === i).map((t) => t.index));
    overlap += topK(dense, 11, (j) => j === i).filter((t) => a.has(t.index)).length / 11;
  }
  // Measured 0.6–0.7 at 64 dimensions; random vectors would give ~0.03.
  assert(overlap / probes > 0.5, `top-10 neighbour overlap ${(overlap / probes).toFixed(2)}`);
  for (let i = 0; i < releases.length; i++) {
    assertAlmostEquals(Math.hypot(...vectors.subarray(i * 64, i * 64 + 64)), 1, 1e-4);
  }
});

Deno.test("the same seed gives the same space, and a saved model embeds identically", async () => {
  const releases = gustw().slice(0, 120);
  const a = fitEmbedder(releases, { dims: 16, seed: 7 });
  const b = fitEmbedder(releases, { dims: 16, seed: 7 });
  assertEquals(embed(a, releases), embed(b, releases));
  const shared = embed(a, releases, { shared: true });
  assert(shared.buffer instanceof SharedArrayBuffer, "embedded into shared memory");
  assertEquals(Float32Array.from(shared), embed(a, releases), "the same vectors in shared memory");
  const dir = await Deno.makeTempDir();
  try {
    await saveModel(a, dir);
    const loaded = await loadModel(dir);
    assertEquals(embed(loaded, releases), embed(a, releases));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("top-k selection matches a full sort", () => {
  const scores = Float64Array.from(
    { length: 1000 },
    (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1,
  );
  const brute = [...scores.keys()].sort((x, y) => scores[y] - scores[x]).slice(0, 25);
  assertEquals(topK(scores, 25).map((t) => t.index), brute);
});

Deno.test("top-k selection is the first k of a full sort by score, then index, with ties, NaN and skips", () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (const n of [0, 1, 2, 10, 257, 3000]) {
    for (const levels of [3, 50, 1e9]) {
      // Few levels: many exact ties, also at the boundary.
      const scores = Float64Array.from({ length: n }, () => Math.floor(rnd() * levels) / levels);
      if (n > 5) (scores[3] = NaN, scores[n - 1] = -Infinity, scores[n - 2] = Infinity);
      const skip = (i: number) => i % 13 === 5;
      for (const k of [0, 1, 5, 50, n, n + 3]) {
        for (const skipping of [undefined, skip]) {
          const brute = [...scores.keys()]
            .filter((i) => !Number.isNaN(scores[i]) && !(skipping && skipping(i)))
            .sort((x, y) => scores[y] - scores[x] || x - y)
            .slice(0, k)
            .map((index) => ({ index, score: scores[index] }));
          assertEquals(topK(scores, k, skipping), brute, `n ${n} levels ${levels} k ${k}`);
        }
      }
    }
  }
  assertEquals(topK(new Float32Array([0.5, 0.25, 0.5]), 2), [
    { index: 0, score: 0.5 },
    { index: 2, score: 0.5 },
  ]);
});

Deno.test("embedWithTokens is embed and tokenRows in one pass, bit for bit", () => {
  const releases = gustw();
  const model = fitEmbedder(releases.slice(0, 150), { dims: 16, seed: 3 });
  // The rest has tokens outside the vocabulary: unseen fields are marked.
  const both = embedWithTokens(model, releases);
  assertEquals(both.vectors, embed(model, releases));
  assertEquals(both.tokens, tokenRows(model, releases));
  assert(both.tokens.unseenFields.some((bits) => bits !== 0));
  const shared = embedWithTokens(model, releases, { shared: true });
  assert(shared.vectors.buffer instanceof SharedArrayBuffer);
  assertEquals([...shared.vectors], [...both.vectors]);
});

Deno.test("orthonormalize is the textbook modified Gram–Schmidt, bit for bit", () => {
  /** Column after column, each projection then the norm, on the row-major matrix itself. */
  function textbook(m: Float64Array, n: number, k: number) {
    for (let j = 0; j < k; j++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += m[i * k + j] * m[i * k + p];
        for (let i = 0; i < n; i++) m[i * k + j] -= dot * m[i * k + p];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += m[i * k + j] ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < n; i++) m[i * k + j] /= norm;
    }
  }
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5;
  for (const [n, k] of [[7, 1], [9, 2], [40, 3], [40, 4], [100, 5], [300, 10], [500, 74]]) {
    const m = Float64Array.from({ length: n * k }, rnd);
    if (k > 2) { for (let i = 0; i < n; i++) m[i * k + 2] = m[i * k + 1]; // a dependent column
     }
    const want = Float64Array.from(m);
    textbook(want, n, k);
    orthonormalize(m, n, k);
    assertEquals([...m], [...want], `${n}×${k}`);
  }
});
