import { join } from "node:path";
import { Database } from "../db/mod.ts";
import { assertEquals } from "../testing/assert.ts";
import type { CatalogPart } from "./manifest.ts";
import type { DumpRelease } from "./schema.ts";
import { CatalogWriter, removeUnlisted } from "./write.ts";

function release(id: number, credits: number): DumpRelease {
  return {
    id,
    status: null,
    title: `Title "${id}" & co`,
    artists: [{ id: 1, name: "Main", anv: null, join: null, role: null, tracks: null }],
    credits: Array.from({ length: credits }, (_, i) => ({
      id: 100 + i,
      name: `Credit ${i}`,
      anv: null,
      join: null,
      role: "Remix",
      tracks: "A1",
    })),
    labels: [{ id: 5, name: "Svek", catno: "SK032" }],
    formats: [{ name: "Vinyl", qty: 2, text: null, descriptions: ['12"', "33 ⅓ RPM"] }],
    genres: ["Electronic"],
    styles: (id / 10) % 2 ? ["Deep House"] : [],
    country: "Sweden",
    released: "1999-03-00",
    year: 1999,
    data_quality: "Correct",
    master_id: null,
    is_main_release: false,
    track_count: 6,
  };
}

Deno.test("CatalogWriter cuts every table at the same records, in id order, zstd", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const parts: CatalogPart[] = [];
    const writer = await CatalogWriter.open(dir, "releases", {
      partSize: 3,
      onPart: (part) => {
        parts.push(part);
        return Promise.resolve();
      },
      fingerprint: (end) => `tail@${end}`,
    });
    for (let id = 1; id <= 7; id++) {
      writer.add(release(id * 10, id % 3), id * 100);
      await writer.settle(1);
    }
    await writer.finish(700);
    writer.close();
    assertEquals(parts.map((p) => [p.file, p.records, p.end_offset, p.tail_sha1]), [
      ["000000010-000000030.parquet", 3, 300, "tail@300"],
      ["000000040-000000060.parquet", 3, 600, "tail@600"],
      ["000000070-000000070.parquet", 1, 700, "tail@700"],
    ]);
    assertEquals(parts[0].rows, {
      releases: 3,
      release_artists: 3 + 1 + 2 + 0,
      release_labels: 3,
      release_genres: 3,
      release_styles: 2,
      release_formats: 3,
    });
    const db = await Database.open(":memory:");
    try {
      const r = await db.all(
        `SELECT id, title, format_summary FROM read_parquet('${dir}/releases/*.parquet')
         ORDER BY id LIMIT 1`,
      );
      assertEquals(r, [{
        id: 10,
        title: 'Title "10" & co',
        format_summary: '2×Vinyl, 12", 33 ⅓ RPM',
      }]);
      const a = await db.all(
        `SELECT position, kind, artist_id, role FROM read_parquet('${dir}/release_artists/*.parquet')
         WHERE release_id = 20 ORDER BY position`,
      );
      assertEquals(a, [
        { position: 1, kind: "main", artist_id: 1, role: null },
        { position: 2, kind: "credit", artist_id: 100, role: "Remix" },
        { position: 3, kind: "credit", artist_id: 101, role: "Remix" },
      ]);
    } finally {
      db.close();
    }
    // A part the manifest does not list (an interrupted run's) is removed; listed ones stay.
    await removeUnlisted(dir, "releases", new Set([parts[0].file]));
    assertEquals([...Deno.readDirSync(join(dir, "release_genres"))].map((e) => e.name), [
      parts[0].file,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
