/**
 * `deno task recommend`: taste-aligned gems, missing links and deep cuts from the pool, each
 * with a reason (table `recommendations`, also as CSV).
 *
 * @module
 */

import { numberFlag } from "../lib/cli/flags.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { loadContext } from "../lib/recommend/context.ts";
import { writeRecommendations } from "../lib/recommend/load.ts";
import { countByKind, picksText, recommendAll, thinTasteWarning } from "../lib/recommend/served.ts";
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
    // The embed stage's space: its saved TF-IDF model, or a sentence model's stored vectors.
    const { ctx, pool } = await loadContext(db, outDir);
    const warning = thinTasteWarning(ctx);
    if (warning) log.warn(warning);
    const picks = recommendAll(ctx, { top, priceWeight, budget });
    const rows = await writeRecommendations(db, pool, picks);
    const count = countByKind(picks);
    log.info(
      `${ctx.clustering.k} taste shelves (${ctx.shelves.join("; ")}); ${count.gem} gems, ` +
        `${count.missing_link} missing links, ${count.deep_cut} deep cuts from ${pool.length} candidates`,
    );
    if (Deno.env.get("NEXTSPIN_QUIET") !== "1") console.log(picksText(picks, pool));
    return {
      tables: { recommendations: rows },
      csv: { recommendations: "" },
      parameters: { price_weight: priceWeight, budget: budget ?? null, top, shelves: ctx.shelves },
      summary: { gems: count.gem, missing_links: count.missing_link, deep_cuts: count.deep_cut },
    };
  },
};

if (import.meta.main) {
  await main([recommendStage], { command: "recommend", summary: recommendStage.summary });
}
