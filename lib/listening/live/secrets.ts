/**
 * The workspace's secrets: a `.secrets/` folder beside the workspace database (never inside the
 * output folder), one JSON file per service, readable by the owner only (mode 0600). What is kept
 * there (the Spotify refresh token) is never printed, logged, exported or put in run.json; the
 * rest of Next Spin never reads the folder.
 *
 * @module
 */

import { dirname, join } from "node:path";

/** The secrets folder of the workspace whose database is `dbPath`. */
export function secretsDir(dbPath: string): string {
  return join(dirname(dbPath), ".secrets");
}

/** Read one service's secrets, or null when there are none. */
export async function readSecret<T>(dbPath: string, service: string): Promise<T | null> {
  try {
    return JSON.parse(await Deno.readTextFile(join(secretsDir(dbPath), `${service}.json`))) as T;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** Write one service's secrets atomically, owner-only. Returns the file's path. */
export async function writeSecret(
  dbPath: string,
  service: string,
  value: unknown,
): Promise<string> {
  const dir = secretsDir(dbPath);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${service}.json`);
  // Created owner-only before a byte is written, then renamed into place (atomic).
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeTextFile(tmp, JSON.stringify(value) + "\n", { mode: 0o600 });
    await Deno.chmod(tmp, 0o600);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
  return path;
}
