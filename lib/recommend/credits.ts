/**
 * Credits (and, for what you own, styles) for recommendation inputs, from what the workspace
 * holds: the catalogue facts the catalogue candidate source stored (`catalog_facts`: credits,
 * genres and styles of owned releases and of pool candidates found in the data dump), and the
 * `extraartists` of the release bodies enrichment cached (`http_cache`). A username import
 * without enrichment, or a CSV export offline, has no styles for its records: the catalogue's
 * rows for those release ids teach the taste instead.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { cachedBodyCredits, type ReleaseCredit } from "../discogs/credits.ts";
import type { Candidate } from "./candidates.ts";

/** The workspace table the catalogue source writes (see `lib/pool/sources/catalog.ts`). */
export const CATALOG_FACTS_TABLE = "catalog_facts";

/**
 * How many catalogue releases carry each taste token (`token`, `n`; the catalogue's size under
 * token `''`), written by the catalogue source: the market taste lift is measured against.
 */
export const CATALOG_MARKET_TABLE = "catalog_market";

/** The catalogue's token counts, or undefined without a {@link CATALOG_MARKET_TABLE}. */
export async function loadMarket(
  db: Database,
): Promise<{ counts: Map<string, number>; size: number } | undefined> {
  if (!(await db.tableExists(CATALOG_MARKET_TABLE))) return undefined;
  const rows = await db.all<{ token: string; n: number }>(
    `SELECT token, n FROM ${CATALOG_MARKET_TABLE}`,
  );
  const counts = new Map(rows.map((r) => [r.token, Number(r.n)]));
  const size = counts.get("") ?? 0;
  counts.delete("");
  return size > 0 ? { counts, size } : undefined;
}

/** DDL of {@link CATALOG_FACTS_TABLE}'s columns. */
export const CATALOG_FACTS_DDL = `release_id BIGINT, genres VARCHAR[], styles VARCHAR[],
  credits STRUCT(name VARCHAR, role VARCHAR)[]`;

// A semi-join on the ids (not `list_contains` per row), read as JSON rows: building thousands of
// STRUCT lists into JS objects value by value is what took the time (see `Database.allJson`).
const FACTS_SQL = `
  SELECT release_id, genres, styles, credits
  FROM ${CATALOG_FACTS_TABLE}
  SEMI JOIN (SELECT unnest($ids::JSON::BIGINT[]) AS id) AS wanted ON release_id = wanted.id`;

function merge(a: readonly ReleaseCredit[] | undefined, b: readonly ReleaseCredit[]) {
  if (!a || a.length === 0) return [...b];
  const seen = new Set(a.map((c) => `${c.name}\t${c.role}`));
  return [...a, ...b.filter((c) => !seen.has(`${c.name}\t${c.role}`))];
}

/**
 * Give `candidates` (in place) their credits from the catalogue facts and, with `bodies`, from
 * cached release bodies; with `fillTaste`, empty genres and styles come from the catalogue.
 * Pool candidates are read without bodies: only the shortlist has them, and a credit known for
 * a few priced records would set them apart from the rest between two rankings.
 */
export async function addCredits(
  db: Database,
  candidates: Candidate[],
  options: { bodies?: boolean; fillTaste?: boolean } = {},
): Promise<void> {
  const byId = new Map<number, Candidate[]>();
  for (const c of candidates) {
    if (c.releaseId === null) continue;
    const list = byId.get(c.releaseId) ?? [];
    list.push(c);
    byId.set(c.releaseId, list);
  }
  if (byId.size === 0) return;
  const ids = JSON.stringify([...byId.keys()]);
  if (await db.tableExists(CATALOG_FACTS_TABLE)) {
    const rows = await db.allJson<{
      release_id: number;
      genres: string[] | null;
      styles: string[] | null;
      credits: ReleaseCredit[] | null;
    }>(FACTS_SQL, { ids });
    for (const row of rows) {
      for (const c of byId.get(row.release_id) ?? []) {
        c.credits = merge(c.credits, row.credits ?? []);
        if (options.fillTaste && c.styles.length === 0) c.styles = row.styles ?? [];
        if (options.fillTaste && c.genres.length === 0) c.genres = row.genres ?? [];
      }
    }
  }
  if (options.bodies) {
    for (const [id, credits] of await cachedBodyCredits(db, [...byId.keys()])) {
      for (const c of byId.get(id) ?? []) c.credits = merge(c.credits, credits);
    }
  }
}
