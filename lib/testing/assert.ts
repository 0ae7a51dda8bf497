/**
 * Test assertions (jsr's `@std/assert` is unreachable here): thin wrappers over `node:assert`
 * with the `@std/assert` names, plus a tolerance comparison for floating-point scores.
 *
 * @module
 */

import nodeAssert from "node:assert/strict";

/**
 * `node:assert` treats an undefined message as none, but newer `@types/node` (pulled in by an
 * optional dependency) types the message as a required string in the string overload.
 */
const text = (message: string | undefined) => message as string;

/** Assert a condition is truthy. */
export function assert(condition: unknown, message?: string): asserts condition {
  nodeAssert.ok(condition, text(message));
}

/** Deep strict equality. */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, text(message));
}

/** Deep strict inequality. */
export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, text(message));
}

/** |actual − expected| ≤ tolerance. */
export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance = 1e-9,
  message?: string,
): void {
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new nodeAssert.AssertionError({
      message: message ?? `expected ${actual} to be within ${tolerance} of ${expected}`,
      actual,
      expected,
    });
  }
}

/** The string matches the pattern. */
export function assertMatch(actual: string, pattern: RegExp, message?: string): void {
  nodeAssert.match(actual, pattern, text(message));
}

/** The string does not match the pattern. */
export function assertNotMatch(actual: string, pattern: RegExp, message?: string): void {
  nodeAssert.doesNotMatch(actual, pattern, text(message));
}

/** The string contains the substring. */
export function assertStringIncludes(actual: string, expected: string, message?: string): void {
  if (!actual.includes(expected)) {
    throw new nodeAssert.AssertionError({
      message: message ??
        `expected ${JSON.stringify(actual.slice(0, 500))} to include ${JSON.stringify(expected)}`,
      actual,
      expected,
    });
  }
}

/** The function throws an error of the given class (and message part); returns the error. */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  errorClass?: new (...args: never[]) => E,
  messageIncludes?: string,
): E {
  try {
    fn();
  } catch (error) {
    checkError(error, errorClass, messageIncludes);
    return error as E;
  }
  throw new nodeAssert.AssertionError({ message: "expected the function to throw" });
}

/** The promise rejects with an error of the given class (and message part); returns the error. */
export async function assertRejects<E extends Error = Error>(
  fn: () => Promise<unknown>,
  errorClass?: new (...args: never[]) => E,
  messageIncludes?: string,
): Promise<E> {
  try {
    await fn();
  } catch (error) {
    checkError(error, errorClass, messageIncludes);
    return error as E;
  }
  throw new nodeAssert.AssertionError({ message: "expected the promise to reject" });
}

function checkError(
  error: unknown,
  errorClass?: new (...args: never[]) => Error,
  messageIncludes?: string,
) {
  if (errorClass && !(error instanceof errorClass)) {
    throw new nodeAssert.AssertionError({ message: `expected ${errorClass.name}, got ${error}` });
  }
  if (messageIncludes && !(error instanceof Error && error.message.includes(messageIncludes))) {
    throw new nodeAssert.AssertionError({
      message: `expected the error message to include ${JSON.stringify(messageIncludes)}, got ${
        JSON.stringify(String((error as Error)?.message ?? error))
      }`,
    });
  }
}
