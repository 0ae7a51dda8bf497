/**
 * The real-user path, evaluated: a collector's records hidden inside the fake Discogs
 * catalogue (tests/fake_discogs), the rest as user "alice"'s collection, and the pipeline run as
 * a collector would run it (`--username alice`, a token, the default pool budget) into a temp
 * workspace. Then: how many hidden records the sourcing reached at all (in the pool), recall@50
 * of the served gems (by release id), and the harness's recommenders over the whole ranked pool.
 * A hidden record the sourcing never fetched cannot be recommended: this is the recall a real
 * user lives with, beside the file-pool figure of {@link evaluateCollection}.
 *
 * The fake server is test code; only this evaluation (and the candidates benchmark) import it.
 *
 * @module
 */

import { join } from "node:path";
import { Database } from "../db/mod.ts";
import { runStages, type Stage } from "../pipeline/stage.ts";
import { loadCatalogue, pickHidden } from "../../tests/fake_discogs/catalogue.ts";
import { type LoggedRequest, startFakeDiscogs } from "../../tests/fake_discogs/server.ts";
import { rowDot } from "../embed/similarity.ts";
import { buildContext } from "./context.ts";
import { type EvaluationRow, recommenders } from "./evaluate.ts";
import { loadCollectionCandidates, loadPoolCandidates } from "./load.ts";

/** Options for {@link evaluateRealUser}. */
export interface RealUserOptions {
  /** The stages to run, in order (the pipeline's: ingest … recommend). */
  stages: Stage[];
  /** Release ids of the collector; default gustw's 315. */
  collectionIds?: number[];
  /** Share hidden in the catalogue (default 0.2). */
  hiddenShare?: number;
  /** Seed of the hidden pick (default 42). */
  seed?: number;
  /** The fake's rate window in ms (default 1000: 60 requests per second). */
  windowMs?: number;
  /** Skip the collection's market enrichment (default true: taste from basic_information). */
  skipEnrich?: boolean;
  /** `--pool-budget` (default "auto", the product default). */
  poolBudget?: string;
  /** Records per served list (default 50, so served recall is recall@50). */
  top?: number;
  /** Name of the collection in the rows (default "real-user path (fake Discogs)"). */
  name?: string;
  /** Keep the temp workspace (for inspection); default removed. */
  keep?: boolean;
}

/** Requests the run made, by what they were for. */
export type RequestsByPurpose = Record<string, number>;

/** What the real-user path reached and served. */
export interface RealUserResult {
  /** Harness-shaped rows: the served gems, then every recommender over the whole ranked pool. */
  rows: EvaluationRow[];
  collection: number;
  hidden: number;
  /** Hidden records that made it into the pool (the ceiling of any recall). */
  hidden_reached: number;
  hidden_reached_share: number;
  /** Hidden records among the served gems, and among every served pick. */
  hidden_served_gems: number;
  hidden_served_any: number;
  served: Record<string, number>;
  /** Owned (kept) releases among the served picks: must be 0. */
  owned_served: number;
  /** Pool rows (candidates) after dedup and owned removal. */
  candidates: number;
  /** Requests by purpose (collection, search, artist/label listings, masters, releases, …). */
  requests: RequestsByPurpose;
  requests_total: number;
  /** Requests and candidates per candidate source, as the pool stage reported them. */
  sources: Record<string, { requests: number; candidates: number; fromCache: number }>;
  /** Seconds per stage, and in all (at the fake's fast window). */
  stage_seconds: Record<string, number>;
  seconds: number;
  window_ms: number;
  skip_enrich: boolean;
  pool_budget: string;
  workspace?: string;
}

/** What a logged request was for, from its path. */
export function requestPurpose(path: string): string {
  const p = path.split("?")[0];
  if (/^\/users\/[^/]+\/collection/.test(p)) return "collection pages";
  if (/^\/users\/[^/]+\/wants/.test(p)) return "wantlist pages";
  if (p.startsWith("/database/search")) return "search";
  if (/^\/artists\/\d+\/releases/.test(p)) return "artist listings";
  if (/^\/labels\/\d+\/releases/.test(p)) return "label listings";
  if (/^\/masters\/\d+\/versions/.test(p)) return "master versions";
  if (p.startsWith("/masters/")) return "masters";
  if (p.startsWith("/releases/")) return "release bodies";
  if (p.startsWith("/marketplace/")) return "marketplace stats";
  return "other";
}

/** Count requests by {@link requestPurpose}. */
export function countRequests(requests: readonly LoggedRequest[]): RequestsByPurpose {
  const out: RequestsByPurpose = {};
  for (const r of requests) {
    const purpose = requestPurpose(r.path);
    out[purpose] = (out[purpose] ?? 0) + 1;
  }
  return out;
}

const ENV = ["DISCOGS_API_URL", "DISCOGS_RATE_WINDOW", "DISCOGS_TOKEN", "NEXTSPIN_QUIET"];

/** Run `body` with these environment variables set, restoring the previous values after. */
async function withEnv<T>(vars: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(ENV.map((k) => [k, Deno.env.get(k)]));
  for (const [k, v] of Object.entries(vars)) Deno.env.set(k, v);
  try {
    return await body();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) Deno.env.delete(k);
      else Deno.env.set(k, v);
    }
  }
}

/**
 * Hide a share of a collection inside the fake catalogue, give "alice" the rest, run the
 * pipeline stages as a collector would, and measure what came back.
 */
export async function evaluateRealUser(options: RealUserOptions): Promise<RealUserResult> {
  const share = options.hiddenShare ?? 0.2;
  const seed = options.seed ?? 42;
  const windowMs = options.windowMs ?? 1000;
  const skipEnrich = options.skipEnrich ?? true;
  const poolBudget = options.poolBudget ?? "auto";
  const top = options.top ?? 50;
  const name = options.name ?? "real-user path (fake Discogs)";
  const catalogue = await loadCatalogue();
  const ids = options.collectionIds ?? catalogue.gustwIds;
  const { hidden, kept } = pickHidden(ids, share, seed);
  const hiddenIds = new Set(hidden);
  const keptIds = new Set(kept);
  const fake = await startFakeDiscogs({ windowMs, users: { alice: { collection: kept } } });
  const dir = await Deno.makeTempDir({ prefix: "nextspin-realuser-" });
  const dbPath = join(dir, "workspace.duckdb");
  const args = [
    "--username",
    "alice",
    "--pool-budget",
    poolBudget,
    "--top",
    String(top),
    "--db",
    dbPath,
    "--out",
    join(dir, "out"),
    ...(skipEnrich ? ["--skip-enrich"] : []),
  ];
  try {
    const t0 = performance.now();
    const records = await withEnv({
      DISCOGS_API_URL: fake.url,
      DISCOGS_RATE_WINDOW: `${windowMs}ms`,
      DISCOGS_TOKEN: "real-user-evaluation-token",
      NEXTSPIN_QUIET: "1",
    }, () => runStages(options.stages, args, { command: "evaluate --real-user", summary: "" }));
    const seconds = (performance.now() - t0) / 1000;
    const poolSummary = (records?.pool?.summary ?? {}) as {
      sources?: Record<string, { requests?: number; candidates?: number; fromCache?: number }>;
    };
    const db = await Database.open(dbPath);
    try {
      const pool = await loadPoolCandidates(db);
      const collection = await loadCollectionCandidates(db);
      const served = await db.all<{ kind: string; rank: number; release_id: number | null }>(
        "SELECT kind, rank, release_id FROM recommendations",
      );
      const isHiddenRow = (i: number) => hiddenIds.has(pool[i].releaseId ?? -1);
      const reached = pool.filter((p) => hiddenIds.has(p.releaseId ?? -1)).length;
      const gems = served.filter((s) => s.kind === RECOMMENDERS_FIRST).sort((a, b) =>
        a.rank - b.rank
      );
      const rows: EvaluationRow[] = [servedRow(name, gems, hiddenIds, pool.length, top)];
      // The whole ranked pool, as the harness ranks it (one fold: this hidden pick).
      const space = buildContext(collection, pool);
      for (const [recommender, rank] of Object.entries(recommenders(seed))) {
        const ranking = rank(collection, pool, 0, space);
        const top50 = ranking.slice(0, 50);
        let rr = 0;
        ranking.forEach((c, position) => {
          if (isHiddenRow(c)) rr += 1 / (position + 1);
        });
        rows.push({
          collection: `${name}, whole pool`,
          recommender,
          folds: 1,
          hidden_per_fold: hidden.length,
          candidates: pool.length,
          hit_at_10: ranking.slice(0, 10).some(isHiddenRow) ? 1 : 0,
          hit_at_50: top50.some(isHiddenRow) ? 1 : 0,
          recall_at_50: top50.filter(isHiddenRow).length / hidden.length,
          mrr: rr / hidden.length,
          coverage: pool.length ? top50.length / pool.length : 0,
          diversity: diversityOf(space, top50),
        });
      }
      const servedCounts: Record<string, number> = {};
      for (const s of served) servedCounts[s.kind] = (servedCounts[s.kind] ?? 0) + 1;
      const requests = countRequests(fake.requests);
      const sources = Object.fromEntries(
        Object.entries(poolSummary.sources ?? {}).map(([k, v]) => [k, {
          requests: v.requests ?? 0,
          candidates: v.candidates ?? 0,
          fromCache: v.fromCache ?? 0,
        }]),
      );
      return {
        rows,
        collection: kept.length,
        hidden: hidden.length,
        hidden_reached: reached,
        hidden_reached_share: hidden.length ? reached / hidden.length : 0,
        hidden_served_gems: gems.filter((g) => hiddenIds.has(g.release_id ?? -1)).length,
        hidden_served_any: served.filter((g) => hiddenIds.has(g.release_id ?? -1)).length,
        served: servedCounts,
        owned_served: served.filter((s) => keptIds.has(s.release_id ?? -1)).length,
        candidates: pool.length,
        requests,
        requests_total: fake.requests.length,
        sources,
        stage_seconds: Object.fromEntries(
          Object.entries(records ?? {}).map(([k, r]) => [k, r.seconds]),
        ),
        seconds,
        window_ms: windowMs,
        skip_enrich: skipEnrich,
        pool_budget: poolBudget,
        ...(options.keep ? { workspace: dir } : {}),
      };
    } finally {
      db.close();
    }
  } finally {
    await fake.close();
    if (!options.keep) await Deno.remove(dir, { recursive: true });
  }
}

/** The gems list is the registry's first: what a collector sees first. */
const RECOMMENDERS_FIRST = "gem";

function diversityOf(space: ReturnType<typeof buildContext>, top: number[]): number {
  let pairs = 0;
  let similarity = 0;
  for (let a = 0; a < top.length; a++) {
    for (let b = a + 1; b < top.length; b++) {
      similarity += rowDot(space.poolVectors, top[a], space.poolVectors, top[b], space.dims);
      pairs++;
    }
  }
  return pairs ? 1 - similarity / pairs : 0;
}

/** The served gems as a harness row (coverage and diversity are not measured for it: 0). */
function servedRow(
  name: string,
  gems: { rank: number; release_id: number | null }[],
  hidden: Set<number>,
  candidates: number,
  top: number,
): EvaluationRow {
  const isHidden = (g: { release_id: number | null }) => hidden.has(g.release_id ?? -1);
  const n = Math.max(1, hidden.size);
  let rr = 0;
  for (const g of gems) if (isHidden(g)) rr += 1 / g.rank;
  return {
    collection: name,
    recommender: `gems as served (top ${top})`,
    folds: 1,
    hidden_per_fold: hidden.size,
    candidates,
    hit_at_10: gems.filter((g) => g.rank <= 10).some(isHidden) ? 1 : 0,
    hit_at_50: gems.filter((g) => g.rank <= 50).some(isHidden) ? 1 : 0,
    recall_at_50: gems.filter((g) => g.rank <= 50 && isHidden(g)).length / n,
    mrr: rr / n,
    coverage: candidates ? gems.length / candidates : 0,
    diversity: 0,
  };
}

/** The real-user figures beyond the harness's rows, as an aligned text block. */
export function realUserText(r: RealUserResult): string {
  const lines = [
    `real-user path: ${r.collection} records as alice, ${r.hidden} hidden in the catalogue; ` +
    `pool budget ${r.pool_budget}${
      r.skip_enrich ? ", --skip-enrich" : ""
    }, window ${r.window_ms} ms`,
    `  hidden reached (in the pool): ${r.hidden_reached} of ${r.hidden} (${
      (100 * r.hidden_reached_share).toFixed(1)
    }%)`,
    `  candidates: ${r.candidates}; served: ${
      Object.entries(r.served).map(([k, v]) => `${v} ${k}`).join(", ")
    }; hidden served: ${r.hidden_served_gems} gems, ${r.hidden_served_any} in any list; owned served: ${r.owned_served}`,
    `  requests: ${r.requests_total} (${
      Object.entries(r.requests).map(([k, v]) => `${k} ${v}`).join(", ")
    }); ${r.seconds.toFixed(1)} s at this window`,
  ];
  return lines.join("\n");
}
