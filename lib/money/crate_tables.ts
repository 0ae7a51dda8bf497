/**
 * `deno task crate` against the workspace: read the lists to pick from (the recommendations,
 * and the rankings of the records you own), fill the crate, and write the `crate` table.
 *
 * @module
 */

import type { AppendColumns, Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import { formatPrice } from "../score/why.ts";
import {
  crateCandidates,
  type CratePick,
  fillCrate,
  type FilledCrate,
  listName,
  mainCurrency,
} from "./crate.ts";

/** The recommendations, every list, with what the crate needs. */
const PICKS_SQL = `SELECT kind, rank, pool_key, release_id, artist, title, lowest_price, currency,
  score FROM recommendations ORDER BY kind, rank`;

/** Rankings of the records you own that can be picked from, by list name → score columns. */
const OWNED_LISTS: Record<string, { score: string; rank: string }> = {
  crate_picks: { score: "value_score", rank: "value_rank" },
  smart_buys: { score: "smart_buy_score", rank: "smart_buy_rank" },
  essentials: { score: "essential_score", rank: "essential_rank" },
};

/** The default lists: every recommendation list (records you do not own yet). */
export const DEFAULT_FROM = "recommendations";

/** Read the picks of the lists named in `from` (comma-separated; `recommendations` = all). */
export async function loadCratePicks(db: Database, from: string): Promise<CratePick[]> {
  const wanted = from.split(",").map((s) => s.trim()).filter(Boolean);
  const recs = (await db.tableExists("recommendations"))
    ? await db.all<{
      kind: string;
      rank: number;
      pool_key: string;
      release_id: number | null;
      artist: string | null;
      title: string | null;
      lowest_price: number | null;
      currency: string | null;
      score: number | null;
    }>(PICKS_SQL)
    : [];
  const kinds = [...new Set(recs.map((r) => listName(r.kind)))];
  const known = [DEFAULT_FROM, ...kinds, ...Object.keys(OWNED_LISTS)];
  for (const w of wanted) {
    if (!known.includes(w)) {
      throw new InputError(
        `--from ${JSON.stringify(w)}: expected a comma-separated list of ${known.join(", ")}` +
          (recs.length === 0 ? " (no `recommendations` table yet: run `deno task recommend`)" : ""),
      );
    }
  }
  const picks: CratePick[] = recs
    .filter((r) => wanted.includes(DEFAULT_FROM) || wanted.includes(listName(r.kind)))
    .map((r) => ({
      list: listName(r.kind),
      key: r.pool_key,
      rank: r.rank,
      releaseId: r.release_id,
      artist: r.artist ?? "",
      title: r.title ?? "",
      lowestPrice: r.lowest_price,
      currency: r.currency,
      score: r.score,
    }));
  for (const [list, cols] of Object.entries(OWNED_LISTS)) {
    if (!wanted.includes(list)) continue;
    if (!(await db.tableExists("scores"))) {
      throw new InputError(`--from ${list} needs the \`scores\` table: run \`deno task score\``);
    }
    const rows = await db.all<{
      release_id: number;
      artist: string | null;
      title: string | null;
      lowest_price: number | null;
      currency: string | null;
      score: number | null;
      rank: number;
    }>(
      `SELECT release_id, coalesce(artist_display, artist) AS artist, title, lowest_price,
         currency, ${cols.score} AS score, ${cols.rank} AS rank
       FROM scores WHERE ${cols.rank} IS NOT NULL ORDER BY ${cols.rank}`,
    );
    picks.push(...rows.map((r) => ({
      list,
      key: `r:${r.release_id}`,
      rank: r.rank,
      releaseId: r.release_id,
      artist: r.artist ?? "",
      title: r.title ?? "",
      lowestPrice: r.lowest_price,
      currency: r.currency,
      score: r.score,
    })));
  }
  return picks;
}

const CRATE_COLUMNS = {
  position: "INTEGER",
  in_crate: "BOOLEAN",
  in_greedy: "BOOLEAN",
  lists: "VARCHAR",
  /** The pool key of a recommendation (`r:<release id>` for a record you own). */
  pick_key: "VARCHAR",
  release_id: "BIGINT",
  artist: "VARCHAR",
  title: "VARCHAR",
  lowest_price: "DOUBLE",
  currency: "VARCHAR",
  points: "DOUBLE",
  running_total: "DOUBLE",
  discogs_url: "VARCHAR",
} as const satisfies AppendColumns;

/** What {@link buildCrate} did. */
export interface CrateRun {
  filled: FilledCrate;
  currency: string;
  candidates: number;
  unpriced: number;
  otherCurrency: number;
  rows: number;
}

/** Fill the crate and replace the `crate` table (the crate, then what greedy would add). */
export async function buildCrate(
  db: Database,
  options: { budget: number; from: string; maxPerArtist: number; currency?: string },
): Promise<CrateRun> {
  const picks = await loadCratePicks(db, options.from);
  const currency = options.currency ?? mainCurrency(picks);
  const set = crateCandidates(picks, currency);
  const filled = fillCrate(set.candidates, options.budget, options.maxPerArtist);
  const greedyKeys = new Set(filled.greedy.crate.map((c) => c.key));
  let running = 0;
  const rows = [
    ...filled.crate.map((c, i) => {
      running += c.cents;
      return { c, position: i + 1, inCrate: true, total: running / 100 };
    }),
    ...filled.greedyOnly.map((c) => ({ c, position: null, inCrate: false, total: null })),
  ].map(({ c, position, inCrate, total }) => ({
    position,
    in_crate: inCrate,
    in_greedy: greedyKeys.has(c.key),
    lists: c.lists.join(", "),
    pick_key: c.key,
    release_id: c.releaseId,
    artist: c.artist,
    title: c.title,
    lowest_price: c.cents / 100,
    currency,
    points: Math.round(c.points * 1000) / 1000,
    running_total: total,
    discogs_url: c.releaseId !== null ? `https://www.discogs.com/release/${c.releaseId}` : null,
  }));
  await db.transaction(async () => {
    await db.run(
      `CREATE OR REPLACE TABLE crate (${
        Object.entries(CRATE_COLUMNS).map(([n, t]) => `${n} ${t}`).join(", ")
      })`,
    );
    await db.append("crate", CRATE_COLUMNS, rows);
  });
  return {
    filled,
    currency,
    candidates: set.candidates.length,
    unpriced: set.unpriced,
    otherCurrency: set.otherCurrency,
    rows: rows.length,
  };
}

/** The crate as `deno task crate` prints it. */
export function crateText(run: CrateRun): string {
  const { filled, currency } = run;
  const money = (x: number) => formatPrice(x, currency);
  const line = (c: FilledCrate["crate"][number]) =>
    `   ${c.artist} — ${c.title}  ${money(c.cents / 100)}  (${c.lists.join(", ")} #${c.rank}, ` +
    `${c.points.toFixed(2)} points)`;
  const lines = [
    `Best crate for ${money(filled.budget)} (at most ${filled.maxPerArtist} per artist, ` +
    `${currency}, from ${run.candidates} priced candidates)`,
    ...filled.crate.map(line),
    `Total ${money(filled.total)} of ${money(filled.budget)}: ${filled.crate.length} records, ` +
    `${filled.points.toFixed(2)} points (greedy: ${filled.greedy.crate.length} records, ` +
    `${money(filled.greedy.total)}, ${filled.greedy.points.toFixed(2)} points)`,
  ];
  if (filled.greedyOnly.length > 0) {
    lines.push(
      "A greedy pick (best points per dollar first) would also have taken, left out here:",
    );
    lines.push(...filled.greedyOnly.map(line));
  } else lines.push("A greedy pick (best points per dollar first) would take the same records.");
  if (run.unpriced + run.otherCurrency > 0) {
    lines.push(
      `Left out: ${run.unpriced} with no price, ${run.otherCurrency} priced in another currency.`,
    );
  }
  return lines.join("\n");
}
