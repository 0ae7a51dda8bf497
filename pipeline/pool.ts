/**
 * `deno task pool`: the candidate pool (table `pool`) from pool files and the wantlist, minus
 * what the collection already owns.
 *
 * @module
 */

import { listFlag, numberFlag, stringFlag } from "../lib/cli/flags.ts";
import { DEFAULT_CURRENCY } from "../lib/discogs/cache.ts";
import { DiscogsClient } from "../lib/discogs/client.ts";
import { gatherNeighbours } from "../lib/pool/neighbours.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { buildPool } from "../lib/pool/mod.ts";
import { checkCurrency } from "../lib/enrich/mod.ts";

export const poolStage: Stage = {
  name: "pool",
  summary:
    "Gather candidate releases to recommend from pool files and the wantlist, minus what you own.",
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
      description: "keep other pressings of albums you already own",
    },
    "pool-budget": {
      type: "string",
      description:
        "API requests for neighbours: releases of the artists and labels you collect most (cached)",
      default: "0",
      valueName: "N",
      number: { min: 0, integer: true },
    },
    offline: {
      type: "boolean",
      description: "never touch the network: enrich from the cache only",
    },
    currency: {
      type: "string",
      description: "marketplace currency (Discogs curr_abbr) of prices",
      default: DEFAULT_CURRENCY,
      valueName: "CODE",
      check: checkCurrency,
    },
  },
  async run({ db, log }, flags) {
    const files = listFlag(flags, "pool");
    const budget = numberFlag(flags, "pool-budget", { min: 0, integer: true }) ?? 0;
    const offline = flags.offline === true;
    const currency = stringFlag(flags, "currency") ?? DEFAULT_CURRENCY;
    const neighbours = await gatherNeighbours(db, {
      budget,
      currency,
      offline,
      client: budget > 0 && !offline ? DiscogsClient.fromEnv() : undefined,
      onFailure: (path, error) => log.warn(`${path}: ${error.message}`),
    });
    if (neighbours.candidates > 0 || budget > 0) {
      log.info(
        `${neighbours.candidates} neighbours from ${neighbours.requests} API requests and ${neighbours.fromCache} cached listings ` +
          `(${neighbours.seeds} artists and labels you collect)`,
      );
    }
    const summary = await buildPool(db, {
      files,
      includeOtherPressings: flags["include-other-pressings"] === true,
      currency: stringFlag(flags, "currency"),
    });
    for (const f of summary.files) {
      log.info(
        `${f.path}: ${f.rows} candidates (${f.currency})${
          f.skipped ? `, ${f.skipped} rows without artist/title skipped` : ""
        }`,
      );
    }
    log.info(
      `${summary.pool} candidates in the pool (${summary.candidates} gathered, ${summary.fromWantlist} from the wantlist, ` +
        `${summary.owned} already owned or duplicates removed)`,
    );
    return {
      tables: { pool: summary.pool },
      inputs: files,
      parameters: {
        pool: files,
        include_other_pressings: flags["include-other-pressings"] === true,
      },
      summary: {
        candidates: summary.candidates,
        from_wantlist: summary.fromWantlist,
        removed: summary.owned,
      },
    };
  },
};

if (import.meta.main) await main([poolStage], { command: "pool", summary: poolStage.summary });
