import { crateScores, imputedInputs, type MarketFacts, rankDescending } from "../score/formulas.ts";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../testing/assert.ts";
import { DEFAULT_RANK_SHIFT_WEIGHTS, rankShift, rankShiftRows } from "./rank_shift.ts";
import { toSvgString } from "./render.ts";
import type { RankShiftRow, ScoreRow } from "./rows.ts";
import { countMarks, markGroups, texts } from "./testing.ts";

// Cheap-but-less-wanted against dear-but-wanted records, so the ranking turns over as the price
// weight grows; plus records with too little market data to be ranked at all.
const ROWS: ScoreRow[] = [
  [1, 900, 300, 80],
  [2, 400, 200, 6],
  [3, 120, 90, 2.5],
  [4, 2000, 900, 150],
  [5, 60, 30, 1],
  [6, 300, 100, 30],
  [7, 50, 60, 4],
  [8, 700, 500, 12],
  [9, 1500, 300, 200],
  [10, 80, 20, 9],
  [11, 35, 40, 1.5],
  [12, 5000, 4000, 45],
  [13, null, null, 3], // only a price: not rankable
  [14, 250, null, null], // only a want: not rankable
  [15, 90, 0, null], // want and have (zero): price imputed, so not ranked by default
  [16, 450, 150, 0.8],
].map(([id, want, have, price]) => ({
  release_id: id as number,
  artist: `Artist ${(id as number) % 5}`,
  artist_display: `Artist ${(id as number) % 5}`,
  title: `Record ${id}`,
  want,
  have,
  lowest_price: price,
  num_for_sale: 3,
  currency: "EUR",
}));

/** Value ranks under `weight`, straight from the formulas (default rules: the demand price model,
 * complete market data only; no price here is suspect). */
function expectedRanks(rows: readonly ScoreRow[], weight: number): Map<number, number> {
  const facts = (r: ScoreRow): MarketFacts => ({
    want: r.want,
    have: r.have,
    lowestPrice: r.lowest_price,
    numForSale: r.num_for_sale,
  });
  const ranks = rankDescending(
    rows,
    (r) => crateScores(facts(r), weight, null, "demand").value,
    (r) => imputedInputs(facts(r)).length === 0,
    (r) => r.release_id,
  );
  return new Map(
    rows.flatMap((r, i) => (ranks[i] === null ? [] : [[r.release_id, ranks[i]!] as const])),
  );
}

Deno.test("rankShiftRows: ranks agree with the score formulas at every weight", () => {
  const top = 5;
  const rows = rankShiftRows(ROWS, DEFAULT_RANK_SHIFT_WEIGHTS, top);
  const expected = new Map<number, Map<number, number>>(
    DEFAULT_RANK_SHIFT_WEIGHTS.map((w) => [w, expectedRanks(ROWS, w)]),
  );
  // Exactly the records in the top 5 at some weight, each with a row at every weight.
  const chosen = new Set<number>();
  for (const ranks of expected.values()) {
    for (const [id, rank] of ranks) if (rank <= top) chosen.add(id);
  }
  assert(chosen.size > top, "the fixture should reshuffle the top across weights");
  assertEquals(new Set(rows.map((r) => r.release_id)), chosen);
  assertEquals(rows.length, chosen.size * DEFAULT_RANK_SHIFT_WEIGHTS.length);
  for (const r of rows) {
    assertEquals(r.rank, expected.get(r.weight)!.get(r.release_id!), `${r.label} at w=${r.weight}`);
    assertEquals(r.label, `Artist ${r.release_id! % 5} – Record ${r.release_id}`);
  }
  // The unrankable records never appear, whatever their score.
  for (const id of [13, 14, 15]) assert(!rows.some((r) => r.release_id === id), `${id} ranked`);
  // Ranks change with the weight: cheaper records climb at higher weights.
  const rankOf = (id: number, w: number) =>
    rows.find((r) => r.release_id === id && r.weight === w)?.rank;
  assert(rankOf(11, 10)! < rankOf(11, 0.5)!, "the €1.50 record should climb with the weight");
  assert(rankOf(10, 10)! > rankOf(10, 0.5)!, "the €9 record should drop with the weight");
});

Deno.test("rankShiftRows: custom weights and a weight out of range", () => {
  const rows = rankShiftRows(ROWS, [1, 3], 3);
  assertEquals([...new Set(rows.map((r) => r.weight))].sort(), [1, 3]);
  for (const w of [1, 3]) {
    const expected = expectedRanks(ROWS, w);
    for (const r of rows.filter((r) => r.weight === w)) {
      assertEquals(r.rank, expected.get(r.release_id!));
    }
  }
  assertThrows(() => rankShiftRows(ROWS, [20]), Error, "price weight 20 is out of range");
  assertEquals(rankShiftRows([]), []);
});

Deno.test("rankShift: one line per record, labelled with its rank at the highest weight", () => {
  const data = rankShiftRows(ROWS, DEFAULT_RANK_SHIFT_WEIGHTS, 5);
  const records = new Set(data.map((r) => r.release_id)).size;
  const svg = toSvgString(rankShift(data, { currentWeight: 1 }));
  assertEquals(countMarks(svg, "line", "path"), records);
  assertEquals(countMarks(svg, "dot", "circle"), data.length);
  const all = texts(svg);
  assertStringIncludes(all.join(" "), `Value rank of the ${records} records that make the top`);
  assert(all.includes("w = 1 (now)"), all.join(" | "));
  for (const w of [0.5, 2, 5, 10]) assert(all.includes(`w = ${w}`), `w = ${w}`);
  for (const r of data.filter((r) => r.weight === 10)) {
    assert(all.includes(`${r.rank}. ${r.label}`), `${r.rank}. ${r.label} not labelled`);
  }
  // Rank 1 is at the top: its label sits above rank 2's.
  const y = (text: string) => {
    const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const m = svg.match(new RegExp(`translate\\([\\d.]+,([\\d.]+)\\)"[^>]*>${escaped}<`));
    return m ? Number(m[1]) : NaN;
  };
  const one = data.find((r) => r.weight === 10 && r.rank === 1)!;
  const two = data.find((r) => r.weight === 10 && r.rank === 2)!;
  assert(y(`1. ${one.label}`) < y(`2. ${two.label}`), "rank 1 should be drawn above rank 2");
});

Deno.test("rankShift: two pressings with the same label stay two lines", () => {
  const rows: RankShiftRow[] = [
    { label: "Miles Davis – Kind Of Blue", weight: 1, rank: 1, release_id: 1 },
    { label: "Miles Davis – Kind Of Blue", weight: 5, rank: 2, release_id: 1 },
    { label: "Miles Davis – Kind Of Blue", weight: 1, rank: 2, release_id: 2 },
    { label: "Miles Davis – Kind Of Blue", weight: 5, rank: 1, release_id: 2 },
    { label: "Broken", weight: Number.NaN, rank: 3 },
  ];
  const svg = toSvgString(rankShift(rows));
  assertEquals(countMarks(svg, "line", "path"), 2);
  assertEquals(markGroups(svg, "dot").join("").match(/<circle\b/g)?.length, 4);
});

Deno.test("rankShift: no rankable records give an empty chart with a message", () => {
  const svg = toSvgString(rankShift([]));
  assertStringIncludes(svg, "No rankable records: value ranks need price, want or have.");
  assertEquals(countMarks(svg, "line", "path"), 0);
  const unrankable = rankShiftRows([ROWS[12], ROWS[13]]);
  assertEquals(unrankable, []);
  assertStringIncludes(toSvgString(rankShift(unrankable)), "No rankable records");
});

Deno.test("rankShift escapes record labels", () => {
  const svg = toSvgString(
    rankShift([{ label: "<script>x</script> & Co", weight: 1, rank: 1, release_id: 1 }]),
  );
  assert(!svg.includes("<script"), "a raw <script> tag reached the SVG");
  assertStringIncludes(svg, "1. &lt;script&gt;x&lt;/script&gt; &amp; Co");
});
