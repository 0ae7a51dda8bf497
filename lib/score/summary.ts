/**
 * The short text report the score stage prints: the top records of each ranking with their
 * reasons, so a run ends with an answer rather than a row count.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";

const SUMMARY_SQL = await Deno.readTextFile(new URL("./summary.sql", import.meta.url));

/** The four rankings, in the collector's words. */
export const RANKINGS = [
  { key: "value", title: "Crate Picks (value)" },
  { key: "smart_buy", title: "Smart Buys (value + scarcity)" },
  { key: "essential", title: "Collector's Essentials (want/have)" },
  { key: "deep_cut", title: "Deep Cuts (rare records of artists you collect)" },
] as const;

/** Render the top `n` of every ranking as plain text. */
export async function topPicksText(db: Database, n = 5, priceWeight?: number): Promise<string> {
  const blocks: string[] = [];
  for (const { key, title } of RANKINGS) {
    const rows = await db.all<
      { rank: number; artist_display: string; title: string; year: number | null; why: string }
    >(
      SUMMARY_SQL,
      { ranking: key, n },
    );
    const heading = key === "value" && priceWeight !== undefined
      ? `${title}, price weight ${priceWeight}`
      : title;
    const lines = rows.map((r) => {
      const record = `${r.artist_display ?? "?"} — ${r.title ?? "?"}${
        r.year ? ` (${r.year})` : ""
      }`;
      return `  ${String(r.rank).padStart(2)}. ${record}\n      ${r.why}`;
    });
    blocks.push([heading, ...(lines.length ? lines : ["  (no ranked records)"])].join("\n"));
  }
  return blocks.join("\n\n");
}
