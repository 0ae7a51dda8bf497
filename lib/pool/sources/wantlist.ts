/**
 * Candidate source: the collector's wantlist (with its enriched market facts when enrichment
 * has them).
 *
 * @module
 */

import { type CandidateSource, emptyReport } from "./types.ts";
import { ident } from "../../db/mod.ts";

const WANTLIST_CANDIDATES_SQL = await Deno.readTextFile(
  new URL("../wantlist_candidates.sql", import.meta.url),
);

export const wantlistSource: CandidateSource = {
  name: "wantlist",
  description: "your wantlist (ingested with --wantlist or --wantlist-of)",
  usesApi: false,
  weight: () => 0,
  async gather({ db, target }) {
    const report = emptyReport();
    if (!(await db.tableExists("wantlist"))) return report;
    const before = await db.count(target);
    await db.run(`INSERT INTO ${ident(target)} BY NAME ${WANTLIST_CANDIDATES_SQL}`);
    report.candidates = (await db.count(target)) - before;
    return report;
  },
};
