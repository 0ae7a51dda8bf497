import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { seededRandom } from "../embed/projection.ts";
import { InputError } from "../errors.ts";
import { crateScores } from "./formulas.ts";
import {
  computeScores,
  rankCollection,
  RANKING_NAMES,
  type ScoreInput,
  scoreInputsFromRows,
} from "./ranking.ts";

/** A made-up collection with the awkward cases: missing facts, shared artists, ties. */
function collection(n: number): ScoreInput[] {
  const random = seededRandom(7);
  const maybe = (v: number) => (random() < 0.15 ? null : v);
  return Array.from({ length: n }, (_, i) => ({
    releaseId: 1000 + ((i * 7919) % n),
    artist: `Artist ${Math.floor(random() * n / 4)}`,
    want: maybe(Math.floor(random() * 3000)),
    have: maybe(Math.floor(random() * 3000)),
    lowestPrice: maybe(Math.round(random() * 8000) / 100),
    numForSale: maybe(Math.floor(random() * 60)),
    currency: "USD",
  }));
}

Deno.test("rankCollection: ranks only rankable records, best first, ties on release id", () => {
  const records = collection(400);
  for (const weight of [0.5, 1, 2.5, 10]) {
    const ranking = rankCollection(records, weight);
    for (const name of RANKING_NAMES) {
      const ranked = ranking.ranks[name].filter((r) => r !== null).length;
      assertEquals(ranking.order[name].length, ranked, name);
      ranking.order[name].forEach((index, position) => {
        assertEquals(ranking.ranks[name][index], position + 1);
        assert(ranking.rankable[index], "only rankable records are ranked");
        if (position === 0) return;
        const previous = ranking.order[name][position - 1];
        const [a, b] = [ranking.scores[previous][name]!, ranking.scores[index][name]!];
        assert(a > b || (a === b && records[previous].releaseId < records[index].releaseId));
      });
    }
  }
});

Deno.test("rankCollection: the artist's mean want is over rankable records only", () => {
  const records = [
    { releaseId: 1, artist: "Santana", want: 100, have: 50, lowestPrice: null, numForSale: null },
    { releaseId: 2, artist: "Santana", want: 20, have: 10, lowestPrice: 5, numForSale: 2 },
    // Only a want: not rankable, so its 10,000 want does not lift Santana's mean.
    { releaseId: 3, artist: "Santana", want: 10000, have: null, lowestPrice: null, numForSale: 1 },
  ];
  const ranking = rankCollection(records, 1);
  assertEquals(ranking.rankable, [true, true, false]);
  assertEquals(ranking.artistMeanWants, [60, 60, 60]);
  assertEquals(ranking.scores[1], crateScores(records[1], 1, 60, "demand"));
  assertEquals(ranking.ranks.value[2], null);
});

Deno.test("computeScores is rankCollection plus imputed inputs and reasons", () => {
  const records = collection(120);
  const ranking = rankCollection(records, 2.5);
  const scored = computeScores(records, 2.5);
  scored.forEach((s, i) => {
    assertEquals(s.scores, ranking.scores[i]);
    for (const name of RANKING_NAMES) assertEquals(s.ranks[name], ranking.ranks[name][i]);
    assertEquals(s.artistMeanWant, ranking.artistMeanWants[i]);
    assertEquals(s.imputed.includes("lowestPrice"), records[i].lowestPrice === null);
    assert(s.why.value.length > 0);
  });
  assertThrows(() => computeScores(records, 11), InputError, "expected 0.5 to 10");
});

Deno.test("lib/score imports with no permissions at all, and maps table rows", async () => {
  // Reading a file (or anything else) at import would fail without permissions: the browser
  // bundle and notebooks import this code, so import must do no I/O.
  for (const module of ["./ranking.ts", "./mod.ts"]) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--no-config",
        "--no-lock",
        new URL(module, import.meta.url).href,
      ],
      stdout: "null",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    assert(output.success, `${module}: ${new TextDecoder().decode(output.stderr)}`);
  }
  const [input] = scoreInputsFromRows([{
    release_id: 7,
    artist: null,
    currency: "EUR",
    want: 1,
    have: null,
    lowest_price: 2,
    num_for_sale: null,
  }]);
  assertEquals(input.artist, "");
  assertEquals(input.lowestPrice, 2);
});

/** Thirty plain 12" records at $5–$34, a junk price, a missing price and an artist owned once. */
function crateWithTraps(): ScoreInput[] {
  const plain = Array.from({ length: 30 }, (_, i) => ({
    releaseId: i + 1,
    artist: `Artist ${i % 10}`,
    want: 100 + i,
    have: 100,
    lowestPrice: 5 + i,
    numForSale: 3,
    currency: "USD",
    format: '12"',
  }));
  return [
    ...plain,
    // Would lead Crate Picks at $0.08.
    { ...plain[0], releaseId: 101, artist: "Junk", want: 93, lowestPrice: 0.08 },
    // No price: counted as $30, would lead Collector's Essentials.
    { ...plain[0], releaseId: 102, artist: "Artist 1", want: 900, have: 20, lowestPrice: null },
    // Owned once: its deep cut would compare it with itself.
    { ...plain[0], releaseId: 103, artist: "Lone", want: 1, have: 1, lowestPrice: 9 },
    // Two compilations: "Various" is no artist.
    { ...plain[0], releaseId: 104, artist: "Various", want: 10, have: 100, lowestPrice: 40 },
    { ...plain[0], releaseId: 105, artist: "Various", want: 20, have: 100, lowestPrice: 40 },
  ];
}

Deno.test("default rules: imputed and suspect-price records take no rank, keep their scores", () => {
  const records = crateWithTraps();
  const ranking = rankCollection(records, 1);
  const prototype = rankCollection(records, 1, { prototypeRanking: true });
  const at = (id: number) => records.findIndex((r) => r.releaseId === id);
  assertEquals(
    ranking.scores,
    rankCollection(records, 1, { prototypeRanking: true, priceModel: "demand" }).scores,
    "the rules change ranks, never scores",
  );
  assertEquals(ranking.heldOut[at(101)], "suspect price");
  assertEquals(ranking.heldOut[at(102)], "needs market data");
  for (const name of RANKING_NAMES) {
    assertEquals(ranking.ranks[name][at(101)], null, name);
    assertEquals(ranking.ranks[name][at(102)], null, name);
  }
  // Under the prototype they lead, which is what the default guards against.
  assertEquals(prototype.order.value.slice(0, 2), [at(102), at(101)]);
  assertEquals(prototype.order.essential[0], at(102));
  assertEquals(prototype.heldOut.every((h) => h === null), true);
  assert(ranking.suspect[at(101)]!.startsWith("lowest $0.08 looks like a damaged"));
  // --keep-suspect-prices puts the junk price back, but not the imputed record.
  const kept = rankCollection(records, 1, { keepSuspectPrices: true });
  assertEquals(kept.order.value[0], at(101));
  assertEquals(kept.ranks.value[at(102)], null);
});

Deno.test("a deep cut needs two records of one artist; the prototype ranks lone artists and compilations", () => {
  const records = crateWithTraps();
  const lone = records.findIndex((r) => r.artist === "Lone");
  const ranking = rankCollection(records, 1);
  assertEquals(ranking.artistRecords[lone], 1);
  assertEquals(ranking.ranks.deepCut[lone], null);
  assert(ranking.ranks.value[lone] !== null, "still ranks elsewhere");
  assert(rankCollection(records, 1, { prototypeRanking: true }).ranks.deepCut[lone] !== null);
  const why = computeScores(records, 1)[lone].why.deepCut;
  assertEquals(why, "1 want: the only record of Lone in your crate, nothing to compare it with");
  assert(computeScores(records, 1).every((s) => !/vs 1 mean want for Lone/.test(s.why.deepCut)));
  const various = records.findIndex((r) => r.releaseId === 104);
  assertEquals(ranking.ranks.deepCut[various], null);
  assertEquals(
    computeScores(records, 1)[various].why.deepCut,
    "a compilation: no one artist to compare it with",
  );
  assert(rankCollection(records, 1, { prototypeRanking: true }).ranks.deepCut[various] !== null);
});
