/**
 * `deno task trends`: the collection's value over time (`value_history`), what moved between
 * two enrichment passes (`price_moves`), and forecasts with their backtest (`forecasts`,
 * `forecast_backtest`), from the snapshots enrichment keeps in `price_history`.
 *
 * @module
 */

import { stringFlag } from "../lib/cli/flags.ts";
import { InputError } from "../lib/errors.ts";
import { parseDuration } from "../lib/discogs/ratelimit.ts";
import { DEFAULT_THRESHOLD, parseThreshold } from "../lib/money/history.ts";
import { loadTrendInputs, trendsText, writeTrends } from "../lib/money/tables.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";

/** `--horizon 30d`: how far ahead forecasts look, in whole days (1 to 365). */
export function parseHorizon(text: string): number {
  const ms = parseDuration(text, "--horizon");
  const days = ms / 86_400_000;
  if (!Number.isInteger(days) || days < 1 || days > 365) {
    throw new InputError(`--horizon ${JSON.stringify(text)}: expected whole days from 1d to 365d`);
  }
  return days;
}

function threshold(text: string): number {
  try {
    return parseThreshold(text);
  } catch (error) {
    throw new InputError(`--threshold: ${(error as Error).message}`);
  }
}

/** `--since` / `--until`: a date (YYYY-MM-DD, the end of that UTC day) or a timestamp. */
export function parseWhen(text: string, flag: string): Date {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text.trim());
  const when = new Date(day ? `${text.trim()}T23:59:59.999Z` : text);
  if (Number.isNaN(when.getTime())) {
    throw new InputError(
      `--${flag} ${JSON.stringify(text)}: expected a date such as 2026-11-30 (or an ISO time)`,
    );
  }
  return when;
}

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
      check: threshold,
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
      threshold: threshold(stringFlag(flags, "threshold") ?? "5%"),
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
