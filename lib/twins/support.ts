/**
 * Twin support on pool candidates: the `twin_picks` table (written by `deno task twins`) says
 * which records the closest collections own and how strongly; the twin picks recommender reads
 * it from the candidates.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import type { Candidate } from "../recommend/candidates.ts";

/**
 * Twin support a record needs to become a pool candidate (and so a recommendation): below it the
 * owning collections are too far from yours to say much about your taste (the fixture
 * collections' best is 0.012 against the sample's); such records stay listed in `twin_picks`.
 */
export const RECOMMEND_MIN_SUPPORT = 0.05;

/** `pool` candidates with their twin support set, when the workspace has twin picks. */
export async function withTwinSupport(db: Database, pool: Candidate[]): Promise<Candidate[]> {
  if (!(await db.tableExists("twin_picks"))) return pool;
  const rows = await db.all<{ pool_key: string; support: number; owners: string[] }>(
    "SELECT pool_key, support, owners FROM twin_picks",
  );
  const byKey = new Map(rows.map((r) => [r.pool_key, r]));
  for (const c of pool) {
    const r = byKey.get(c.key);
    if (r) (c.twinSupport = Number(r.support)), (c.twinOwners = r.owners);
  }
  return pool;
}
