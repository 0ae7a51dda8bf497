/**
 * Candidate source: Discogs database search (`GET /database/search`, token required), with
 * queries built from the collection's taste — its top styles (with their genre), each style in
 * the decades the collection spans, its top labels and artists. Release results carry
 * community have/want, genres, styles, label, year and format, so they are scoreable at once.
 *
 * @module
 */

import type { Database } from "../../db/mod.ts";
import { ensureCache } from "../../discogs/cache.ts";
import {
  SEARCH_NEEDS_TOKEN,
  searchPages,
  searchPath,
  type SearchQuery,
  searchResultRows,
} from "../../discogs/search.ts";
import { readPlan } from "./paged.ts";
import { type CandidateSource, emptyReport } from "./types.ts";

const TASTE_SQL = await Deno.readTextFile(new URL("../search_taste.sql", import.meta.url));

/** One line of the collection's taste, as the SQL gives it. */
interface TasteRow {
  kind: "style" | "style_decade" | "label" | "artist";
  value: string;
  genre: string | null;
  year: number | null;
  owned: number;
}

/** A search the plan may make, with why. */
export interface TasteQuery {
  query: SearchQuery;
  why: string;
}

/**
 * The searches to make, best first: the strongest style, label, artist and style-in-a-decade
 * in turn, so a small budget already spans the collection. Only what the collection holds at
 * least twice (or its single strongest of each kind) is searched.
 */
export function tasteQueries(rows: readonly TasteRow[]): TasteQuery[] {
  const of = (kind: TasteRow["kind"]) =>
    rows.filter((r) => r.kind === kind).filter((r, i) => i === 0 || r.owned >= 2);
  const lanes: TasteQuery[][] = [
    of("style").map((r) => ({
      query: { type: "release", ...(r.genre ? { genre: r.genre } : {}), style: r.value },
      why: `style ${r.value}${r.genre ? ` (${r.genre})` : ""}, ${r.owned} owned`,
    })),
    of("label").map((r) => ({
      query: { type: "release", label: r.value },
      why: `label ${r.value}, ${r.owned} owned`,
    })),
    of("artist").map((r) => ({
      query: { type: "release", artist: r.value.replace(/ \(\d+\)$/, "") },
      why: `artist ${r.value.replace(/ \(\d+\)$/, "")}, ${r.owned} owned`,
    })),
    of("style_decade").map((r) => ({
      query: { type: "release", style: r.value, year: r.year ?? undefined },
      why: `style ${r.value} in ${r.year}, ${r.owned} owned from the ${
        Math.floor((r.year ?? 0) / 10) * 10
      }s`,
    })),
  ];
  const out: TasteQuery[] = [];
  const seen = new Set<string>();
  for (let i = 0; lanes.some((lane) => i < lane.length); i++) {
    for (const lane of lanes) {
      const q = lane[i];
      if (!q) continue;
      const key = searchPath(q.query, 1);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(q);
    }
  }
  return out;
}

/** Read the collection's taste rows (empty when there is no enriched collection yet). */
export async function readTaste(db: Database): Promise<TasteRow[]> {
  if (!(await db.tableExists("collection")) || !(await db.tableExists("releases"))) return [];
  return await db.all<TasteRow>(TASTE_SQL);
}

export const searchSource: CandidateSource = {
  name: "search",
  description: "Discogs search by your styles, decades, labels and artists (needs DISCOGS_TOKEN)",
  usesApi: true,
  // A search page brings up to 100 releases with styles, genres and have/want.
  weight: (ctx) => (ctx.authenticated ? 0.6 : 0),
  async gather(ctx, budget) {
    const report = emptyReport();
    if (!ctx.authenticated) {
      if (!ctx.offline) report.warnings.push(SEARCH_NEEDS_TOKEN);
      return report;
    }
    if (budget <= 0) return report;
    await ensureCache(ctx.db);
    const queries = tasteQueries(await readTaste(ctx.db));
    const rows: Record<string, unknown>[] = [];
    await readPlan(
      queries.map((q) => ({ query: q, path: (page) => searchPath(q.query, page) })),
      {
        db: ctx.db,
        client: ctx.client,
        offline: ctx.offline,
        budget,
        maxPages: 5,
        report,
        onPage(_query, page, body) {
          const found = searchResultRows(body, { source: "search", currency: ctx.currency });
          found.forEach((r) => (r.source_row = (page - 1) * 100 + Number(r.source_row)));
          rows.push(...found);
          return searchPages(body);
        },
        onFailure: (path, message) => ctx.info(`${path}: ${message} (asked again next run)`),
      },
    );
    await ctx.db.insertRows(ctx.target, rows);
    report.candidates = rows.length;
    report.details = { queries: queries.length, first: queries.slice(0, 5).map((q) => q.why) };
    return report;
  },
};
