/**
 * `deno task recommend`: every registered recommender's list from the pool (taste-aligned gems,
 * missing links, deep cuts; lib/recommend/kinds), each pick with a reason (table
 * `recommendations`, also as CSV, ordered by `recommendation_kinds`), and the collection's taste
 * shelves (`shelves`, `shelf_members`) the lists were made with.
 *
 * @module
 */

import { numberFlag, stringFlag } from "../lib/cli/flags.ts";
import { DEFAULT_CURRENCY, notFoundReleaseIds } from "../lib/discogs/cache.ts";
import { DiscogsClient } from "../lib/discogs/client.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { ALLOW_EMPTY_FLAG, CURRENCY_FLAG, OFFLINE_FLAG } from "./shared_flags.ts";
import { LISTENING_WEIGHT_FLAG } from "../lib/listening/flags.ts";
import { storeShelves, takeEmbedded } from "../lib/recommend/context.ts";
import { servePriced, shortlistText } from "../lib/recommend/serve.ts";
import { RECOMMENDERS } from "../lib/recommend/kinds/mod.ts";
import { writeRecommendations } from "../lib/recommend/load.ts";
import { blendFor, blendSummary } from "../lib/recommend/tune/mod.ts";
import {
  countByKind,
  countsSummary,
  countsText,
  picksText,
  thinTasteWarning,
} from "../lib/recommend/served.ts";
import { PRICE_WEIGHT } from "../lib/score/formulas.ts";
import { KEEP_SUSPECT_PRICES_FLAG, PRICE_WEIGHT_FLAG } from "./score.ts";

export const recommendStage: Stage = {
  name: "recommend",
  summary: "Recommend records you do not own: taste-aligned gems, missing links, deep cuts.",
  flags: {
    "price-weight": PRICE_WEIGHT_FLAG,
    "keep-suspect-prices": KEEP_SUSPECT_PRICES_FLAG,
    budget: {
      type: "string",
      description: "only records with a lowest price at or under this",
      valueName: "PRICE",
      number: { min: 0 },
    },
    top: {
      type: "string",
      description: "records per list",
      default: "20",
      valueName: "N",
      number: { min: 1, max: 1000, integer: true },
    },
    "price-budget": {
      type: "string",
      description:
        "API requests to price (and match to a Discogs release) the records about to be served; default one per record, cached ones are free",
      valueName: "N",
      number: { min: 0, integer: true },
    },
    "serve-without-id": {
      type: "boolean",
      description:
        "also serve candidates that have no Discogs release id (pool-file rows search could not match)",
    },
    offline: OFFLINE_FLAG,
    currency: CURRENCY_FLAG,
    "allow-empty": ALLOW_EMPTY_FLAG,
    "listening-weight": LISTENING_WEIGHT_FLAG,
  },
  async run({ db, outDir, log, carried }, flags) {
    const priceWeight = numberFlag(flags, "price-weight", PRICE_WEIGHT)!;
    const budget = numberFlag(flags, "budget", { min: 0 });
    const top = numberFlag(flags, "top", { min: 1, max: 1000, integer: true })!;
    const priceBudget = numberFlag(flags, "price-budget", { min: 0, integer: true });
    const offline = flags.offline === true;
    const { client, authenticated } = DiscogsClient.forStage(offline);
    // The embed stage's space (its saved TF-IDF model, or a sentence model's stored vectors);
    // the shelves are clustered here, once, and stored for the charts and notebooks. The
    // records about to be served are priced first, so value and --budget see real prices.
    const served = await servePriced(db, outDir, {
      top,
      priceWeight,
      budget,
      offline,
      client,
      authenticated,
      currency: stringFlag(flags, "currency") ?? DEFAULT_CURRENCY,
      priceBudget,
      serveWithoutId: flags["serve-without-id"] === true,
      keepSuspectPrices: flags["keep-suspect-prices"] === true,
      recommenders: RECOMMENDERS,
      listeningWeight: numberFlag(flags, "listening-weight", { min: 0 }),
      // Ran in the same pipeline after embed: its loaded candidates and model, not read back.
      embedded: takeEmbedded(carried),
    });
    const { ctx, pool, embedder } = served.loaded;
    const picks = served.picks;
    const warning = thinTasteWarning(ctx, await notFoundReleaseIds(db));
    if (warning) log.warn(warning);
    const priced = shortlistText(served.shortlist);
    if (priced) log.info(priced);
    // A list that needs an input the workspace lacks (no listening history) is not described
    // to the report while it is empty.
    const described = RECOMMENDERS.filter((r) => !r.needs || picks.some((p) => p.kind === r.name));
    const { keptPrevious, ...written } = await writeRecommendations(db, pool, picks, described, {
      allowEmpty: flags["allow-empty"] === true,
    });
    const warnings = [...served.warnings];
    if (keptPrevious) {
      warnings.push(
        `nothing to serve this time, so the previous ${written.recommendations} recommendations ` +
          "are kept (--allow-empty empties them)",
      );
    }
    const shelves = await storeShelves(db, ctx);
    const count = countByKind(picks, RECOMMENDERS);
    log.info(
      `${ctx.clustering.k} taste shelves (${ctx.shelves.join("; ")}); ` +
        `${countsText(count, RECOMMENDERS)} from ${pool.length} candidates`,
    );
    if (Deno.env.get("NEXTSPIN_QUIET") !== "1") {
      console.log(picksText(picks, pool, 3, RECOMMENDERS));
    }
    return {
      tables: { ...written, ...shelves },
      warnings,
      csv: { recommendations: "" },
      parameters: {
        price_weight: priceWeight,
        budget: budget ?? null,
        top,
        embedder: embedder.name,
        recommenders: RECOMMENDERS.map((r) => r.name),
        shelves: ctx.shelves,
        price_budget: priceBudget ?? null,
        serve_without_id: flags["serve-without-id"] === true,
        listening_weight: numberFlag(flags, "listening-weight", { min: 0 }),
      },
      summary: {
        ...countsSummary(count, RECOMMENDERS),
        candidates: pool.length,
        without_release_id: served.withoutId,
        shortlist: served.shortlist,
        // The gem blend this collection served: fitted on its own records (lib/recommend/tune).
        gem_blend: blendSummary(blendFor(ctx)),
      },
    };
  },
};

if (import.meta.main) {
  await main([recommendStage], { command: "recommend", summary: recommendStage.summary });
}
