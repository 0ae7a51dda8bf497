/**
 * Errors a collector can act on. Anything thrown as an {@link InputError} is printed as a
 * one-paragraph message (never a stack trace) and the process exits with its `exitCode`.
 *
 * @module
 */

/** Exit code for a file or flag that cannot be used at all. */
export const EXIT_BAD_INPUT = 2;

/** An error whose message is written for the collector: printed as is, without a stack. */
export class UserFacingError extends Error {
  override name = "UserFacingError";
  constructor(message: string, readonly exitCode: number = 1) {
    super(message);
  }
}

/** A problem with the user's input (a file, a flag, an environment variable). */
export class InputError extends UserFacingError {
  override name = "InputError";
  constructor(message: string, exitCode: number = EXIT_BAD_INPUT) {
    super(message, exitCode);
  }
}

/** Narrow an unknown thrown value to a message, without a stack. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
