/**
 * Progress for long runs on stderr: a live bar on a terminal (done/total, rate, ETA, 429s), and
 * plain periodic lines otherwise (CI, pipes, log files), so a 4,000-record enrichment never looks
 * hung. `NEXTSPIN_QUIET=1` keeps only the final summary.
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

/** Format a duration for people: `45 s`, `12 min`, `1 h 5 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "unknown";
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 90) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
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
  update(state: ProgressState): void;
  done(summary: string): void;
}

/** Create a reporter: a bar when stderr is a terminal, plain lines every `intervalMs` otherwise. */
export function progress(
  label: string,
  options: { intervalMs?: number; tty?: boolean } = {},
): Progress {
  const quiet = Deno.env.get("NEXTSPIN_QUIET") === "1";
  const tty = options.tty ?? Deno.stderr.isTerminal();
  const interval = options.intervalMs ?? 5000;
  let last = 0;
  const write = (s: string) => Deno.stderr.writeSync(encoder.encode(s));
  return {
    update(state) {
      if (quiet) return;
      const now = Date.now();
      if (tty) {
        const width = 24;
        const filled = state.total === 0 ? width : Math.round((width * state.done) / state.total);
        write(
          `\r\x1b[2K[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${
            progressLine(label, state)
          }`,
        );
      } else if (now - last >= interval || state.done === state.total) {
        last = now;
        write(progressLine(label, state) + "\n");
      }
    },
    done(summary) {
      if (tty && !quiet) write("\r\x1b[2K");
      write(summary + "\n");
    },
  };
}
