/**
 * Sets from the Discogs API: `GET /artists/{id}/releases`, `GET /labels/{id}/releases` (and,
 * with `--with-sublabels`, the listings of the sub-labels `GET /labels/{id}` names) and
 * `GET /masters/{id}/versions`, 100 items a page, read through the workspace cache within one
 * page budget. Like the pool's listings (lib/pool/sources/paged.ts), cached pages count against
 * the budget, so the same sets always read the same pages: a second run costs no request and
 * `--offline` replays exactly what the online run fetched.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { cachedGet } from "../discogs/cached_get.ts";
import { getResponse } from "../discogs/cache.ts";
import type { DiscogsClient } from "../discogs/client.ts";
import { asCount, asText } from "../discogs/release.ts";
import { type PagedQuery, readPlan } from "../pool/sources/paged.ts";
import { emptyReport } from "../pool/sources/types.ts";
import { versionsFilter } from "./format.ts";
import {
  emptyGathered,
  type Gathered,
  type ListedItem,
  type Pressing,
  type RequestReport,
  setKey,
  type SetSpec,
} from "./types.ts";

/** Listing items per page (Discogs' maximum). */
export const PER_PAGE = 100;

/** Pages of one set's listing read at most (1,000 releases). */
export const MAX_LISTING_PAGES = 10;

/** Options for {@link gatherListings} and {@link gatherPressings}. */
export interface ApiOptions {
  db: Database;
  client?: DiscogsClient;
  offline: boolean;
  /** Pages (and entity bodies) to read at most, cached ones included. */
  budget: number;
  /** Filled in as pages are read. */
  report: RequestReport;
  /** The format collected (`any`, `Vinyl`, …): versions are asked for in it. */
  format: string;
  withSublabels: boolean;
  onFailure?(path: string, message: string): void;
}

type Json = Record<string, unknown>;

const listingPath = (kind: string, id: number, page: number, format?: string) =>
  kind === "master"
    ? `/masters/${id}/versions?${
      format ? `format=${encodeURIComponent(format)}&` : ""
    }page=${page}&per_page=${PER_PAGE}`
    : `/${kind}s/${id}/releases?page=${page}&per_page=${PER_PAGE}`;

/** One `releases[]` item of an artist or label listing. */
export function listedItem(raw: unknown, kind: "artist" | "label"): ListedItem | null {
  const item = (raw ?? {}) as Json;
  const title = asText(item.title as string);
  const id = asCount(item.id as number);
  if (!title || !id) return null;
  const isMaster = asText(item.type as string) === "master";
  const stats = ((item.stats ?? {}) as Json).community as Json | undefined;
  return {
    type: isMaster ? "master" : "release",
    releaseId: isMaster ? asCount(item.main_release as number) : id,
    masterId: isMaster ? id : null,
    title,
    artist: asText(item.artist as string),
    year: asCount(item.year as number) || null,
    format: isMaster ? null : asText(item.format as string),
    role: kind === "artist" ? asText(item.role as string) ?? "Main" : "Main",
    label: asText(item.label as string),
    catno: asText(item.catno as string),
    have: asCount(stats?.in_collection as number),
  };
}

/** One `versions[]` item of `GET /masters/{id}/versions`. */
export function pressingOf(raw: unknown): Pressing | null {
  const item = (raw ?? {}) as Json;
  const id = asCount(item.id as number);
  if (!id) return null;
  const stats = ((item.stats ?? {}) as Json).community as Json | undefined;
  const released = asText(item.released as string);
  const year = released && /^\d{4}/.test(released) ? Number(released.slice(0, 4)) || null : null;
  return {
    releaseId: id,
    title: asText(item.title as string) ?? "",
    format: asText(item.format as string),
    majorFormats: Array.isArray(item.major_formats)
      ? (item.major_formats as unknown[]).filter((f): f is string => typeof f === "string")
      : [],
    year,
    label: asText(item.label as string),
    catno: asText(item.catno as string),
    country: asText(item.country as string),
    have: asCount(stats?.in_collection as number),
  };
}

const pagesOf = (body: unknown) =>
  asCount((body as { pagination?: { pages?: number } })?.pagination?.pages as number) ?? 1;

/**
 * Read the listings of `sets` (in the order given: page 1 of every set first, then later pages)
 * within `options.budget`. Entity bodies come first where they are needed: the sub-labels of a
 * label set (`--with-sublabels`) and the name of a set named only by its id.
 */
export async function gatherListings(sets: SetSpec[], options: ApiOptions): Promise<Gathered> {
  const gathered = emptyGathered();
  const { report } = options;
  const get = async (path: string) => {
    report.planned++;
    const got = await cachedGet(options.db, path, {
      client: options.client,
      offline: options.offline,
    });
    if (got.requested) report.requests++;
    if (got.fromCache) report.fromCache++;
    if (got.error) {
      report.failed++;
      options.onFailure?.(path, got.error.message);
    }
    return got;
  };
  // 1. Entity bodies: sub-labels, and names of sets named by id only.
  for (const set of sets) {
    const needsBody = (set.kind === "label" && options.withSublabels) ||
      (set.name === null && set.kind !== "master");
    if (!needsBody || report.planned >= options.budget) continue;
    const got = await get(`/${set.kind}s/${set.id}`);
    if (got.status === 404) gathered.notFound.add(setKey(set));
    if (got.status !== 200 || !got.body) continue;
    const body = safeJson(got.body) as Json | undefined;
    const name = asText(body?.name as string) ?? asText(body?.title as string);
    if (name) gathered.names.set(setKey(set), name);
    if (set.kind === "label" && options.withSublabels && Array.isArray(body?.sublabels)) {
      const subs = (body.sublabels as Json[]).map((s) => ({
        id: asCount(s.id as number) ?? 0,
        name: asText(s.name as string) ?? "",
      })).filter((s) => s.id > 0);
      gathered.sublabels.set(setKey(set), subs);
    }
  }
  // 2. Listing pages, one query per set (and per sub-label).
  interface Q {
    set: SetSpec;
    listKind: "artist" | "label" | "master";
    id: number;
  }
  const queries: PagedQuery<Q>[] = [];
  for (const set of sets) {
    if (gathered.notFound.has(setKey(set))) continue;
    const ids = [set.id, ...(gathered.sublabels.get(setKey(set)) ?? []).map((s) => s.id)];
    for (const id of ids) {
      const format = set.kind === "master" ? versionsFilter(options.format) : undefined;
      queries.push({
        query: { set, listKind: set.kind, id },
        path: (page) => listingPath(set.kind, id, page, format),
      });
    }
  }
  const seen = new Map<PagedQuery<Q>, { pages: number; read: number }>();
  const planReport = emptyReport();
  await readPlan(queries, {
    db: options.db,
    client: options.client,
    offline: options.offline,
    budget: Math.max(0, options.budget - report.planned),
    maxPages: MAX_LISTING_PAGES,
    report: planReport,
    onPage(q, _page, body) {
      const key = setKey(q.query.set);
      const pages = pagesOf(body);
      const s = seen.get(q) ?? { pages, read: 0 };
      s.read++;
      seen.set(q, s);
      const list = gathered.items.get(key) ?? [];
      gathered.items.set(key, list);
      if (q.query.listKind === "master") {
        const pressings = gathered.pressings.get(q.query.id) ?? [];
        gathered.pressings.set(q.query.id, pressings);
        for (const raw of (body as { versions?: unknown[] })?.versions ?? []) {
          const p = pressingOf(raw);
          if (!p) continue;
          pressings.push(p);
          list.push({
            type: "release",
            releaseId: p.releaseId,
            masterId: q.query.id,
            title: p.title,
            artist: null,
            year: p.year,
            format: p.format ?? p.majorFormats.join(", "),
            role: "Main",
            label: p.label,
            catno: p.catno,
            have: p.have,
          });
        }
      } else {
        for (const raw of (body as { releases?: unknown[] })?.releases ?? []) {
          const item = listedItem(raw, q.query.listKind);
          if (item) list.push(item);
        }
      }
      return pages;
    },
    onFailure: options.onFailure,
  });
  addCounts(report, planReport);
  // Which sets were not (fully) read, and which Discogs does not know.
  for (const q of queries) {
    const key = setKey(q.query.set);
    const s = seen.get(q);
    if (s === undefined) {
      const cached = await getResponse(options.db, q.path(1));
      if (cached?.status === 404 && q.query.id === q.query.set.id) gathered.notFound.add(key);
      else if (q.query.id === q.query.set.id) gathered.unread.add(key);
      else gathered.partial.add(key); // a sub-label not read
    } else if (s.read < Math.min(s.pages, MAX_LISTING_PAGES) || s.pages > MAX_LISTING_PAGES) {
      gathered.partial.add(key);
    }
  }
  return gathered;
}

/**
 * Read the pressings of `masterIds` (most wanted first) within `options.budget`: page 1 of every
 * master, then later pages up to `maxPages`, in the collected format when Discogs can filter by
 * it. Adds to `gathered.pressings`.
 */
export async function gatherPressings(
  masterIds: number[],
  gathered: Gathered,
  options: ApiOptions & { maxPages: number },
): Promise<void> {
  const format = versionsFilter(options.format);
  const planReport = emptyReport();
  await readPlan(
    masterIds.filter((id) => !gathered.pressings.has(id)).map((id) => ({
      query: id,
      path: (page: number) => listingPath("master", id, page, format),
    })),
    {
      db: options.db,
      client: options.client,
      offline: options.offline,
      budget: Math.max(0, options.budget - options.report.planned),
      maxPages: options.maxPages,
      report: planReport,
      onPage(q, _page, body) {
        const list = gathered.pressings.get(q.query) ?? [];
        gathered.pressings.set(q.query, list);
        for (const raw of (body as { versions?: unknown[] })?.versions ?? []) {
          const p = pressingOf(raw);
          if (p) list.push(p);
        }
        return pagesOf(body);
      },
      onFailure: options.onFailure,
    },
  );
  addCounts(options.report, planReport);
}

function addCounts(into: RequestReport, from: RequestReport): void {
  into.planned += from.planned;
  into.requests += from.requests;
  into.fromCache += from.fromCache;
  into.failed += from.failed;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
