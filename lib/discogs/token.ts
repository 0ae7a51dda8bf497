/**
 * The Discogs personal access token: from `DISCOGS_TOKEN`, else a `DISCOGS_TOKEN=` line in a
 * `.env` file in the working directory. It goes into the Authorization header and nowhere else:
 * never into logs, errors, the cache, manifests or outputs. {@link redact} scrubs it from any text
 * that might leave the process.
 *
 * @module
 */

/** Where the token came from (for messages; the value itself is never shown). */
export type TokenSource = "env" | ".env" | "none";

/** Parse `DISCOGS_TOKEN` out of dotenv text (`export`, quotes and comments allowed). */
export function tokenFromDotenv(text: string): string | undefined {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = line.match(/^(?:export\s+)?DISCOGS_TOKEN\s*=\s*(.*)$/);
    if (!match) continue;
    let value = match[1].trim();
    const quoted = value.match(/^(['"])(.*)\1$/);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, "");
    return value === "" ? undefined : value;
  }
  return undefined;
}

/** Read the token: environment first, then `.env` in `cwd`. */
export function readToken(
  cwd: string = Deno.cwd(),
): { token: string | undefined; source: TokenSource } {
  const env = Deno.env.get("DISCOGS_TOKEN")?.trim();
  if (env) return { token: env, source: "env" };
  try {
    const token = tokenFromDotenv(Deno.readTextFileSync(`${cwd}/.env`));
    if (token) return { token, source: ".env" };
  } catch { /* no .env file */ }
  return { token: undefined, source: "none" };
}

/** Replace every occurrence of `token` in `text` with `[redacted]`. */
export function redact(text: string, token: string | undefined): string {
  return token ? text.replaceAll(token, "[redacted]") : text;
}
