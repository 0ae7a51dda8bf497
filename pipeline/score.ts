/**
 * `deno task score`: rank every record in the collection as Crate Picks, Smart Buys,
 * Collector's Essentials and Deep Cuts under a price-sensitivity weight (table `scores`, also
 * exported as CSV).
 *
 * @module
 */

import { type FlagDef, numberFlag, stringFlag } from "../lib/cli/flags.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { checkPriceModel, PRICE_WEIGHT, scoreCollection, scoreLine } from "../lib/score/mod.ts";
import { topPicksText } from "../lib/score/summary.ts";
import { coverageText } from "../lib/score/coverage.ts";
import { fetchLaterCommand } from "../lib/enrich/mod.ts";
import { notFoundReleaseIds } from "../lib/discogs/cache.ts";

/** `--price-weight`, shared by every task that ranks by value. */
export const PRICE_WEIGHT_FLAG: FlagDef = {
  type: "string",
  description: "price sensitivity w: higher favours cheaper records",
  default: String(PRICE_WEIGHT.default),
  valueName: "W",
  number: PRICE_WEIGHT,
};

/** `--keep-suspect-prices`, shared by the score and recommend stages. */
export const KEEP_SUSPECT_PRICES_FLAG: FlagDef = {
  type: "boolean",
  description:
    "keep records whose lowest price looks like a damaged or mislisted copy in the rankings",
};

/** `--prototype-ranking`: rank exactly as the original prototype did. */
export const PROTOTYPE_RANKING_FLAG: FlagDef = {
  type: "boolean",
  description:
    "rank as the prototype did: imputed inputs, suspect prices and artists owned once take ranks",
};

/** `--price-model`: how value weighs price, shared by every task that ranks by value. */
export const PRICE_MODEL_FLAG: FlagDef = {
  type: "string",
  description:
    "how value weighs price: demand (demand × price^−w/2, the weight really reorders) or prototype (1 / (price · w + 1)); default demand, prototype under --prototype-ranking",
  valueName: "MODEL",
  check: checkPriceModel,
};

export const scoreStage: Stage = {
  name: "score",
  summary: "Score the collection: Crate Picks, Smart Buys, Collector's Essentials, Deep Cuts.",
  flags: {
    "price-weight": PRICE_WEIGHT_FLAG,
    "keep-suspect-prices": KEEP_SUSPECT_PRICES_FLAG,
    "prototype-ranking": PROTOTYPE_RANKING_FLAG,
    "price-model": PRICE_MODEL_FLAG,
  },
  async run({ db, log }, flags) {
    const priceWeight = numberFlag(flags, "price-weight", PRICE_WEIGHT)!;
    const keepSuspectPrices = flags["keep-suspect-prices"] === true;
    const prototypeRanking = flags["prototype-ranking"] === true;
    const model = stringFlag(flags, "price-model");
    const priceModel = model === undefined ? undefined : checkPriceModel(model);
    const summary = await scoreCollection(db, {
      priceWeight,
      keepSuspectPrices,
      prototypeRanking,
      priceModel,
      notOnDiscogs: await notFoundReleaseIds(db),
    });
    if (summary.currencies.length > 1) {
      log.warn(
        `prices are in several currencies (${
          summary.currencies.join(", ")
        }): value scores compare them as-is`,
      );
    }
    log.info(scoreLine(summary, priceWeight, prototypeRanking));
    const coverage = coverageText({
      releases: summary.rows,
      ranked: summary.rankable,
      withoutMarketData: summary.rows - summary.withMarketData,
      notOnDiscogs: summary.notOnDiscogs,
    }, fetchLaterCommand(String(flags.db), stringFlag(flags, "currency") ?? "USD"));
    if (summary.withMarketData < summary.rows) log.warn(coverage);
    if (Deno.env.get("NEXTSPIN_QUIET") !== "1") console.log(await topPicksText(db, 5, priceWeight));
    return {
      tables: { scores: summary.rows },
      csv: { scores: "value_rank NULLS LAST, release_id" },
      parameters: {
        price_weight: priceWeight,
        keep_suspect_prices: keepSuspectPrices,
        prototype_ranking: prototypeRanking,
        price_model: summary.priceModel,
      },
      summary: { ...summary, coverage },
    };
  },
};

if (import.meta.main) await main([scoreStage], { command: "score", summary: scoreStage.summary });
