/**
 * The four rankings as the page presents them: titles and one-line blurbs in the collector's
 * words. Scoring and ranking themselves live in lib/score/ranking.ts, which the browser script
 * bundles, so the slider re-ranks with exactly the code `deno task score` ran.
 *
 * @module
 */

import type { RankingName } from "../score/ranking.ts";

export type { RankableRecord, RankingName } from "../score/ranking.ts";

/** The rankings in the order the report shows them, with the names collectors know. */
export const RANKINGS: readonly { name: RankingName; title: string; blurb: string }[] = [
  {
    name: "value",
    title: "Crate Picks",
    blurb: "Most wanted per copy out there, discounted by price.",
  },
  {
    name: "smartBuy",
    title: "Smart Buys",
    blurb: "Crate Picks that are also scarce on the marketplace.",
  },
  {
    name: "essential",
    title: "Collector's Essentials",
    blurb: "Wanted by many, owned by few (want/have ratio, price ignored).",
  },
  {
    name: "deepCut",
    title: "Deep Cuts",
    blurb: "Less wanted than the artist usually is in your crate, and rarely owned.",
  },
] as const;
