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
  assertEquals(ranking.scores[1], crateScores(records[1], 1, 60));
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
