/**
 * What `deno task recommend` serves: every registered recommender's list, in registry order,
 * each record on the first list that picks it; a warning when the collection has too little
 * taste data; and the short text summary the stage prints.
 *
 * @example
 * ```ts
 * const picks = recommendAll(ctx, { top: 20, priceWeight: 1 });
 * console.log(countsText(countByKind(picks)));
 * console.log(picksText(picks, ctx.pool));
 * ```
 *
 * @module
 */

import type { Candidate } from "./candidates.ts";
import type { RecommendContext } from "./context.ts";
import { checkRegistry, RECOMMENDERS } from "./kinds/mod.ts";
import type { ListOptions, Recommendation, Recommender } from "./recommender.ts";

/**
 * Every recommender's list in registry order, each record on one list only (the first it
 * makes): a later list never picks what an earlier one served.
 */
export function recommendAll(
  ctx: RecommendContext,
  options: ListOptions = {},
  recommenders: readonly Recommender[] = RECOMMENDERS,
): Recommendation[] {
  checkRegistry(recommenders);
  const out: Recommendation[] = [];
  const taken = new Set<number>(options.exclude ?? []);
  for (const recommender of recommenders) {
    const picks = recommender.rank(ctx, { ...options, exclude: new Set(taken) });
    for (const p of picks) {
      if (p.kind !== recommender.name) {
        throw new Error(`recommender ${recommender.name} returned a ${p.kind} pick`);
      }
      taken.add(p.poolIndex);
    }
    out.push(...picks);
  }
  return out;
}

/**
 * Taste lives in Discogs styles and genres: when most records have neither (not enriched yet),
 * shelves and picks rest on the export's labels and artists alone, and the collector should know
 * why they look thin and whether enriching would help: records Discogs answers 404 for
 * (`notOnDiscogs`, release ids) will never get styles. Returns the warning, or null.
 */
export function thinTasteWarning(
  ctx: RecommendContext,
  notOnDiscogs: ReadonlySet<number> = new Set(),
): string | null {
  const bare = ctx.collection.filter((c) => c.styles.length === 0 && c.genres.length === 0);
  if (ctx.collection.length === 0 || bare.length / ctx.collection.length < 0.5) return null;
  const unknown = bare.filter((c) => c.releaseId !== null && notOnDiscogs.has(c.releaseId)).length;
  const head = `${bare.length} of ${ctx.collection.length} records have no Discogs styles or ` +
    "genres, so taste rests on the labels and artists of your export";
  if (unknown === 0) {
    return `${head}; run \`deno task enrich\` without --offline for better recommendations`;
  }
  if (unknown === bare.length) {
    return `${head}: Discogs does not know their release ids (404), so enriching cannot add ` +
      "them; check the export's release_id column";
  }
  return `${head}: ${unknown} of them are not on Discogs (404) and enriching cannot add them; ` +
    `run \`deno task enrich\` without --offline for the other ${bare.length - unknown}`;
}

/** How many picks of each registered kind, by kind id in registry order (0 for an empty list). */
export function countByKind(
  picks: readonly Recommendation[],
  recommenders: readonly Recommender[] = RECOMMENDERS,
): Record<string, number> {
  return Object.fromEntries(
    recommenders.map(({ name }) => [name, picks.filter((p) => p.kind === name).length]),
  );
}

/** "20 gems, 20 missing links, 19 deep cuts" from {@link countByKind}. */
export function countsText(
  count: Readonly<Record<string, number>>,
  recommenders: readonly Recommender[] = RECOMMENDERS,
): string {
  return recommenders.filter((r) => !r.needs || (count[r.name] ?? 0) > 0)
    .map((r) => `${count[r.name] ?? 0} ${r.plural}`).join(", ");
}

/** The counts as the run manifest's summary: `{ gems: 20, missing_links: 20, … }`. */
export function countsSummary(
  count: Readonly<Record<string, number>>,
  recommenders: readonly Recommender[] = RECOMMENDERS,
): Record<string, number> {
  return Object.fromEntries(
    recommenders.map((r) => [r.plural.replaceAll(" ", "_"), count[r.name] ?? 0]),
  );
}

/** The first `n` picks of each list with their reasons, as the stage prints them. */
export function picksText(
  picks: readonly Recommendation[],
  pool: readonly Candidate[],
  n = 3,
  recommenders: readonly Recommender[] = RECOMMENDERS,
): string {
  const lines: string[] = [];
  for (const { name, label } of recommenders) {
    const first = picks.filter((p) => p.kind === name).slice(0, n);
    if (first.length === 0) continue;
    lines.push(label);
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
