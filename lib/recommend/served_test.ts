import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import type { Candidate } from "./candidates.ts";
import { buildContext } from "./mod.ts";
import { countByKind, picksText, recommendAll, thinTasteWarning } from "./served.ts";
import { rec, resetIds } from "./testing.ts";

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
  }
  return { collection, pool };
}

Deno.test("recommendAll serves each record in one list only, gems first", () => {
  const { collection, pool } = world();
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  const picks = recommendAll(ctx, { top: 5 });
  const indexes = picks.map((p) => p.poolIndex);
  assertEquals(new Set(indexes).size, indexes.length, "no record in two lists");
  assertEquals(picks[0].kind, "gem");
  const count = countByKind(picks);
  assertEquals(count.gem + count.missing_link + count.deep_cut, picks.length);
  assert(count.gem > 0 && count.deep_cut > 0, JSON.stringify(count));
  const text = picksText(picks, pool, 1);
  assertStringIncludes(text, "Taste-aligned gems\n   1. ");
  assertStringIncludes(text, "Deep cuts");
});

Deno.test("a collection with no styles or genres gets a warning; an enriched one none", () => {
  const { collection, pool } = world();
  assertEquals(thinTasteWarning(buildContext(collection, pool, { dims: 8, kMax: 4 })), null);
  const bare = collection.map((c) => ({ ...c, styles: [], genres: [] }));
  const warning = thinTasteWarning(buildContext(bare, pool, { dims: 8, kMax: 4 }));
  assertStringIncludes(warning ?? "", "24 of 24 records have no Discogs styles or genres");
  assertStringIncludes(warning ?? "", "run `deno task enrich` without --offline");
  // Records Discogs answered 404 for cannot be enriched: the warning must not send the collector
  // to enrich them again.
  const ids = bare.map((c) => c.releaseId!).filter((id) => id !== null);
  const ctx = buildContext(bare, pool, { dims: 8, kMax: 4 });
  const unknown = thinTasteWarning(ctx, new Set(ids)) ?? "";
  assertStringIncludes(unknown, "Discogs does not know their release ids (404)");
  assert(!unknown.includes("without --offline"), unknown);
  const some = thinTasteWarning(ctx, new Set(ids.slice(0, 10))) ?? "";
  assertStringIncludes(some, "10 of them are not on Discogs (404)");
  assertStringIncludes(some, "for the other 14");
});
