/**
 * The recommender registry is the one place a kind of list is added: a toy fourth recommender,
 * registered here only, is served, written to the `recommendations` table in registry order and
 * shown by the report — with no other edit. And the report never drops a kind it was not told
 * about.
 */
import type { Database } from "../lib/db/mod.ts";
import { loadReportData } from "../lib/report/data.ts";
import type { Candidate } from "../lib/recommend/candidates.ts";
import { buildContext } from "../lib/recommend/context.ts";
import { RECOMMENDERS } from "../lib/recommend/kinds/mod.ts";
import { writeRecommendations } from "../lib/recommend/load.ts";
import type { Recommender } from "../lib/recommend/recommender.ts";
import { countByKind, countsText, picksText, recommendAll } from "../lib/recommend/served.ts";
import { rec, resetIds } from "../lib/recommend/testing.ts";
import { assert, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { withTempDb } from "./helpers.ts";

/** Two shelves (jungle, dub) and a pool with records of each and of both. */
function world() {
  resetIds();
  const collection: Candidate[] = [];
  for (let i = 0; i < 12; i++) {
    collection.push(rec(`Junglist ${i % 4}`, "Metalheadz", ["Jungle"], "Electronic", 1995));
    collection.push(rec(`Roots ${i % 4}`, "Studio One", ["Dub"], "Reggae", 1978));
  }
  const pool: Candidate[] = [];
  for (let i = 0; i < 8; i++) {
    pool.push(rec(`Junglist ${i % 4}`, "Metalheadz", ["Jungle"], "Electronic", 1996, {
      have: 20 + i,
      want: 90,
    }));
    pool.push(rec(`Dubwise ${i}`, "Dub Label", ["Dub", "Jungle"], "Electronic", 1999));
    pool.push(rec(`Cheap ${i}`, "Bargain Bin", ["House"], "Electronic", 2001, {
      lowestPrice: 1 + i / 10,
    }));
  }
  return { collection, pool };
}

/** A toy list: the cheapest records nobody else picked. */
const bargains: Recommender = {
  name: "bargain",
  label: "Bargain bin",
  description: "The cheapest records in the pool.",
  plural: "bargains",
  rank(ctx, options = {}) {
    return [...ctx.pool.keys()]
      .filter((i) => ctx.pool[i].lowestPrice !== null && !options.exclude?.has(i))
      .sort((a, b) => ctx.pool[a].lowestPrice! - ctx.pool[b].lowestPrice! || a - b)
      .slice(0, options.top ?? 20)
      .map((i, r) => ({
        kind: "bargain",
        rank: r + 1,
        poolIndex: i,
        score: -ctx.pool[i].lowestPrice!,
        components: { price: ctx.pool[i].lowestPrice! },
        why: `only ${ctx.pool[i].lowestPrice}`,
      }));
  },
};

/** The pool table the `recommendations` table joins, and an (empty) scores table. */
async function workspace(db: Database, pool: readonly Candidate[]): Promise<void> {
  await db.run(`CREATE TABLE scores (release_id INTEGER, price_weight DOUBLE)`);
  await db.run(
    `CREATE TABLE pool AS SELECT
       j ->> 'key' AS pool_key, (j ->> 'releaseId')::BIGINT AS release_id,
       j ->> 'artist' AS artist, j ->> 'artist' AS artist_display, j ->> 'title' AS title,
       (j ->> 'year')::INTEGER AS year, j -> 'labels' ->> 0 AS label,
       (j -> 'styles')::VARCHAR[] AS styles, (j ->> 'have')::INTEGER AS have,
       (j ->> 'want')::INTEGER AS want, (j ->> 'lowestPrice')::DOUBLE AS lowest_price,
       NULL::INTEGER AS num_for_sale,
       j ->> 'currency' AS currency, NULL::VARCHAR AS discogs_url,
       NULL::VARCHAR AS thumbnail_url, ['test']::VARCHAR[] AS sources
     FROM (SELECT unnest($rows::JSON[]) AS j)`,
    { rows: JSON.stringify(pool) },
  );
}

Deno.test("a fourth recommender registered in one list is served, stored in its order and reported", async () => {
  const { collection, pool } = world();
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  // First in the list: the order of the lists is the registry's, not a CASE somewhere.
  const registry = [bargains, ...RECOMMENDERS];
  const picks = recommendAll(ctx, { top: 3 }, registry);
  const count = countByKind(picks, registry);
  assertEquals(count.bargain, 3);
  assert(count.gem > 0, JSON.stringify(count));
  assertStringIncludes(countsText(count, registry), "3 bargains, ");
  assertStringIncludes(picksText(picks, pool, 1, registry), "Bargain bin\n   1. Cheap 0");
  // Each record on one list only: the gems no longer get the bargains.
  assertEquals(new Set(picks.map((p) => p.poolIndex)).size, picks.length);

  await withTempDb(async (db) => {
    await workspace(db, pool);
    const written = await writeRecommendations(db, pool, picks, registry);
    assertEquals(written, {
      recommendations: picks.length,
      recommendation_kinds: registry.length,
      keptPrevious: false,
    });
    const rows = await db.all<{ kind: string; rank: number; title: string }>(
      "SELECT kind, rank, title FROM recommendations",
    );
    const kinds = rows.map((r) => r.kind).filter((k, i, all) => all.indexOf(k) === i);
    assertEquals(kinds, registry.map((r) => r.name).filter((k) => count[k] > 0));
    assertEquals(rows.slice(0, 3).map((r) => [r.kind, r.rank]), [
      ["bargain", 1],
      ["bargain", 2],
      ["bargain", 3],
    ]);
    for (let i = 1; i < rows.length; i++) {
      if (rows[i].kind === rows[i - 1].kind) assertEquals(rows[i].rank, rows[i - 1].rank + 1);
    }

    const report = await loadReportData(db);
    assertEquals(report.payload.kinds.map((k) => k.kind), registry.map((r) => r.name));
    assertEquals(report.payload.kinds[0], {
      kind: "bargain",
      title: "Bargain bin",
      blurb: "The cheapest records in the pool.",
    });
    assertEquals(
      report.payload.recommendations!.filter((p) => p.kind === "bargain").map((p) => p.title),
      rows.filter((r) => r.kind === "bargain").map((r) => r.title),
    );
    assertEquals(report.payload.recommendations!.length, picks.length);
  });
});

Deno.test("the report keeps picks of a kind the workspace does not describe", async () => {
  const { collection, pool } = world();
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  const picks = recommendAll(ctx, { top: 3 });
  await withTempDb(async (db) => {
    await workspace(db, pool);
    await writeRecommendations(db, pool, picks, RECOMMENDERS);
    // A kind written by another version, which this one has no title for.
    await db.run("UPDATE recommendations SET kind = 'crate_filler' WHERE kind = 'deep_cut'");
    const report = await loadReportData(db);
    const filler = report.payload.kinds.find((k) => k.kind === "crate_filler");
    assert(filler, JSON.stringify(report.payload.kinds));
    assertEquals(filler.title, "crate_filler");
    assertEquals(report.payload.recommendations!.length, picks.length, "no pick dropped");
    // Without the kinds table (a workspace recommended before it existed) every kind still shows.
    await db.run("DROP TABLE recommendation_kinds");
    const bare = await loadReportData(db);
    const present = [...new Set(bare.payload.recommendations!.map((p) => p.kind))].sort();
    assertEquals(bare.payload.kinds.map((k) => k.kind), present);
    assert(present.includes("crate_filler") && present.includes("gem"), present.join());
  });
});
