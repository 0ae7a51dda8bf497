/**
 * Lowest prices grouped per currency, shared by the collection summary and the crate: prices in
 * different currencies are never added together, and an item with no usable price is counted
 * apart rather than as free. Pure, so the browser script bundles it.
 *
 * @module
 */

/** What grouping needs of an item. */
export interface Priced {
  lowestPrice: number | null;
  currency: string | null;
}

/** The items of one currency, all with a finite lowest price. */
export interface CurrencyGroup<T extends Priced> {
  currency: string | null;
  items: (T & { lowestPrice: number })[];
}

/** `items` grouped by currency, most items first, and how many had no finite lowest price. */
export function groupByCurrency<T extends Priced>(
  items: readonly T[],
): { unpriced: number; groups: CurrencyGroup<T>[] } {
  const groups = new Map<string | null, CurrencyGroup<T>>();
  let unpriced = 0;
  for (const item of items) {
    if (item.lowestPrice === null || !Number.isFinite(item.lowestPrice)) {
      unpriced += 1;
      continue;
    }
    const group = groups.get(item.currency) ?? { currency: item.currency, items: [] };
    group.items.push(item as T & { lowestPrice: number });
    groups.set(item.currency, group);
  }
  return { unpriced, groups: [...groups.values()].sort((a, b) => b.items.length - a.items.length) };
}

/** An amount rounded to cents, so 0.1 + 0.2 shows as 0.30 and sums compare exactly in tests. */
export function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
