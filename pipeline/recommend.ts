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
import { recommendDeepCuts, recommendGems, recommendMissingLinks } from "../lib/recommend/mod.ts";
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
    },
    top: { type: "string", description: "records per list", default: "20", valueName: "N" },
  },
  async run({ db, outDir, log }, flags) {
    const priceWeight = numberFlag(flags, "price-weight", PRICE_WEIGHT)!;
    const budget = numberFlag(flags, "budget", { min: 0 });
    const top = numberFlag(flags, "top", { min: 1, max: 1000, integer: true })!;
    // The embed stage's space: its saved TF-IDF model, or a sentence model's stored vectors.
    const { ctx, pool } = await loadContext(db, outDir);
    const options = { top, priceWeight, budget };
    // Each record appears in one list only: gems first, then bridges, then deep cuts.
    // Taste lives in Discogs styles and genres; without them shelves and picks rest on the
    // export's labels and artists alone, and the collector should know why they look thin.
    const bare = ctx.collection.filter((c) => c.styles.length === 0 && c.genres.length === 0);
    if (ctx.collection.length > 0 && bare.length / ctx.collection.length >= 0.5) {
      log.warn(
        `${bare.length} of ${ctx.collection.length} records have no Discogs styles or genres yet ` +
          "(not enriched), so taste rests on the labels and artists of your export; " +
          "run `deno task enrich` without --offline for better recommendations",
      );
    }
    const gems = recommendGems(ctx, options);
    const links = recommendMissingLinks(ctx, {
      ...options,
      exclude: new Set(gems.map((g) => g.poolIndex)),
    });
    const taken = new Set([...gems, ...links].map((p) => p.poolIndex));
    const picks = [...gems, ...links, ...recommendDeepCuts(ctx, { ...options, exclude: taken })];
    const rows = await writeRecommendations(db, pool, picks);
    const count = (kind: string) => picks.filter((p) => p.kind === kind).length;
    log.info(
      `${ctx.clustering.k} taste shelves (${ctx.shelves.join("; ")}); ${count("gem")} gems, ` +
        `${count("missing_link")} missing links, ${
          count("deep_cut")
        } deep cuts from ${pool.length} candidates`,
    );
    if (Deno.env.get("NEXTSPIN_QUIET") !== "1") {
      for (const kind of ["gem", "missing_link", "deep_cut"] as const) {
        const first = picks.filter((p) => p.kind === kind).slice(0, 3);
        if (first.length === 0) continue;
        console.log(
          kind === "gem"
            ? "Taste-aligned gems"
            : kind === "missing_link"
            ? "Missing links"
            : "Deep cuts",
        );
        for (const p of first) {
          const c = pool[p.poolIndex];
          console.log(
            `  ${String(p.rank).padStart(2)}. ${c.artist} — ${c.title}${
              c.year ? ` (${c.year})` : ""
            }\n      ${p.why}`,
          );
        }
      }
    }
    return {
      tables: { recommendations: rows },
      csv: { recommendations: "" },
      parameters: { price_weight: priceWeight, budget: budget ?? null, top, shelves: ctx.shelves },
      summary: {
        gems: count("gem"),
        missing_links: count("missing_link"),
        deep_cuts: count("deep_cut"),
      },
    };
  },
};

if (import.meta.main) {
  await main([recommendStage], { command: "recommend", summary: recommendStage.summary });
}
