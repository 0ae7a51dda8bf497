/**
 * A made-up listening history for trying the listening features on the bundled sample (the
 * notebook uses it when the workspace has no plays of its own): a Spotify extended-history
 * export, in that format, of some records of the collection and some candidates of the pool,
 * fixed by their ids (no randomness, no real person's plays). Never used for your own data.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";

/** When the demo history ends (fixed, so the demo is the same everywhere). */
export const DEMO_END = Date.UTC(2024, 5, 30, 20, 0, 0);

/** The demo export's JSON text: owned records played often, some pool records played too. */
export async function demoExport(db: Database): Promise<string> {
  const owned = await db.all<{ artist: string; title: string }>(
    `SELECT any_value(coalesce(artist_display, artist)) AS artist, any_value(title) AS title
     FROM collection GROUP BY release_id ORDER BY release_id`,
  );
  const pool = (await db.tableExists("pool"))
    ? await db.all<{ artist: string; title: string }>(
      `SELECT coalesce(artist_display, artist) AS artist, title FROM pool
       WHERE artist NOT ILIKE 'various%' ORDER BY coalesce(want, 0) DESC, pool_key LIMIT 8`,
    )
    : [];
  const albums = [
    ...owned.filter((_, i) => i % 25 === 0).slice(0, 10),
    ...pool,
  ];
  const plays: Record<string, unknown>[] = [];
  albums.forEach((a, n) => {
    const times = 14 - n % 12;
    for (let i = 0; i < times; i++) {
      // Spread over ~400 days; the most played albums keep being played recently.
      const days = ((n * 37 + i * 29) % 400) * (n < 4 ? 0.5 : 1);
      const weak = (n + i) % 7 === 0;
      plays.push({
        ts: new Date(DEMO_END - days * 86_400_000 - i * 3_600_000).toISOString()
          .replace(".000Z", "Z"),
        ms_played: weak ? 12_000 : 215_000,
        master_metadata_track_name: `Track ${i + 1}`,
        master_metadata_album_artist_name: a.artist,
        master_metadata_album_album_name: a.title,
        skipped: false,
      });
    }
  });
  for (let i = 0; i < 3; i++) {
    plays.push({
      ts: new Date(DEMO_END - i * 86_400_000).toISOString().replace(".000Z", "Z"),
      ms_played: 1_800_000,
      master_metadata_track_name: null,
      episode_name: `Demo episode ${i + 1}`,
      spotify_episode_uri: `spotify:episode:demo${i}`,
    });
  }
  plays.sort((x, y) => String(x.ts).localeCompare(String(y.ts)));
  return JSON.stringify(plays, null, 1);
}
