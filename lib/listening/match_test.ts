import { join } from "node:path";
import { Database, literal } from "../db/mod.ts";
import { assertEquals } from "../testing/assert.ts";
import { matchAlbums, type PlayedAlbum } from "./match.ts";
import { analyseListening } from "./analyse.ts";
import { writeListening } from "./import.ts";

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
        (4244::BIGINT, 97::BIGINT, 'Dummy', 1994, ['Portishead (2)'], ['Electronic'], ['Trip Hop']),
        (4245::BIGINT, 96::BIGINT, 'Bookends', 1968, ['Simon & Garfunkel'], ['Rock'], ['Folk Rock']))
        t(id, main_release, title, year, artist_names, genres, styles))
      TO ${literal(join(dir, "catalog", "masters", "000000001-000010000.parquet"))}
      (FORMAT parquet)`);
    const report = await matchAlbums(db, [
      played("Massive Attack", "Mezzanine (Deluxe Edition)"),
      played("Bjork", "Homogenic"),
      played("Portishead", "Dummy"),
      played("Tricky", "Maxinquaye"),
      played("Simon and Garfunkel", "Bookends"),
    ], { offline: true, authenticated: false, budget: 0, catalogDir: join(dir, "catalog") });
    assertEquals(report.requests, 0);
    assertEquals(report.viaCatalogue, 4);
    assertEquals(report.matches.map((m) => [m.master?.id ?? null, m.rule]), [
      [4242, "normalised"],
      [4243, "normalised"],
      [4244, "exact"],
      [null, null],
      [4245, "normalised"],
    ]);
    assertEquals(report.matches[0].master?.mainRelease, 99);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("listen with a catalogue: played artists get their Discogs artist, one name one artist", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-catalog-" });
  const db = await Database.open(join(dir, "w.duckdb"));
  try {
    await Deno.mkdir(join(dir, "catalog", "masters"), { recursive: true });
    await Deno.mkdir(join(dir, "catalog", "artists"), { recursive: true });
    await db.run(`COPY (SELECT 1::BIGINT AS id, 2::BIGINT AS main_release, 'Back In Black' AS title,
        1980 AS year, ['AC/DC'] AS artist_names, ['Rock'] AS genres, ['Hard Rock'] AS styles)
      TO ${literal(join(dir, "catalog", "masters", "a.parquet"))} (FORMAT parquet)`);
    await db.run(`COPY (SELECT * FROM (VALUES (84::BIGINT, 'AC/DC'), (7::BIGINT, 'Nirvana'),
        (8::BIGINT, 'Nirvana (2)')) t(id, name))
      TO ${literal(join(dir, "catalog", "artists", "a.parquet"))} (FORMAT parquet)`);
    await writeListening(db, [
      {
        playedAt: "2024-01-01T00:00:00Z",
        artist: "AC/DC",
        album: "Back in Black (Remastered)",
        track: "Hells Bells",
        msPlayed: 300_000,
        skipped: false,
        source: "lastfm",
      },
      {
        playedAt: "2024-01-02T00:00:00Z",
        artist: "Nirvana",
        album: "Nevermind",
        track: "Lithium",
        msPlayed: 250_000,
        skipped: false,
        source: "lastfm",
      },
    ]);
    const a = await analyseListening(db, {
      offline: true,
      authenticated: false,
      catalogDir: join(dir, "catalog"),
    });
    assertEquals([a.matched, a.viaCatalogue], [1, true]);
    assertEquals(
      await db.all("SELECT artist, artist_id, match_rule FROM listening_artists ORDER BY artist"),
      [
        { artist: "AC/DC", artist_id: 84, match_rule: "exact" },
        // Two Discogs artists are called Nirvana: not guessed.
        { artist: "Nirvana", artist_id: null, match_rule: null },
      ],
    );
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
