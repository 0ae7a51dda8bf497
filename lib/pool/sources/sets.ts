/**
 * Candidate source: set gaps — the missing records of the sets you are close to finishing
 * (tables `set_completion`, `set_missing`, written by `deno task complete`; the rule is
 * lib/complete/gaps.ts), as the cheapest pressing pricing found, with its price and copies for
 * sale, and the styles and community figures of its cached release body when there is one.
 *
 * @module
 */

import { ident } from "../../db/mod.ts";
import {
  hasSetTables,
  NEARLY_COMPLETE_MISSING,
  NEARLY_COMPLETE_PCT,
  setGapsSql,
} from "../../complete/gaps.ts";
import { type CandidateSource, emptyReport } from "./types.ts";

/** Pool rows of the gaps; `{bodies}` is the cached release bodies (or an empty stand-in). */
const SET_CANDIDATES_SQL = `WITH gaps AS (${setGapsSql()}),
bodies AS (
  SELECT url, body FROM {bodies} WHERE status = 200 AND json_valid(body)
)
SELECT
  'release:' || g.buy_release_id AS pool_key, g.buy_release_id AS release_id, g.master_id,
  g.artist, g.artist AS artist_display, g.title, g.label, g.catno AS catalog_number,
  json_extract_string(b.body, '$.country') AS country, g.format,
  coalesce(from_json(json_extract(b.body, '$.genres'), '["VARCHAR"]'), []::VARCHAR[]) AS genres,
  coalesce(from_json(json_extract(b.body, '$.styles'), '["VARCHAR"]'), []::VARCHAR[]) AS styles,
  TRY_CAST(json_extract(b.body, '$.community.have') AS INTEGER) AS have,
  TRY_CAST(json_extract(b.body, '$.community.want') AS INTEGER) AS want,
  g.lowest_price, g.num_for_sale, coalesce(g.currency, g.set_currency) AS currency, g.year,
  json_extract_string(b.body, '$.thumb') AS thumbnail_url,
  coalesce(g.discogs_url, 'https://www.discogs.com/release/' || g.buy_release_id) AS discogs_url,
  'sets' AS source,
  (row_number() OVER (ORDER BY g.pct DESC, g.set_missing_count, g.set_kind, g.set_id,
                      g.lowest_price NULLS LAST, g.buy_release_id))::INTEGER AS source_row
FROM gaps g
LEFT JOIN bodies b ON b.url = '/releases/' || g.buy_release_id || '?curr_abbr=' || $currency`;

const NO_BODIES = "(SELECT NULL::VARCHAR AS url, NULL::INTEGER AS status, " +
  "NULL::VARCHAR AS body WHERE false)";

export const setsSource: CandidateSource = {
  name: "sets",
  description:
    `the missing records of the sets you are close to finishing (deno task complete): sets at ` +
    `least ${NEARLY_COMPLETE_PCT}% complete or at most ${NEARLY_COMPLETE_MISSING} records short`,
  usesApi: false,
  weight: () => 0,
  async gather({ db, target, currency }) {
    const report = emptyReport();
    if (!(await hasSetTables(db))) return report;
    const bodies = (await db.tableExists("http_cache")) ? "http_cache" : NO_BODIES;
    const before = await db.count(target);
    await db.run(
      `INSERT INTO ${ident(target)} BY NAME ${SET_CANDIDATES_SQL.replace("{bodies}", bodies)}`,
      { currency },
    );
    report.candidates = (await db.count(target)) - before;
    return report;
  },
};
