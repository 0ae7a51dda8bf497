import { join } from "node:path";
import { Database, literal } from "../db/mod.ts";
import { assertEquals } from "../testing/assert.ts";
import { matchAlbums, type PlayedAlbum } from "./match.ts";

const played = (artist: string, album: string): PlayedAlbum => ({
  artist,
  album,
  plays: 1,
  weightedPlays: 1,
  score: 1,
  firstPlayed: "2024-01-01T00:00:00Z",
  lastPlayed: "2024-01-01T00:00:00Z",
});

Deno.test("with a catalogue in data/catalog, masters are matched from its Parquet, no request", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-catalog-" });
  const db = await Database.open(join(dir, "w.duckdb"));
  try {
    await Deno.mkdir(join(dir, "catalog", "masters"), { recursive: true });
    await db.run(`COPY (SELECT * FROM (VALUES
        (4242::BIGINT, 99::BIGINT, 'Mezzanine', 1998, ['Massive Attack'], ['Electronic'], ['Trip Hop']),
        (4243::BIGINT, 98::BIGINT, 'Homogenic', 1997, ['Björk'], ['Electronic'], ['Art Pop']),
        (4244::BIGINT, 97::BIGINT, 'Dummy', 1994, ['Portishead (2)'], ['Electronic'], ['Trip Hop']))
        t(id, main_release, title, year, artist_names, genres, styles))
      TO ${literal(join(dir, "catalog", "masters", "000000001-000010000.parquet"))}
      (FORMAT parquet)`);
    const report = await matchAlbums(db, [
      played("Massive Attack", "Mezzanine (Deluxe Edition)"),
      played("Bjork", "Homogenic"),
      played("Portishead", "Dummy"),
      played("Tricky", "Maxinquaye"),
    ], { offline: true, authenticated: false, budget: 0, catalogDir: join(dir, "catalog") });
    assertEquals(report.requests, 0);
    assertEquals(report.viaCatalogue, 3);
    assertEquals(report.matches.map((m) => [m.master?.id ?? null, m.rule]), [
      [4242, "normalised"],
      [4243, "normalised"],
      [4244, "exact"],
      [null, null],
    ]);
    assertEquals(report.matches[0].master?.mainRelease, 99);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
