/**
 * Progress of a catalogue build on stderr: compressed bytes read of the file's size, records
 * so far and per second, and the time left — one updating line on a terminal, a plain line
 * every few seconds otherwise (logs, CI). `NEXTSPIN_QUIET=1` keeps it silent.
 *
 * @module
 */

import { formatDuration } from "../cli/progress.ts";

const encoder = new TextEncoder();

/** What a progress line shows. */
export interface BuildProgressState {
  /** Compressed bytes read so far, of `totalBytes`. */
  readBytes: number;
  totalBytes: number;
  /** Records parsed in this run. */
  records: number;
  /** Records per second in this run. */
  perSecond: number;
  /** Time left, null while unknown. */
  etaMs: number | null;
}

/** `1234567890` → `1.23 GB`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${bytes} B`;
}

/** One progress line: `releases: 1.20 GB / 10.50 GB (11%), 2,412,000 releases, 24,800/s, ETA 9 min`. */
export function buildProgressLine(label: string, what: string, p: BuildProgressState): string {
  const pct = p.totalBytes === 0 ? 100 : Math.floor((100 * p.readBytes) / p.totalBytes);
  const eta = p.etaMs === null ? "" : `, ETA ${formatDuration(p.etaMs)}`;
  return `${label} ${formatSize(p.readBytes)} / ${formatSize(p.totalBytes)} (${pct}%), ${
    p.records.toLocaleString("en-US")
  } ${what}, ${Math.round(p.perSecond).toLocaleString("en-US")}/s${eta}`;
}

/** Options for {@link buildProgress}; the defaults suit a real run. */
export interface BuildProgressOptions {
  /** Plain lines at most this often (default 5 s). */
  intervalMs?: number;
  /** Redraw one line (default: stderr is a terminal). */
  tty?: boolean;
  /** Print nothing (default: `NEXTSPIN_QUIET=1`). */
  quiet?: boolean;
  write?: (text: string) => void;
  now?: () => number;
}

/** A reporter for one file: `update` as often as you like, `done` once. */
export interface BuildProgress {
  update(state: BuildProgressState): void;
  /** Clear the live line (the caller prints its own summary). */
  done(): void;
}

/** Create a reporter for `label` (e.g. `[catalog] releases:`) counting `what` (`releases`). */
export function buildProgress(
  label: string,
  what: string,
  options: BuildProgressOptions = {},
): BuildProgress {
  const quiet = options.quiet ?? Deno.env.get("NEXTSPIN_QUIET") === "1";
  const tty = options.tty ?? Deno.stderr.isTerminal();
  const interval = options.intervalMs ?? (tty ? 200 : 5000);
  const write = options.write ?? ((s: string) => Deno.stderr.writeSync(encoder.encode(s)));
  const now = options.now ?? Date.now;
  let lastAt = now();
  let drawn = false;
  return {
    update(state) {
      if (quiet) return;
      const t = now();
      if (t - lastAt < interval) return;
      lastAt = t;
      const line = buildProgressLine(label, what, state);
      if (tty) {
        write(`\r\x1b[2K${line}`);
        drawn = true;
      } else write(line + "\n");
    },
    done() {
      if (drawn) write("\r\x1b[2K");
      drawn = false;
    },
  };
}
