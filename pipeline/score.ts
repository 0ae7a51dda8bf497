/**
 * `deno task score`: rank every record in the collection as Crate Picks, Smart Buys,
 * Collector's Essentials and Deep Cuts under a price-sensitivity weight (table `scores`, also
 * exported as CSV).
 *
 * @module
 */

import { type FlagDef, numberFlag, stringFlag } from "../lib/cli/flags.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { PRICE_WEIGHT, scoreCollection } from "../lib/score/mod.ts";
import { topPicksText } from "../lib/score/summary.ts";
import { coverageText } from "../lib/score/coverage.ts";
import { fetchLaterCommand } from "../lib/enrich/mod.ts";

/** `--price-weight`, shared by every task that ranks by value. */
export const PRICE_WEIGHT_FLAG: FlagDef = {
  type: "string",
  description: "price sensitivity w: higher favours cheaper records",
  default: String(PRICE_WEIGHT.default),
  valueName: "W",
  number: PRICE_WEIGHT,
};

export const scoreStage: Stage = {
  name: "score",
  summary: "Score the collection: Crate Picks, Smart Buys, Collector's Essentials, Deep Cuts.",
  flags: {
    "price-weight": PRICE_WEIGHT_FLAG,
  },
  async run({ db, log }, flags) {
    const priceWeight = numberFlag(flags, "price-weight", PRICE_WEIGHT)!;
    const summary = await scoreCollection(db, { priceWeight });
    if (summary.currencies.length > 1) {
      log.warn(
        `prices are in several currencies (${
          summary.currencies.join(", ")
        }): value scores compare them as-is`,
      );
    }
    log.info(
      `${summary.rows} releases scored at price weight ${priceWeight}; ${summary.rankable} ranked, ` +
        `${summary.fullyKnown} with complete market data`,
    );
    const coverage = coverageText({
      releases: summary.rows,
      ranked: summary.rankable,
      withoutMarketData: summary.rows - summary.withMarketData,
    }, fetchLaterCommand(String(flags.db), stringFlag(flags, "currency") ?? "USD"));
    if (summary.withMarketData < summary.rows) log.warn(coverage);
    if (Deno.env.get("NEXTSPIN_QUIET") !== "1") console.log(await topPicksText(db, 5, priceWeight));
    return {
      tables: { scores: summary.rows },
      csv: { scores: "value_rank NULLS LAST, release_id" },
      parameters: { price_weight: priceWeight },
      summary: { ...summary, coverage },
    };
  },
};

if (import.meta.main) await main([scoreStage], { command: "score", summary: scoreStage.summary });
