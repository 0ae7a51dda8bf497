/**
 * `deno task pool`: the candidate pool (table `pool`) from every candidate source — pool files,
 * the wantlist, Discogs search, the listings of the artists and labels you collect and, when one
 * exists, the catalogue (Discogs' data dump, prefiltered by your taste) — minus what the
 * collection already owns. API candidates come by default within an automatic request budget;
 * everything fetched is cached, so a second run (or `--offline`) costs no request.
 *
 * @module
 */

import { listFlag, numberFlag, stringFlag } from "../lib/cli/flags.ts";
import { DEFAULT_CATALOG_DIR } from "../lib/catalog/schema.ts";
import { DEFAULT_CURRENCY } from "../lib/discogs/cache.ts";
import { DiscogsClient } from "../lib/discogs/client.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { ALLOW_EMPTY_FLAG, CURRENCY_FLAG, OFFLINE_FLAG } from "./shared_flags.ts";
import { planPool, poolReportLines, poolWarnings } from "../lib/pool/plan.ts";
import { buildPool, parsePoolBudget } from "../lib/pool/mod.ts";
import { DEFAULT_CATALOG_CANDIDATES } from "../lib/pool/sources/catalog.ts";

export const poolStage: Stage = {
  name: "pool",
  summary:
    "Gather candidate releases to recommend (pool files, wantlist, Discogs search and listings, the catalogue), minus what you own.",
  flags: {
    pool: {
      type: "string",
      multiple: true,
      description:
        "candidate releases: CSV or Parquet with artist, title and any of label, styles, have, want, price, year",
      valueName: "FILE",
    },
    "include-other-pressings": {
      type: "boolean",
      description: "keep other pressings of albums you already own (and read their versions)",
    },
    "pool-budget": {
      type: "string",
      description:
        "API pages for candidates: Discogs search (with a token) and artist/label listings; auto scales with your taste, 0 = none (cached pages are free)",
      default: "auto",
      valueName: "N|auto",
      check: parsePoolBudget,
    },
    catalog: {
      type: "string",
      description:
        "the catalogue (Discogs' data dump as Parquet, deno task catalog) to draw candidates from; none there, none drawn",
      default: DEFAULT_CATALOG_DIR,
      valueName: "DIR",
    },
    "catalog-candidates": {
      type: "string",
      description: "at most this many catalogue candidates, prefiltered by your taste",
      default: String(DEFAULT_CATALOG_CANDIDATES),
      valueName: "N",
      number: { min: 0, integer: true },
    },
    offline: OFFLINE_FLAG,
    "allow-empty": ALLOW_EMPTY_FLAG,
    currency: CURRENCY_FLAG,
  },
  async run({ db, log }, flags) {
    const files = listFlag(flags, "pool");
    const offline = flags.offline === true;
    const currency = stringFlag(flags, "currency") ?? DEFAULT_CURRENCY;
    const asked = parsePoolBudget(stringFlag(flags, "pool-budget"));
    const { client, authenticated } = DiscogsClient.forStage(offline);
    const plan = await planPool(db, { asked, authenticated, offline, client });
    for (const line of plan.lines) log.info(line);
    const summary = await buildPool(db, {
      files,
      includeOtherPressings: flags["include-other-pressings"] === true,
      currency,
      budget: plan.budget,
      offline,
      client,
      authenticated,
      info: (m) => log.info(m),
      allowEmpty: flags["allow-empty"] === true,
      catalog: {
        dir: stringFlag(flags, "catalog") ?? DEFAULT_CATALOG_DIR,
        candidates: numberFlag(flags, "catalog-candidates", { min: 0, integer: true }),
      },
    });
    for (const line of poolReportLines(summary)) log.info(line);
    const warnings = [...summary.warnings, ...poolWarnings(summary, { files, offline, plan })];
    return {
      tables: { pool: summary.pool },
      inputs: files,
      warnings,
      parameters: {
        pool: files,
        include_other_pressings: flags["include-other-pressings"] === true,
        pool_budget: asked,
        budget: plan.budget,
        offline,
        token: authenticated,
        catalog: stringFlag(flags, "catalog") ?? DEFAULT_CATALOG_DIR,
        catalog_candidates: numberFlag(flags, "catalog-candidates", { min: 0, integer: true }),
      },
      summary: {
        candidates: summary.candidates,
        duplicates: summary.duplicates,
        owned: summary.owned,
        pool: summary.pool,
        budget: summary.budget,
        sources: summary.sources,
      },
    };
  },
};

if (import.meta.main) await main([poolStage], { command: "pool", summary: poolStage.summary });
