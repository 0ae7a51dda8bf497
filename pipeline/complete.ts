/**
 * `deno task complete`: Complete the Set. For the artists and labels you own at least
 * `--min-owned` records of (and any named with `--artist`, `--label`, `--master`): what their
 * discographies and catalogues hold, how much of each you own, what is missing, which missing
 * records are on your wantlist, and the cheapest known copy of each (tables `set_completion`,
 * `set_missing`, also as CSV). Logic in lib/complete/.
 *
 * @module
 */

import { existsSync } from "node:fs";
import { numberFlag, stringFlag } from "../lib/cli/flags.ts";
import { DEFAULT_CATALOG_DIR } from "../lib/catalog/schema.ts";
import { DEFAULT_CURRENCY } from "../lib/discogs/cache.ts";
import { DiscogsClient } from "../lib/discogs/client.ts";
import { catalogExists } from "../lib/catalog/open.ts";
import { checkFormat } from "../lib/complete/format.ts";
import {
  completeSets,
  DEFAULT_MIN_OWNED,
  nearestText,
  parseListingBudget,
  SET_CSV_ORDER,
  writeSetTables,
} from "../lib/complete/mod.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { CURRENCY_FLAG, OFFLINE_FLAG } from "./shared_flags.ts";

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];

export const completeStage: Stage = {
  name: "complete",
  summary:
    "Complete the set: what is missing from the discographies and label catalogues you collect, and the cheapest way to finish them.",
  flags: {
    "min-owned": {
      type: "string",
      description:
        `work out the sets of every artist and label you own at least N records of (0: only the ones named)`,
      default: String(DEFAULT_MIN_OWNED),
      valueName: "N",
      number: { min: 0, max: 100_000, integer: true },
    },
    artist: {
      type: "string",
      description: "also this artist's discography (Discogs id, or a name you own records of)",
      multiple: true,
      valueName: "ID|NAME",
    },
    label: {
      type: "string",
      description: "also this label's catalogue (Discogs id, or a name you own records of)",
      multiple: true,
      valueName: "ID|NAME",
    },
    master: {
      type: "string",
      description: "also every pressing of this album (Discogs master id)",
      multiple: true,
      valueName: "ID",
    },
    pressings: {
      type: "boolean",
      description: "count every pressing as its own entry (default: one entry per album)",
    },
    "with-sublabels": {
      type: "boolean",
      description: "a label's set includes its sub-labels' releases",
    },
    format: {
      type: "string",
      description:
        'only records in this format (Vinyl, CD, Cassette, LP, 12"…; any: every format); default Vinyl when most of what you own is vinyl, else any',
      valueName: "FORMAT",
      check: checkFormat,
    },
    appearances: {
      type: "boolean",
      description: "an artist's set includes appearances, remixes and other credits",
    },
    compilations: {
      type: "boolean",
      description: "an artist's set includes compilations",
    },
    unofficial: {
      type: "boolean",
      description: "an artist's set includes unofficial releases",
    },
    "listing-budget": {
      type: "string",
      description:
        "API pages for listings and pressings (cached ones count too); auto: 4 per set, at most 300",
      default: "auto",
      valueName: "N|auto",
      check: (v) => parseListingBudget(v),
    },
    // Shared with recommend in `deno task pipeline` (same spec; there both stages get the value).
    "price-budget": {
      type: "string",
      description:
        "release bodies to price missing records with (cached ones count too); default one per missing record, at most 200",
      valueName: "N",
      number: { min: 0, integer: true },
    },
    // Shared with pool in `deno task pipeline` (same default): no catalogue there, the API.
    catalog: {
      type: "string",
      description:
        "read sets from this catalogue (Discogs' data dump as Parquet, deno task catalog) instead of the API listings; none there, the API",
      default: DEFAULT_CATALOG_DIR,
      valueName: "DIR",
    },
    offline: OFFLINE_FLAG,
    // Shared with enrich in `deno task pipeline`: a quick first run spends no request here either.
    "skip-enrich": {
      type: "boolean",
      description:
        "make no Discogs requests now: sets from the catalogue and cached pages only (run deno task complete later to fetch listings and prices)",
    },
    currency: CURRENCY_FLAG,
  },
  async run({ db, log }, flags) {
    const skip = flags["skip-enrich"] === true && flags.offline !== true;
    if (skip) {
      log.info(
        "--skip-enrich: sets from the catalogue and cached pages only; `deno task complete` " +
          "fetches their listings and prices later",
      );
    }
    const offline = flags.offline === true || skip;
    const dir = stringFlag(flags, "catalog") ?? DEFAULT_CATALOG_DIR;
    const catalogDir = (await catalogExists(dir)) ? dir : undefined;
    const { client } = catalogDir && offline
      ? { client: undefined }
      : DiscogsClient.forStage(offline);
    const result = await completeSets(db, {
      minOwned: numberFlag(flags, "min-owned", { min: 0, integer: true }) ?? DEFAULT_MIN_OWNED,
      artists: list(flags.artist),
      labels: list(flags.label),
      masters: list(flags.master),
      pressings: flags.pressings === true,
      withSublabels: flags["with-sublabels"] === true,
      format: stringFlag(flags, "format"),
      appearances: flags.appearances === true,
      compilations: flags.compilations === true,
      unofficial: flags.unofficial === true,
      listingBudget: parseListingBudget(String(flags["listing-budget"] ?? "auto")),
      priceBudget: numberFlag(flags, "price-budget", { min: 0, integer: true }),
      currency: stringFlag(flags, "currency") ?? DEFAULT_CURRENCY,
      offline,
      client,
      catalogDir,
      info: (line) => log.info(line),
    });
    for (const line of result.lines) log.info(line);
    if (Deno.env.get("NEXTSPIN_QUIET") !== "1") console.log(nearestText(result));
    const tables = await writeSetTables(db, result);
    return {
      tables,
      csv: { ...SET_CSV_ORDER },
      warnings: result.warnings,
      inputs: catalogDir && existsSync(`${catalogDir}/catalog.json`)
        ? [`${catalogDir}/catalog.json`]
        : [],
      parameters: {
        format: result.format,
        format_why: result.formatWhy,
        source: result.source,
        catalog: catalogDir ?? null,
        min_owned: flags["min-owned"],
        skip_enrich: skip,
        pressings: flags.pressings === true,
        with_sublabels: flags["with-sublabels"] === true,
        listing_budget: result.listing.budget,
        price_budget: result.prices.budget,
      },
      summary: {
        sets: result.sets.length,
        complete: result.sets.filter((s) => s.missing === 0).length,
        missing: result.missing.length,
        listing: result.listing,
        prices: result.prices,
        not_found: result.notFound,
        unread: result.unread,
      },
    };
  },
};

if (import.meta.main) {
  await main([completeStage], { command: "complete", summary: completeStage.summary });
}
