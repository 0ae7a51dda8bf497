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

/** Records the default rankings hold out, by reason (none under `--prototype-ranking`). */
const HELD_OUT_SQL = `
  SELECT artist_display, title, year,
    CASE held_out WHEN 'suspect price' THEN suspect_reason ELSE value_why END AS why,
    count(*) OVER () AS total
  FROM scores
  WHERE held_out = $reason
  ORDER BY release_id
  LIMIT $n`;

/** How each held-out list is headed. */
const HELD_OUT = [
  {
    reason: "needs market data",
    title: (n: number) =>
      `Needs market data (${n}, not ranked: an input was missing and would be guessed)`,
  },
  {
    reason: "suspect price",
    title: (n: number) => `Held out: suspect prices (${n}, --keep-suspect-prices ranks them)`,
  },
] as const;

/** Render the top `n` of every ranking as plain text, then what was held out and why. */
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
  const hasHeldOut = (await db.all<{ name: string }>(
    "SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'scores' AND column_name = 'held_out'",
  )).length > 0;
  if (!hasHeldOut) return blocks.join("\n\n");
  for (const { reason, title } of HELD_OUT) {
    const rows = await db.all<
      { artist_display: string; title: string; year: number | null; why: string; total: number }
    >(HELD_OUT_SQL, { reason, n });
    if (!rows.length) continue;
    const lines = rows.map((r) =>
      `   · ${r.artist_display ?? "?"} — ${r.title ?? "?"}${
        r.year ? ` (${r.year})` : ""
      }\n      ${r.why}`
    );
    const total = Number(rows[0].total);
    if (total > rows.length) lines.push(`   … and ${total - rows.length} more (scores.csv)`);
    blocks.push([title(total), ...lines].join("\n"));
  }
  return blocks.join("\n\n");
}
