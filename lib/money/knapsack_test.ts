import { assert, assertEquals } from "../testing/assert.ts";
import { bruteForceCrate, greedyKnapsack, type KnapsackItem, solveKnapsack } from "./knapsack.ts";
import { rng } from "./synthetic.ts";

function randomItems(seed: number, n: number, artists: number): KnapsackItem[] {
  const random = rng(seed);
  return Array.from({ length: n }, () => ({
    cost: 50 + Math.floor(random() * 3000),
    value: Math.round(random() * 1000) / 1000 + 0.001,
    group: random() < 0.15 ? null : `artist ${Math.floor(random() * artists)}`,
  }));
}

function feasible(items: KnapsackItem[], chosen: number[], budget: number, cap: number): boolean {
  const cost = chosen.reduce((s, i) => s + items[i].cost, 0);
  const counts = new Map<string, number>();
  for (const i of chosen) {
    const g = items[i].group;
    if (g !== null) counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return cost <= budget && [...counts.values()].every((n) => n <= cap);
}

Deno.test("the exact crate equals brute force on 300 small random cases", () => {
  let beatGreedy = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const n = 4 + (seed % 13);
    const items = randomItems(seed, n, 1 + (seed % 5));
    const budget = 500 + (seed * 137) % 8000;
    const cap = 1 + (seed % 3);
    const exact = solveKnapsack(items, budget, cap);
    const brute = bruteForceCrate(items, budget, cap);
    assert(
      Math.abs(exact.value - brute.value) < 1e-9,
      `seed ${seed}: ${exact.value} vs ${brute.value}`,
    );
    assert(feasible(items, exact.chosen, budget, cap), `seed ${seed}: within budget and cap`);
    assertEquals(exact.cost, exact.chosen.reduce((s, i) => s + items[i].cost, 0));
    const greedy = greedyKnapsack(items, budget, cap);
    assert(feasible(items, greedy.chosen, budget, cap));
    assert(greedy.value <= exact.value + 1e-9, "greedy never beats the optimum");
    if (greedy.value < exact.value - 1e-9) beatGreedy++;
  }
  assert(beatGreedy > 10, `the exact crate beats greedy on some cases (${beatGreedy})`);
});

Deno.test("without a cap it is the plain 0/1 knapsack; the cap binds when it should", () => {
  const items: KnapsackItem[] = [
    { cost: 1000, value: 5, group: "a" },
    { cost: 1000, value: 4, group: "a" },
    { cost: 1000, value: 3, group: "a" },
    { cost: 1500, value: 2, group: "b" },
  ];
  assertEquals(solveKnapsack(items, 3000).chosen, [0, 1, 2]);
  assertEquals(solveKnapsack(items, 3000, 2).chosen, [0, 1]);
  assertEquals(solveKnapsack(items, 3500, 1).chosen, [0, 3]);
  assertEquals(solveKnapsack(items, 999, 2).chosen, []);
  // Greedy takes the best ratio first and can be left with budget it cannot use.
  const trap: KnapsackItem[] = [
    { cost: 600, value: 7, group: null },
    { cost: 500, value: 5, group: null },
    { cost: 500, value: 5, group: null },
  ];
  assertEquals(greedyKnapsack(trap, 1000).chosen, [0]);
  assertEquals(solveKnapsack(trap, 1000).chosen, [1, 2]);
});

Deno.test("free records, unaffordable and worthless ones", () => {
  const items: KnapsackItem[] = [
    { cost: 0, value: 1, group: "a" },
    { cost: 5000, value: 10, group: null },
    { cost: 100, value: 0, group: null },
    { cost: 200, value: 2, group: "a" },
  ];
  const r = solveKnapsack(items, 300, 1);
  assertEquals(r.chosen, [3]);
  assertEquals(solveKnapsack(items, 300, 2).chosen, [0, 3]);
});
