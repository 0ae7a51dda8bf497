/**
 * Progress for long runs on stderr, so a 4,000-record enrichment never looks hung: an estimate
 * before the first request, then a live bar on a terminal (done/total, rate, ETA, 429s) or plain
 * lines every 5 s or 5% otherwise (CI, pipes, log files). `NEXTSPIN_QUIET=1` keeps only the
 * final summary.
 *
 * @example
 * ```ts
 * const bar = progress("[enrich] fetching");
 * bar.start(4000, 59.4); // "[enrich] fetching 4000 to go at up to 59.4/min: about 67 min"
 * bar.update({ done: 1, total: 4000, ratePerMinute: 59, etaMs: 4_000_000, rateLimited: 0, failed: 0 });
 * bar.done("[enrich] fetched 4000, 0 failed");
 * ```
 *
 * @module
 */

const encoder = new TextEncoder();

/** What a progress line shows. */
export interface ProgressState {
  done: number;
  total: number;
  /** Requests per minute so far. */
  ratePerMinute: number;
  etaMs: number | null;
  rateLimited: number;
  failed: number;
}

/**
 * Format a duration for people: `45 s`, `12 min`, `1 h 5 min`.
 *
 * @example
 * ```ts
 * formatDuration(67 * 60_000); // "67 min"
 * ```
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "unknown";
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 90) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/**
 * The estimate shown before the first request: `n` at the allowed rate.
 *
 * @example
 * ```ts
 * etaLine("[enrich] fetching", 4000, 59.4); // "[enrich] fetching 4000 to go at up to 59.4/min: about 67 min"
 * ```
 */
export function etaLine(label: string, n: number, allowedPerMinute: number): string {
  const eta = n <= 0 ? 0 : allowedPerMinute > 0 ? (n / allowedPerMinute) * 60_000 : Infinity;
  return `${label} ${n} to go at up to ${allowedPerMinute.toFixed(1)}/min: about ${
    formatDuration(eta)
  }`;
}

/** One progress line (shared by the bar and the plain lines). */
export function progressLine(label: string, p: ProgressState): string {
  const pct = p.total === 0 ? 100 : Math.floor((100 * p.done) / p.total);
  const eta = p.etaMs === null ? "" : `, ETA ${formatDuration(p.etaMs)}`;
  const problems = [
    p.rateLimited ? `${p.rateLimited} × 429` : "",
    p.failed ? `${p.failed} failed` : "",
  ]
    .filter(Boolean).join(", ");
  return `${label} ${p.done}/${p.total} (${pct}%), ${p.ratePerMinute.toFixed(1)}/min${eta}${
    problems ? `, ${problems}` : ""
  }`;
}

/** A progress reporter. */
export interface Progress {
  /** Say how much there is to do and how long it should take, before the first request. */
  start(total: number, allowedPerMinute: number): void;
  update(state: ProgressState): void;
  /** End the bar and print the summary (printed even when quiet). */
  done(summary: string): void;
}

/** Options for {@link progress}; the defaults suit a real run. */
export interface ProgressOptions {
  /** Plain lines at most this often (default 5 s)… */
  intervalMs?: number;
  /** …or whenever another this many percent are done (default 5). */
  stepPercent?: number;
  /** Draw a bar (default: stderr is a terminal). */
  tty?: boolean;
  /** Only the summary (default: `NEXTSPIN_QUIET=1`). */
  quiet?: boolean;
  /** Where text goes (default stderr). */
  write?: (text: string) => void;
  now?: () => number;
}

/** Bar redraws at most this often: enough to look live, not so often it floods a slow terminal. */
const REDRAW_MS = 100;

/** Create a reporter: a bar when stderr is a terminal, plain periodic lines otherwise. */
export function progress(label: string, options: ProgressOptions = {}): Progress {
  const quiet = options.quiet ?? Deno.env.get("NEXTSPIN_QUIET") === "1";
  const tty = options.tty ?? Deno.stderr.isTerminal();
  const interval = options.intervalMs ?? 5000;
  const step = options.stepPercent ?? 5;
  const write = options.write ?? ((s: string) => Deno.stderr.writeSync(encoder.encode(s)));
  const now = options.now ?? Date.now;
  let lastAt = -Infinity;
  let lastPct = -Infinity;
  let drawn = false;
  return {
    start(total, allowedPerMinute) {
      if (!quiet) write(etaLine(label, total, allowedPerMinute) + "\n");
    },
    update(state) {
      if (quiet) return;
      const t = now();
      const pct = state.total === 0 ? 100 : (100 * state.done) / state.total;
      const finished = state.done >= state.total;
      if (tty) {
        if (!finished && t - lastAt < REDRAW_MS) return;
        lastAt = t;
        const width = 24;
        const filled = Math.min(width, Math.round((width * pct) / 100));
        write(
          `\r\x1b[2K[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${
            progressLine(label, state)
          }`,
        );
        drawn = true;
      } else if (t - lastAt >= interval || pct - lastPct >= step || (finished && pct > lastPct)) {
        lastAt = t;
        lastPct = pct;
        write(progressLine(label, state) + "\n");
      }
    },
    done(summary) {
      if (drawn) write("\r\x1b[2K");
      write(summary + "\n");
    },
  };
}
