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
import {
  type ExtraCollection,
  type ExtraRelease,
  type Format,
  loadCatalogue,
  pickHidden,
} from "../../tests/fake_discogs/catalogue.ts";
import { type LoggedRequest, startFakeDiscogs } from "../../tests/fake_discogs/server.ts";
import type { Candidate } from "./candidates.ts";
import { buildContext } from "./context.ts";
import { type EvaluationRow, evaluationRow, recommenders } from "./evaluate.ts";
import { loadCollectionCandidates, loadPoolCandidates } from "./load.ts";
import { diversityOf, FoldSums, rankingMetrics, TOP } from "./metrics.ts";

/** Options for {@link evaluateRealUser}. */
export interface RealUserOptions {
  /** The stages to run, in order (the pipeline's: ingest … recommend). */
  stages: Stage[];
  /** Release ids of the collector; default gustw's 315 (or every id of `extra`). */
  collectionIds?: number[];
  /**
   * The collection's releases, added to the fake's catalogue with their ids kept (ids the
   * catalogue already holds, gustw's, are not added again): see {@link extraCollection}.
   */
  extra?: ExtraCollection;
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
  /** Name of the collection in the rows (default "gustw"). */
  name?: string;
  /** Keep the temp workspace (for inspection); default removed. */
  keep?: boolean;
}

/** Requests the run made, by what they were for. */
export type RequestsByPurpose = Record<string, number>;

/** What the real-user path reached and served. */
export interface RealUserResult {
  /** The collection's name. */
  name: string;
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
  const name = options.name ?? "gustw";
  const ids = options.collectionIds ?? options.extra?.releases.map((r) => r.id) ??
    (await loadCatalogue()).gustwIds;
  const { hidden, kept } = pickHidden(ids, share, seed);
  const hiddenIds = new Set(hidden);
  const keptIds = new Set(kept);
  const fake = await startFakeDiscogs({
    windowMs,
    users: { alice: { collection: kept } },
    ...(options.extra ? { catalogue: { extra: options.extra } } : {}),
  });
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
      const sums = new FoldSums();
      sums.offer(pool.map((p) => p.key));
      for (const [recommender, rank] of Object.entries(recommenders(seed))) {
        const ranking = rank(collection, pool, 0, space);
        const top50 = ranking.slice(0, TOP);
        sums.add(
          recommender,
          rankingMetrics(ranking, isHiddenRow, hidden.length),
          diversityOf(space.poolVectors, space.dims, top50),
          top50.map((i) => pool[i].key),
        );
      }
      for (const [recommender, s] of sums.summary()) {
        rows.push(evaluationRow(name, "real user", recommender, s, hidden.length, pool.length));
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
        name,
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

/**
 * The served gems as a harness row: ranked by their served rank, so recall@k≥hidden past the
 * served list counts only what was served (coverage: served ÷ candidates; diversity not
 * measured here: 0).
 */
function servedRow(
  name: string,
  gems: { rank: number; release_id: number | null }[],
  hidden: Set<number>,
  candidates: number,
  top: number,
): EvaluationRow {
  const ranking = [...gems.keys()];
  const m = rankingMetrics(ranking, (i) => hidden.has(gems[i].release_id ?? -1), hidden.size);
  return evaluationRow(
    name,
    "real user",
    `gems as served (top ${top})`,
    {
      ...m,
      folds: 1,
      diversity: 0,
      coverage: candidates ? gems.length / candidates : 0,
    },
    hidden.size,
    candidates,
  );
}

/** A Discogs format entry from an export's format cell ("2xLP, Album, Gat"). */
export function formatOf(text: string): Format[] {
  const parts = text.split(",").map((p) => p.trim()).filter((p) => p);
  if (parts.length === 0) return [{ name: "Vinyl", qty: "1", descriptions: [] }];
  const qty = parts[0].match(/^(\d+)\s*[x×]\s*(.+)$/i);
  const first = qty ? qty[2] : parts[0];
  const names = ["Vinyl", "CD", "CDr", "Cassette", "File", "DVD", "Box Set", "Flexi-disc"];
  const named = names.find((n) => n.toLowerCase() === first.toLowerCase());
  const vinyl = /^(LP|EP|12"|10"|7"|Single)$/i.test(first);
  const name = named ?? (vinyl ? "Vinyl" : /^cass/i.test(first) ? "Cassette" : first);
  return [{
    name,
    qty: qty ? qty[1] : "1",
    descriptions: [...(named ? [] : vinyl ? [first] : []), ...parts.slice(1)],
  }];
}

/**
 * A collection as releases for the fake's catalogue (ids kept): its artists, labels, year,
 * genres, styles, format and community figures as the harness has them.
 */
export function extraCollection(name: string, collection: readonly Candidate[]): ExtraCollection {
  const releases: ExtraRelease[] = collection.filter((c) => c.releaseId !== null).map((c) => ({
    id: c.releaseId!,
    title: c.title,
    year: c.year ?? 0,
    country: c.country ?? "",
    artists: (c.artists.length ? c.artists : [c.artist]).filter((a) => a).map((a) => ({
      name: a,
    })),
    labels: c.labels.map((l) => ({ name: l, catno: "" })),
    genres: c.genres,
    styles: c.styles,
    formats: formatOf(c.formats[0] ?? ""),
    have: c.have ?? 0,
    want: c.want ?? 0,
    lowestPrice: c.lowestPrice,
    numForSale: c.numForSale ?? undefined,
  }));
  return { name, releases };
}

/** The real-user figures beyond the harness's rows, as an aligned text block. */
export function realUserText(r: RealUserResult): string {
  const lines = [
    `${r.name} — real-user path: ${r.collection} records as alice, ${r.hidden} hidden in the catalogue; ` +
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
