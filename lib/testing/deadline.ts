/**
 * Deadlines for tests: a child process that outlives its deadline is killed (SIGKILL) and the
 * test fails naming the command and the deadline, and a test waiting on anything else (a server,
 * a condition) gives up the same way. Deno's test runner has no time limit of its own, so without
 * these a hung child or a crashed one that a test waits on would stall CI until it is killed from
 * outside, with no word of what hung.
 *
 * @example
 * ```ts
 * const child = spawnWithDeadline(Deno.execPath(), { args: ["run", "-A", "x.ts"] }, 60_000);
 * const output = await child.output(); // throws DeadlineError after 60 s, the child killed
 * ```
 *
 * @module
 */

/** A deadline passed: what was waited on, and for how long, are in the message. */
export class DeadlineError extends Error {
  override name = "DeadlineError";
  constructor(
    message: string,
    /** How the killed child ended (its signal is SIGKILL), when a child was killed. */
    readonly status: Deno.CommandStatus | null = null,
  ) {
    super(message);
  }
}

/** `1500` → `1.5 s`, `120000` → `120 s`. */
export function formatDeadline(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

/** How a command reads in a message: `deno run -A x.ts` rather than the binary's full path. */
export function describeCommand(command: string, args: readonly string[] = []): string {
  const name = command === Deno.execPath() ? "deno" : command;
  return [name, ...args].join(" ");
}

/** A child process under a deadline (see {@link spawnWithDeadline}). */
export interface DeadlineChild {
  /** The running child: read its pipes, send it signals. */
  readonly process: Deno.ChildProcess;
  /** What the child is, as messages name it. */
  readonly what: string;
  /** Whether the deadline killed it. */
  readonly timedOut: boolean;
  /** Its exit status; rejects with a {@link DeadlineError} if the deadline killed it. */
  status(): Promise<Deno.CommandStatus>;
  /**
   * Its exit status and piped output (the pipes must be `"piped"` and unread); rejects with a
   * {@link DeadlineError} (ending with the last lines of its stderr) if the deadline killed it.
   */
  output(): Promise<Deno.CommandOutput>;
}

/**
 * Spawn `command` and kill it with SIGKILL if it is still running after `deadlineMs`. The timer
 * stops when the child exits, so nothing is left pending for Deno's test sanitizers. `what`
 * names it in messages (default: the command line).
 */
export function spawnWithDeadline(
  command: string,
  options: Deno.CommandOptions,
  deadlineMs: number,
  what: string = describeCommand(command, options.args ?? []),
): DeadlineChild {
  const child = new Deno.Command(command, options).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // It exited between the timer firing and the kill.
    }
  }, deadlineMs);
  child.status.then(() => clearTimeout(timer));
  const failure = (status: Deno.CommandStatus, stderr = "") => {
    const tail = stderr.trim().split("\n").slice(-15).join("\n");
    return new DeadlineError(
      `${what} did not finish within ${formatDeadline(deadlineMs)}; killed it (SIGKILL)` +
        (tail ? `. Its last stderr lines:\n${tail}` : ""),
      status,
    );
  };
  return {
    process: child,
    what,
    get timedOut() {
      return timedOut;
    },
    async status() {
      const status = await child.status;
      if (timedOut) throw failure(status);
      return status;
    },
    async output() {
      const output = await child.output();
      if (timedOut) {
        throw failure(
          output,
          options.stderr === "piped" ? new TextDecoder().decode(output.stderr) : "",
        );
      }
      return output;
    },
  };
}

/** Run `command` to the end under a deadline: {@link spawnWithDeadline}, then its output. */
export function outputWithDeadline(
  command: string,
  options: Deno.CommandOptions,
  deadlineMs: number,
  what?: string,
): Promise<Deno.CommandOutput> {
  return spawnWithDeadline(
    command,
    { stdout: "piped", stderr: "piped", ...options },
    deadlineMs,
    what,
  ).output();
}

/**
 * `promise`, or a {@link DeadlineError} naming `what` once `deadlineMs` passes first. (The
 * promise itself is not cancelled: pair this with closing whatever it waits on.)
 */
export async function withDeadline<T>(
  promise: Promise<T>,
  deadlineMs: number,
  what: string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DeadlineError(`${what}: no result within ${formatDeadline(deadlineMs)}`)),
      deadlineMs,
    );
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Poll `condition` every `intervalMs` until it holds; a {@link DeadlineError} naming `what` if it
 * still does not after `deadlineMs`.
 */
export async function waitUntil(
  condition: () => boolean,
  what: string,
  deadlineMs: number,
  intervalMs = 5,
): Promise<void> {
  const giveUpAt = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() >= giveUpAt) {
      throw new DeadlineError(`gave up waiting for ${what} after ${formatDeadline(deadlineMs)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
