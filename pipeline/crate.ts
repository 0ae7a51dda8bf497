/**
 * `deno task crate --budget 100`: the set of priced records that scores most under a budget
 * (exact 0/1 knapsack on cents, at most N per artist, one currency), with what a greedy pick
 * would have taken instead (table `crate`, also CSV).
 *
 * @module
 */

import { numberFlag, stringFlag } from "../lib/cli/flags.ts";
import { buildCrate, crateText, DEFAULT_FROM } from "../lib/money/crate_tables.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { InputError } from "../lib/errors.ts";
import { checkCurrency } from "../lib/enrich/mod.ts";

const BUDGET = { min: 0.01, max: 1_000_000 };
const MAX_PER_ARTIST = { min: 1, max: 100, integer: true };

export const crateStage: Stage = {
  name: "crate",
  summary:
    "Fill a crate to a budget: the priced picks that score most in total, at most N per artist.",
  flags: {
    budget: {
      type: "string",
      description: "what the crate may cost, in --currency",
      valueName: "PRICE",
      number: BUDGET,
    },
    from: {
      type: "string",
      description:
        "lists to pick from, comma-separated: gems, missing_links, deep_cuts (recommendations), crate_picks, smart_buys, essentials (records you own)",
      default: DEFAULT_FROM,
      valueName: "LISTS",
    },
    "max-per-artist": {
      type: "string",
      description: "most records of one artist in the crate",
      default: "2",
      valueName: "N",
      number: MAX_PER_ARTIST,
    },
    currency: {
      type: "string",
      description:
        "the one currency the crate is priced in (default: the currency most picks are priced in, as the report's Fill to budget does)",
      valueName: "CODE",
      check: checkCurrency,
    },
  },
  validate(flags) {
    if (flags.budget === undefined) {
      throw new InputError("crate: --budget is needed, e.g. --budget 100");
    }
  },
  async run({ db, log }, flags) {
    const budget = numberFlag(flags, "budget", BUDGET)!;
    const maxPerArtist = numberFlag(flags, "max-per-artist", MAX_PER_ARTIST)!;
    const currency = stringFlag(flags, "currency");
    const from = stringFlag(flags, "from") ?? DEFAULT_FROM;
    const run = await buildCrate(db, { budget, from, maxPerArtist, currency });
    log.info(
      `${run.filled.crate.length} records for ${run.filled.total.toFixed(2)} ${run.currency} of ` +
        `${budget.toFixed(2)} from ${run.candidates} candidates`,
    );
    if (run.candidates === 0) {
      log.warn(`no priced candidate in ${run.currency} on the lists ${from}: the crate is empty`);
    }
    console.log(crateText(run));
    return {
      tables: { crate: run.rows },
      csv: { crate: "in_crate DESC, position NULLS LAST, points DESC" },
      parameters: { budget, from, max_per_artist: maxPerArtist, currency: run.currency },
      summary: {
        records: run.filled.crate.length,
        total: run.filled.total,
        points: run.filled.points,
        greedy_points: run.filled.greedy.points,
      },
    };
  },
};

if (import.meta.main) await main([crateStage], { command: "crate", summary: crateStage.summary });
