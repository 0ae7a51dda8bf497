import { seededRandom } from "../embed/projection.ts";
import { fitEmbedder } from "../embed/model.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import type { Candidate } from "./candidates.ts";
import { buildContext } from "./context.ts";
import { gemScores } from "./kinds/gems.ts";

/** A collection from three of five scenes and a pool from all five (seeded). */
function world(poolSize: number, collectionSize: number): {
  collection: Candidate[];
  pool: Candidate[];
} {
  const rng = seededRandom(11);
  let id = 0;
  const release = (scenes: number): Candidate => {
    const s = Math.floor(rng() * scenes);
    id++;
    const artist = `Artist ${s}-${Math.floor(rng() * 80)}`;
    return {
      key: `w${id}`,
      releaseId: id,
      artist,
      title: `T${id}`,
      artists: [artist],
      labels: [`Label ${s}-${Math.floor(rng() * 20)}`],
      genres: [`Genre ${s}`],
      styles: [`Style ${s}-${Math.floor(rng() * 6)}`],
      year: 1960 + 10 * s + Math.floor(rng() * 10),
      country: null,
      formats: ["Vinyl"],
      have: Math.round(Math.exp(rng() * 7)),
      want: Math.round(Math.exp(rng() * 6)),
      lowestPrice: Math.round(rng() * 4000) / 100,
      currency: "USD",
    };
  };
  const collection = Array.from({ length: collectionSize }, () => release(3));
  const pool = Array.from({ length: poolSize }, () => release(5));
  return { collection, pool };
}

Deno.test("a context whose shelves clustered on the worker is the one clustered here", () => {
  const { collection, pool } = world(3000, 400);
  const model = fitEmbedder([...collection, ...pool], { dims: 16, seed: 42 });
  const here = buildContext(collection, pool, { model, clusterInBackground: false });
  const aside = buildContext(collection, pool, { model, clusterInBackground: true });
  assert(here.clustering.k > 1, "the collection has shelves to find");
  assertEquals(aside.clustering, here.clustering);
  assertEquals(aside.shelves, here.shelves);
  assertEquals(aside.centroidSims, here.centroidSims);
  assertEquals(aside.tokenLift, here.tokenLift);
  for (const w of [1, 3]) assertEquals(gemScores(aside, w).scores, gemScores(here, w).scores);
});
