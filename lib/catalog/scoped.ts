/**
 * A scoped catalogue: the views `catalog_releases`, `catalog_release_artists`,
 * `catalog_release_labels`, `catalog_release_genres` and `catalog_release_styles` over only the
 * given releases, read from the release index's cards (`release_index.ts`) instead of the
 * Parquet. A query that reads only the rows of those releases — the prefilter's taste and picks,
 * the pool rows, the facts — gives the same answer over the scoped views as over the whole
 * catalogue, without scanning tables that grow with it. `attachCatalog` puts the full views back.
 *
 * @example
 * ```ts
 * await scopeCatalogue(db, index, ownedIds);
 * await db.run(TASTE_SQL); // reads catalog_* of the owned releases only
 * await attachCatalog(db, index.dir);
 * ```
 *
 * @module
 */

import { type Database, ident, literal } from "../db/mod.ts";
import { readCards, type ReleaseIndex } from "./release_index.ts";
import { attachCatalog } from "./open.ts";

/** The JSON columns of a card (see `CARDS_SQL` in release_index.ts): lists of text. */
const CARD_COLUMNS = {
  r: "VARCHAR[]",
  a: "VARCHAR[][]",
  l: "VARCHAR[][]",
  g: "VARCHAR[]",
  s: "VARCHAR[]",
};

/** Each scoped view, its columns named and typed as the catalogue's tables have them. */
const SCOPED_VIEWS: Record<string, string> = {
  releases: `SELECT r[1]::BIGINT AS id, r[2] AS title, r[3]::INTEGER AS year, r[4] AS country,
                    r[5]::BIGINT AS master_id, r[6] AS format_summary FROM catalog_scope`,
  release_artists: `SELECT release_id, x[1]::INTEGER AS position,
                           CASE x[2] WHEN 'm' THEN 'main' ELSE 'credit' END AS kind,
                           x[3]::BIGINT AS artist_id, x[4] AS name, x[5] AS "join", x[6] AS role
                    FROM (SELECT r[1]::BIGINT AS release_id, unnest(a) AS x FROM catalog_scope)`,
  release_labels: `SELECT release_id, x[1]::INTEGER AS position, x[2]::BIGINT AS label_id,
                          x[3] AS name, x[4] AS catno
                   FROM (SELECT r[1]::BIGINT AS release_id, unnest(l) AS x FROM catalog_scope)`,
  release_genres: `SELECT r[1]::BIGINT AS release_id, unnest(g) AS genre FROM catalog_scope`,
  release_styles: `SELECT r[1]::BIGINT AS release_id, unnest(s) AS style FROM catalog_scope`,
};

/** The release ids in scope, per connection (absent: the full views are attached). */
const inScope = new WeakMap<Database, Set<number>>();

/**
 * Point the catalogue views at the releases `ids` (those the catalogue holds; others have no
 * rows), adding to what is in scope already: a query that filters by release id reads the same
 * rows over a wider scope. Returns how many releases the scope has asked for.
 */
export async function scopeCatalogue(
  db: Database,
  index: ReleaseIndex,
  ids: Iterable<number>,
): Promise<number> {
  let have = inScope.get(db);
  const spec = `{${
    Object.entries(CARD_COLUMNS).map(([k, t]) => `${literal(k)}: ${literal(t)}`).join(", ")
  }}`;
  if (!have) {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE catalog_scope (${
        Object.entries(CARD_COLUMNS).map(([k, t]) => `${k} ${t}`).join(", ")
      })`,
    );
    for (const [table, select] of Object.entries(SCOPED_VIEWS)) {
      await db.run(`CREATE OR REPLACE TEMP VIEW ${ident(`catalog_${table}`)} AS ${select}`);
    }
    have = new Set();
    inScope.set(db, have);
  }
  const fresh = [...new Set(ids)].filter((id) => !have.has(id));
  for (const id of fresh) have.add(id);
  const { bytes, cards } = await readCards(index, fresh);
  if (cards === 0) return have.size;
  const file = await Deno.makeTempFile({ suffix: ".ndjson" });
  try {
    await Deno.writeFile(file, bytes);
    await db.run(
      `INSERT INTO catalog_scope
       SELECT * FROM read_json(${literal(file)}, format = 'newline_delimited', columns = ${spec})`,
    );
  } finally {
    await Deno.remove(file).catch(() => {});
  }
  return have.size;
}

/** Drop the scope and attach the full catalogue views of `dir` again. */
export async function unscopeCatalogue(db: Database, dir: string): Promise<void> {
  inScope.delete(db);
  await db.run("DROP TABLE IF EXISTS catalog_scope");
  await attachCatalog(db, dir, { count: false });
}
