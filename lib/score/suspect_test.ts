import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import {
  formatGroup,
  MIN_REFERENCE,
  type PricedRecord,
  SUSPECT_PRICE_FLOOR,
  suspectPriceRule,
  suspectPrices,
} from "./suspect.ts";

/** `n` 12" records priced evenly from `from` to `to` in `currency`. */
function crate(n: number, from: number, to: number, currency = "USD", format = '12"') {
  return Array.from({ length: n }, (_, i): PricedRecord => ({
    lowestPrice: from + ((to - from) * i) / Math.max(1, n - 1),
    currency,
    format,
  }));
}

Deno.test("format groups read the media, not the count or the details", () => {
  assertEquals(formatGroup("2xLP, Album, RE"), "LP");
  assertEquals(formatGroup('12", W/Lbl'), '12"');
  assertEquals(formatGroup('7"'), '7"');
  assertEquals(formatGroup(null), null);
});

Deno.test("a price far below the crate's low quantile is suspect, with a reason", () => {
  // 100 records from $4 to $40: q10 = $7.60, a quarter of it $1.90.
  const reference = crate(100, 4, 40);
  const rule = suspectPriceRule(reference);
  const reason = rule({ lowestPrice: 0.08, currency: "USD", format: '12"' });
  assertStringIncludes(reason!, "lowest $0.08 looks like a damaged or mislisted copy");
  assertStringIncludes(reason!, "under $1.90");
  assertEquals(rule({ lowestPrice: 1.89, currency: "USD", format: '12"' }) !== null, true);
  // Cheap but real: half the 10th percentile.
  assertEquals(rule({ lowestPrice: 2.58, currency: "USD", format: '12"' }), null);
  assertEquals(rule({ lowestPrice: null, currency: "USD", format: '12"' }), null);
});

Deno.test("a few junk prices do not move the threshold (robust quantile)", () => {
  const honest = crate(100, 4, 40);
  const junk = [0.01, 0.02, 0.04, 0.08].map((p) => ({ lowestPrice: p, currency: "USD" }));
  const reasons = suspectPrices([...honest, ...junk]);
  assertEquals(reasons.slice(100).every((r) => r !== null), true, "all junk flagged");
  assertEquals(reasons.slice(0, 100).every((r) => r === null), true, "no honest copy flagged");
});

Deno.test("the floor is per currency, and a small crate uses the floor only", () => {
  const few = crate(MIN_REFERENCE - 1, 20, 40);
  const rule = suspectPriceRule(few);
  assertEquals(rule({ lowestPrice: 0.49, currency: "USD" }) !== null, true);
  assertEquals(rule({ lowestPrice: 0.5, currency: "USD" }), null, "not below the floor");
  // ¥60 is about 40 cents; 60 in dollars would not be.
  const yen = suspectPriceRule(crate(5, 1000, 5000, "JPY"));
  assertStringIncludes(yen({ lowestPrice: 60, currency: "JPY" })!, "¥60");
  assertEquals(yen({ lowestPrice: SUSPECT_PRICE_FLOOR.JPY, currency: "JPY" }), null);
  // Each currency has its own distribution: cheap euros do not make dollars suspect.
  const mixed = suspectPriceRule([...crate(50, 40, 80, "USD"), ...crate(50, 2, 10, "EUR")]);
  assert(mixed({ lowestPrice: 2, currency: "USD" }) !== null);
  assertEquals(mixed({ lowestPrice: 2, currency: "EUR" }), null);
});

Deno.test("a cheap format is judged by its own prices, a dear one by the crate's", () => {
  // LPs at $20–60, 7" singles at $0.6–1.6: a $0.60 single is ordinary for this crate's 7"s.
  const lps = crate(60, 20, 60, "USD", "LP, Album");
  const singles = crate(40, 0.6, 1.6, "USD", '7"');
  const rule = suspectPriceRule([...lps, ...singles]);
  assertEquals(rule({ lowestPrice: 0.6, currency: "USD", format: '7", Single' }), null);
  // The same price for an LP falls under the crate's quarter-q10 … only when that is above it:
  // here the crate's q10 is a 7" price, so the floor decides.
  assertStringIncludes(rule({ lowestPrice: 0.4, currency: "USD", format: "2xLP" })!, "$0.50");
  // An LP-only crate: a quarter of its q10 ($24) is $6, and its own format sets no higher bar.
  const lpOnly = suspectPriceRule(lps);
  assertStringIncludes(lpOnly({ lowestPrice: 5.9, currency: "USD", format: "LP" })!, "USD records");
  assertEquals(lpOnly({ lowestPrice: 6.1, currency: "USD", format: "LP" }), null);
});
