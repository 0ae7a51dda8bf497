import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import {
  parseThreshold,
  priceMoves,
  type Snapshot,
  snapshotSessions,
  valueHistory,
} from "./history.ts";
import { syntheticHistory } from "./synthetic.ts";

const at = (day: number, seconds = 0) =>
  new Date(Date.UTC(2026, 10, 1 + day, 3, 0, seconds)).toISOString();
const snap = (
  id: number,
  day: number,
  price: number | null,
  forSale = 3,
  seconds = 0,
): Snapshot => ({
  release_id: id,
  fetched_at: at(day, seconds),
  currency: "USD",
  lowest_price: price,
  num_for_sale: price === null ? 0 : forSale,
  want: 100,
});

Deno.test("a release fetched again starts a new pass; so does a long gap", () => {
  const rows = [snap(1, 0, 10), snap(2, 0, 5, 3, 1), snap(1, 0, 11, 3, 30), snap(3, 5, 2)];
  const sessions = snapshotSessions(rows);
  assertEquals(sessions.map((s) => [...s.releases]), [[1, 2], [1], [3]]);
});

Deno.test("value history: copies counted, older prices carried, unpriced not", () => {
  const copies = new Map([[1, 2], [2, 1], [3, 1]]);
  const rows = [
    snap(1, 0, 10),
    snap(2, 0, 4),
    snap(3, 0, null),
    snap(1, 7, 12),
    snap(3, 7, 6),
    snap(9, 7, 100), // not in the collection
  ];
  const history = valueHistory(rows, copies);
  assertEquals(history.map((h) => [h.total_value, h.releases_priced, h.releases_carried]), [
    [24, 2, 0],
    [34, 3, 1], // 2 × 12 + 4 (carried) + 6
  ]);
  assertEquals(history[1].median_price, 6);
  assertEquals(history[1].snapshot_date, "2026-11-08");
});

Deno.test("price moves: threshold, kinds, reasons, largest first", () => {
  const copies = new Map([[1, 1], [2, 1], [3, 1], [4, 1], [5, 1]]);
  const rows = [
    snap(1, 0, 10, 5),
    snap(2, 0, 10, 2),
    snap(3, 0, 10),
    snap(4, 0, 10),
    snap(5, 0, null),
    snap(1, 7, 15, 2),
    snap(2, 7, 8, 6),
    snap(3, 7, 10.3),
    snap(4, 7, null),
    snap(5, 7, 20, 1),
  ];
  const moves = priceMoves(rows, copies);
  assertEquals(moves.map((m) => [m.release_id, m.kind]), [[1, "up"], [2, "down"], [4, "gone"], [
    5,
    "back",
  ]]);
  assertEquals(moves[0].change, 5);
  assertEquals(moves[0].change_pct, 0.5);
  assertStringIncludes(moves[0].reason, "fewer copies for sale (5 → 2)");
  assertStringIncludes(moves[1].reason, "more copies for sale (2 → 6): a cheaper copy was listed");
  assertStringIncludes(moves[2].reason, "no copy for sale any more (was $10.00");
  assertEquals(priceMoves(rows, copies, { threshold: 0.01 }).length, 5);
  assertEquals(priceMoves(rows, copies, { threshold: 0.6 }).map((m) => m.kind), ["gone", "back"]);
  assertEquals(parseThreshold("5%"), 0.05);
  assertEquals(parseThreshold("12.5"), 0.125);
});

Deno.test("a synthetic collection: one value row per pass, moves between the last two", () => {
  const { snapshots, copies } = syntheticHistory({ releases: 50, snapshots: 12, seed: 4 });
  const history = valueHistory(snapshots, copies);
  assertEquals(history.length, 12);
  assert(history.every((h) => h.releases_priced + h.releases_unpriced === 50));
  assert(priceMoves(snapshots, copies).length > 0);
});
