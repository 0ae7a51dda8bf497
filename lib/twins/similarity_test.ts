import { assert, assertEquals } from "../testing/assert.ts";
import { compareCollections, type Holding, LEVEL_WEIGHTS } from "./similarity.ts";

const record = (id: number, artist = `artist ${id}`, label = `label ${id}`): Holding => ({
  releaseId: id,
  masterKey: `m:${id}`,
  artists: [artist],
  labels: [label],
});

Deno.test("a rare overlap beats a mainstream overlap of the same size", () => {
  const mine = Array.from({ length: 100 }, (_, i) => record(i + 1));
  const have = new Map(mine.map((h) => [h.releaseId, h.releaseId <= 50 ? 120 : 40_000]));
  const filler = (from: number) => Array.from({ length: 20 }, (_, i) => record(from + i));
  const rare = [...mine.slice(0, 10), ...filler(1000)];
  const mainstream = [...mine.slice(50, 60), ...filler(2000)];
  const out = compareCollections(mine, [
    { name: "mainstream", holdings: mainstream },
    { name: "rare", holdings: rare },
  ], { have, masterHave: new Map([...have].map(([id, n]) => [`m:${id}`, n])) });
  assertEquals(out.map((c) => c.name), ["rare", "mainstream"]);
  assertEquals(out[0].sharedRecords, 10);
  assertEquals(out[0].sharedRare, 10);
  assertEquals(out[1].sharedRare, 0);
  assert(out[0].components.release > 3 * out[1].components.release, JSON.stringify(out));
});

Deno.test("a huge collection holding everything does not beat a close twin by size", () => {
  const mine = Array.from({ length: 50 }, (_, i) => record(i + 1));
  const twin = [...mine.slice(0, 30), ...Array.from({ length: 10 }, (_, i) => record(500 + i))];
  const hoarder = [...mine, ...Array.from({ length: 5000 }, (_, i) => record(10_000 + i))];
  const out = compareCollections(mine, [
    { name: "hoarder", holdings: hoarder },
    { name: "twin", holdings: twin },
  ]);
  assertEquals(out[0].name, "twin");
  assert(out[1].sharedRecords > out[0].sharedRecords, "the hoarder shares more records");
});

Deno.test("the blend is the stated weighted sum of the level scores, each within 0..1", () => {
  const mine = [record(1, "a", "x"), record(2, "b", "y")];
  const out = compareCollections(mine, [{
    name: "t",
    holdings: [record(1, "a", "x"), record(3, "b", "z")],
  }]);
  const c = out[0];
  for (const v of Object.values(c.components)) assert(v >= 0 && v <= 1);
  const blended = Object.entries(LEVEL_WEIGHTS)
    .reduce((s, [l, w]) => s + w * c.components[l as keyof typeof LEVEL_WEIGHTS], 0);
  assertEquals(Math.abs(blended - c.similarity) < 1e-12, true);
  assertEquals(c.shared.artist.map((x) => x.key), ["a", "b"]);
  assert(Math.abs(Object.values(LEVEL_WEIGHTS).reduce((a, b) => a + b, 0) - 1) < 1e-12);
});
