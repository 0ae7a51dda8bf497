/**
 * Enrichment from the raw response cache. Three separate steps, so the live client can fill the
 * cache in between:
 *
 * 1. {@link importJsonl}: recorded `GET /releases/{id}` bodies (one JSON object per line) → `http_cache`.
 * 2. (live fetch of {@link missingReleaseIds}, see `lib/discogs/fetch_releases.ts`.)
 * 3. {@link buildReleases}: cached bodies → normalised `releases` table, plus one `price_history`
 *    snapshot per fetched body.
 *
 * @example
 * ```ts
 * await importJsonl(db, "data/sample/releases.jsonl", "USD");
 * const summary = await buildReleases(db, "USD");
 * ```
 *
 * @module
 */

import { basename } from "node:path";
import {
  type AppendRow,
  type Database,
  DEFAULT_DB_PATH,
  EmptyReplacementError,
} from "../db/mod.ts";
import { InputError, messageOf } from "../errors.ts";
import { CURRENCIES, DEFAULT_CURRENCY, ensureCache } from "../discogs/cache.ts";
import { normalizeRelease, type Release } from "../discogs/release.ts";
import { AUTHENTICATED_LIMIT, parseDuration } from "../discogs/ratelimit.ts";
import { RELEASE_INFO_DDL } from "../ingest/mod.ts";

const sql = (name: string) => Deno.readTextFile(new URL(`./${name}`, import.meta.url));
const JSONL_LINES_SQL = await sql("jsonl_lines.sql");
const SCHEMA_SQL = await sql("schema.sql");
const RELEASES_SQL = await sql("releases.sql");
const NEEDED_RELEASES_SQL = await sql("needed_releases.sql");

/** Bodies read per batch when building `releases` (bounds memory on big collections). */
const BUILD_BATCH = 5000;

/** A line or body that could not be used. */
export interface EnrichReject {
  release_id: number | null;
  source: string;
  line: number | null;
  reason: string;
}

/** Check a `curr_abbr` value. */
export function checkCurrency(currency: string): string {
  const code = currency.toUpperCase();
  if (!(CURRENCIES as readonly string[]).includes(code)) {
    throw new InputError(`--currency ${currency}: expected one of ${CURRENCIES.join(", ")}`);
  }
  return code;
}

/** Cache key prefix of release bodies in one currency (see `releaseKey`). */
function releaseKeySql(currency: string): string {
  return `'/releases/' || release_id || '?curr_abbr=${checkCurrency(currency)}'`;
}

/** What {@link importJsonl} did with a file. */
export interface JsonlImport {
  /** Usable lines (a release body each). */
  imported: number;
  /**
   * Bodies written to the cache: new releases, or a body that differs from the cached one. Each
   * is a fresh market snapshot for {@link buildReleases}; a body already cached is a replay and
   * keeps its cached fetch time, so it adds no snapshot.
   */
  cached: number;
  rejects: EnrichReject[];
}

/**
 * The last usable body of each release in `jsonl_lines` whose cache entry is missing, not a 200,
 * or holds different JSON (compared minified, so whitespace is no change): the bodies that are
 * new market data.
 */
const LATEST_JSONL_BODIES_SQL = (currency: string) =>
  `SELECT l.url, l.body FROM (
     SELECT ${releaseKeySql(currency)} AS url, body FROM jsonl_lines WHERE problem IS NULL
     QUALIFY row_number() OVER (PARTITION BY release_id ORDER BY line DESC) = 1
   ) l
   LEFT JOIN http_cache c ON c.url = l.url
   WHERE c.url IS NULL OR c.status <> 200
      OR CASE WHEN json_valid(c.body) THEN json(c.body) <> json(l.body) ELSE true END`;

/**
 * Import recorded release bodies from a JSONL file into `http_cache` (status 200, source
 * `jsonl:<file>`), committed as one batch. Bad lines are returned with their line numbers;
 * the last body of a release id in the file wins. A body identical (as JSON) to the cached
 * 200 body of its release is left alone, fetch time included: importing the same recording
 * again is a replay, not a new snapshot.
 */
export async function importJsonl(
  db: Database,
  path: string,
  currency: string = DEFAULT_CURRENCY,
): Promise<JsonlImport> {
  let head: Uint8Array;
  try {
    using file = await Deno.open(path);
    const buffer = new Uint8Array(8192);
    const n = await file.read(buffer);
    head = buffer.subarray(0, n ?? 0);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new InputError(`${path}: file not found`);
    throw new InputError(`${path}: cannot be read (${messageOf(error)})`);
  }
  if (head.includes(0)) {
    throw new InputError(
      `${path}: this is a binary file; expected JSONL (one release JSON body per line)`,
    );
  }
  if (new TextDecoder().decode(head).trim() === "") {
    throw new InputError(
      `${path}: the file is empty; expected JSONL (one release JSON body per line)`,
    );
  }
  await ensureCache(db);
  const source = `jsonl:${basename(path)}`;
  await db.run(`CREATE OR REPLACE TEMP TABLE jsonl_lines AS ${JSONL_LINES_SQL}`, { path });
  try {
    const good = await db.count("jsonl_lines") -
      ((await db.one<{ n: number }>(
        "SELECT count(*) AS n FROM jsonl_lines WHERE problem IS NOT NULL",
      ))?.n ?? 0);
    const changed = await db.one<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM (${LATEST_JSONL_BODIES_SQL(currency)})`,
    );
    await db.run(
      `INSERT OR REPLACE INTO http_cache (url, status, body, fetched_at, source)
       SELECT url, 200, body, now(), $source FROM (${LATEST_JSONL_BODIES_SQL(currency)})`,
      { source },
    );
    const rejects = await db.all<EnrichReject>(
      `SELECT release_id, $source AS source, line::INTEGER AS line, problem AS reason
       FROM jsonl_lines WHERE problem IS NOT NULL ORDER BY line`,
      { source },
    );
    return { imported: good, cached: changed?.n ?? 0, rejects };
  } finally {
    await db.run("DROP TABLE IF EXISTS jsonl_lines");
  }
}

/** Release ids the workspace needs (collection + wantlist), or null when neither table exists. */
export async function neededReleaseIds(db: Database): Promise<number[] | null> {
  const hasCollection = await db.tableExists("collection");
  const hasWantlist = await db.tableExists("wantlist");
  if (!hasCollection && !hasWantlist) return null;
  const query = hasCollection && hasWantlist
    ? NEEDED_RELEASES_SQL
    : `SELECT DISTINCT release_id FROM ${hasCollection ? "collection" : "wantlist"}`;
  return (await db.all<{ release_id: number }>(`${query} ORDER BY release_id`)).map((r) =>
    r.release_id
  );
}

/** Needed releases with no cached response (200 or 404) in `currency`, in id order. */
export async function missingReleaseIds(
  db: Database,
  currency: string = DEFAULT_CURRENCY,
): Promise<number[]> {
  await ensureCache(db);
  const needed = await neededReleaseIds(db);
  if (needed === null || needed.length === 0) return [];
  await db.run(
    "CREATE OR REPLACE TEMP TABLE needed_ids AS SELECT unnest($ids::BIGINT[]) AS release_id",
    {
      ids: JSON.stringify(needed),
    },
  );
  const rows = await db.all<{ release_id: number }>(
    `SELECT n.release_id FROM needed_ids n
     LEFT JOIN http_cache c ON c.url = ${
      releaseKeySql(currency).replaceAll("release_id", "n.release_id")
    }
     WHERE c.url IS NULL ORDER BY n.release_id`,
  );
  await db.run("DROP TABLE IF EXISTS needed_ids");
  return rows.map((r) => r.release_id);
}

/** What {@link buildReleases} did. */
export interface BuildSummary {
  /** Rows of `releases`, whatever their source. */
  releases: number;
  /** Rows built from a fetched market body (`source = 'release'`). */
  enriched: number;
  /**
   * Rows built from a username import's `basic_information` (`source = 'basic_information'`):
   * genres and styles, but no market figures yet.
   */
  fromBasicInformation: number;
  needed: number | null;
  /** Needed releases with no cached market body (a `basic_information` row may stand in). */
  missing: number[];
  notFound: number[];
  rejects: EnrichReject[];
  snapshotsAdded: number;
  currency: string;
  /**
   * Nothing could be built (no collection left) and the `releases` table that had rows was kept
   * as it was (`allowEmpty` empties it).
   */
  keptPrevious: boolean;
}

/** The columns of `releases_staging` (schema.sql), as the appender writes them. */
const STAGING_COLUMNS = {
  release_id: "BIGINT",
  master_id: "BIGINT",
  title: "VARCHAR",
  artists_json: "VARCHAR",
  artist: "VARCHAR",
  year: "INTEGER",
  country: "VARCHAR",
  genres_json: "VARCHAR",
  styles_json: "VARCHAR",
  labels_json: "VARCHAR",
  catalog_numbers_json: "VARCHAR",
  formats_json: "VARCHAR",
  have: "INTEGER",
  want: "INTEGER",
  rating_average: "DOUBLE",
  rating_count: "INTEGER",
  lowest_price: "DOUBLE",
  num_for_sale: "INTEGER",
  currency: "VARCHAR",
  thumbnail_url: "VARCHAR",
  cover_url: "VARCHAR",
  discogs_url: "VARCHAR",
  fetched_at: "VARCHAR",
} as const;

function stagingRow(r: Release): AppendRow<typeof STAGING_COLUMNS> {
  return {
    release_id: r.releaseId,
    master_id: r.masterId,
    title: r.title,
    artists_json: JSON.stringify(r.artists),
    artist: r.artist,
    year: r.year,
    country: r.country,
    genres_json: JSON.stringify(r.genres),
    styles_json: JSON.stringify(r.styles),
    labels_json: JSON.stringify(r.labels),
    catalog_numbers_json: JSON.stringify(r.catalogNumbers),
    formats_json: JSON.stringify(r.formats),
    have: r.have,
    want: r.want,
    rating_average: r.ratingAverage,
    rating_count: r.ratingCount,
    lowest_price: r.lowestPrice,
    num_for_sale: r.numForSale,
    currency: r.currency,
    thumbnail_url: r.thumbnailUrl,
    cover_url: r.coverUrl,
    discogs_url: r.discogsUrl,
    fetched_at: r.fetchedAt.toISOString(),
  };
}

/**
 * Rebuild `releases` from cached bodies in `currency` for the needed releases (all cached ones
 * when no collection or wantlist is loaded), append new `price_history` snapshots, and record
 * unusable bodies in `enrich_rejects`. Atomic: readers see the old or the new table.
 */
export async function buildReleases(
  db: Database,
  currency: string = DEFAULT_CURRENCY,
  options: { allowEmpty?: boolean } = {},
): Promise<BuildSummary> {
  const code = checkCurrency(currency);
  await ensureCache(db);
  await db.run(SCHEMA_SQL);
  await db.run(RELEASE_INFO_DDL);
  const needed = await neededReleaseIds(db);
  const keyPattern = `^/releases/(\\d+)\\?curr_abbr=${code}$`;
  await db.run(
    needed === null
      ? `CREATE OR REPLACE TEMP TABLE wanted_bodies AS
         SELECT TRY_CAST(regexp_extract(url, $pattern, 1) AS BIGINT) AS release_id, url, status, body, fetched_at, source
         FROM http_cache WHERE regexp_matches(url, $pattern)`
      : `CREATE OR REPLACE TEMP TABLE wanted_bodies AS
         SELECT n.release_id, c.url, c.status, c.body, c.fetched_at, c.source
         FROM (SELECT unnest($ids::BIGINT[]) AS release_id) n
         LEFT JOIN http_cache c ON c.url = '/releases/' || n.release_id || '?curr_abbr=${code}'`,
    needed === null ? { pattern: keyPattern } : { ids: JSON.stringify(needed) },
  );
  const missing: number[] = [];
  const notFound: number[] = [];
  const rejects: EnrichReject[] = [];
  const appender = await db.appender("releases_staging", STAGING_COLUMNS);
  let lastId = -1;
  try {
    while (true) {
      const batch = await db.all<
        {
          release_id: number;
          status: number | null;
          body: string | null;
          fetched_at: Date | null;
          source: string | null;
        }
      >(
        `SELECT release_id, status, body, fetched_at, source FROM wanted_bodies
         WHERE release_id > $after ORDER BY release_id LIMIT ${BUILD_BATCH}`,
        { after: lastId },
      );
      if (batch.length === 0) break;
      for (const row of batch) {
        lastId = row.release_id;
        if (row.status === null) missing.push(row.release_id);
        else if (row.status === 404) notFound.push(row.release_id);
        else if (row.status !== 200 || row.body === null) {
          rejects.push({
            release_id: row.release_id,
            source: row.source ?? "cache",
            line: null,
            reason: `cached response has status ${row.status}`,
          });
        } else {
          let parsed: unknown;
          try {
            parsed = JSON.parse(row.body);
          } catch {
            rejects.push({
              release_id: row.release_id,
              source: row.source ?? "cache",
              line: null,
              reason: "cached body is not valid JSON",
            });
            continue;
          }
          const result = normalizeRelease(parsed, code, new Date(row.fetched_at!));
          if ("reject" in result) {
            rejects.push({
              release_id: row.release_id,
              source: row.source ?? "cache",
              line: null,
              reason: result.reject,
            });
          } else if (result.release.releaseId !== row.release_id) {
            rejects.push({
              release_id: row.release_id,
              source: row.source ?? "cache",
              line: null,
              reason: `body is for release ${result.release.releaseId}`,
            });
          } else appender.add(stagingRow(result.release));
        }
      }
    }
  } finally {
    appender.close();
  }
  const before = await db.count("price_history");
  const releasesBefore = (await db.tableExists("releases")) ? await db.count("releases") : 0;
  let keptPrevious = false;
  await db.transaction(async () => {
    await db.run(`CREATE OR REPLACE TABLE releases AS ${RELEASES_SQL}`);
    if (releasesBefore > 0 && !options.allowEmpty && (await db.count("releases")) === 0) {
      // Nothing to build from (the collection was emptied): keep the records already enriched
      // rather than replace them with nothing.
      keptPrevious = true;
      throw new EmptyReplacementError("releases");
    }
    await db.run(`INSERT INTO price_history
      SELECT r.release_id, r.fetched_at, r.currency, r.lowest_price, r.num_for_sale, r.have, r.want
      FROM releases r
      WHERE r.source = 'release' AND NOT EXISTS (SELECT 1 FROM price_history p WHERE p.release_id = r.release_id
                        AND p.fetched_at = r.fetched_at AND p.currency = r.currency)`);
    await db.run("DELETE FROM enrich_rejects WHERE line IS NULL");
    for (const r of rejects) {
      await db.run("INSERT INTO enrich_rejects VALUES ($release_id, $source, NULL, $reason)", {
        release_id: r.release_id,
        source: r.source,
        reason: r.reason,
      });
    }
  }).catch((error) => {
    if (!(error instanceof EmptyReplacementError)) throw error;
  });
  await db.run("DROP TABLE IF EXISTS wanted_bodies; DROP TABLE IF EXISTS releases_staging");
  const sources = await db.one<{ enriched: number; info: number }>(
    `SELECT count(*) FILTER (source = 'release')::INTEGER AS enriched,
            count(*) FILTER (source = 'basic_information')::INTEGER AS info FROM releases`,
  );
  return {
    releases: await db.count("releases"),
    enriched: sources?.enriched ?? 0,
    fromBasicInformation: sources?.info ?? 0,
    needed: needed?.length ?? null,
    missing,
    notFound,
    rejects,
    snapshotsAdded: (await db.count("price_history")) - before,
    keptPrevious,
    currency: code,
  };
}

/**
 * The one command that fetches the market data a `--skip-enrich` run (or an offline one) left
 * out, for the workspace `db` and `currency` (flags only where they differ from the defaults).
 */
export function fetchLaterCommand(db: string, currency: string = DEFAULT_CURRENCY): string {
  return [
    "deno task enrich",
    db === DEFAULT_DB_PATH ? "" : `--db ${db}`,
    currency === DEFAULT_CURRENCY ? "" : `--currency ${currency}`,
  ].filter((p) => p !== "").join(" ");
}

/** Record JSONL import rejects (they keep their line numbers across builds). */
export async function recordImportRejects(
  db: Database,
  rejects: EnrichReject[],
  source: string,
): Promise<void> {
  await db.run(SCHEMA_SQL);
  await db.transaction(async () => {
    await db.run("DELETE FROM enrich_rejects WHERE source = $source AND line IS NOT NULL", {
      source,
    });
    for (const r of rejects) {
      await db.run("INSERT INTO enrich_rejects VALUES ($release_id, $source, $line, $reason)", {
        release_id: r.release_id,
        source: r.source,
        line: r.line,
        reason: r.reason,
      });
    }
  });
}

/** About how long `n` release requests take at the full rate with a token (60 a minute). */
export function describeDuration(n: number): string {
  const minutes = Math.ceil(n / AUTHENTICATED_LIMIT);
  return minutes < 90
    ? `about ${minutes} min with a token`
    : `about ${Math.floor(minutes / 60)} h ${minutes % 60} min with a token`;
}

/** `--max-age`: a duration, or `never` (keep the cache for good); the message says both. */
export function parseMaxAge(age: string): number {
  try {
    return parseDuration(age, "--max-age");
  } catch {
    throw new InputError(
      `--max-age ${JSON.stringify(age)}: expected a duration such as 12h, 7d or 30d, ` +
        "or never (keep cached releases for good)",
    );
  }
}
