import { assert, assertEquals } from "../testing/assert.ts";
import { artistGroup, crateCandidates, type CratePick, fillCrate } from "./crate.ts";
import { bruteForceCrate } from "./knapsack.ts";

const pick = (
  list: string,
  key: string,
  rank: number,
  artist: string,
  price: number | null,
  score: number | null,
  currency = "USD",
): CratePick => ({
  list,
  key,
  rank,
  releaseId: Number(key.replace(/\D/g, "")) || null,
  artist,
  title: `T${key}`,
  lowestPrice: price,
  currency,
  score,
});

Deno.test("candidates: points per list, best list kept, one currency, unpriced counted", () => {
  const picks = [
    pick("gems", "k1", 1, "A", 10, 4),
    pick("gems", "k2", 2, "B", 5, 2),
    pick("missing_links", "k2", 1, "B", 5, 0.5),
    pick("missing_links", "k3", 2, "Various", 3, 0.25),
    pick("gems", "k4", 3, "C", null, 1),
    pick("gems", "k5", 4, "D", 7, 1, "EUR"),
  ];
  const set = crateCandidates(picks, "USD");
  assertEquals(set.candidates.map((c) => [c.key, c.points, c.lists]), [
    ["k1", 1, ["gems"]],
    ["k2", 1, ["gems", "missing_links"]],
    ["k3", 0.5, ["missing_links"]],
  ]);
  assertEquals(set.candidates[2].group, null, "a compilation is nobody's");
  assertEquals([set.unpriced, set.otherCurrency], [1, 1]);
  assertEquals(artistGroup("Dillinja (2)"), "dillinja");
  assertEquals(artistGroup("Björk"), "bjork");
});

Deno.test("fillCrate is optimal (brute force), within budget and cap, and names greedy's picks", () => {
  const picks: CratePick[] = [];
  for (let i = 1; i <= 16; i++) {
    picks.push(pick("gems", `k${i}`, i, `artist ${i % 4}`, 1 + ((i * 37) % 23), 30 - i));
  }
  const { candidates } = crateCandidates(picks, "USD");
  for (const [budget, cap] of [[20, 1], [35, 2], [60, 3]]) {
    const filled = fillCrate(candidates, budget, cap);
    const brute = bruteForceCrate(
      candidates.map((c) => ({ cost: c.cents, value: c.points, group: c.group })),
      budget * 100,
      cap,
    );
    assert(Math.abs(filled.points - brute.value) < 1e-9, `${budget}/${cap}`);
    assert(filled.total <= budget);
    assert(filled.greedy.points <= filled.points + 1e-9);
    const inCrate = new Set(filled.crate.map((c) => c.key));
    assert(filled.greedyOnly.every((c) => !inCrate.has(c.key)));
  }
});
