/**
 * `deno task recommend`: every registered recommender's list from the pool (taste-aligned gems,
 * missing links, deep cuts; lib/recommend/kinds), each pick with a reason (table
 * `recommendations`, also as CSV, ordered by `recommendation_kinds`), and the collection's taste
 * shelves (`shelves`, `shelf_members`) the lists were made with.
 *
 * @module
 */

import { numberFlag } from "../lib/cli/flags.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { loadContext, storeShelves } from "../lib/recommend/context.ts";
import { RECOMMENDERS } from "../lib/recommend/kinds/mod.ts";
import { writeRecommendations } from "../lib/recommend/load.ts";
import {
  countByKind,
  countsSummary,
  countsText,
  picksText,
  recommendAll,
  thinTasteWarning,
} from "../lib/recommend/served.ts";
import { PRICE_WEIGHT } from "../lib/score/formulas.ts";
import { PRICE_WEIGHT_FLAG } from "./score.ts";

export const recommendStage: Stage = {
  name: "recommend",
  summary: "Recommend records you do not own: taste-aligned gems, missing links, deep cuts.",
  flags: {
    "price-weight": PRICE_WEIGHT_FLAG,
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
  },
  async run({ db, outDir, log }, flags) {
    const priceWeight = numberFlag(flags, "price-weight", PRICE_WEIGHT)!;
    const budget = numberFlag(flags, "budget", { min: 0 });
    const top = numberFlag(flags, "top", { min: 1, max: 1000, integer: true })!;
    // The embed stage's space (its saved TF-IDF model, or a sentence model's stored vectors);
    // the shelves are clustered here, once, and stored for the charts and notebooks.
    const { ctx, pool, embedder } = await loadContext(db, outDir, { shelves: "fit" });
    const warning = thinTasteWarning(ctx);
    if (warning) log.warn(warning);
    const picks = recommendAll(ctx, { top, priceWeight, budget }, RECOMMENDERS);
    const written = await writeRecommendations(db, pool, picks, RECOMMENDERS);
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
      csv: { recommendations: "" },
      parameters: {
        price_weight: priceWeight,
        budget: budget ?? null,
        top,
        embedder: embedder.name,
        recommenders: RECOMMENDERS.map((r) => r.name),
        shelves: ctx.shelves,
      },
      summary: countsSummary(count, RECOMMENDERS),
    };
  },
};

if (import.meta.main) {
  await main([recommendStage], { command: "recommend", summary: recommendStage.summary });
}
