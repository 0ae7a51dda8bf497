import { join } from "node:path";
import { assert, assertEquals } from "../testing/assert.ts";
import { DumpParser } from "./parse.ts";
import type { DumpRelease } from "./schema.ts";
import { syntheticXml, writeSyntheticDump } from "./synthetic.ts";

/** Parse a whole synthetic file (plain XML) and count what the catalogue would hold. */
async function parsedCounts(path: string) {
  const rows = { releases: 0, release_artists: 0, release_labels: 0, release_genres: 0 };
  const parser = new DumpParser("releases", (r: DumpRelease) => {
    rows.releases++;
    rows.release_artists += r.artists.length + r.credits.length;
    rows.release_labels += r.labels.length;
    rows.release_genres += r.genres.length;
  });
  parser.write(await Deno.readFile(path));
  parser.end();
  return rows;
}

Deno.test("synthetic dumps: seeded, ≈ 4 KB a release in both generations, read back as counted", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const sizes: Record<string, number> = {};
    for (const generation of ["2020", "today"] as const) {
      const path = join(dir, `${generation}.xml`);
      const counts = await writeSyntheticDump(path, {
        kind: "releases",
        count: 2000,
        seed: 3,
        generation,
      });
      sizes[generation] = counts.xmlBytes / counts.records;
      assertEquals(counts.xmlBytes, (await Deno.stat(path)).size);
      const parsed = await parsedCounts(path);
      for (const [table, n] of Object.entries(parsed)) assertEquals(n, counts.rows[table], table);
    }
    for (const [generation, perRelease] of Object.entries(sizes)) {
      assert(perRelease >= 3500 && perRelease <= 4500, `${generation}: ${perRelease} B a release`);
    }
    assert(sizes["2020"] > sizes.today, "the 2020 files carry images and empty children");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("synthetic dumps: the same seed gives the same text, another seed another", () => {
  const text = (seed: number, generation: "2020" | "today") =>
    [...syntheticXml({ kind: "artists", count: 50, seed, generation }, {}, { first: 0, last: 0 })]
      .join("");
  assertEquals(text(5, "today"), text(5, "today"));
  assert(text(5, "today") !== text(6, "today"));
  const old = text(5, "2020");
  assert(old.includes("<profile/>") || old.includes("<realname/>"), "2020 writes empty children");
  assert(!text(5, "today").includes("/>"), "today omits them");
});
