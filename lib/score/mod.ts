/**
 * Scoring a collection: the pure {@link computeScores} (records in, scored and ranked records
 * out — used by the stage, notebooks and the report) and {@link scoreCollection}, which reads the
 * workspace tables and writes the `scores` table.
 *
 * @example
 * ```ts
 * const db = await Database.open("data/nextspin.duckdb");
 * const { rows } = await scoreCollection(db, { priceWeight: 2 });
 * ```
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import {
  artistMeanWants,
  type CrateScores,
  crateScores,
  type ImputableInput,
  imputedInputs,
  isRankable,
  type MarketFacts,
  PRICE_WEIGHT,
  rankDescending,
} from "./formulas.ts";
import { deepCutWhy, essentialWhy, smartBuyWhy, valueWhy } from "./why.ts";

export * from "./formulas.ts";
export * from "./why.ts";

const SCORE_INPUTS_SQL = await Deno.readTextFile(new URL("./inputs.sql", import.meta.url));
const SCORES_SQL = await Deno.readTextFile(new URL("./scores.sql", import.meta.url));

/** One record to score: identity plus market facts. */
export interface ScoreInput extends MarketFacts {
  releaseId: number;
  /** Raw Discogs artist name: the key for the artist's mean want. */
  artist: string;
  /** The artist as a collector reads it (no Discogs "(2)" suffix); defaults to `artist`. */
  artistDisplay?: string;
  currency: string | null;
}

/** A row of the `scores` table (or the score stage's inputs), as far as scoring needs it. */
export interface ScoreInputRow {
  release_id: number;
  artist: string | null;
  artist_display?: string | null;
  currency: string | null;
  want: number | null;
  have: number | null;
  lowest_price: number | null;
  num_for_sale: number | null;
}

/**
 * Score inputs from table rows (snake_case columns, as `Database.all` returns them): the one
 * mapping the stage, the charts, the notebooks and the report's tests all re-score with.
 */
export function scoreInputsFromRows(rows: readonly ScoreInputRow[]): ScoreInput[] {
  return rows.map((r) => ({
    releaseId: r.release_id,
    artist: r.artist ?? "",
    artistDisplay: r.artist_display ?? undefined,
    currency: r.currency,
    want: r.want,
    have: r.have,
    lowestPrice: r.lowest_price,
    numForSale: r.num_for_sale,
  }));
}

/** A scored record: scores, ranks (null when not rankable) and reasons. */
export interface ScoredRecord {
  releaseId: number;
  imputed: ImputableInput[];
  rankable: boolean;
  artistMeanWant: number | null;
  scores: CrateScores;
  ranks: {
    value: number | null;
    smartBuy: number | null;
    essential: number | null;
    deepCut: number | null;
  };
  why: { value: string; smartBuy: string; essential: string; deepCut: string };
}

/** Check a price-sensitivity weight is within the prototype's slider range. */
export function checkPriceWeight(priceWeight: number): number {
  if (!(priceWeight >= PRICE_WEIGHT.min && priceWeight <= PRICE_WEIGHT.max)) {
    throw new InputError(
      `price weight ${priceWeight} is out of range: expected ${PRICE_WEIGHT.min} to ${PRICE_WEIGHT.max}`,
    );
  }
  return priceWeight;
}

/**
 * Score and rank `records` under `priceWeight`. The artist mean want is taken over the records
 * given (the collection), as in the prototype. Ranks only cover rankable records (at least two of
 * price, want, have known); ties break on release id.
 */
export function computeScores(records: readonly ScoreInput[], priceWeight: number): ScoredRecord[] {
  checkPriceWeight(priceWeight);
  const rankable = records.map(isRankable);
  // The prototype averages want over the rows it ranks, so unrankable rows do not count.
  const means = artistMeanWants(
    records.filter((_, i) => rankable[i]),
    (r) => r.artist,
    (r) => r.want,
  );
  const scored = records.map((record, i) => {
    const artistMeanWant = means.get(record.artist) ?? null;
    return {
      record,
      rankable: rankable[i],
      artistMeanWant,
      scores: crateScores(record, priceWeight, artistMeanWant),
    };
  });
  const rank = (pick: (s: CrateScores) => number | null) =>
    rankDescending(scored, (s) => pick(s.scores), (s) => s.rankable, (s) => s.record.releaseId);
  const valueRanks = rank((s) => s.value);
  const smartBuyRanks = rank((s) => s.smartBuy);
  const essentialRanks = rank((s) => s.essential);
  const deepCutRanks = rank((s) => s.deepCut);
  return scored.map(({ record, rankable, artistMeanWant, scores }, i) => ({
    releaseId: record.releaseId,
    imputed: imputedInputs(record),
    rankable,
    artistMeanWant,
    scores,
    ranks: {
      value: valueRanks[i],
      smartBuy: smartBuyRanks[i],
      essential: essentialRanks[i],
      deepCut: deepCutRanks[i],
    },
    why: {
      value: valueWhy(record, record.currency),
      smartBuy: smartBuyWhy(record, record.currency),
      essential: essentialWhy(record, scores.essential),
      deepCut: deepCutWhy(record, artistMeanWant, record.artistDisplay ?? record.artist),
    },
  }));
}

/** Options for {@link scoreCollection}. */
export interface ScoreOptions {
  priceWeight: number;
}

/** What {@link scoreCollection} reports. */
export interface ScoreSummary {
  rows: number;
  rankable: number;
  fullyKnown: number;
  /** Releases with fetched market data (the rest have none yet: `deno task enrich`). */
  withMarketData: number;
  currencies: string[];
}

const STAGING_INPUTS = "score_inputs";
const STAGING_VALUES = "score_values";

async function requireTable(db: Database, table: string, hint: string): Promise<void> {
  if (!(await db.tableExists(table))) {
    throw new InputError(`the workspace ${db.path} has no \`${table}\` table yet: ${hint}`);
  }
}

/** Write computed scores into the staging table with the bulk appender. */
async function writeScoreValues(db: Database, scored: ScoredRecord[], priceWeight: number) {
  await db.run(`CREATE OR REPLACE TEMP TABLE ${STAGING_VALUES} (
    release_id BIGINT, imputed VARCHAR, rankable BOOLEAN, price_weight DOUBLE, artist_mean_want DOUBLE,
    value_score DOUBLE, value_rank INTEGER, value_why VARCHAR,
    smart_buy_score DOUBLE, smart_buy_rank INTEGER, smart_buy_why VARCHAR,
    essential_score DOUBLE, essential_rank INTEGER, essential_why VARCHAR,
    deep_cut_score DOUBLE, deep_cut_rank INTEGER, deep_cut_why VARCHAR)`);
  const appender = await db.appender(STAGING_VALUES, "temp");
  const double = (
    v: number | null,
  ) => (v === null ? appender.appendNull() : appender.appendDouble(v));
  const integer = (
    v: number | null,
  ) => (v === null ? appender.appendNull() : appender.appendInteger(v));
  for (const s of scored) {
    appender.appendBigInt(BigInt(s.releaseId));
    appender.appendVarchar(s.imputed.join(","));
    appender.appendBoolean(s.rankable);
    appender.appendDouble(priceWeight);
    double(s.artistMeanWant);
    double(s.scores.value), integer(s.ranks.value), appender.appendVarchar(s.why.value);
    double(s.scores.smartBuy), integer(s.ranks.smartBuy), appender.appendVarchar(s.why.smartBuy);
    double(s.scores.essential), integer(s.ranks.essential), appender.appendVarchar(s.why.essential);
    double(s.scores.deepCut), integer(s.ranks.deepCut), appender.appendVarchar(s.why.deepCut);
    appender.endRow();
  }
  appender.closeSync();
}

/**
 * Score every release in the `collection` table against its `releases` market facts and
 * replace the `scores` table atomically.
 */
export async function scoreCollection(db: Database, options: ScoreOptions): Promise<ScoreSummary> {
  const priceWeight = checkPriceWeight(options.priceWeight);
  await requireTable(db, "collection", "run `deno task ingest` first");
  await requireTable(db, "releases", "run `deno task enrich` first");
  try {
    // A temp table: staging never touches the workspace file (and leaves nothing behind).
    await db.run(`CREATE OR REPLACE TEMP TABLE ${STAGING_INPUTS} AS ${SCORE_INPUTS_SQL}`);
    const records = scoreInputsFromRows(
      await db.all<ScoreInputRow>(
        `SELECT release_id, artist, artist_display, want, have, lowest_price, num_for_sale, currency FROM ${STAGING_INPUTS}`,
      ),
    );
    const scored = computeScores(records, priceWeight);
    await writeScoreValues(db, scored, priceWeight);
    const rows = await db.replaceTable("scores", SCORES_SQL);
    const currencies = [...new Set(records.map((r) => r.currency).filter((c): c is string => !!c))]
      .sort();
    const market = await db.one<{ n: number }>(
      `SELECT count(*) FILTER (enriched)::INTEGER AS n FROM ${STAGING_INPUTS}`,
    );
    return {
      rows,
      rankable: scored.filter((s) => s.rankable).length,
      fullyKnown: scored.filter((s) => s.imputed.length === 0).length,
      withMarketData: market?.n ?? 0,
      currencies,
    };
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${STAGING_INPUTS}; DROP TABLE IF EXISTS ${STAGING_VALUES}`);
  }
}
