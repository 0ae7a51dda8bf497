/**
 * `deno task twins` end to end: against the fixture exports plus collections planted to share
 * the sample's rarest (or most common) records, and against the fake Discogs by username
 * (a planted twin, a private collection, an unknown user), online then `--offline`.
 */

import { join } from "node:path";
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { startFakeDiscogs } from "./fake_discogs/server.ts";
import { closedPort, fixturePath, runModule, runPipeline, tempWorkspace } from "./helpers.ts";

const HEADER =
  "Catalog#,Artist,Title,Label,Format,Rating,Released,release_id,CollectionFolder,Date Added,Collection Media Condition,Collection Sleeve Condition,Collection Notes";

const csvCell = (v: unknown) => `"${String(v ?? "").replaceAll('"', '""')}"`;

interface Rec {
  release_id: number;
  artist: string;
  title: string;
  label: string | null;
  format: string | null;
  year: number | null;
}

function exportCsv(records: Rec[]): string {
  return [
    HEADER,
    ...records.map((r) =>
      [
        "X-1",
        r.artist,
        r.title,
        r.label,
        r.format ?? "LP",
        "",
        r.year ?? 0,
        r.release_id,
        "Uncategorized",
        "2024-01-01 10:00:00",
        "Very Good Plus (VG+)",
        "Very Good (VG)",
        "",
      ].map(csvCell).join(",")
    ),
  ].join("\n") + "\n";
}

async function query<T>(path: string, sql: string): Promise<T[]> {
  const db = await Database.open(path);
  try {
    return await db.all<T>(sql);
  } finally {
    db.close();
  }
}

/** The sample's records, rarest first (by Discogs have), and pool records it does not own. */
async function sampleRecords(dbPath: string) {
  const owned = await query<Rec & { have: number }>(
    dbPath,
    `SELECT c.release_id, c.artist, c.title, c.label, c.format, c.released_year AS year, r.have
     FROM collection c JOIN releases r USING (release_id)
     WHERE r.have IS NOT NULL QUALIFY row_number() OVER (PARTITION BY release_id) = 1
     ORDER BY r.have, release_id`,
  );
  const others = await query<Rec>(
    dbPath,
    `SELECT release_id, artist_display AS artist, title, label, format, year FROM pool
     WHERE release_id IS NOT NULL AND artist_display IS NOT NULL AND title IS NOT NULL
     ORDER BY release_id LIMIT 60`,
  );
  return { owned, others };
}

Deno.test({
  name:
    "twins from exports: a planted twin ranks first, mainstream overlap below rare, picks exclude what you own, trades by master, CSV neutralised",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const ws = await tempWorkspace();
    try {
      const sample = await runPipeline(ws);
      assertEquals(sample.code, 0, sample.stderr);
      const { owned, others } = await sampleRecords(ws.db);
      const dir = join(ws.dir, "community");
      await Deno.mkdir(dir);
      // Same size, same filler: one shares the 25 rarest records, the other the 25 commonest.
      const filler = others.slice(0, 30);
      filler[0] = { ...filler[0], title: '=HYPERLINK("http://x")' };
      await Deno.writeTextFile(
        join(dir, "planted_collection.csv"),
        exportCsv([...owned.slice(0, 25), ...filler]),
      );
      await Deno.writeTextFile(
        join(dir, "mainstream_collection.csv"),
        exportCsv([...owned.slice(-25), ...others.slice(30, 60)]),
      );
      const args = ["--db", ws.db, "--out", ws.out, "--offline"];
      const run = await runModule("pipeline/twins.ts", [
        ...args,
        "--with-dir",
        fixturePath("exports"),
        "--with-file",
        join(dir, "planted_collection.csv"),
        "--with-file",
        join(dir, "mainstream_collection.csv"),
      ], { NEXTSPIN_QUIET: "1" });
      assertEquals(run.code, 0, run.stderr);

      const twins = await query<
        { rank: number; collection: string; reason: string; shared_rare: number }
      >(ws.db, "SELECT rank, collection, reason, shared_rare FROM twins ORDER BY rank");
      assertEquals(twins[0].collection, "planted", JSON.stringify(twins));
      const rankOf = (name: string) => twins.find((t) => t.collection === name)!.rank;
      assert(rankOf("mainstream") > rankOf("planted"));
      assert(twins[0].shared_rare >= 20, `${twins[0].shared_rare} rare shared`);
      assertStringIncludes(twins[0].reason, "fewer than 200 people have, e.g.");
      assertStringIncludes(twins[0].reason, "shelves you share:");
      for (const name of ["jelambert", "mouse-reeve", "davide-bergamini"]) {
        assert(rankOf(name) > rankOf("mainstream"), `${name} below both planted collections`);
      }
      // The sample's own export and the prototype's file are skipped, with the reason.
      const skipped = await query<{ collection: string; reason: string }>(
        ws.db,
        "SELECT collection, reason FROM twin_sources WHERE status = 'skipped' ORDER BY 1",
      );
      assertStringIncludes(skipped.find((s) => s.collection === "gustw")!.reason, "your own");
      assertStringIncludes(
        skipped.find((s) => s.collection === "seed_enriched")!.reason,
        "no release_id column",
      );
      assertStringIncludes(run.stderr, "gustw: skipped, this is your own collection");

      // Picks: none owned, by release or by master.
      const badPicks = await query<{ n: number }>(
        ws.db,
        `SELECT count(*)::INTEGER AS n FROM twin_picks p
         WHERE release_id IN (SELECT release_id FROM collection)
            OR master_id IN (SELECT master_id FROM releases r JOIN collection USING (release_id))`,
      );
      assertEquals(badPicks[0].n, 0);
      const picks = await query<{ owners: string[]; title: string }>(
        ws.db,
        "SELECT owners, title FROM twin_picks ORDER BY rank",
      );
      assert(picks.length >= 25, `${picks.length} picks`);
      assertEquals(picks[0].owners[0], "planted");
      const csv = await Deno.readTextFile(join(ws.out, "twin_picks.csv"));
      assertStringIncludes(csv, `'=HYPERLINK`);
      await Deno.stat(join(ws.out, "twins.parquet"));

      // A file that is not there stops the run and changes nothing.
      const bad = await runModule("pipeline/twins.ts", [
        ...args,
        "--with-file",
        join(dir, "missing_collection.csv"),
      ], { NEXTSPIN_QUIET: "1" });
      assertEquals(bad.code, 2, bad.stderr);
      assertStringIncludes(bad.stderr, "missing_collection.csv: file not found");
      const still = await query<{ collection: string }>(
        ws.db,
        "SELECT collection FROM twins ORDER BY rank LIMIT 1",
      );
      assertEquals(still[0].collection, "planted");

      // jelambert wants albums the sample owns in other pressings: offers by master.
      const trades = await query<{ same_pressing: boolean; why: string }>(
        ws.db,
        "SELECT same_pressing, why FROM trades WHERE collection = 'jelambert' AND direction = 'offer'",
      );
      assert(trades.some((t) => !t.same_pressing), JSON.stringify(trades));
      assert(trades.some((t) => t.why.includes("Santana — Abraxas; you own another pressing")));

      // The pipeline with the planted twin serves twin picks through the recommend stage and
      // the report shows the section.
      const piped = await runPipeline(ws, ["--with-file", join(dir, "planted_collection.csv")]);
      assertEquals(piped.code, 0, piped.stderr);
      const served = await query<{ release_id: number; why: string }>(
        ws.db,
        "SELECT release_id, why FROM recommendations WHERE kind = 'twin_pick' ORDER BY rank",
      );
      assert(served.length >= 10, `${served.length} twin picks served`);
      assertStringIncludes(served[0].why, "owned by your twin planted");
      const html = await Deno.readTextFile(join(ws.out, "report.html"));
      assertStringIncludes(html, "Twin crate diggers");
      assert(!html.includes('=HYPERLINK("http'), "the title is escaped");
    } finally {
      await ws.cleanup();
    }
  },
});

Deno.test({
  name:
    "twins by username: a planted twin first, private and unknown users skipped with the reason, picks priced; --offline repeats it with no request",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const ws = await tempWorkspace();
    let fake: Awaited<ReturnType<typeof startFakeDiscogs>> | undefined;
    try {
      const sample = await runPipeline(ws);
      assertEquals(sample.code, 0, sample.stderr);
      const { owned } = await sampleRecords(ws.db);
      const probe = await startFakeDiscogs({ windowMs: 1000 });
      const ownedIds = new Set(probe.catalogue.gustwIds);
      const ownedMasters = new Set(
        probe.catalogue.gustwIds.map((id) => probe.catalogue.releases.get(id)!.masterId),
      );
      // 30 releases of 30 albums the sample does not have (one pressing each).
      const masters = new Set<number>();
      const fresh = [...probe.catalogue.releases.values()]
        .filter((r) => {
          if (ownedIds.has(r.id) || r.masterId === null || ownedMasters.has(r.masterId)) {
            return false;
          }
          if (masters.has(r.masterId) || r.genres.length === 0) return false;
          masters.add(r.masterId);
          return true;
        })
        .slice(0, 30).map((r) => r.id);
      await probe.close();
      fake = await startFakeDiscogs({
        windowMs: 1000,
        users: {
          alice: {
            collection: [...owned.slice(0, 25).map((r) => r.release_id), ...fresh],
            wants: [owned[40].release_id],
          },
          carol: { collection: owned.slice(-20).map((r) => r.release_id) },
          bob: { collection: fresh.slice(0, 5), private: true },
        },
      });
      const args = [
        "--db",
        ws.db,
        "--out",
        ws.out,
        "--with",
        "alice",
        "--with",
        "carol",
        "--with",
        "bob",
        "--with",
        "nobody-at-all",
      ];
      const env = {
        DISCOGS_API_URL: fake.url,
        DISCOGS_RATE_WINDOW: "1s",
        DISCOGS_TOKEN: "twins-token-1",
        NEXTSPIN_QUIET: "0",
      };
      const run = await runModule("pipeline/twins.ts", args, env);
      assertEquals(run.code, 0, run.stderr);
      assertStringIncludes(run.stderr, "bob: skipped, bob's collection is private (Discogs 403)");
      assertStringIncludes(run.stderr, 'nobody-at-all: skipped, no Discogs user "nobody-at-all"');
      assertStringIncludes(run.stdout, "Twin crate diggers");
      const requests = fake.requests.length;
      assert(requests > 0 && requests <= 100, `${requests} requests`);

      const read = async () => ({
        twins: await query<{ collection: string; similarity: number }>(
          ws.db,
          "SELECT collection, similarity FROM twins ORDER BY rank",
        ),
        picks: await query<
          { release_id: number; lowest_price: number | null; num_for_sale: number | null }
        >(ws.db, "SELECT release_id, lowest_price, num_for_sale FROM twin_picks ORDER BY rank"),
        trades: await query<{ direction: string; collection: string }>(
          ws.db,
          "SELECT direction, collection FROM trades",
        ),
      });
      const online = await read();
      assertEquals(online.twins.map((t) => t.collection), ["alice", "carol"]);
      assert(online.twins[0].similarity > online.twins[1].similarity, "rare beats common");
      assertEquals(online.picks.length, 30);
      const top = online.picks.slice(0, 20);
      assert(
        top.every((p) => p.lowest_price !== null || p.num_for_sale === 0),
        "every top pick is priced or says none is for sale",
      );
      assertEquals(online.trades, [{ direction: "offer", collection: "alice" }]);

      // Offline: the same answer from the workspace cache, and the fake sees no request.
      const offline = await runModule("pipeline/twins.ts", [...args, "--offline"], {
        ...env,
        DISCOGS_API_URL: `http://127.0.0.1:${closedPort()}`,
      });
      assertEquals(offline.code, 0, offline.stderr);
      assertEquals(fake.requests.length, requests);
      assertEquals(await read(), online);
    } finally {
      await fake?.close();
      await ws.cleanup();
    }
  },
});
