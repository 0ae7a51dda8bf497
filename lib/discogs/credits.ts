/**
 * Credits: the people a release's `extraartists` name with their roles (Remix, Producer,
 * Written-By, Mixed By, Mastered By, …), at release level and on each track. In many scenes
 * who remixed, produced or engineered a record says more about it than its style, so credits
 * are taste tokens (`lib/embed/features.ts`) and appear in reasons.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { asCount, asList, asText, withoutDiscogsSuffix } from "./release.ts";

/** One person credited on a release, with one role (a credit with several roles is split). */
export interface ReleaseCredit {
  /** Discogs artist id, when given. */
  id?: number | null;
  /** As Discogs names them, without its `(2)` disambiguation suffix. */
  name: string;
  /** One role, without its `[…]` detail: "Remix", "Producer", "Mastered By". */
  role: string;
}

/** "Written-By, Producer [Co-]" → ["Written-By", "Producer"] (commas inside brackets kept). */
export function splitRoles(role: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of role) {
    if (ch === "[") depth++;
    if (ch === "]") depth = Math.max(0, depth - 1);
    if (ch === "," && depth === 0) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out.map((r) => r.replace(/\[[^\]]*\]?/g, "").replace(/\s+/g, " ").trim())
    .filter((r) => r !== "");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The credits of one `GET /releases/{id}` body: its `extraartists` and every track's, one entry
 * per person and role, in body order, each once. Read defensively like the rest of the body
 * (a one-element array may be a scalar, `{}` may stand for nothing).
 */
export function creditsOfBody(body: unknown): ReleaseCredit[] {
  if (!isObject(body)) return [];
  const raw = [
    ...asList(body.extraartists),
    ...asList(body.tracklist).filter(isObject).flatMap((t) => asList(t.extraartists)),
  ].filter(isObject);
  const seen = new Set<string>();
  const out: ReleaseCredit[] = [];
  for (const a of raw) {
    const name = asText(a.name);
    const role = asText(a.role);
    if (name === null || role === null) continue;
    for (const r of splitRoles(role)) {
      const credit = { id: asCount(a.id) || null, name: withoutDiscogsSuffix(name), role: r };
      const key = `${credit.name}\t${credit.role}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(credit);
    }
  }
  return out;
}

/** Release bodies of the given ids in the cache, any currency (one per release). */
const BODIES_SQL = `
  SELECT CAST(regexp_extract(url, '^/releases/(\\d+)\\?', 1) AS BIGINT) AS release_id,
         any_value(body) AS body
  FROM http_cache
  WHERE status = 200 AND body IS NOT NULL AND regexp_matches(url, '^/releases/\\d+\\?')
    AND list_contains($ids::JSON::BIGINT[],
                      CAST(regexp_extract(url, '^/releases/(\\d+)\\?', 1) AS BIGINT))
  GROUP BY 1`;

/**
 * Credits of the release bodies the workspace cache holds for `ids` (enrichment's and recorded
 * bodies, any currency), by release id; releases without a cached body are absent.
 */
export async function cachedBodyCredits(
  db: Database,
  ids: readonly number[],
): Promise<Map<number, ReleaseCredit[]>> {
  const out = new Map<number, ReleaseCredit[]>();
  if (ids.length === 0 || !(await db.tableExists("http_cache"))) return out;
  const rows = await db.all<{ release_id: number; body: string }>(BODIES_SQL, {
    ids: JSON.stringify(ids),
  });
  for (const row of rows) {
    let body: unknown;
    try {
      body = JSON.parse(row.body);
    } catch {
      continue;
    }
    out.set(row.release_id, creditsOfBody(body));
  }
  return out;
}
