/**
 * Candidate source: twin picks — records the collections closest to yours own and you do not
 * (table `twin_picks`, written by `deno task twins`), with the market facts pricing found.
 *
 * @module
 */

import { ident } from "../../db/mod.ts";
import { RECOMMEND_MIN_SUPPORT } from "../../twins/support.ts";
import { type CandidateSource, emptyReport } from "./types.ts";

const TWIN_CANDIDATES_SQL = `SELECT
  pool_key, release_id, master_id, artist, artist AS artist_display, title, label,
  NULL::VARCHAR AS catalog_number, country, format,
  coalesce(genres, []::VARCHAR[]) AS genres, coalesce(styles, []::VARCHAR[]) AS styles,
  have, want, lowest_price, num_for_sale, currency, year, thumbnail_url, discogs_url,
  'twins' AS source, rank AS source_row
FROM twin_picks WHERE support >= ${RECOMMEND_MIN_SUPPORT}`;

export const twinsSource: CandidateSource = {
  name: "twins",
  description:
    `records your twin crate diggers own and you do not (deno task twins --with…), from twins close enough (support ≥ ${RECOMMEND_MIN_SUPPORT})`,
  usesApi: false,
  weight: () => 0,
  async gather({ db, target }) {
    const report = emptyReport();
    if (!(await db.tableExists("twin_picks"))) return report;
    const before = await db.count(target);
    await db.run(`INSERT INTO ${ident(target)} BY NAME ${TWIN_CANDIDATES_SQL}`);
    report.candidates = (await db.count(target)) - before;
    return report;
  },
};
