/**
 * How the Crate Picks ranking reshuffles as price sensitivity changes: a bump chart of the top
 * records' value ranks across price weights. {@link rankShiftRows} recomputes the ranks with the
 * score stage's own `computeScores`, so the chart always agrees with `deno task score`.
 *
 * @example
 * ```ts
 * const scores = await db.all<ScoreRow>("SELECT * FROM scores");
 * const figure = rankShift(rankShiftRows(scores)); // weights 0.5, 1, 2, 5, 10; top 10
 * await writeChart(figure, "data/out/charts", "rank_shift");
 * ```
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { computeScores, scoreInputsFromRows } from "../score/mod.ts";
import {
  CATEGORY_COLOURS,
  type ChartOptions,
  emptyChart,
  FONT_SIZE,
  frame,
  marginFor,
  plural,
  recordLabel,
  withLabels,
} from "./common.ts";
import type { Figure } from "./render.ts";
import type { RankShiftRow, ScoreRow } from "./rows.ts";

/** The price weights the chart compares by default (the slider's useful range). */
export const DEFAULT_RANK_SHIFT_WEIGHTS = [0.5, 1, 2, 5, 10] as const;

/**
 * Value ranks of the records that make the top `top` under any of `weights`, recomputed with
 * `computeScores` for each weight. One row per record and weight; records that cannot be ranked
 * (too little market data) are left out.
 */
export function rankShiftRows(
  scoreRows: readonly ScoreRow[],
  weights: readonly number[] = DEFAULT_RANK_SHIFT_WEIGHTS,
  top = 10,
): RankShiftRow[] {
  const records = scoreInputsFromRows(scoreRows);
  const byWeight = weights.map((weight) => ({
    weight,
    ranks: new Map(computeScores(records, weight).map((s) => [s.releaseId, s.ranks.value])),
  }));
  const chosen = new Set<number>();
  for (const { ranks } of byWeight) {
    for (const [id, rank] of ranks) if (rank !== null && rank <= top) chosen.add(id);
  }
  const rowOf = new Map(scoreRows.map((r) => [r.release_id, r]));
  const out: RankShiftRow[] = [];
  for (const id of chosen) {
    for (const { weight, ranks } of byWeight) {
      const rank = ranks.get(id);
      if (rank !== null && rank !== undefined) {
        out.push({ label: recordLabel(rowOf.get(id)!, 36), weight, rank, release_id: id });
      }
    }
  }
  return out;
}

/** Options for {@link rankShift}. */
export interface RankShiftOptions extends ChartOptions {
  /** The weight the scores table was computed at, marked on the axis (e.g. 1). */
  currentWeight?: number;
}

/**
 * A bump chart: one line per record through its value rank (1 at the top) at each price weight,
 * weights evenly spaced left to right, each line labelled at its right end.
 */
export function rankShift(rows: readonly RankShiftRow[], options: RankShiftOptions = {}): Figure {
  const title = options.title ?? "Crate Picks rank vs price sensitivity";
  const valid = rows.filter((r) =>
    Number.isFinite(r.weight) && Number.isFinite(r.rank) && r.rank >= 1
  );
  if (valid.length === 0) {
    return emptyChart(title, "No rankable records: value ranks need price, want or have.", options);
  }
  const { document, width } = frame(options);
  const weights = [...new Set(valid.map((r) => r.weight))].sort((a, b) => a - b);
  const index = new Map(weights.map((w, i) => [w, i]));
  // A record is one line: its release id when known, else its label.
  // (Not "#123": Plot would read a "#…" string as a literal colour.)
  const keyOf = (r: RankShiftRow) =>
    r.release_id !== undefined ? `release ${r.release_id}` : `label ${r.label}`;
  const data = valid
    .map((r) => ({ ...r, key: keyOf(r), i: index.get(r.weight)! }))
    .sort((a, b) => a.i - b.i);
  // Each record's point at its highest weight (data is in weight order), in first-seen order.
  const lastOf = new Map<string, (typeof data)[number]>();
  for (const d of data) lastOf.set(d.key, d);
  const keys = [...lastOf.keys()];
  const last = [...lastOf.values()];
  const maxRank = Math.max(...data.map((d) => d.rank));
  const ranks = Array.from({ length: maxRank }, (_, i) => i + 1);
  const labels = last.map((d) => `${d.rank}. ${d.label}`);
  const height = Math.min(720, Math.max(280, maxRank * 24 + 110));
  const weightText = (i: number) =>
    `w = ${weights[i]}${weights[i] === options.currentWeight ? " (now)" : ""}`;
  return withLabels(
    (extra, pinned) =>
      Plot.plot({
        document,
        width,
        height,
        marginLeft: 44,
        marginRight: marginFor(labels, 60, 300),
        marginBottom: 44,
        title,
        subtitle: `Value rank of the ${
          plural(keys.length, "record")
        } that make the top at any price weight; higher weights favour cheaper records.`,
        x: { domain: pinned.x ?? [0, weights.length - 1], inset: 10 },
        y: { domain: pinned.y ?? [maxRank + 0.5, 0.5], inset: 4 },
        color: { domain: keys, range: [...CATEGORY_COLOURS] },
        marks: [
          Plot.gridY(ranks, { strokeOpacity: 0.06 }),
          Plot.axisY(
            ranks.filter((r) => maxRank <= 25 || r === 1 || r % 5 === 0),
            { label: "↑ Value rank", labelArrow: "none", tickFormat: "d" },
          ),
          Plot.axisX(weights.map((_, i) => i), {
            text: (i: number) => weightText(i),
            label: "Price weight →",
            labelAnchor: "right",
            labelArrow: "none",
          }),
          Plot.line(data, {
            x: "i",
            y: "rank",
            z: "key",
            stroke: "key",
            strokeWidth: 2,
            curve: "monotone-x",
          }),
          Plot.dot(data, { x: "i", y: "rank", fill: "key", r: 3.5, stroke: "white" }),
          ...extra,
        ],
      }),
    (x, y) => last.map((d, j) => ({ px: x.apply(d.i), py: y.apply(d.rank), text: labels[j] })),
    {
      area: (x, y) => ({
        left: Math.max(...x.range!) - 1,
        right: width - 2,
        top: Math.min(...y.range!) - FONT_SIZE,
        bottom: Math.max(...y.range!) + FONT_SIZE,
      }),
      ring: false,
    },
  );
}
