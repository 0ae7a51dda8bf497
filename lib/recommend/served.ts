/**
 * What `deno task recommend` serves: the three lists together (each record in one list only),
 * a warning when the collection has too little taste data, and the short text summary the stage
 * prints.
 *
 * @example
 * ```ts
 * const picks = recommendAll(ctx, { top: 20, priceWeight: 1 });
 * console.log(picksText(picks, ctx.pool));
 * ```
 *
 * @module
 */

import {
  type ListOptions,
  type Recommendation,
  type RecommendContext,
  recommendDeepCuts,
  recommendGems,
  recommendMissingLinks,
} from "./mod.ts";
import type { Candidate } from "./candidates.ts";

/** The list headings, in serving order. */
export const LIST_TITLES = {
  gem: "Taste-aligned gems",
  missing_link: "Missing links",
  deep_cut: "Deep cuts",
} as const;

/** Gems, then missing links, then deep cuts, each record in one list only (the first it makes). */
export function recommendAll(ctx: RecommendContext, options: ListOptions = {}): Recommendation[] {
  const gems = recommendGems(ctx, options);
  const links = recommendMissingLinks(ctx, {
    ...options,
    exclude: new Set(gems.map((g) => g.poolIndex)),
  });
  const taken = new Set([...gems, ...links].map((p) => p.poolIndex));
  return [...gems, ...links, ...recommendDeepCuts(ctx, { ...options, exclude: taken })];
}

/**
 * Taste lives in Discogs styles and genres: when most records have neither (not enriched yet),
 * shelves and picks rest on the export's labels and artists alone, and the collector should know
 * why they look thin. Returns the warning, or null.
 */
export function thinTasteWarning(ctx: RecommendContext): string | null {
  const bare = ctx.collection.filter((c) => c.styles.length === 0 && c.genres.length === 0);
  if (ctx.collection.length === 0 || bare.length / ctx.collection.length < 0.5) return null;
  return `${bare.length} of ${ctx.collection.length} records have no Discogs styles or genres yet ` +
    "(not enriched), so taste rests on the labels and artists of your export; " +
    "run `deno task enrich` without --offline for better recommendations";
}

/** How many picks of each kind. */
export function countByKind(
  picks: readonly Recommendation[],
): Record<keyof typeof LIST_TITLES, number> {
  const count = (kind: string) => picks.filter((p) => p.kind === kind).length;
  return { gem: count("gem"), missing_link: count("missing_link"), deep_cut: count("deep_cut") };
}

/** The first `n` picks of each list with their reasons, as the stage prints them. */
export function picksText(
  picks: readonly Recommendation[],
  pool: readonly Candidate[],
  n = 3,
): string {
  const lines: string[] = [];
  for (const [kind, title] of Object.entries(LIST_TITLES)) {
    const first = picks.filter((p) => p.kind === kind).slice(0, n);
    if (first.length === 0) continue;
    lines.push(title);
    for (const p of first) {
      const c = pool[p.poolIndex];
      lines.push(
        `  ${String(p.rank).padStart(2)}. ${c.artist} — ${c.title}${c.year ? ` (${c.year})` : ""}`,
        `      ${p.why}`,
      );
    }
  }
  return lines.join("\n");
}
