import { assert, assertEquals } from "../lib/testing/assert.ts";
import { EXPORT_HEADER, generateCollection, mulberry32, zipf } from "./synthetic.ts";
import { COLLECTION_HEADER } from "../lib/ingest/header.ts";

Deno.test("the synthetic export has the standard header, the row count and ~1% copies owned twice", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { csvPath, jsonlPath, releases } = await generateCollection({
      records: 2000,
      seed: 3,
      dir,
    });
    assertEquals(EXPORT_HEADER, COLLECTION_HEADER);
    const lines = (await Deno.readTextFile(csvPath)).trim().split("\n");
    assertEquals(lines[0], COLLECTION_HEADER);
    assertEquals(lines.length - 1, 2000);
    const bodies = (await Deno.readTextFile(jsonlPath)).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    assertEquals(bodies.length, releases);
    const ids = new Set(bodies.map((b) => b.id));
    assertEquals(ids.size, releases, "one body per distinct release");
    assert(releases < 2000 && releases > 1950, `${releases} distinct releases`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the same seed gives the same bytes; another seed does not", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = await generateCollection({ records: 500, seed: 9, dir: `${dir}/a` });
    const b = await generateCollection({ records: 500, seed: 9, dir: `${dir}/b` });
    const c = await generateCollection({ records: 500, seed: 10, dir: `${dir}/c` });
    const read = (p: string) => Deno.readTextFile(p);
    assertEquals(await read(a.csvPath), await read(b.csvPath));
    assertEquals(await read(a.jsonlPath), await read(b.jsonlPath));
    assert((await read(a.csvPath)) !== (await read(c.csvPath)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("popularity is skewed: the top artist index is drawn far more often than the median", () => {
  const rng = mulberry32(1);
  const counts = new Array(100).fill(0);
  for (let i = 0; i < 20000; i++) counts[zipf(rng, 100)]++;
  assert(counts[0] > 10 * counts[50], `top ${counts[0]} vs middle ${counts[50]}`);
});
