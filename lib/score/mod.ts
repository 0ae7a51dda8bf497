/**
 * Scoring the workspace: {@link scoreCollection} reads the collection and its market facts from
 * the tables, ranks them with the pure {@link computeScores} (./ranking.ts, shared with the
 * notebooks, the charts and the report's slider) and writes the `scores` table. Nothing happens
 * at import: the SQL is read when a collection is scored.
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
import { priceExponent, type PriceModel } from "./formulas.ts";
import {
  checkPriceWeight,
  computeScores,
  priceModelOf,
  type RankingRules,
  scoreColumns,
  type ScoredRecord,
  type ScoreInputRow,
  scoreInputsFromRows,
} from "./ranking.ts";

export * from "./formulas.ts";
export * from "./ranking.ts";
export * from "./suspect.ts";
export * from "./why.ts";

// Read on first use, not at import: importing the formulas must not touch the file system.
const sqlFiles = new Map<string, Promise<string>>();
function sql(file: "inputs.sql" | "scores.sql"): Promise<string> {
  let text = sqlFiles.get(file);
  if (!text) {
    text = Deno.readTextFile(new URL(`./${file}`, import.meta.url));
    sqlFiles.set(file, text);
  }
  return text;
}

/** Options for {@link scoreCollection}. */
export interface ScoreOptions extends RankingRules {
  priceWeight: number;
  /** Release ids Discogs answers 404 for, so the coverage line does not send them to enrich. */
  notOnDiscogs?: ReadonlySet<number>;
}

/** What {@link scoreCollection} reports. */
export interface ScoreSummary {
  rows: number;
  rankable: number;
  /** Releases that take a rank in at least Crate Picks under the rules used. */
  ranked: number;
  fullyKnown: number;
  /** Releases held out of the rankings because an input was imputed ("needs market data"). */
  needsMarketData: number;
  /** Releases whose lowest price looks like a damaged or mislisted copy (held out or kept). */
  suspectPrices: number;
  /** Of those, how many were held out of the rankings (0 with `keepSuspectPrices`). */
  suspectHeldOut: number;
  /** The price model value was computed with. */
  priceModel: PriceModel;
  /** Releases with fetched market data (the rest have none yet: `deno task enrich`). */
  withMarketData: number;
  /** Of the releases without market data, how many Discogs answers 404 for (never enriched). */
  notOnDiscogs: number;
  currencies: string[];
}

const STAGING_INPUTS = "score_inputs";
const STAGING_VALUES = "score_values";

async function requireTable(db: Database, table: string, hint: string): Promise<void> {
  if (!(await db.tableExists(table))) {
    throw new InputError(`the workspace ${db.path} has no \`${table}\` table yet: ${hint}`);
  }
}

/** The staging table's columns, in the order scores.sql reads them. */
const SCORE_VALUE_COLUMNS = {
  release_id: "BIGINT",
  imputed: "VARCHAR",
  rankable: "BOOLEAN",
  held_out: "VARCHAR",
  suspect_price: "BOOLEAN",
  suspect_reason: "VARCHAR",
  ranking_rules: "VARCHAR",
  price_model: "VARCHAR",
  price_weight: "DOUBLE",
  artist_mean_want: "DOUBLE",
  value_score: "DOUBLE",
  value_rank: "INTEGER",
  value_why: "VARCHAR",
  smart_buy_score: "DOUBLE",
  smart_buy_rank: "INTEGER",
  smart_buy_why: "VARCHAR",
  essential_score: "DOUBLE",
  essential_rank: "INTEGER",
  essential_why: "VARCHAR",
  deep_cut_score: "DOUBLE",
  deep_cut_rank: "INTEGER",
  deep_cut_why: "VARCHAR",
} as const;

/** Write computed scores into the staging table with the bulk appender. */
async function writeScoreValues(
  db: Database,
  scored: ScoredRecord[],
  priceWeight: number,
  rules: RankingRules,
) {
  const rulesName = rules.prototypeRanking
    ? "prototype"
    : rules.keepSuspectPrices
    ? "complete data, suspect prices kept"
    : "complete data";
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGING_VALUES} (${
      Object.entries(SCORE_VALUE_COLUMNS).map(([name, type]) => `${name} ${type}`).join(", ")
    })`,
  );
  await db.append(
    STAGING_VALUES,
    SCORE_VALUE_COLUMNS,
    scored.map((s) => ({
      release_id: s.releaseId,
      imputed: s.imputed.join(","),
      rankable: s.rankable,
      held_out: s.heldOut,
      suspect_price: s.suspectReason !== null,
      suspect_reason: s.suspectReason,
      ranking_rules: rulesName,
      price_model: priceModelOf(rules),
      price_weight: priceWeight,
      artist_mean_want: s.artistMeanWant,
      ...scoreColumns(s),
    })),
  );
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
    await db.run(`CREATE OR REPLACE TEMP TABLE ${STAGING_INPUTS} AS ${await sql("inputs.sql")}`);
    const records = scoreInputsFromRows(
      await db.all<ScoreInputRow>(
        `SELECT release_id, artist, artist_display, format, want, have, lowest_price, num_for_sale, currency FROM ${STAGING_INPUTS}`,
      ),
    );
    const rules: RankingRules = {
      prototypeRanking: options.prototypeRanking ?? false,
      keepSuspectPrices: options.keepSuspectPrices ?? false,
      priceModel: options.priceModel,
    };
    const scored = computeScores(records, priceWeight, rules);
    await writeScoreValues(db, scored, priceWeight, rules);
    const rows = await db.replaceTable("scores", await sql("scores.sql"));
    const currencies = [...new Set(records.map((r) => r.currency).filter((c): c is string => !!c))]
      .sort();
    const market = await db.one<{ n: number }>(
      `SELECT count(*) FILTER (enriched)::INTEGER AS n FROM ${STAGING_INPUTS}`,
    );
    // Release ids Discogs answered 404 for (lib/discogs/cache.ts reads files when imported, so
    // the caller gives them: lib/score imports with no permissions).
    const unknown = options.notOnDiscogs ?? new Set<number>();
    const notOnDiscogs = (await db.all<{ id: number }>(
      `SELECT release_id AS id FROM ${STAGING_INPUTS} WHERE NOT enriched`,
    )).filter((r) => unknown.has(Number(r.id))).length;
    return {
      rows,
      rankable: scored.filter((s) => s.rankable).length,
      ranked: scored.filter((s) => s.ranks.value !== null).length,
      fullyKnown: scored.filter((s) => s.imputed.length === 0).length,
      needsMarketData: scored.filter((s) => s.heldOut === "needs market data").length,
      suspectPrices: scored.filter((s) => s.suspectReason !== null).length,
      suspectHeldOut: scored.filter((s) => s.heldOut === "suspect price").length,
      priceModel: priceModelOf(rules),
      withMarketData: market?.n ?? 0,
      notOnDiscogs,
      currencies,
    };
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${STAGING_INPUTS}; DROP TABLE IF EXISTS ${STAGING_VALUES}`);
  }
}

/** The score stage's summary line: what was ranked and what was held out, and why. */
export function scoreLine(
  summary: ScoreSummary,
  priceWeight: number,
  prototypeRanking: boolean,
): string {
  const model = summary.priceModel === "demand"
    ? ` (demand × price^−${priceExponent(priceWeight)})`
    : !prototypeRanking
    ? " (the prototype's price model)"
    : "";
  const head =
    `${summary.rows} releases scored at price weight ${priceWeight}${model}; ${summary.ranked} ranked`;
  if (prototypeRanking) {
    return `${head} as the prototype did, ${summary.fullyKnown} with complete market data`;
  }
  const apart = [
    summary.needsMarketData ? `${summary.needsMarketData} need market data (listed apart)` : "",
    summary.suspectHeldOut
      ? `${summary.suspectHeldOut} with a suspect lowest price held out (--keep-suspect-prices keeps them)`
      : summary.suspectPrices
      ? `${summary.suspectPrices} with a suspect lowest price kept`
      : "",
  ].filter(Boolean);
  return apart.length ? `${head}, ${apart.join(", ")}` : head;
}
