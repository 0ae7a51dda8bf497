/**
 * Candidate source: the discographies and catalogues of the artists and labels the collection
 * holds most of (`GET /artists/{id}/releases`, `GET /labels/{id}/releases`; public, no token
 * needed), with community have/want from each item's `stats.community`. With
 * `--include-other-pressings`, also the other pressings of owned albums
 * (`GET /masters/{id}/versions`).
 *
 * Listings carry no styles, so a candidate inherits the styles the collection has of the artist
 * or label it came through: a label's catalogue mostly shares its scene.
 *
 * @module
 */

import { ensureCache } from "../../discogs/cache.ts";
import { RELEASE_INFO_DDL } from "../../ingest/mod.ts";
import { asCount, asText, withoutDiscogsSuffix } from "../../discogs/release.ts";
import { readPlan } from "./paged.ts";
import { type CandidateSource, emptyReport } from "./types.ts";

const SEEDS_SQL = await Deno.readTextFile(new URL("../neighbour_seeds.sql", import.meta.url));
const OWNED_MASTERS_SQL = `
  SELECT r.master_id AS id, any_value(r.artist) AS name, count(*) AS owned,
         list_distinct(flatten(list(coalesce(r.styles, []::VARCHAR[])))) AS styles
  FROM (SELECT DISTINCT release_id FROM collection) c JOIN releases r USING (release_id)
  WHERE r.master_id > 0
  GROUP BY r.master_id ORDER BY owned DESC, id`;

/** Listing items per page (Discogs' maximum). */
const PER_PAGE = 100;

/** Whose discographies and catalogues to read. */
interface Seed {
  kind: "artist" | "label" | "master";
  id: number;
  name: string;
  owned: number;
  styles: string[];
}

/** Pool rows from one listing page of `seed`. */
export function listingRows(
  seed: Seed,
  body: unknown,
  currency: string,
  firstRow = 1,
): Record<string, unknown>[] {
  const items = (body as { releases?: unknown[]; versions?: unknown[] }) ?? {};
  const list = seed.kind === "master" ? items.versions : items.releases;
  if (!Array.isArray(list)) return [];
  const out: Record<string, unknown>[] = [];
  list.forEach((raw, i) => {
    const item = (raw ?? {}) as Record<string, unknown>;
    const role = asText(item.role as string);
    // An artist's appearances (remixes, features, compilations) are not their records.
    if (seed.kind === "artist" && role !== null && role !== "Main") return;
    const isMaster = asText(item.type as string) === "master";
    const releaseId = isMaster ? asCount(item.main_release as number) : asCount(item.id as number);
    const title = asText(item.title as string);
    if (!releaseId || !title) return;
    const artist = seed.kind === "label" ? asText(item.artist as string) ?? "" : seed.name;
    if (!artist) return;
    const stats = (item.stats ?? {}) as Record<string, unknown>;
    const community = (stats.community ?? {}) as Record<string, unknown>;
    const label = seed.kind === "label" ? seed.name : asText(item.label as string);
    out.push({
      pool_key: `release:${releaseId}`,
      release_id: releaseId,
      master_id: isMaster ? asCount(item.id as number) : seed.kind === "master" ? seed.id : null,
      artist,
      artist_display: withoutDiscogsSuffix(artist),
      title,
      label,
      catalog_number: asText(item.catno as string),
      country: asText(item.country as string),
      format: asText(item.format as string),
      genres: [],
      styles: seed.styles,
      have: asCount(community.in_collection as number),
      want: asCount(community.in_wantlist as number),
      lowest_price: null,
      num_for_sale: null,
      currency,
      year: asCount((item.year ?? item.released) as number) || null,
      thumbnail_url: asText(item.thumb as string),
      discogs_url: `https://www.discogs.com/release/${releaseId}`,
      source: `listings:${seed.kind}:${seed.id}`,
      source_row: firstRow + i,
    });
  });
  return out;
}

export const listingsSource: CandidateSource = {
  name: "listings",
  description:
    "discographies and label catalogues of the artists and labels you own most of (no token needed)",
  usesApi: true,
  // A listing page brings up to 100 releases of a proven artist or label, but without styles.
  weight: (ctx) => (ctx.authenticated ? 0.4 : 1),
  async gather(ctx, budget) {
    const report = emptyReport();
    if (budget <= 0 || !(await ctx.db.tableExists("collection"))) return report;
    await ensureCache(ctx.db);
    await ctx.db.run(RELEASE_INFO_DDL); // seeds also read it (empty unless a username import ran)
    const seeds = await ctx.db.all<Seed>(SEEDS_SQL, { currency: ctx.currency });
    // Alternate artists and labels so a small budget covers both.
    const artists = seeds.filter((s) => s.kind === "artist");
    const labels = seeds.filter((s) => s.kind === "label");
    const order: Seed[] = [];
    for (let i = 0; i < Math.max(artists.length, labels.length); i++) {
      if (artists[i]) order.push(artists[i]);
      if (labels[i]) order.push(labels[i]);
    }
    if (ctx.includeOtherPressings && await ctx.db.tableExists("releases")) {
      const masters = (await ctx.db.all<Omit<Seed, "kind">>(OWNED_MASTERS_SQL))
        .map((m) => ({ ...m, kind: "master" as const }));
      // Other pressings of an owned album after the discographies of who made it.
      order.splice(Math.min(order.length, 2 * masters.length), 0, ...masters);
    }
    const rows: Record<string, unknown>[] = [];
    await readPlan(
      order.map((seed) => ({
        query: seed,
        path: (page) =>
          seed.kind === "master"
            ? `/masters/${seed.id}/versions?page=${page}&per_page=${PER_PAGE}`
            : `/${seed.kind}s/${seed.id}/releases?page=${page}&per_page=${PER_PAGE}`,
      })),
      {
        db: ctx.db,
        client: ctx.client,
        offline: ctx.offline,
        budget,
        maxPages: 3,
        report,
        onPage(q, page, body) {
          rows.push(...listingRows(q.query, body, ctx.currency, (page - 1) * PER_PAGE + 1));
          return asCount(
            (body as { pagination?: { pages?: number } })?.pagination?.pages as number,
          ) ?? 1;
        },
        onFailure: (path, message) => ctx.info(`${path}: ${message} (asked again next run)`),
      },
    );
    await ctx.db.insertRows(ctx.target, rows);
    report.candidates = rows.length;
    report.details = {
      seeds: seeds.length,
      artists: artists.length,
      labels: labels.length,
    };
    return report;
  },
};
