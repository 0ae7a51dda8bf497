/**
 * Reading recommendation inputs from the workspace and writing the `recommendations` table (and
 * `recommendation_kinds`, the registry's order and titles it is sorted by).
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import type { Candidate } from "./candidates.ts";
import { addCredits } from "./credits.ts";
import type { Recommendation, Recommender } from "./recommender.ts";
import { withTwinSupport } from "../twins/support.ts";
import { withSetGaps } from "../complete/gaps.ts";

const sql = (name: string) => Deno.readTextFile(new URL(`./${name}`, import.meta.url));
const COLLECTION_SQL = await sql("collection_candidates.sql");
const POOL_SQL = await sql("pool_candidates.sql");
const RECOMMENDATIONS_SQL = await sql("recommendations.sql");
const RECOMMENDATION_KINDS_SQL = await sql("recommendation_kinds.sql");

type Row = {
  key: string;
  release_id: number | null;
  artist: string;
  title: string;
  artists: (string | null)[];
  labels: (string | null)[];
  genres: string[];
  styles: string[];
  year: number | null;
  country: string | null;
  formats: (string | null)[];
  have: number | null;
  want: number | null;
  lowest_price: number | null;
  num_for_sale: number | null;
  currency: string | null;
  master_id: number | bigint | null;
  catno: string | null;
};

const clean = (list: (string | null)[] | null) => (list ?? []).filter((v): v is string => !!v);

function toCandidate(r: Row): Candidate {
  return {
    key: r.key,
    releaseId: r.release_id,
    artist: r.artist ?? "",
    title: r.title ?? "",
    artists: clean(r.artists),
    labels: clean(r.labels),
    genres: r.genres ?? [],
    styles: r.styles ?? [],
    year: r.year,
    country: r.country,
    formats: clean(r.formats),
    have: r.have,
    want: r.want,
    lowestPrice: r.lowest_price,
    numForSale: r.num_for_sale,
    currency: r.currency,
    masterId: r.master_id === null || r.master_id === undefined ? null : Number(r.master_id),
    catno: r.catno ?? null,
  };
}

async function need(db: Database, table: string, task: string): Promise<void> {
  if (!(await db.tableExists(table))) {
    throw new InputError(
      `the workspace ${db.path} has no \`${table}\` table yet: run \`deno task ${task}\` first`,
    );
  }
}

/** The collection, one candidate per release. */
export async function loadCollectionCandidates(db: Database): Promise<Candidate[]> {
  await need(db, "collection", "ingest");
  await need(db, "releases", "enrich");
  const collection = (await db.allJson<Row>(COLLECTION_SQL)).map(toCandidate);
  await addCredits(db, collection, { bodies: true, fillTaste: true });
  return collection;
}

/** The candidate pool. */
export async function loadPoolCandidates(db: Database): Promise<Candidate[]> {
  await need(db, "pool", "pool");
  const pool = (await db.allJson<Row>(POOL_SQL)).map(toCandidate);
  await addCredits(db, pool);
  return await withSetGaps(db, await withTwinSupport(db, pool));
}

/**
 * Replace the `recommendation_kinds` table with these recommenders (`RECOMMENDERS`: their order
 * is the lists' order) and the `recommendations` table with these picks (pool indexes refer to `pool`).
 * Returns the rows of each. No picks never replace earlier ones unless `allowEmpty`
 * (`keptPrevious` says so).
 */
export async function writeRecommendations(
  db: Database,
  pool: readonly Candidate[],
  picks: Recommendation[],
  recommenders: readonly Recommender[],
  options: { allowEmpty?: boolean } = {},
): Promise<{ recommendations: number; recommendation_kinds: number; keptPrevious: boolean }> {
  if (picks.length === 0 && !options.allowEmpty && (await db.tableExists("recommendations"))) {
    const previous = await db.count("recommendations");
    // A run that found nothing to serve keeps the last run's picks rather than replacing them
    // with nothing; the stage says so.
    if (previous > 0) {
      const kinds = await db.count("recommendation_kinds").catch(() => 0);
      return { recommendations: previous, recommendation_kinds: kinds, keptPrevious: true };
    }
  }
  const kinds = await db.replaceTable("recommendation_kinds", RECOMMENDATION_KINDS_SQL, {
    rows: JSON.stringify(
      recommenders.map((r, i) => ({
        kind: r.name,
        kind_order: i + 1,
        label: r.label,
        description: r.description,
      })),
    ),
  });
  await db.run(`CREATE OR REPLACE TEMP TABLE recommendation_rows (
    kind VARCHAR, rank INTEGER, pool_key VARCHAR, score DOUBLE, components VARCHAR, why VARCHAR)`);
  await db.append(
    "recommendation_rows",
    {
      kind: "VARCHAR",
      rank: "INTEGER",
      pool_key: "VARCHAR",
      score: "DOUBLE",
      components: "VARCHAR",
      why: "VARCHAR",
    },
    picks.map((p) => ({
      kind: p.kind,
      rank: p.rank,
      pool_key: pool[p.poolIndex].key,
      score: p.score,
      components: JSON.stringify(p.components),
      why: p.why,
    })),
  );
  const rows = await db.replaceTable("recommendations", RECOMMENDATIONS_SQL);
  await db.run("DROP TABLE IF EXISTS recommendation_rows");
  return { recommendations: rows, recommendation_kinds: kinds, keptPrevious: false };
}
