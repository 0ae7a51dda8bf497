/**
 * The line the `catalog` stage prints for each entity: what this run did, how fast, and what
 * the catalogue now holds.
 *
 * @module
 */

import type { EntitySummary } from "./build.ts";

const n = (x: number) => x.toLocaleString("en-US");

/**
 * `releases: built 1,000 in 4 parts (0.6 s, 1,600/s, 7.1 MB/s of XML); the catalogue holds
 * releases 1,000, release_artists 10,051, …`
 */
export function catalogLine(e: EntitySummary): string {
  const holds = Object.entries(e.counts.rows).map(([t, rows]) => `${t} ${n(rows)}`).join(", ");
  if (e.outcome === "skipped") return `${e.kind}: unchanged; the catalogue holds ${holds}`;
  const rate = e.seconds > 0
    ? `, ${n(Math.round(e.records / e.seconds))}/s, ${
      (e.xmlBytes / 1e6 / e.seconds).toFixed(1)
    } MB/s of XML`
    : "";
  return `${e.kind}: ${e.outcome} ${n(e.records)} in ${e.parts} parts (${
    e.seconds.toFixed(1)
  } s${rate}); the catalogue holds ${holds} in ${e.totalParts} parts`;
}
