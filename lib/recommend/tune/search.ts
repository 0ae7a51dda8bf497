/**
 * The tuned blend: coordinate-wise search over the gem score's knobs on the inner folds — each
 * knob in turn tried on a small grid with the others held, kept where the folds' objective is
 * higher by {@link STEP_MARGIN} and lower on none (else the current value stays), until every knob is tried once more without a
 * change, or the deadline passes (then the best so far).
 *
 * @module
 */

import { TOKEN_FIELDS } from "../../embed/model.ts";
import type { GemWeights } from "../kinds/gem_weights.ts";
import { GEM_SIGNALS } from "../signals/mod.ts";
import { type Blend, fieldWeights, type FoldColumns, objective, scoreFold } from "./simulate.ts";

/**
 * How much a knob's new value must raise the folds' mean objective to be kept — and it must
 * lower no fold's: a change only some folds like is noise those folds share.
 */
export const STEP_MARGIN = 0.002;

/** Each fold's objective under `blend` (as served, or undiversified with `served` false). */
export function foldObjectives(
  folds: readonly FoldColumns[],
  blend: Blend,
  served = true,
): number[] {
  return folds.map((f) => objective(scoreFold(f, blend, served)));
}

const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / (v.length || 1);

/** True when `next` beats `current` by `margin` on the mean and loses on no fold. */
export function beats(
  next: readonly number[],
  current: readonly number[],
  margin: number,
): boolean {
  return mean(next) > mean(current) + margin && next.every((v, k) => v >= current[k] - 1e-12);
}

/** One knob: its name, its grid, how to read it off a blend and set it on one. */
interface Knob {
  name: string;
  grid: readonly number[];
  get(b: Blend): number;
  set(b: Blend, v: number): Blend;
}

const weightKnob = (name: "centroid" | "neighbours", grid: number[]): Knob => ({
  name,
  grid,
  get: (b) => b.weights[name],
  set: (b, v) => ({ ...b, weights: { ...b.weights, [name]: v } }),
});

/**
 * Every knob the search turns, in the order it turns them. Not the value weight: it is the
 * collector's price sensitivity (`--price-weight`), which recall on hidden records cannot judge
 * (a hidden record is a hit at any price: tuned on them, value fell to 0 and the slider went
 * dead); the hand blend's stays.
 */
export function knobs(): Knob[] {
  const signal = GEM_SIGNALS.map((s): Knob => {
    const d = s.defaultWeight || 0.1;
    return {
      name: `signal:${s.name}`,
      grid: [0, d / 2, d, 2 * d, 4 * d],
      get: (b) => b.weights.signals?.[s.name] ?? s.defaultWeight,
      set: (b, v) => ({
        ...b,
        weights: { ...b.weights, signals: { ...b.weights.signals, [s.name]: v } },
      }),
    };
  });
  const fields = TOKEN_FIELDS.map((field, f): Knob => ({
    name: `field:${field}`,
    grid: [0, 0.5, 1, 1.5, 2.5],
    get: (b) => fieldWeights(b.weights)[f],
    set: (b, v) => {
      const next = [...fieldWeights(b.weights)];
      next[f] = v;
      return { ...b, weights: { ...b.weights, fields: next } };
    },
  }));
  return [
    weightKnob("neighbours", [0, 0.1, 0.2, 0.35, 0.5, 0.8, 1.2]),
    weightKnob("centroid", [0, 0.05, 0.15, 0.3, 0.5]),
    ...signal,
    ...fields,
  ];
}

/** What the search found. */
export interface SearchResult {
  blend: Blend;
  /** Its objective on the folds it searched. */
  objective: number;
  /** Settings scored. */
  evaluations: number;
  /** False when the deadline stopped it before it settled. */
  complete: boolean;
}

/** Coordinate-wise search from `start` on `folds`, until settled or `deadline` (ms, `now()`). */
export function searchBlend(
  folds: readonly FoldColumns[],
  start: Blend,
  deadline: number,
  now: () => number = performance.now.bind(performance),
  maxPasses = 3,
): SearchResult {
  // The weights on the undiversified lists (a few milliseconds a setting), then the MMR λ on
  // the served ones.
  let best = start;
  let bestScores = foldObjectives(folds, start, false);
  let evaluations = 1;
  const all = knobs();
  let complete = true;
  search: for (let pass = 0; pass < maxPasses; pass++) {
    let changed = false;
    for (const knob of all) {
      const current = knob.get(best);
      for (const v of knob.grid) {
        if (v === current) continue;
        if (now() > deadline) {
          complete = false;
          break search;
        }
        const candidate = knob.set(best, v);
        const scores = foldObjectives(folds, candidate, false);
        evaluations++;
        if (beats(scores, bestScores, STEP_MARGIN)) {
          (best = candidate, bestScores = scores, changed = true);
        }
      }
    }
    if (!changed) break;
  }
  return {
    ...tuneDiversity(folds, best),
    evaluations: evaluations + DIVERSITY_GRID.length,
    complete,
  };
}

/**
 * The MMR trade-offs tried on the served lists. Not 1 (no MMR at all): gems promise a varied list,
 * and at 1 the sample's tuned list served two records with the same reason side by side.
 */
export const DIVERSITY_GRID = [0.8, 0.9] as const;

/** `blend` at the λ of {@link DIVERSITY_GRID} the served lists do best with (its own on ties). */
export function tuneDiversity(
  folds: readonly FoldColumns[],
  blend: Blend,
): { blend: Blend; objective: number } {
  let best = blend;
  let bestScores = foldObjectives(folds, blend);
  for (const diversity of DIVERSITY_GRID) {
    if (diversity === blend.diversity) continue;
    const candidate = { ...blend, diversity };
    const scores = foldObjectives(folds, candidate);
    if (beats(scores, bestScores, STEP_MARGIN)) (best = candidate, bestScores = scores);
  }
  return { blend: best, objective: mean(bestScores) };
}

/** The weights with every field and signal spelled out (what run.json shows). */
export function spelledOut(weights: GemWeights): Required<GemWeights> {
  return {
    taste: weights.taste,
    centroid: weights.centroid,
    value: weights.value,
    neighbours: weights.neighbours,
    signals: Object.fromEntries(
      GEM_SIGNALS.map((s) => [s.name, weights.signals?.[s.name] ?? s.defaultWeight]),
    ),
    fields: [...fieldWeights(weights)],
  };
}
