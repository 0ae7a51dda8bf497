/**
 * Candidate source: the catalogue (Discogs' data dump as Parquet, built by `deno task catalog`).
 * Two-stage retrieval: a prefilter in DuckDB over the Parquet, in place, by the collection's
 * taste — styles, labels, artists, credited people, decades; see `catalog_prefilter.sql` for the
 * weights — down to a bounded set (`--catalog-candidates`, default
 * {@link DEFAULT_CATALOG_CANDIDATES}), whose rows join the pool without market data; the
 * recommend stage's embedding ranking then ranks them with every other candidate, and shortlist
 * pricing fetches have/want and prices for the records about to be served.
 *
 * It also stores `catalog_facts` (see `lib/recommend/credits.ts`): the credits, genres and styles
 * of owned releases and pool candidates the catalogue holds, so credits become taste tokens; and
 * `catalog_market`: how many catalogue releases carry each taste token, the market taste lift
 * compares the collection with (a taste-prefiltered pool is no market).
 * Without a catalogue (none at `data/catalog/`, the default, or at `--catalog DIR`) it does
 * nothing and says nothing. It spends no API request.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { type Database, ident, literal } from "../../db/mod.ts";
import { writeTextAtomically } from "../../fs/atomic.ts";
import { cachedBodyCredits } from "../../discogs/credits.ts";
import { attachCatalog, catalogExists, describeCatalog } from "../../catalog/open.ts";
import { DEFAULT_CATALOG_DIR } from "../../catalog/schema.ts";
import { NAME_KEY_MACROS_SQL } from "../../catalog/name_key.ts";
import {
  idCountsFiles,
  INDEXED_TABLES,
  openReleaseIndex,
  RELEASE_INDEX_DIR,
  type ReleaseIndex,
} from "../../catalog/release_index.ts";
import { scopeCatalogue, unscopeCatalogue } from "../../catalog/scoped.ts";
import { prefilterCatalogue, type PrefilterReport } from "../catalog_prefilter.ts";
import { CATALOG_FACTS_TABLE, CATALOG_MARKET_TABLE } from "../../recommend/credits.ts";
import { type CandidateSource, emptyReport } from "./types.ts";
import { ownedReleaseIds } from "../../ingest/mod.ts";

const sql = (name: string) => Deno.readTextFile(new URL(`../${name}`, import.meta.url));
const ID_COUNTS_SQL = await sql("catalog_id_counts.sql");
const POOL_ROWS_SQL = await sql("catalog_pool_rows.sql");
const FACTS_SQL = await sql("catalog_facts.sql");
const SCOPED_FACTS_SQL = await sql("catalog_facts_scoped.sql");
const MARKET_SQL = await sql("catalog_market.sql");
const MARKET_BASE_SQL = await sql("catalog_market_base.sql");
/** The market base kept beside the release index (see {@link ensureMarketBase}). */
const MARKET_BASE_FILE = "market_base.json";

/**
 * Candidates the prefilter keeps by default: enough that the embedding ranking has real choice
 * (the API sources bring 1,500–3,000), few enough that embedding them costs about a second.
 */
export const DEFAULT_CATALOG_CANDIDATES = 5_000;

/** The release tables the prefilter reads (the `releases` entity; masters are not needed). */
const NEEDED = INDEXED_TABLES;

/** Credits of owned records' cached bodies, for the taste (temp table `owned_body_credits`). */
async function stageOwnedBodyCredits(db: Database): Promise<void> {
  await db.run(
    "CREATE OR REPLACE TEMP TABLE owned_body_credits (release_id BIGINT, artist_id BIGINT, role VARCHAR)",
  );
  const rows = [...await cachedBodyCredits(db, [...await ownedReleaseIds(db)])]
    .flatMap(([release_id, credits]) =>
      credits.map((c) => ({ release_id, artist_id: c.id ?? null, role: c.role }))
    );
  await db.insertRows("owned_body_credits", rows);
}

/**
 * What identifies a catalogue's contents: its directory and the name, size and modification time
 * of every part of the tables the market's base counts read.
 */
async function catalogSignature(dir: string): Promise<string> {
  const parts: string[] = [resolve(dir)];
  for (const table of ["releases", "release_styles", "release_genres"]) {
    const names: string[] = [];
    for await (const e of Deno.readDir(join(dir, table))) {
      if (!e.isFile || !e.name.endsWith(".parquet")) continue;
      const info = await Deno.stat(join(dir, table, e.name));
      names.push(`${table}/${e.name}:${info.size}:${info.mtime?.getTime() ?? 0}`);
    }
    parts.push(...names.sort());
  }
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("\n")));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Count the catalogue-wide market tokens once per catalogue (`catalog_market_base`, kept for
 * the catalogue's current signature only); returns the signature. With a release index the
 * counts are also kept beside it (`.index/market_base.json`, for the index's signature), so a
 * new workspace over the same catalogue reads them instead of scanning the catalogue again.
 * Needs the catalogue's views attached (`attachCatalog`).
 */
async function ensureMarketBase(
  db: Database,
  dir: string,
  index: ReleaseIndex | undefined,
): Promise<string> {
  const signature = await catalogSignature(dir);
  await db.run(
    "CREATE TABLE IF NOT EXISTS catalog_market_base (signature VARCHAR, token VARCHAR, n BIGINT)",
  );
  const have = await db.one<{ n: number }>(
    "SELECT count(*) AS n FROM catalog_market_base WHERE signature = $signature",
    { signature },
  );
  if ((have?.n ?? 0) > 0) return signature;
  const kept = index ? join(index.dir, RELEASE_INDEX_DIR, MARKET_BASE_FILE) : undefined;
  const cached = kept ? await readKeptMarketBase(kept, index!.signature) : undefined;
  if (cached) {
    await db.transaction(async () => {
      await db.run("DELETE FROM catalog_market_base");
      await db.insertRows(
        "catalog_market_base",
        cached.map(([token, n]) => ({ signature, token, n })),
      );
    });
    return signature;
  }
  await db.replaceTable(
    "catalog_market_base",
    `SELECT $signature AS signature, token, n::BIGINT AS n FROM (${MARKET_BASE_SQL})`,
    { signature },
  );
  if (kept) {
    const tokens = (await db.all<{ token: string; n: number }>(
      "SELECT token, n FROM catalog_market_base WHERE signature = $signature ORDER BY token",
      { signature },
    )).map((r) => [r.token, Number(r.n)]);
    await writeTextAtomically(kept, JSON.stringify({ signature: index!.signature, tokens }))
      .catch(() => {}); // a cache: a catalogue that cannot be written to just counts again
  }
  return signature;
}

/** The market base kept beside the release index, if it is for `signature`. */
async function readKeptMarketBase(
  path: string,
  signature: string,
): Promise<[string, number][] | undefined> {
  try {
    const kept = JSON.parse(await Deno.readTextFile(path));
    return kept.signature === signature && Array.isArray(kept.tokens) ? kept.tokens : undefined;
  } catch {
    return undefined; // absent or unreadable: count again
  }
}

/** What {@link prepareCatalogue} built. */
export interface PreparedCatalogue {
  /** The release index: its parts, how many were built now, in how many seconds; null: none. */
  index: { parts: number; built_parts: number; seconds: number } | null;
  /** Why there is no index, for a warning (none when the scan was asked for). */
  warning?: string;
}

/**
 * Make a catalogue just built ready for the complete and pool stages, while its collector is
 * waiting anyway: its release index (≈ 40 s per million releases) and its market counts (a scan
 * of its styles, genres and releases), kept beside it so the first pipeline run reads them. A
 * catalogue without every table the index is built from (no releases loaded yet) gets neither.
 */
export async function prepareCatalogue(
  db: Database,
  dir: string,
  info: (line: string) => void,
): Promise<PreparedCatalogue> {
  const attached = await attachCatalog(db, dir, { count: false });
  if (!INDEXED_TABLES.every((t) => attached.tables.includes(t))) return { index: null };
  const opened = await openReleaseIndex(db, dir, info);
  if (!opened.index) {
    return {
      index: null,
      warning: opened.asked ? undefined : `${dir}: ${opened.reason}; the pool stage will scan ` +
        "the catalogue instead (slower, the same picks)",
    };
  }
  await ensureMarketBase(db, dir, opened.index);
  return {
    index: {
      parts: opened.index.parts.length,
      built_parts: opened.index.builtParts,
      seconds: Math.round(opened.index.builtSeconds * 10) / 10,
    },
  };
}

/** Catalogue-wide counts of the wanted rows' label and artist ids, from the index's counts. */
async function stageIdCounts(db: Database, index: ReleaseIndex): Promise<void> {
  const files = idCountsFiles(index);
  // The scoped views hold the wanted releases (and a few more, whose ids the market ignores).
  await db.run(`CREATE OR REPLACE TEMP TABLE catalog_id_counts AS
    SELECT 'label' AS kind, c.id::BIGINT AS id, c.n::BIGINT AS n
    FROM read_parquet(${literal(files.label)}) c
    WHERE c.id IN (SELECT label_id FROM catalog_release_labels WHERE label_id IS NOT NULL)
    UNION ALL
    SELECT 'artist', c.id::BIGINT, c.n::BIGINT FROM read_parquet(${literal(files.artist)}) c
    WHERE c.id IN (SELECT artist_id FROM catalog_release_artists
                   WHERE kind = 'main' AND artist_id IS NOT NULL)`);
}

/** The catalogue candidate source (registered last in `CANDIDATE_SOURCES`). */
export const catalogSource: CandidateSource = {
  name: "catalogue",
  description: "the catalogue (Discogs' data dump, deno task catalog): prefiltered by your taste",
  usesApi: false,
  weight: () => 0,
  async gather(ctx) {
    const report = emptyReport();
    const dir = ctx.catalog?.dir ?? DEFAULT_CATALOG_DIR;
    if (!(await catalogExists(dir))) {
      // A catalogue used before and gone since: its market no longer describes the pool.
      await ctx.db.run(`DROP TABLE IF EXISTS ${CATALOG_MARKET_TABLE}`);
      return report;
    }
    const limit = ctx.catalog?.candidates ?? DEFAULT_CATALOG_CANDIDATES;
    const { db, target } = ctx;
    const attached = await attachCatalog(db, dir);
    const missing = NEEDED.filter((t) => !attached.tables.includes(t));
    if (missing.length > 0) {
      report.warnings.push(
        `${dir}: the catalogue has no ${missing.join(", ")} table, so it was not used: ` +
          "run `deno task catalog` again to complete it",
      );
      return report;
    }
    ctx.info(describeCatalog(attached));
    await db.run(NAME_KEY_MACROS_SQL);
    await stageOwnedBodyCredits(db);
    const started = performance.now();
    const lap = () => Math.round(performance.now() - started) / 1000;
    const opened = await openReleaseIndex(db, dir, ctx.info);
    const index = opened.index;
    // A damaged catalogue fails the scan too, and says so.
    if (!opened.index && !opened.asked) {
      report.warnings.push(
        `${dir}: ${opened.reason}, so the prefilter scanned the whole catalogue (slower, same picks)`,
      );
    }
    // Counted over the whole catalogue, once per catalogue (kept in the workspace).
    const signature = await ensureMarketBase(db, dir, index);
    let facts: number, market: number;
    let prefilter: PrefilterReport, prefiltered: number;
    try {
      prefilter = await prefilterCatalogue(db, {
        limit,
        includeOtherPressings: ctx.includeOtherPressings,
        index,
      });
      prefiltered = lap();
      const before = await db.count(target);
      if (index) {
        // Only the releases the rows, facts and market read: yours, the picks and the other
        // sources' candidates the catalogue holds.
        const ids = await db.columnsOf(
          `SELECT release_id FROM collection UNION SELECT release_id FROM catalog_picks
           UNION SELECT release_id FROM pool_candidates WHERE release_id IS NOT NULL`,
        );
        await scopeCatalogue(db, index, ids.release_id.map(Number));
      }
      await db.run(`INSERT INTO ${ident(target)} BY NAME ${POOL_ROWS_SQL}`, {
        currency: ctx.currency,
      });
      report.candidates = (await db.count(target)) - before;
      // After every other source ran (this one is registered last), so search and listing
      // results the catalogue also holds get their credits too.
      facts = await db.replaceTable(CATALOG_FACTS_TABLE, index ? SCOPED_FACTS_SQL : FACTS_SQL);
      if (index) await stageIdCounts(db, index);
      else await db.run(ID_COUNTS_SQL);
      market = await db.replaceTable(CATALOG_MARKET_TABLE, MARKET_SQL, { signature });
    } finally {
      if (index) await unscopeCatalogue(db, dir);
    }
    const seconds = lap();
    ctx.info(
      `catalogue prefilter: ${report.candidates} candidates (at most ${limit}: ` +
        `--catalog-candidates) by your styles, labels, artists, credits and decades in ` +
        `${prefiltered.toFixed(1)} s (${
          prefilter.path === "index" ? "release index" : "scanning the catalogue"
        }); their rows, credits and the market in ${(seconds - prefiltered).toFixed(1)} s more`,
    );
    report.details = {
      dir,
      counts: attached.counts,
      limit,
      facts,
      market_tokens: market - 1,
      prefilter_seconds: prefiltered,
      prefilter: prefilter.path,
      prefilter_steps: prefilter.seconds,
      index_built_seconds: index?.builtSeconds ?? 0,
      seconds,
    };
    await db.run("DROP TABLE IF EXISTS catalog_picks");
    await db.run("DROP TABLE IF EXISTS catalog_id_counts");
    await db.run("DROP TABLE IF EXISTS catalog_taste");
    await db.run("DROP TABLE IF EXISTS catalog_scope");
    await db.run("DROP TABLE IF EXISTS owned_body_credits");
    return report;
  },
};
