/**
 * How much of the collection the four rankings cover. A release ranks only with at least two of
 * price, want and have, so a collection imported with `--skip-enrich` (genres and styles from
 * the username import, no market data yet) is in the taste stages but mostly not in the
 * rankings: the score stage and the report say so, and what fetches the rest.
 *
 * @example
 * ```ts
 * coverageText({ releases: 315, ranked: 120, withoutMarketData: 195 });
 * // "rankings cover 120 of 315 releases (195 without market data: run `deno task enrich`)"
 * ```
 *
 * @module
 */

/** The figures behind {@link coverageText}. */
export interface RankingCoverage {
  /** Distinct releases in the collection. */
  releases: number;
  /** Releases with a rank (at least two of price, want and have). */
  ranked: number;
  /** Releases with no fetched market data. */
  withoutMarketData: number;
}

/** One sentence on coverage; `command` is what fetches the missing market data. */
export function coverageText(c: RankingCoverage, command = "deno task enrich"): string {
  const base = `rankings cover ${c.ranked.toLocaleString("en-US")} of ${
    c.releases.toLocaleString("en-US")
  } ${c.releases === 1 ? "release" : "releases"}`;
  return c.withoutMarketData > 0
    ? `${base} (${
      c.withoutMarketData.toLocaleString("en-US")
    } without market data: run \`${command}\`)`
    : base;
}
