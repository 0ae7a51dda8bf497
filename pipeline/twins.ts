/**
 * `deno task twins`: other collectors' collections (by Discogs username, export file or a folder
 * of exports) compared with yours, weighing rare shared records → tables `twin_collections`,
 * `twin_sources`, `twins`, `twin_picks`, `trades` (+ CSV). In `deno task pipeline` the stage runs
 * when a `--with…` flag is given, before the pool, so twin picks become candidates and a
 * recommendation list.
 *
 * @module
 */

import { listFlag, numberFlag, stringFlag } from "../lib/cli/flags.ts";
import { DiscogsClient } from "../lib/discogs/client.ts";
import { InputError } from "../lib/errors.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import {
  buildTwins,
  DEFAULT_TWIN_BUDGET,
  gatherCommunity,
  LEVEL_WEIGHTS,
  type TwinsSummary,
} from "../lib/twins/mod.ts";
import { CURRENCY_FLAG, OFFLINE_FLAG } from "./shared_flags.ts";
import { ownedReleaseIds } from "../lib/ingest/mod.ts";

/** Twins, picks and trades printed at the end of the stage. */
const SHOWN = 5;

/** The stage's closing lines: the closest twins with reasons, the best picks, the trades. */
export function twinsText(s: TwinsSummary): string {
  const lines: string[] = [];
  if (s.twins.length > 0) lines.push("Twin crate diggers");
  for (const t of s.twins.slice(0, SHOWN)) {
    lines.push(
      `  ${String(t.rank).padStart(2)}. ${t.collection} — similarity ${t.similarity.toFixed(3)}`,
    );
    lines.push(`      ${t.reason}`);
  }
  if (s.picks.length > 0) lines.push("Twin picks (they have, you don't)");
  for (const p of s.picks.slice(0, SHOWN)) {
    const r = p.record;
    lines.push(
      `  ${String(p.rank).padStart(2)}. ${r.artist} — ${r.title}${r.year ? ` (${r.year})` : ""}`,
    );
    lines.push(`      ${p.why}`);
    lines.push(`      https://www.discogs.com/release/${p.releaseId}`);
  }
  if (s.trades.length > 0) lines.push("Trades");
  for (const t of s.trades.slice(0, SHOWN * 2)) {
    lines.push(`  ${t.direction === "offer" ? "offer" : "ask  "} ${t.why}`);
  }
  return lines.join("\n");
}

export const twinsStage: Stage = {
  name: "twins",
  summary:
    "Compare other collectors' collections with yours (rare shared records weigh most): twins, twin picks and trades.",
  flags: {
    with: {
      type: "string",
      multiple: true,
      description: "compare with this Discogs user's collection (and wantlist, when public)",
      valueName: "NAME",
    },
    "with-file": {
      type: "string",
      multiple: true,
      description: "compare with another collector's export (collection or wantlist CSV)",
      valueName: "EXPORT.csv",
    },
    "with-dir": {
      type: "string",
      multiple: true,
      description: "compare with every export (.csv) in this folder",
      valueName: "DIR",
    },
    "twin-budget": {
      type: "string",
      description:
        "Discogs requests for --with users' pages and pricing twin picks (cached answers are free)",
      default: String(DEFAULT_TWIN_BUDGET),
      valueName: "N",
      number: { min: 0, integer: true },
    },
    offline: OFFLINE_FLAG,
    currency: CURRENCY_FLAG,
  },
  async run({ db, log }, flags) {
    const names = listFlag(flags, "with");
    const files = listFlag(flags, "with-file");
    const dirs = listFlag(flags, "with-dir");
    if (names.length + files.length + dirs.length === 0) {
      log.info("no --with, --with-file or --with-dir: no twins compared (earlier ones are kept)");
      return { tables: {} };
    }
    if (!(await db.tableExists("collection"))) {
      throw new InputError(
        `the workspace ${db.path} has no \`collection\` table yet: run \`deno task ingest\` ` +
          "with your own collection first (twins are compared with it)",
      );
    }
    const offline = flags.offline === true;
    const budget = numberFlag(flags, "twin-budget", { min: 0, integer: true })!;
    const currency = stringFlag(flags, "currency");
    const { client } = DiscogsClient.forStage(offline || names.length === 0 && budget === 0);
    const own = await ownedReleaseIds(db);
    const community = await gatherCommunity(db, {
      names,
      files,
      dirs,
      offline,
      client,
      budget,
      own,
      info: (m) => log.info(m),
    });
    const summary = await buildTwins(db, community, {
      offline,
      client,
      currency,
      priceBudget: Math.max(0, budget - community.requests),
      info: (m) => log.info(m),
    });
    const compared = community.sources.filter((s) => s.status === "compared").length;
    const warnings = summary.skipped.map((s) => `${s.collection}: skipped, ${s.reason}`);
    log.info(
      `${compared} collections compared (blend ${
        Object.entries(LEVEL_WEIGHTS).map(([l, w]) => `${w} ${l}`).join(" + ")
      }); ${summary.picks.length} twin picks (${summary.priced} priced), ` +
        `${summary.trades.length} trades; ${community.requests + summary.requests} requests, ` +
        `${community.fromCache} cached pages`,
    );
    if (Deno.env.get("NEXTSPIN_QUIET") !== "1") console.log(twinsText(summary));
    return {
      tables: summary.tables,
      csv: {
        twins: "rank",
        twin_picks: "rank",
        trades: "collection, direction, artist, title",
      },
      // Every export read (from --with-dir too), recorded with its sha256.
      inputs: [
        ...new Set(
          community.sources.filter((s) => !s.source.startsWith("discogs:"))
            .flatMap((s) => s.source.split(" + ")),
        ),
      ],
      parameters: { with: names, with_file: files, with_dir: dirs, offline, twin_budget: budget },
      summary: {
        compared,
        skipped: summary.skipped,
        twins: summary.twins.slice(0, 10).map((t) => ({
          collection: t.collection,
          similarity: t.similarity,
        })),
        twin_picks: summary.picks.length,
        priced: summary.priced,
        trades: summary.trades.length,
        requests: community.requests + summary.requests,
        cached_pages: community.fromCache,
      },
      warnings,
    };
  },
};

if (import.meta.main) {
  await main([twinsStage], { command: "twins", summary: twinsStage.summary });
}
