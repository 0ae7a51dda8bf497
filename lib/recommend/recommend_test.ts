import { assert, assertEquals, assertMatch, assertStringIncludes } from "../testing/assert.ts";
import type { Candidate } from "./candidates.ts";
import { evaluateCollection } from "./evaluate.ts";
import { describeToken } from "./explain.ts";
import {
  buildContext,
  gemScores,
  MIN_BRIDGE_CLOSENESS,
  NEIGHBOURS,
  recommendDeepCuts,
  recommendGems,
  recommendMissingLinks,
} from "./mod.ts";
import { fitTaste, tasteFit, tasteScores, tokenLift, UNSEEN_LIFT_SHARE } from "./taste.ts";
import { rec, resetIds } from "./testing.ts";

/** A collector with two distinct shelves (jungle and roots reggae) and a mixed market. */
function world() {
  resetIds();
  const collection: Candidate[] = [];
  for (let i = 0; i < 12; i++) {
    collection.push(
      rec(`Junglist ${i % 4}`, "Metalheadz", ["Jungle", "Drum n Bass"], "Electronic", 1995),
    );
  }
  for (let i = 0; i < 12; i++) {
    collection.push(rec(`Roots ${i % 4}`, "Studio One", ["Roots Reggae", "Dub"], "Reggae", 1978));
  }
  const pool: Candidate[] = [];
  for (let i = 0; i < 6; i++) {
    pool.push(
      rec(`Junglist ${i % 3}`, "Metalheadz", ["Jungle"], "Electronic", 1996, {
        have: 20 + i,
        want: 90,
      }),
    );
  }
  for (let i = 0; i < 4; i++) {
    pool.push(rec(`Dubwise ${i}`, "Dub Label", ["Dub", "Drum n Bass"], "Electronic", 1999));
  }
  for (let i = 0; i < 40; i++) {
    pool.push(
      rec(`Trancer ${i}`, `Trance ${i % 5}`, ["Trance"], "Electronic", 2003, { lowestPrice: 2 }),
    );
  }
  pool.push(rec("Various", "Metalheadz", ["Jungle"], "Electronic", 1996, { have: 5, want: 500 }));
  return { collection, pool };
}

Deno.test("taste lift is positive for what the collector seeks out and negative for what they avoid", () => {
  const { collection, pool } = world();
  const taste = fitTaste(collection, pool);
  const jungle = tasteFit(taste, pool[0]);
  const trance = tasteFit(taste, pool[20]);
  assert(jungle.score > 0 && trance.score < jungle.score);
  assert(jungle.matches.some((m) => m.token === "label:metalheadz"));
  assertEquals(describeToken("style:drum n bass"), "Drum n Bass");
  assertEquals(describeToken("label:metalheadz"), "Metalheadz (label)");
  assertEquals(describeToken("country:uk"), "UK pressings");
  assertEquals(describeToken("format:vinyl"), "on vinyl");
  assertEquals(describeToken("format:re"), "a reissue");
  assertEquals(describeToken('format:12"'), 'a 12"');
  assertEquals(describeToken("decade:1990s"), "from the 1990s");
  // A rare artist the collector never bought: positive only through smoothing, so it counts half.
  const big = fitTaste(collection.slice(0, 2), [...pool, ...pool, ...pool, ...pool]);
  const raw = Math.log((0.5 / 2) / ((4 + 0.5) / (pool.length * 4)));
  assert(raw > 0);
  assert(Math.abs(tokenLift(big, "artist:dubwise 0") - raw * UNSEEN_LIFT_SHARE) < 1e-9);
  assertEquals(describeToken("country:germany"), "Germany pressings");
});

Deno.test("gems fit the collection, say which shelf and why, stay varied and respect the budget", () => {
  const { collection, pool } = world();
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  assertEquals(ctx.clustering.k, 2, "two shelves");
  const gems = recommendGems(ctx, { top: 5 });
  assertEquals(gems.map((g) => g.rank), [1, 2, 3, 4, 5]);
  assert(
    gems.slice(0, 3).every((g) =>
      pool[g.poolIndex].styles.includes("Jungle") || pool[g.poolIndex].styles.includes("Dub")
    ),
  );
  assertMatch(gems[0].why, /^fits your .+ shelf \(similarity \d\.\d\d\)/);
  const owned = new Set(collection.map((c) => c.artist.toLowerCase()));
  for (const g of recommendGems(ctx, { top: 30 })) {
    for (const [, name] of g.why.matchAll(/([^,:]+) \(artist you collect\)/g)) {
      assert(owned.has(name.trim().toLowerCase()), `${name} is not in the collection`);
    }
  }
  const perArtist = new Map<string, number>();
  for (const g of gems) {
    perArtist.set(pool[g.poolIndex].artist, (perArtist.get(pool[g.poolIndex].artist) ?? 0) + 1);
  }
  assert([...perArtist.values()].every((n) => n <= 2), "at most two per artist");
  const cheap = recommendGems(ctx, { top: 5, budget: 5 });
  assert(cheap.every((g) => pool[g.poolIndex].lowestPrice! <= 5));
  const excluded = recommendGems(ctx, { top: 5, exclude: new Set(gems.map((g) => g.poolIndex)) });
  assert(excluded.every((g) => !gems.some((x) => x.poolIndex === g.poolIndex)));
});

Deno.test("missing links sit between the two shelves; deep cuts are by artists you collect", () => {
  const { collection, pool } = world();
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  const links = recommendMissingLinks(ctx, { top: 3 });
  assert(links.length > 0);
  assertStringIncludes(links[0].why, "links your");
  // The reason names what ties the record to each side.
  assertMatch(links[0].why, /: .+ on the .+ side, .+ on the .+ side$/);
  for (const l of links) {
    const { closeness_a, closeness_b } = l.components as Record<string, number>;
    assert(Math.min(closeness_a, closeness_b) >= MIN_BRIDGE_CLOSENESS, l.why);
  }
  // Without a record between the shelves there is no link: no padding with far-off records.
  const noBridge = buildContext(
    collection,
    pool.filter((c) => !c.artist.startsWith("Dubwise")),
    { dims: 8, kMax: 4 },
  );
  assertEquals(recommendMissingLinks(noBridge, { top: 3 }), []);
  assert(
    links.some((l) => pool[l.poolIndex].artist.startsWith("Dubwise")),
    "the Dub + Drum n Bass records bridge",
  );
  const cuts = recommendDeepCuts(ctx, { top: 10 });
  assert(cuts.length > 0);
  assert(
    cuts.every((c) => pool[c.poolIndex].artist.startsWith("Junglist")),
    "only artists in the collection; never Various",
  );
  assertMatch(cuts[0].why, /^by Junglist \d \(you own \d+\): only \d+ have it, 90 want it/);
  const oneArtist = collection.slice(0, 12).map((c) => ({
    ...c,
    artist: "Junglist 0",
    artists: ["Junglist 0"],
  }));
  const single = buildContext(oneArtist, pool, { dims: 8, kMax: 4 });
  assertEquals(recommendMissingLinks(single, {}), [], "one shelf has nothing to bridge");
});

Deno.test("the evaluation harness ranks the whole pool and beats random on a planted collection", () => {
  const { collection, pool } = world();
  const rows = evaluateCollection("planted", collection, pool, { folds: 2, seed: 1 });
  assertEquals(rows.map((r) => r.recommender), [
    "next-spin gems",
    "tf-idf kNN (baseline)",
    "popularity (baseline)",
    "genre only (baseline)",
    "random (baseline)",
  ]);
  for (const r of rows) {
    for (const v of [r.hit_at_10, r.hit_at_50, r.recall_at_50, r.mrr, r.coverage]) {
      assert(v >= 0 && v <= 1);
    }
    assertEquals(r.candidates, pool.length + 5);
  }
  const gems = rows[0];
  const random = rows[4];
  assert(gems.mrr > random.mrr, `gems MRR ${gems.mrr} vs random ${random.mrr}`);
  assertEquals(
    evaluateCollection("planted", collection, pool, { folds: 2, seed: 1 }),
    rows,
    "deterministic",
  );
});

Deno.test("taste fit on typed arrays equals the per-record computation", () => {
  const { collection, pool } = world();
  pool.push(rec("Lone Artist", "Unique Label", ["Trance"], "Electronic", 2003));
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  const fast = tasteScores(ctx.tokenLift, ctx.tokenField, ctx.poolTokens, ctx.unseenLift);
  pool.forEach((c, i) =>
    assert(Math.abs(tasteFit(ctx.taste, c).score - fast[i]) < 1e-5, `record ${i}`)
  );
});

Deno.test("a field a release lacks scores the catalogue's average fit in it, not zero", () => {
  const { collection, pool } = world();
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  const plain = tasteScores(ctx.tokenLift, ctx.tokenField, ctx.poolTokens, ctx.unseenLift);
  const imputed = tasteScores(ctx.tokenLift, ctx.tokenField, ctx.poolTokens, ctx.unseenLift, 8, {
    imputeMissing: true,
  });
  const various = pool.length - 1; // "Various": no artist token
  assert(imputed[various] !== plain[various], "the missing artist field is filled in");
  pool.forEach((c, i) => {
    if (i !== various) assertEquals(imputed[i], plain[i], `${c.artist} has every field`);
  });
  const doubled = tasteScores(ctx.tokenLift, ctx.tokenField, ctx.poolTokens, ctx.unseenLift, 8, {
    fieldWeights: [1, 2, 1, 1, 1, 1, 1, 1],
  });
  // Every record has one genre token: doubling genre adds its best genre lift once more.
  const genre = (i: number) =>
    tasteFit(ctx.taste, {
      ...pool[i],
      styles: [],
      artists: [],
      labels: [],
      year: null,
      country: null,
      formats: [],
    }).score;
  pool.forEach((_, i) => assert(Math.abs(doubled[i] - plain[i] - genre(i)) < 1e-5, `record ${i}`));
});

Deno.test("gem scores re-rank a shortlist by the nearest owned records; compilations are not capped", () => {
  const { collection, pool } = world();
  for (let i = 0; i < 4; i++) {
    pool.push(rec("Various", "Metalheadz", ["Jungle"], "Electronic", 1996, { have: 5, want: 400 }));
  }
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  const g = gemScores(ctx, 1, undefined, { shortlist: 10 });
  const listed = [...g.neighbours.keys()].filter((i) => !Number.isNaN(g.neighbours[i]));
  assertEquals(listed.length, 10);
  assert(listed.every((i) => g.neighbours[i] <= 1 + 1e-6 && g.neighbours[i] > 0));
  assertEquals(NEIGHBOURS, 3);
  const gems = recommendGems(ctx, { top: 8 });
  const compilations = gems.filter((x) => pool[x.poolIndex].artist === "Various").length;
  assert(compilations > 2, `"Various" is no one artist (${compilations} compilations)`);
  assert(gems.every((x) => Number.isFinite(x.components.neighbour_similarity)));
  assertEquals(recommendGems(ctx, { top: 8 }), gems, "deterministic");
});

Deno.test("a gem's reason names a credit it shares with the collection", () => {
  const { collection, pool } = world();
  const dillinja = { name: "Dillinja", role: "Remix" };
  collection.slice(0, 7).forEach((c) => (c.credits = [dillinja]));
  const remixed = pool.length;
  pool.push(rec("Someone New", "Other Label", ["Jungle"], "Electronic", 1995, {
    credits: [dillinja, { name: "Studio Photographer", role: "Photography By" }],
  }));
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  const pick = recommendGems(ctx, { top: 60 }).find((p) => p.poolIndex === remixed);
  assert(pick, "the remixed record is served");
  assertStringIncludes(pick.why, "remixed by Dillinja, like 7 records you own");
});

Deno.test("a candidate nothing is known of is served, scored neutral on value, saying so", () => {
  const { collection, pool } = world();
  const bare = pool.length;
  pool.push(rec("Junglist 3", "Metalheadz", ["Jungle"], "Electronic", 1995, {
    have: null,
    want: null,
    lowestPrice: null,
  }));
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  const { value } = gemScores(ctx);
  const known = [...value].filter((_, i) => i !== bare);
  const mean = known.reduce((s, v) => s + v, 0) / known.length;
  assert(Math.abs(value[bare] - mean) < 1e-9, `${value[bare]} is the mean ${mean}`);
  const pick = recommendGems(ctx, { top: 60 }).find((p) => p.poolIndex === bare);
  assert(pick, "served");
  assertMatch(pick.why, /; no market data yet$/);
});

Deno.test("with a catalogue, taste lift is measured against its market, not the prefiltered pool", () => {
  const { collection, pool } = world();
  const ctx = buildContext(collection, pool, { dims: 8, kMax: 4 });
  // The pool is mostly trance; in the whole catalogue jungle is rare and trance common.
  const market = {
    counts: new Map([["style:jungle", 10], ["style:trance", 9_000]]),
    size: 10_000,
  };
  const withMarket = buildContext(collection, pool, { dims: 8, kMax: 4, market });
  const lift = (c: typeof ctx, t: string) => tokenLift(c.taste, t);
  assert(lift(withMarket, "style:jungle") > lift(ctx, "style:jungle"), "rarer in the market");
  assert(lift(withMarket, "style:trance") < lift(ctx, "style:trance"), "commoner in the market");
  assertEquals(
    lift(withMarket, "label:metalheadz"),
    lift(ctx, "label:metalheadz"),
    "tokens the market does not count keep the pool's",
  );
});
