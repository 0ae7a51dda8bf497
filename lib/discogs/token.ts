/**
 * The Discogs personal access token: from `DISCOGS_TOKEN`, else a `DISCOGS_TOKEN=` line in a
 * `.env` file in the working directory. It goes into the Authorization header and nowhere else:
 * never into logs, errors, the cache, manifests or outputs. {@link redact} scrubs it from any text
 * that might leave the process (an error message from `fetch`, a body echoed back).
 *
 * @example
 * ```ts
 * const { token, source } = readToken();
 * console.log(source === "none" ? "no token: 25 requests a minute" : `token from ${source}`);
 * console.log(redact(`failed with ${token}`, token)); // "failed with [redacted]"
 * ```
 *
 * @module
 */

import { join } from "node:path";

/** Where the token came from (for messages; the value itself is never shown). */
export type TokenSource = "env" | ".env" | "none";

/** The token and where it came from. */
export interface TokenLookup {
  token: string | undefined;
  source: TokenSource;
}

/**
 * Parse `DISCOGS_TOKEN` out of dotenv text. Understands the usual line forms: `# comments`,
 * blank lines, an `export ` prefix, single or double quotes, and a trailing ` # comment` after an
 * unquoted value. The last assignment wins, as in a shell.
 *
 * @example
 * ```ts
 * tokenFromDotenv('export DISCOGS_TOKEN="abc"'); // "abc"
 * ```
 */
export function tokenFromDotenv(text: string): string | undefined {
  let found: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = line.match(/^(?:export\s+)?DISCOGS_TOKEN\s*=\s*(.*)$/);
    if (!match) continue;
    let value = match[1].trim();
    const quoted = value.match(/^(['"])(.*)\1(?:\s+#.*)?$/);
    if (quoted) value = quoted[2];
    else value = value.replace(/(^|\s+)#.*$/, "").trim();
    found = value === "" ? undefined : value;
  }
  return found;
}

/**
 * Read the token: the `DISCOGS_TOKEN` environment variable first, then `.env` in `cwd`.
 * `env` is injectable so tests need not touch the process environment.
 */
export function readToken(
  cwd: string = Deno.cwd(),
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): TokenLookup {
  const fromEnv = env("DISCOGS_TOKEN")?.trim();
  if (fromEnv) return { token: fromEnv, source: "env" };
  let text: string;
  try {
    text = Deno.readTextFileSync(join(cwd, ".env"));
  } catch {
    return { token: undefined, source: "none" }; // no .env file (or unreadable): anonymous
  }
  const token = tokenFromDotenv(text);
  return token ? { token, source: ".env" } : { token: undefined, source: "none" };
}

/**
 * Replace every occurrence of `token` in `text` with `[redacted]`.
 *
 * @example
 * ```ts
 * redact("Authorization: Discogs token=s3cr3t", "s3cr3t"); // "Authorization: Discogs token=[redacted]"
 * ```
 */
export function redact(text: string, token: string | undefined): string {
  return token ? text.replaceAll(token, "[redacted]") : text;
}
