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
  /** Of those, releases Discogs answers 404 for: enriching cannot help them. */
  notOnDiscogs?: number;
}

/** One sentence on coverage; `command` is what fetches the missing market data. */
export function coverageText(c: RankingCoverage, command = "deno task enrich"): string {
  const n = (v: number) => v.toLocaleString("en-US");
  const base = `rankings cover ${n(c.ranked)} of ${n(c.releases)} ${
    c.releases === 1 ? "release" : "releases"
  }`;
  if (c.withoutMarketData <= 0) return base;
  const unknown = Math.min(c.notOnDiscogs ?? 0, c.withoutMarketData);
  const fetchable = c.withoutMarketData - unknown;
  const notOnDiscogs = `Discogs does not know ${
    unknown === 1 ? "its release id" : "their release ids"
  } (404), so enriching cannot add it; check the export's release_id column`;
  if (unknown === 0) return `${base} (${n(fetchable)} without market data: run \`${command}\`)`;
  if (fetchable === 0) return `${base} (${n(unknown)} without market data: ${notOnDiscogs})`;
  return `${base} (${n(c.withoutMarketData)} without market data: run \`${command}\` for ` +
    `${n(fetchable)}; ${n(unknown)} are not on Discogs (404))`;
}
