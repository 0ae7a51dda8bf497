/**
 * Atomic file output: every file is written to a temporary sibling and renamed into place, so a
 * reader (a notebook, the report, a spreadsheet) never sees a half-written table.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";

/**
 * Run `write(tmpPath)` and rename the result to `path`. On failure the temporary file is removed
 * and `path` keeps its previous content.
 *
 * @example
 * ```ts
 * await writeAtomically("data/out/run.json", (tmp) => Deno.writeTextFile(tmp, "{}"));
 * ```
 */
export async function writeAtomically(
  path: string,
  write: (tmpPath: string) => Promise<unknown>,
): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  try {
    await write(tmp);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/** Write a text file atomically. */
export function writeTextAtomically(path: string, text: string): Promise<void> {
  return writeAtomically(path, (tmp) => Deno.writeTextFile(tmp, text));
}

/** Hex sha256 of a file's bytes, streamed so large exports do not sit in memory. */
export async function sha256File(path: string): Promise<string> {
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha256");
  // The readable closes the file when it is drained.
  const file = await Deno.open(path);
  for await (const chunk of file.readable) hash.update(chunk);
  return hash.digest("hex");
}
