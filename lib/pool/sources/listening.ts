/**
 * Candidate source: the albums you play but do not own (`deno task listen`), as the pressing to
 * buy of each matched Discogs master. No request here: the listen stage found and cached them.
 *
 * @module
 */

import { ident } from "../../db/mod.ts";
import { type CandidateSource, emptyReport } from "./types.ts";

const LISTENING_CANDIDATES_SQL = await Deno.readTextFile(
  new URL("../../listening/pool_candidates.sql", import.meta.url),
);

/** Played-not-owned albums as pool candidates. */
export const listeningSource: CandidateSource = {
  name: "listening",
  description: "albums you play (Spotify, Last.fm) but do not own, from `deno task listen`",
  usesApi: false,
  weight: () => 0,
  async gather({ db, target }) {
    const report = emptyReport();
    if (!(await db.tableExists("listening_albums"))) return report;
    const before = await db.count(target);
    await db.run(`INSERT INTO ${ident(target)} BY NAME ${LISTENING_CANDIDATES_SQL}`);
    report.candidates = (await db.count(target)) - before;
    return report;
  },
};
