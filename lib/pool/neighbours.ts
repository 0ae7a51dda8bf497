/**
 * API neighbours of a collection as pool candidates: the releases of the artists and labels it
 * holds most of, from `GET /artists/{id}/releases` and `GET /labels/{id}/releases`. Bounded by a
 * request budget, cached in `http_cache` like enrichment (so a second run, or `--offline`, costs
 * nothing), written to the `pool_api` table that `buildPool` merges.
 *
 * These listings carry no styles, so a candidate inherits the styles the collection has of the
 * artist or label it came through: a label's catalogue mostly shares its scene.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { ensureCache, getResponse, putResponse } from "../discogs/cache.ts";
import { type DiscogsClient, DiscogsError } from "../discogs/client.ts";
import { asCount, asText, withoutDiscogsSuffix } from "../discogs/release.ts";
import { RELEASE_INFO_DDL } from "../ingest/mod.ts";
import { POOL_ROW_DDL } from "./load.ts";

const SEEDS_SQL = await Deno.readTextFile(new URL("./neighbour_seeds.sql", import.meta.url));

/** Listings older than this are fetched again (catalogues grow slowly). */
export const NEIGHBOUR_MAX_AGE_MS = 30 * 86_400_000;

/** Options for {@link gatherNeighbours}. */
export interface NeighbourOptions {
  /** Requests allowed for listings not yet cached. */
  budget: number;
  currency: string;
  /** Use cached listings only. */
  offline: boolean;
  /** Needed unless offline or the budget is 0. */
  client?: DiscogsClient;
  onFailure?: (path: string, error: DiscogsError) => void;
}

/** What {@link gatherNeighbours} did. */
export interface NeighbourSummary {
  seeds: number;
  requests: number;
  fromCache: number;
  candidates: number;
}

interface Seed {
  kind: "artist" | "label";
  id: number;
  name: string;
  owned: number;
  styles: string[];
}

function rowsOf(seed: Seed, body: unknown, currency: string): Record<string, unknown>[] {
  const releases = (body as { releases?: unknown[] })?.releases;
  if (!Array.isArray(releases)) return [];
  const out: Record<string, unknown>[] = [];
  releases.forEach((raw, i) => {
    const item = raw as Record<string, unknown>;
    if (seed.kind === "artist" && asText(item.role) !== null && asText(item.role) !== "Main") {
      return;
    }
    const isMaster = asText(item.type) === "master";
    const releaseId = isMaster ? asCount(item.main_release) : asCount(item.id);
    const title = asText(item.title);
    if (!releaseId || !title) return;
    const artist = seed.kind === "artist" ? seed.name : asText(item.artist) ?? "";
    if (!artist) return;
    const community = ((item.stats as Record<string, unknown>)?.community ?? {}) as Record<
      string,
      unknown
    >;
    out.push({
      pool_key: `release:${releaseId}`,
      release_id: releaseId,
      master_id: isMaster ? asCount(item.id) : null,
      artist,
      artist_display: withoutDiscogsSuffix(artist),
      title,
      label: seed.kind === "label" ? seed.name : asText(item.label),
      catalog_number: asText(item.catno),
      country: null,
      format: asText(item.format),
      genres: [],
      styles: seed.styles,
      have: asCount(community.in_collection),
      want: asCount(community.in_wantlist),
      lowest_price: null,
      num_for_sale: null,
      currency,
      year: asCount(item.year) || null,
      thumbnail_url: asText(item.thumb),
      discogs_url: `https://www.discogs.com/release/${releaseId}`,
      source: `api:${seed.kind}:${seed.id}`,
      source_row: i + 1,
    });
  });
  return out;
}

/** Gather neighbours into `pool_api` (replaced). */
export async function gatherNeighbours(
  db: Database,
  options: NeighbourOptions,
): Promise<NeighbourSummary> {
  await ensureCache(db);
  await db.run(RELEASE_INFO_DDL); // seeds also read it (empty unless a username import ran)
  const seeds = (await db.tableExists("collection"))
    ? await db.all<Seed>(SEEDS_SQL, { currency: options.currency })
    : [];
  // Alternate artists and labels so a small budget covers both.
  const artists = seeds.filter((s) => s.kind === "artist");
  const labels = seeds.filter((s) => s.kind === "label");
  const order: Seed[] = [];
  for (let i = 0; i < Math.max(artists.length, labels.length); i++) {
    if (artists[i]) order.push(artists[i]);
    if (labels[i]) order.push(labels[i]);
  }
  let requests = 0;
  let fromCache = 0;
  const rows: Record<string, unknown>[] = [];
  for (const seed of order) {
    const path = `/${seed.kind}s/${seed.id}/releases?page=1&per_page=100`;
    const cached = await getResponse(db, path);
    let body: string | null = null;
    if (
      cached && cached.status === 200 &&
      Date.now() - cached.fetchedAt.getTime() < NEIGHBOUR_MAX_AGE_MS
    ) {
      body = cached.body;
      fromCache++;
    } else if (!options.offline && requests < options.budget && options.client) {
      requests++;
      try {
        const response = await options.client.get(path);
        await putResponse(db, {
          url: path,
          status: response.status,
          body: response.bodyText,
          fetchedAt: new Date(),
          source: "api",
        });
        body = response.bodyText;
      } catch (error) {
        if (!(error instanceof DiscogsError)) throw error;
        if (error.kind === "unauthorized") throw error;
        options.onFailure?.(path, error);
      }
    }
    if (body !== null) {
      try {
        rows.push(...rowsOf(seed, JSON.parse(body), options.currency));
      } catch { /* a broken cached body is skipped; the next refresh replaces it */ }
    }
  }
  await db.run(`CREATE OR REPLACE TABLE pool_api (${POOL_ROW_DDL})`);
  await db.insertRows("pool_api", rows);
  return { seeds: seeds.length, requests, fromCache, candidates: rows.length };
}
