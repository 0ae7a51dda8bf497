import { assert, assertEquals } from "../testing/assert.ts";
import type { Candidate } from "../recommend/candidates.ts";
import { rec, resetIds } from "../recommend/testing.ts";
import { evaluateTwins } from "./evaluate.ts";
import { type TwinRecord, YOU } from "./mod.ts";

const STYLES = ["Jungle", "Dub", "Techno", "House", "Ambient", "Breakbeat"];

function world() {
  resetIds();
  const make = (n: number, offset: number) =>
    Array.from({ length: n }, (_, i) => {
      const style = STYLES[(i + offset) % STYLES.length];
      return rec(
        `${style} Artist ${i % 7}`,
        `${style} Label`,
        [style],
        "Electronic",
        1990 + (i % 10),
      );
    });
  const collection = make(40, 0);
  const pool = make(200, 3);
  return { collection, pool };
}

function asRecord(c: Candidate, collection: string): TwinRecord {
  return {
    collection,
    list: "collection",
    releaseId: c.releaseId!,
    masterId: c.releaseId,
    masterKey: `m:${c.releaseId}`,
    artist: c.artist,
    title: c.title,
    label: c.labels[0],
    format: "LP",
    year: c.year,
    country: c.country,
    genres: c.genres,
    styles: c.styles,
    have: c.have,
    want: c.want,
    lowestPrice: c.lowestPrice,
    numForSale: null,
    currency: c.currency,
    thumbnailUrl: null,
    mediaCondition: null,
    sleeveCondition: null,
  };
}

Deno.test("twin picks find what a real twin owns, and nothing when nobody overlaps", () => {
  const { collection, pool } = world();
  const mine = collection.map((c) => asRecord(c, YOU));
  const twin = [...collection, ...pool.slice(0, 10)].map((c) => asRecord(c, "twin"));
  const stranger = pool.slice(100, 130).map((c) => asRecord(c, "stranger"));
  const options = { folds: 2, seed: 7 };
  const recall = (community: TwinRecord[]) =>
    Object.fromEntries(
      evaluateTwins("test", collection, mine, pool, community, options).map((
        r,
      ) => [r.recommender, r.recall_at_50]),
    );
  const withTwin = recall([...twin, ...stranger]);
  assertEquals(withTwin["twin picks"], 1, JSON.stringify(withTwin));
  assert(withTwin["gems + twin picks"] >= withTwin["next-spin gems"], JSON.stringify(withTwin));
  const strangersOnly = recall(stranger);
  assertEquals(strangersOnly["twin picks"], 0, JSON.stringify(strangersOnly));
});
