/**
 * The best crate under a budget, exactly: a 0/1 knapsack on whole cents with a cap on how many
 * records of one artist the crate may hold. Pure (no Deno, no DOM), so `deno task crate` and the
 * report's "Fill to budget" run this very code.
 *
 * How the cap stays exact: the records of one artist form a group, and the dynamic programme over
 * the budget keeps, while it walks a group, one layer per number of that group's records taken
 * (0 … cap); leaving the group keeps the best layer per budget. That is a multiple-choice
 * knapsack over the group's subsets of size ≤ cap without listing them. Before it runs, a record
 * is dropped when `cap` records of its artist cost no more and score at least as much: any crate
 * holding it can swap it for one of them, so the optimum is unchanged and the programme smaller.
 * `bruteForceCrate` checks it on small cases in the tests and the bench.
 *
 * @example
 * ```ts
 * const items = [{ cost: 1250, value: 1, group: "a" }, { cost: 900, value: 0.8, group: "a" }];
 * solveKnapsack(items, 2000, 1); // { chosen: [0], cost: 1250, value: 1 }
 * ```
 *
 * @module
 */

/** One candidate: its price in whole cents, its score, and its artist (null: no cap applies). */
export interface KnapsackItem {
  cost: number;
  value: number;
  group: string | null;
}

/** A chosen set: indices into the items given, ascending, with their total cost and value. */
export interface KnapsackResult {
  chosen: number[];
  cost: number;
  value: number;
}

/** Most bits of choices the programme may keep (≈ 512 MiB): past it, say so rather than swap. */
export const MAX_CHOICE_BITS = 4 * 1024 ** 3;

/** An item that can be in some crate: affordable, worth something, priced in whole cents. */
function usable(item: KnapsackItem, budget: number): boolean {
  return Number.isInteger(item.cost) && item.cost >= 0 && item.cost <= budget &&
    Number.isFinite(item.value) && item.value > 0;
}

/**
 * Indices of the items that survive the dominance rule (see the module doc), grouped: every
 * group's survivors together, groups in order of first appearance, items in index order.
 */
function prune(items: readonly KnapsackItem[], budget: number, cap: number): number[][] {
  const groups = new Map<string, number[]>();
  const singles: number[][] = [];
  items.forEach((item, i) => {
    if (!usable(item, budget)) return;
    if (item.group === null) singles.push([i]);
    else {
      const list = groups.get(item.group) ?? [];
      list.push(i);
      groups.set(item.group, list);
    }
  });
  const kept: number[][] = [];
  for (const members of groups.values()) {
    if (!Number.isFinite(cap) || members.length <= cap) {
      kept.push(members);
      continue;
    }
    // Cheapest first (best first within a price): an item is dominated when `cap` earlier ones
    // score at least as much.
    const order = [...members].sort((a, b) =>
      items[a].cost - items[b].cost || items[b].value - items[a].value || a - b
    );
    const survivors: number[] = [];
    const values: number[] = [];
    for (const i of order) {
      let better = 0;
      for (const v of values) if (v >= items[i].value) better++;
      if (better >= cap) continue;
      survivors.push(i);
      values.push(items[i].value);
    }
    kept.push(survivors.sort((a, b) => a - b));
  }
  return [...kept, ...singles];
}

/**
 * The crate of greatest total value whose cost is at most `budget` (cents) and that holds at
 * most `maxPerGroup` items of any group (Infinity: no cap). Exact; ties go to the earlier items.
 * Throws when the programme would need more than {@link MAX_CHOICE_BITS} of memory.
 */
export function solveKnapsack(
  items: readonly KnapsackItem[],
  budget: number,
  maxPerGroup = Infinity,
): KnapsackResult {
  const B = Math.max(0, Math.floor(budget));
  const cap = maxPerGroup >= 1 ? maxPerGroup : 1;
  const groups = prune(items, B, cap);
  const width = B + 1;
  const layersOf = (g: number[]) => Math.min(g.length, cap);
  let bits = 0;
  for (const g of groups) {
    bits += ((g.length > 1 ? g.length * layersOf(g) : 0) + (layersOf(g) > 1 ? 8 : 1)) * width;
  }
  if (bits > MAX_CHOICE_BITS) {
    throw new Error(
      `too many candidates for an exact crate: ${items.length} records under a budget of ` +
        `${B} cents would need ${Math.round(bits / 8 / 1024 ** 2)} MiB; choose fewer lists or ` +
        `a smaller budget`,
    );
  }
  let dp = new Float64Array(width); // best value with cost ≤ b
  // Per group of several items: a bit per (item, layer, budget) "this item raised the layer
  // here". Per group: the layer it ended in, per budget (one bit when there is one layer).
  const takeBits: Uint8Array[][] = [];
  const endLayer: Uint8Array[] = [];
  for (const g of groups) {
    const L = layersOf(g);
    const layers: Float64Array[] = [dp];
    for (let c = 1; c <= L; c++) layers.push(new Float64Array(width).fill(-Infinity));
    const groupBits: Uint8Array[] = [];
    g.forEach((index, position) => {
      const { cost, value } = items[index];
      const mine = g.length > 1 ? new Uint8Array(Math.ceil((L * width) / 8)) : null;
      for (let c = Math.min(L, position + 1); c >= 1; c--) {
        const from = layers[c - 1];
        const to = layers[c];
        const base = (c - 1) * width;
        for (let b = B; b >= cost; b--) {
          const candidate = from[b - cost] + value;
          if (candidate > to[b]) {
            to[b] = candidate;
            if (mine) {
              const bit = base + b;
              mine[bit >> 3] |= 1 << (bit & 7);
            }
          }
        }
      }
      if (mine) groupBits.push(mine);
    });
    takeBits.push(groupBits);
    const next = new Float64Array(width);
    const ended = L > 1 ? new Uint8Array(width) : new Uint8Array(Math.ceil(width / 8));
    for (let b = 0; b < width; b++) {
      let best = layers[0][b];
      let at = 0;
      for (let c = 1; c <= L; c++) {
        if (layers[c][b] > best) {
          best = layers[c][b];
          at = c;
        }
      }
      next[b] = best;
      if (L > 1) ended[b] = at;
      else if (at === 1) ended[b >> 3] |= 1 << (b & 7);
    }
    endLayer.push(ended);
    dp = next;
  }
  // Walk back: per group, from the layer it ended in, find which item raised each layer.
  const chosen: number[] = [];
  let b = B;
  for (let gi = groups.length - 1; gi >= 0; gi--) {
    const g = groups[gi];
    const L = layersOf(g);
    let c = L > 1 ? endLayer[gi][b] : (takenAt(endLayer[gi], 0, width, b) ? 1 : 0);
    if (g.length === 1) {
      if (c === 1) {
        chosen.push(g[0]);
        b -= items[g[0]].cost;
      }
      continue;
    }
    for (let position = g.length - 1; position >= 0 && c > 0; position--) {
      if (c > position + 1) continue;
      if (takenAt(takeBits[gi][position], c - 1, width, b)) {
        chosen.push(g[position]);
        b -= items[g[position]].cost;
        c--;
      }
    }
  }
  chosen.sort((x, y) => x - y);
  return {
    chosen,
    cost: chosen.reduce((s, i) => s + items[i].cost, 0),
    value: chosen.reduce((s, i) => s + items[i].value, 0),
  };
}

/** Whether the bit for (layer, budget) is set. */
function takenAt(bits: Uint8Array, layer: number, width: number, b: number): boolean {
  const bit = layer * width + b;
  return (bits[bit >> 3] & (1 << (bit & 7))) !== 0;
}

/**
 * What a greedy pick takes: best value per cent first (free items first), each if it still fits
 * the budget and its artist's cap. Fast and usually good, not always best: the comparison the
 * crate prints.
 */
export function greedyKnapsack(
  items: readonly KnapsackItem[],
  budget: number,
  maxPerGroup = Infinity,
): KnapsackResult {
  const order = items.map((_, i) => i).filter((i) => usable(items[i], budget)).sort((a, b) => {
    const ra = items[a].cost === 0 ? Infinity : items[a].value / items[a].cost;
    const rb = items[b].cost === 0 ? Infinity : items[b].value / items[b].cost;
    return rb - ra || items[b].value - items[a].value || a - b;
  });
  const perGroup = new Map<string, number>();
  const chosen: number[] = [];
  let left = budget;
  for (const i of order) {
    const { cost, group } = items[i];
    if (cost > left) continue;
    if (group !== null && (perGroup.get(group) ?? 0) >= maxPerGroup) continue;
    chosen.push(i);
    left -= cost;
    if (group !== null) perGroup.set(group, (perGroup.get(group) ?? 0) + 1);
  }
  chosen.sort((x, y) => x - y);
  return {
    chosen,
    cost: chosen.reduce((s, i) => s + items[i].cost, 0),
    value: chosen.reduce((s, i) => s + items[i].value, 0),
  };
}

/** The best crate by trying every subset (at most 24 items): the check of {@link solveKnapsack}. */
export function bruteForceCrate(
  items: readonly KnapsackItem[],
  budget: number,
  maxPerGroup = Infinity,
): KnapsackResult {
  if (items.length > 24) throw new Error("brute force is for at most 24 items");
  let best: KnapsackResult = { chosen: [], cost: 0, value: 0 };
  for (let mask = 1; mask < 1 << items.length; mask++) {
    let cost = 0;
    let value = 0;
    const counts = new Map<string, number>();
    let ok = true;
    const chosen: number[] = [];
    for (let i = 0; i < items.length && ok; i++) {
      if (!(mask & (1 << i))) continue;
      const item = items[i];
      if (!usable(item, budget)) ok = false;
      cost += item.cost;
      value += item.value;
      chosen.push(i);
      if (item.group !== null) {
        const n = (counts.get(item.group) ?? 0) + 1;
        counts.set(item.group, n);
        if (n > maxPerGroup) ok = false;
      }
    }
    if (ok && cost <= budget && value > best.value + 1e-12) best = { chosen, cost, value };
  }
  return best;
}
