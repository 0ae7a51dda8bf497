/**
 * The catalogue prefilter (stage one of two-stage retrieval): the collection's taste
 * (`catalog_taste.sql`), a first cut of the whole catalogue by it, and the picks
 * (`catalog_picks.sql`: owned records, other pressings and represses out, one pressing per
 * master) — into temp table `catalog_picks` (release_id, score, rank).
 *
 * The first cut comes from the release index when there is one (`lib/catalog/release_scan.ts`:
 * one pass over typed arrays, and the taste and picks over a scoped catalogue of only the
 * releases they read), else from DuckDB over the Parquet (`catalog_prefilter_scan.sql`, which
 * reads every artist, label and style row). Both give the same picks with the same scores.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { IGNORED_CREDIT_ROLES } from "../embed/features.ts";
import { type CatalogTaste, firstCut } from "../catalog/release_scan.ts";
import { NONE, type ReleaseIndex } from "../catalog/release_index.ts";
import { scopeCatalogue } from "../catalog/scoped.ts";
import { helperThread } from "../parallel/helper.ts";

const sql = (name: string) => Deno.readTextFile(new URL(name, import.meta.url));
const TASTE_SQL = await sql("catalog_taste.sql");
const SCAN_SQL = await sql("catalog_prefilter_scan.sql");
const PICKS_SQL = await sql("catalog_picks.sql");

/** How the prefilter ran. */
export interface PrefilterReport {
  /** "index" (the release index) or "scan" (DuckDB over the Parquet). */
  path: "index" | "scan";
  /** Rows of the first cut (4 × limit + 1000 at most). */
  firstCut: number;
  seconds: { taste: number; first_cut: number; picks: number };
}

/** The rows the first cut keeps: the bound plus room for what the picks' rules remove. */
export const firstCutSize = (limit: number) => 4 * limit + 1000;

/**
 * Run the prefilter over the catalogue attached to `db` (views `catalog_*` over `index.dir` or
 * over the directory `attachCatalog` was given); with `index`, through it. Needs the workspace
 * tables `collection` and `releases`, temp table `owned_body_credits` and the name-key macros.
 * On the index path the catalogue views stay scoped (`lib/catalog/scoped.ts`) to the releases
 * read so far — the caller adds the ones it needs next and calls `unscopeCatalogue` at the end.
 */
export async function prefilterCatalogue(
  db: Database,
  options: { limit: number; includeOtherPressings: boolean; index?: ReleaseIndex },
): Promise<PrefilterReport> {
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const s = (now - t) / 1000;
    t = now;
    return s;
  };
  const params = { ignored_roles: IGNORED_CREDIT_ROLES };
  const picksParams = {
    limit: options.limit,
    include_other_pressings: options.includeOtherPressings,
  };
  if (!options.index) {
    await db.run(TASTE_SQL, params);
    const taste = lap();
    await db.run(SCAN_SQL, { ...params, limit: options.limit });
    const cut = lap();
    await db.run(PICKS_SQL, picksParams);
    const firstCutRows = await db.count("catalog_first_cut");
    await db.run("DROP TABLE IF EXISTS catalog_first_cut");
    return {
      path: "scan",
      firstCut: firstCutRows,
      seconds: { taste, first_cut: cut, picks: lap() },
    };
  }
  const index = options.index;
  // The first cut shares the parts with the helper thread: started now, it loads its code
  // while the taste is read instead of after (0.1 s of the first cut at 5M releases).
  if (index.parts.length > 1) helperThread();
  const owned = (await db.columnsOf("SELECT DISTINCT release_id FROM collection")).release_id
    .map(Number);
  {
    await scopeCatalogue(db, index, owned);
    await db.run(TASTE_SQL, params);
    const taste = await readTaste(db);
    const tasteSeconds = lap();
    const cut = await firstCut(index, taste, firstCutSize(options.limit));
    const cutSeconds = lap();
    await db.run(`CREATE OR REPLACE TEMP TABLE catalog_first_cut (release_id BIGINT,
      master_id BIGINT, is_main_release BOOLEAN, title VARCHAR, score DOUBLE)`);
    await db.insertRows(
      "catalog_first_cut",
      cut.ids.map((id, i) => ({
        release_id: id,
        master_id: cut.masters[i] === NONE ? null : cut.masters[i],
        is_main_release: cut.isMain[i] === NONE ? null : cut.isMain[i] === 1,
        score: cut.scores[i],
      })),
    );
    // Titles only where one may be a repress of yours: the same title hash as a record you own.
    const ownedTitles = new Set(
      (await db.all<{ h: string }>(
        `SELECT DISTINCT (hash(lower(title)) >> 32)::UBIGINT || ':' ||
                (hash(lower(title)) & 4294967295)::UBIGINT AS h FROM collection`,
      )).map((r) => r.h),
    );
    const maybeRepress = cut.ids.filter((_, i) => ownedTitles.has(cut.titleHashes[i]));
    await scopeCatalogue(db, index, maybeRepress);
    await db.run(
      `UPDATE catalog_first_cut f SET title = r.title FROM catalog_releases r
       WHERE r.id = f.release_id`,
    );
    await db.run(PICKS_SQL, picksParams);
    await db.run("DROP TABLE IF EXISTS catalog_first_cut");
    return {
      path: "index",
      firstCut: cut.ids.length,
      seconds: { taste: tasteSeconds, first_cut: cutSeconds, picks: lap() },
    };
  }
}

/** A `catalog_taste` row as {@link readTaste} reads it: `h` is the key's hash as the index has it. */
interface TasteRow {
  field: string;
  id: number | null;
  key: string | null;
  w: number;
  h: string | null;
}

/** The taste rows with each key's name-key hash as `${high}:${low}` (see `CatalogTaste`). */
const TASTE_ROWS_SQL = `SELECT field, id, key, w,
  CASE WHEN key IS NULL THEN NULL ELSE (hash(key) >> 32)::UBIGINT || ':' ||
       (hash(key) & 4294967295)::UBIGINT END AS h
  FROM catalog_taste`;

/** Which map of the taste each field's rows go to, and the column they are keyed by. */
const TASTE_FIELDS = {
  style: ["styles", "key"],
  artist: ["artistIds", "id"],
  artist_key: ["artistKeys", "h"],
  label: ["labelIds", "id"],
  label_key: ["labelKeys", "h"],
  credit: ["creditIds", "id"],
  decade: ["decades", "id"],
} as const satisfies Record<string, readonly [keyof CatalogTaste, "key" | "id" | "h"]>;

/** The taste table as the first cut over the index reads it. */
async function readTaste(db: Database): Promise<CatalogTaste> {
  // Tens of thousands of rows for a big collection: read as JSON rows (see `Database.allJson`).
  const rows = await db.allJson<TasteRow>(TASTE_ROWS_SQL);
  const taste: CatalogTaste = {
    styles: new Map(),
    artistIds: new Map(),
    artistKeys: new Map(),
    labelIds: new Map(),
    labelKeys: new Map(),
    creditIds: new Map(),
    decades: new Map(),
  };
  for (const r of rows) {
    const into = TASTE_FIELDS[r.field as keyof typeof TASTE_FIELDS];
    if (!into) continue;
    const [name, column] = into;
    const k = r[column];
    // A token may come twice (the same key from two sources): the best weight, as max() takes.
    if (k === null || k === undefined || Number.isNaN(r.w)) continue;
    const map = taste[name] as Map<string | number, number>;
    if (!(map.get(k)! >= r.w)) map.set(k, r.w);
  }
  return taste;
}
