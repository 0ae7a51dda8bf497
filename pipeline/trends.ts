/**
 * `deno task trends`: the collection's value over time (`value_history`), what moved between
 * two enrichment passes (`price_moves`), and forecasts with their backtest (`forecasts`,
 * `forecast_backtest`), from the snapshots enrichment keeps in `price_history`.
 *
 * @module
 */

import { stringFlag } from "../lib/cli/flags.ts";
import { InputError } from "../lib/errors.ts";
import { DEFAULT_THRESHOLD } from "../lib/money/history.ts";
import { parseHorizon, parseWhen, thresholdFlag } from "../lib/money/flags.ts";
import { loadTrendInputs, trendsText, writeTrends } from "../lib/money/tables.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";

export const trendsStage: Stage = {
  name: "trends",
  summary:
    "Value over time, price movers and forecasts with an honest backtest, from price_history.",
  flags: {
    horizon: {
      type: "string",
      description: "how far ahead to forecast",
      default: "30d",
      valueName: "DAYS",
      check: parseHorizon,
    },
    threshold: {
      type: "string",
      description: "smallest price change that counts as a move",
      default: `${DEFAULT_THRESHOLD * 100}%`,
      valueName: "PCT",
      check: thresholdFlag,
    },
    since: {
      type: "string",
      description: "compare prices as of this date (default: the pass before the last)",
      valueName: "DATE",
      check: (v) => parseWhen(v, "since"),
    },
    until: {
      type: "string",
      description: "… with prices as of this date (default: the last pass)",
      valueName: "DATE",
      check: (v) => parseWhen(v, "until"),
    },
  },
  validate(flags) {
    const since = stringFlag(flags, "since");
    const until = stringFlag(flags, "until");
    if (since !== undefined && until !== undefined) {
      if (parseWhen(since, "since") >= parseWhen(until, "until")) {
        throw new InputError(`--since ${since} must come before --until ${until}`);
      }
    }
  },
  async run({ db, log }, flags) {
    const horizonDays = parseHorizon(stringFlag(flags, "horizon") ?? "30d");
    const since = stringFlag(flags, "since");
    const until = stringFlag(flags, "until");
    const summary = await writeTrends(db, {
      horizonDays,
      threshold: thresholdFlag(stringFlag(flags, "threshold") ?? "5%"),
      since: since === undefined ? undefined : parseWhen(since, "since"),
      until: until === undefined ? undefined : parseWhen(until, "until"),
    });
    const passes = summary.valueHistory.length;
    const shown = summary.forecasts.filter((f) => f.result.shown).length;
    log.info(
      `${passes} enrichment pass${passes === 1 ? "" : "es"} of value history, ` +
        `${summary.moves.length} movers, ${shown} of ${summary.forecasts.length} forecasts shown ` +
        `(horizon ${horizonDays} days)`,
    );
    if (Deno.env.get("NEXTSPIN_QUIET") !== "1") {
      console.log(trendsText(summary, (await loadTrendInputs(db)).names));
    }
    return {
      tables: summary.rows,
      csv: { price_moves: "currency, abs(change_pct) DESC NULLS LAST, release_id" },
      parameters: { horizon_days: horizonDays, since: since ?? null, until: until ?? null },
      summary: { passes, movers: summary.moves.length, forecasts_shown: shown },
    };
  },
};

if (import.meta.main) {
  await main([trendsStage], { command: "trends", summary: trendsStage.summary });
}
