/**
 * Progress and diagnostics go to stderr so stdout stays clean for data (Observable Framework
 * data-loader convention). Set `NEXTSPIN_QUIET=1` to silence info lines in tests.
 *
 * @module
 */

const encoder = new TextEncoder();

function write(line: string): void {
  Deno.stderr.writeSync(encoder.encode(line + "\n"));
}

/** A logger bound to one stage name, e.g. `[ingest] 316 rows`. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** Create a logger that prefixes every line with the stage name. */
export function logger(stage: string): Logger {
  const quiet = Deno.env.get("NEXTSPIN_QUIET") === "1";
  return {
    info(message) {
      if (!quiet) write(`[${stage}] ${message}`);
    },
    warn(message) {
      write(`[${stage}] warning: ${message}`);
    },
  };
}
