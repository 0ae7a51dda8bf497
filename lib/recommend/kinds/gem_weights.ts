/**
 * The gem score's weights and constants, apart from the score itself so the self-tuning
 * (`lib/recommend/tune/`) can start from the hand blend without importing the recommender that
 * serves its result.
 *
 * @module
 */

/** Weights of the gem score's parts (defaults chosen on the evaluation harness). */
export interface GemWeights {
  taste: number;
  centroid: number;
  value: number;
  /** The local neighbour term, added on the shortlist (see `gemScores`). */
  neighbours: number;
  /**
   * Weights of the registered gem signals by name (`lib/recommend/signals/`); a signal not named
   * here counts its `defaultWeight`.
   */
  signals?: Readonly<Record<string, number>>;
  /**
   * Taste fit's field weights in `TOKEN_FIELDS` order (default `GEM_TASTE_FIELD_WEIGHTS`); only
   * their ratios matter, since the taste term is z-scored.
   */
  fields?: readonly number[];
}

/**
 * Default gem weights: taste fit leads, shelf similarity and the nearest owned records refine,
 * value tips the balance. Measured with `deno task evaluate` (5 folds, both fixture collections):
 * a heavier value or shelf weight pushes records the collectors really own out of the top 50.
 * The self-tuning serves them when a collection is too small to fit its own.
 */
export const DEFAULT_GEM_WEIGHTS: GemWeights = {
  taste: 1,
  centroid: 0.15,
  value: 0.1,
  neighbours: 0.2,
};

/** How many owned records the neighbour term averages over. */
export const NEIGHBOURS = 3;

/**
 * How many records the neighbour term re-ranks by default; `recommendGems` widens it to its MMR
 * window (400 for a top 50), so every record the list can pick has the term.
 */
export const SHORTLIST = 200;

/**
 * The gems' MMR trade-off: at 0.9 the list still spreads over shelves (with the per-artist cap),
 * while 0.8 cost 0.02–0.03 recall@50 on the evaluation harness for little more variety.
 */
export const GEM_DIVERSITY = 0.9;
