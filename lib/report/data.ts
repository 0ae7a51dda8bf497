/**
 * Reading what the report shows from the workspace: the `scores` table (required: one row per
 * release, with its market facts, scores and reasons), the `recommendations` table and its lists
 * (`recommendation_kinds`) when the recommend stage has run, and the collection charts drawn
 * with lib/plots.
 *
 * @example
 * ```ts
 * const db = await Database.open("data/nextspin.duckdb");
 * const data = await loadReportData(db);
 * data.payload.records.length; // releases in the collection
 * ```
 *
 * @module
 */

import { type ListeningReport, loadListeningReport } from "./listening.ts";
import type { Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import { notFoundReleaseIds } from "../discogs/cache.ts";
import { FORMULA_TRIGGER_PATTERN } from "../export/tables.ts";
import {
  known,
  priceDistribution,
  releasesByYear,
  type ScoreRow,
  topGenres,
  topStyles,
  toSvgString,
} from "../plots/mod.ts";
import { PRICE_WEIGHT } from "../score/formulas.ts";
import { DEFAULT_RULES, type RankingRules } from "../score/ranking.ts";
import { type CollectionSummary, collectionSummary } from "./summary.ts";
import { isHttpsUrl, releaseUrl } from "./links.ts";
import { type CompleteSection, loadCompleteSection } from "../complete/report.ts";
import { loadTwinsReport, type TwinsReport } from "./twins.ts";
import type { ReportKind, ReportPayload, ReportPick, ReportRecord } from "./types.ts";
import { loadTrends, type TrendsView } from "./trends.ts";

/** How many records each ranking lists before "show more". */
const PAGE_SIZE = 20;

/** Every release of the collection, with its scores and reasons (the score stage's table). */
const SCORES_SQL = "SELECT * FROM scores ORDER BY release_id";

/** The recommend stage's picks, grouped by kind, best first. */
const RECOMMENDATIONS_SQL = `
  SELECT kind, rank, pool_key, release_id, artist, title, year, label, styles, want, have,
    lowest_price, num_for_sale, currency, why, discogs_url, thumbnail_url, score
  FROM recommendations
  ORDER BY kind, rank`;

/** The lists the recommend stage registered, in its order, with their titles. */
const KINDS_SQL =
  "SELECT kind, label AS title, coalesce(description, '') AS blurb FROM recommendation_kinds ORDER BY kind_order, kind";

/** One chart of the summary, flattened to an inline SVG string. */
export interface ReportChart {
  name: string;
  title: string;
  svg: string;
}

/** Everything the page is rendered from. */
export interface ReportData {
  payload: ReportPayload;
  summary: CollectionSummary;
  charts: ReportChart[];
  /** Why the recommendations are missing or thin, with the command that fixes it (the pool
   * and recommend stages' warnings of their last run). */
  recommendationWarnings: string[];
  /** Value over time, movers and forecasts; null before `deno task trends` has run. */
  trends?: TrendsView | null;

  /** The "Complete the set" section (null when `deno task complete` has not run). */
  completeSets?: CompleteSection | null;
  /** The "What you play" section (absent without a listening history). */
  listening?: ListeningReport | null;
  /** Workspace file the data came from (shown in the footer). */
  database: string;
  /** Release ids Discogs answered 404 for: enriching cannot add their market data. */
  notOnDiscogs?: ReadonlySet<number>;
  /** The "Twin crate diggers" section (null: no twins compared; absent: not loaded). */
  twins?: TwinsReport | null;
  generatedAt: Date;
}

/** One row of the `scores` table, as read for the report. */
interface ScoresTableRow extends ScoreRow {
  thumbnail_url: string | null;
  value_why: string | null;
  smart_buy_why: string | null;
  essential_why: string | null;
  deep_cut_why: string | null;
  /** The score stage's rules (absent in a workspace scored before they existed). */
  ranking_rules?: string | null;
  price_model?: string | null;
}

/**
 * The rules a `scores` table was ranked under, from its `ranking_rules` column; a table without
 * the column was ranked as the prototype did.
 */
export function rankingRules(
  name: string | null | undefined,
  priceModel?: string | null,
): RankingRules {
  const model = priceModel === "demand" || priceModel === "prototype" ? priceModel : undefined;
  if (name === undefined || name === null || name === "prototype") {
    return { prototypeRanking: true, keepSuspectPrices: false, priceModel: model ?? "prototype" };
  }
  return {
    ...DEFAULT_RULES,
    keepSuspectPrices: name.includes("suspect prices kept"),
    priceModel: model ?? "demand",
  };
}

interface RecommendationRow {
  kind: string;
  rank: number;
  pool_key: string;
  release_id: number | null;
  artist: string | null;
  title: string | null;
  year: number | null;
  label: string | null;
  styles: string[] | null;
  want: number | null;
  have: number | null;
  lowest_price: number | null;
  num_for_sale: number | null;
  currency: string | null;
  why: string | null;
  discogs_url: string | null;
  thumbnail_url: string | null;
  score?: number | null;
}

/**
 * A cover the page may use: an https URL (loaded only when the collector asks for covers) or a
 * data: image already in the page. Anything else (javascript:, http:) is dropped.
 */
export function usableThumbnail(url: string | null | undefined): string | null {
  if (!url) return null;
  return isHttpsUrl(url) || /^data:image\/(png|jpeg|gif|webp);/i.test(url) ? url : null;
}

function toRecord(row: ScoresTableRow): ReportRecord {
  const artist = row.artist ?? "";
  return {
    releaseId: row.release_id,
    artist,
    artistDisplay: row.artist_display || artist || "Unknown artist",
    title: row.title || "Untitled",
    label: row.label ?? null,
    format: row.format ?? null,
    year: row.year ? row.year : null,
    copies: row.copies ?? 1,
    genres: row.genres ?? [],
    styles: row.styles ?? [],
    want: known(row.want),
    have: known(row.have),
    lowestPrice: known(row.lowest_price),
    numForSale: known(row.num_for_sale),
    currency: row.currency ?? null,
    thumbnail: usableThumbnail(row.thumbnail_url),
    why: {
      value: row.value_why ?? "",
      smartBuy: row.smart_buy_why ?? "",
      essential: row.essential_why ?? "",
      deepCut: row.deep_cut_why ?? "",
    },
  };
}

function toPick(row: RecommendationRow): ReportPick {
  const url = isHttpsUrl(row.discogs_url)
    ? row.discogs_url
    : row.release_id
    ? releaseUrl(row.release_id)
    : null;
  return {
    kind: row.kind,
    rank: row.rank,
    key: row.pool_key,
    releaseId: row.release_id ?? null,
    artist: row.artist || "Unknown artist",
    title: row.title || "Untitled",
    year: row.year ? row.year : null,
    label: row.label ?? null,
    styles: row.styles ?? [],
    want: known(row.want),
    have: known(row.have),
    lowestPrice: known(row.lowest_price),
    numForSale: known(row.num_for_sale),
    currency: row.currency ?? null,
    why: row.why ?? "",
    score: known(row.score),
    url,
    thumbnail: usableThumbnail(row.thumbnail_url),
  };
}

/**
 * The lists to show: the registered kinds (`recommendation_kinds`) in their order, then any
 * other kind the picks have (a workspace written by another version) under its own id — a pick
 * is never dropped for its kind.
 */
export function reportKinds(
  registered: readonly ReportKind[],
  picks: readonly ReportPick[],
): ReportKind[] {
  const known = new Set(registered.map((k) => k.kind));
  const others = [...new Set(picks.map((p) => p.kind))].filter((k) => !known.has(k)).sort();
  return [
    ...registered,
    ...others.map((kind) => ({
      kind,
      title: kind,
      blurb: `Picks listed as “${kind}” in the recommendations table.`,
    })),
  ];
}

/** Draw the summary charts (Observable Plot, flattened to inline SVG). */
function summaryCharts(rows: readonly ScoreRow[]): ReportChart[] {
  return [
    { name: "price_distribution", title: "Price distribution", figure: priceDistribution(rows) },
    { name: "top_genres", title: "Top genres", figure: topGenres(rows, { top: 10 }) },
    { name: "top_styles", title: "Top styles", figure: topStyles(rows, { top: 12 }) },
    { name: "releases_by_year", title: "Releases by year", figure: releasesByYear(rows) },
  ].map(({ name, title, figure }) => ({ name, title, svg: toSvgString(figure) }));
}

/**
 * Read the report's data from the workspace. A missing `scores` table is an {@link InputError}
 * that says which task to run; a missing `recommendations` table only empties that section.
 */
export async function loadReportData(db: Database): Promise<ReportData> {
  if (!(await db.tableExists("scores"))) {
    throw new InputError(
      `the workspace ${db.path} has no \`scores\` table yet: run \`deno task pipeline\` (or \`deno task score\`) first`,
    );
  }
  const rows = await db.all<ScoresTableRow>(SCORES_SQL);
  const records = rows.map(toRecord);
  const pickRows = (await db.tableExists("recommendations"))
    ? await db.all<RecommendationRow>(RECOMMENDATIONS_SQL)
    : null;
  const recommendations = pickRows?.map(toPick) ?? null;
  const registered = recommendations && (await db.tableExists("recommendation_kinds"))
    ? await db.all<ReportKind>(KINDS_SQL)
    : [];
  const weight = rows.map((r) => r.price_weight).find((w) => typeof w === "number");
  const rules = rankingRules(rows[0]?.ranking_rules, rows[0]?.price_model);
  return {
    payload: {
      config: {
        priceWeight: weight ?? PRICE_WEIGHT.default,
        priceWeightRange: { min: PRICE_WEIGHT.min, max: PRICE_WEIGHT.max, step: PRICE_WEIGHT.step },
        formulaTrigger: FORMULA_TRIGGER_PATTERN,
        pageSize: PAGE_SIZE,
        rules,
      },
      records,
      recommendations,
      kinds: recommendations ? reportKinds(registered, recommendations) : [],
    },
    summary: collectionSummary(records),
    charts: summaryCharts(rows),
    recommendationWarnings: (await db.stageWarnings(["pool", "recommend"])).map((w) => w.message),
    trends: await loadTrends(db),

    completeSets: await loadCompleteSection(db),
    listening: await loadListeningReport(db),
    database: db.path,
    notOnDiscogs: await notFoundReleaseIds(db),
    twins: await loadTwinsReport(db),
    generatedAt: new Date(),
  };
}
