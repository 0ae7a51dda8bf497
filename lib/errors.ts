/**
 * Errors a collector can act on. Anything thrown as an {@link InputError} is printed as a
 * one-paragraph message (never a stack trace) and the process exits with its `exitCode`.
 *
 * @module
 */

/** Exit code for a file or flag that cannot be used at all. */
export const EXIT_BAD_INPUT = 2;

/** A problem with the user's input (a file, a flag, an environment variable). */
export class InputError extends Error {
  override name = "InputError";
  constructor(message: string, readonly exitCode: number = EXIT_BAD_INPUT) {
    super(message);
  }
}

/** Narrow an unknown thrown value to a message, without a stack. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
