/**
 * The other collectors: their collections (and wantlists) by Discogs username, by export file
 * (every variant ingest reads) or by a folder of exports, into the `twin_collections` table —
 * never into the collector's own `collection`. What could not be read is kept in `twin_sources`
 * with the reason (a private collection, an unknown user, a file that is not an export).
 *
 * Usernames go through the workspace cache (`http_cache`, pages kept 30 days) within a request
 * budget; `--offline` reads the cache only and opens no socket.
 *
 * @example
 * ```ts
 * const community = await gatherCommunity(db, { names: ["alice"], files: [], dirs: ["exports/"] });
 * for (const s of community.sources) console.log(s.collection, s.status, s.reason);
 * ```
 *
 * @module
 */

import { basename, extname, join } from "node:path";
import type { Database } from "../db/mod.ts";
import { cachedGet } from "../discogs/cached_get.ts";
import { type DiscogsClient, DiscogsError } from "../discogs/client.ts";
import {
  importCollection,
  importWantlist,
  type ListPages,
  type ReleaseInfo,
} from "../discogs/user_lists.ts";
import { InputError, messageOf, UserFacingError } from "../errors.ts";
import { type ExportKind, readExport } from "../ingest/mod.ts";

/** One record on another collector's list (table `twin_collections`). */
export interface CommunityRow {
  collection: string;
  source: string;
  /** `collection` (owned copy) or `wantlist`. */
  list: ExportKind;
  release_id: number;
  master_id: number | null;
  artist: string | null;
  artist_display: string | null;
  title: string | null;
  label: string | null;
  format: string | null;
  released_year: number | null;
  media_condition: string | null;
  sleeve_condition: string | null;
  genres: string[];
  styles: string[];
  source_line: number | null;
}

/** One collector asked for, compared or skipped (table `twin_sources`). */
export interface CommunitySource {
  collection: string;
  /** `discogs:<username>`, or the export file(s) read. */
  source: string;
  status: "compared" | "skipped";
  /** Why it was skipped (or what was left out, e.g. a private wantlist). */
  reason: string | null;
  copies: number;
  wants: number;
}

/** DDL of `twin_collections`. */
export const TWIN_COLLECTIONS_DDL = `collection VARCHAR, source VARCHAR, list VARCHAR,
  release_id BIGINT, master_id BIGINT, artist VARCHAR, artist_display VARCHAR, title VARCHAR,
  label VARCHAR, format VARCHAR, released_year INTEGER, media_condition VARCHAR,
  sleeve_condition VARCHAR, genres VARCHAR[], styles VARCHAR[], source_line INTEGER`;

/** DDL of `twin_sources`. */
export const TWIN_SOURCES_DDL = `collection VARCHAR, source VARCHAR, status VARCHAR,
  reason VARCHAR, copies INTEGER, wants INTEGER`;

/** Pages of other users' lists a run may request by default (cached pages are free). */
export const DEFAULT_TWIN_BUDGET = 100;

/** Options for {@link gatherCommunity}. */
export interface CommunityOptions {
  /** Discogs usernames (`--with`). */
  names: readonly string[];
  /** Export files (`--with-file`); a wantlist export pairs with the collection of its name. */
  files: readonly string[];
  /** Folders of exports (`--with-dir`): every `.csv` in it (not recursive). */
  dirs: readonly string[];
  offline?: boolean;
  client?: DiscogsClient;
  /** Requests for usernames' pages (default {@link DEFAULT_TWIN_BUDGET}). */
  budget?: number;
  /** Your own release ids: an export that is your own collection is skipped. */
  own?: ReadonlySet<number>;
  info?: (message: string) => void;
}

/** What {@link gatherCommunity} found. */
export interface Community {
  rows: CommunityRow[];
  sources: CommunitySource[];
  requests: number;
  fromCache: number;
}

/** `jelambert_wantlist.csv` → `jelambert`; `me-collection-20261125-0412.csv` → `me`. */
export function collectionNameOf(path: string): string {
  const stem = basename(path, extname(path));
  const name = stem.replace(/[-_ ]?(collection|wantlist)([-_ ].*)?$/i, "");
  return name || stem;
}

/** Whether an export is a wantlist: by its name, else by a header without a folder column. */
async function kindOf(path: string): Promise<ExportKind> {
  const name = basename(path).toLowerCase();
  if (name.includes("wantlist") || /(^|[-_ ])wants?([-_ .]|$)/.test(name)) return "wantlist";
  if (name.includes("collection")) return "collection";
  try {
    const file = await Deno.open(path);
    try {
      const buffer = new Uint8Array(4096);
      const n = (await file.read(buffer)) ?? 0;
      const first = new TextDecoder().decode(buffer.subarray(0, n)).split(/\r?\n/)[0];
      return /folder/i.test(first) ? "collection" : "wantlist";
    } finally {
      file.close();
    }
  } catch {
    return "collection"; // readExport names the problem
  }
}

/** The `.csv` files of a folder, sorted; a missing folder is the collector's to fix. */
async function csvFilesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.toLowerCase().endsWith(".csv")) {
        out.push(join(dir, entry.name));
      }
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new InputError(`--with-dir ${dir}: folder not found`);
    }
    if (error instanceof Deno.errors.NotADirectory) {
      throw new InputError(`--with-dir ${dir}: is a file, not a folder (use --with-file)`);
    }
    throw new InputError(`--with-dir ${dir}: cannot be read (${messageOf(error)})`);
  }
  return out.sort();
}

/**
 * List pages through the workspace cache within a request budget: a fresh cached page is free,
 * a missing one is fetched while the budget lasts (never offline), and a refusal becomes the
 * client's {@link DiscogsError} (kind `private` for a private list, `not_found` for no such user).
 */
export function budgetedPages(
  db: Database,
  options: { client?: DiscogsClient; offline: boolean; budget: number },
): ListPages & { requests: number; fromCache: number } {
  const state = {
    requests: 0,
    fromCache: 0,
    async get(path: string) {
      const got = await cachedGet(db, path, {
        client: options.client,
        offline: options.offline,
        mayFetch: state.requests < options.budget,
      });
      if (got.requested) state.requests++;
      if (got.fromCache) state.fromCache++;
      if (got.status === 200 && got.body !== null) {
        return { json: JSON.parse(got.body), bodyText: got.body };
      }
      if (got.status === 404) throw new DiscogsError("not_found", `not found: ${path}`, 404, path);
      if (got.error) throw got.error;
      throw new DiscogsError(
        "network",
        options.offline || !options.client
          ? "not in the workspace cache (--offline): run once without --offline to fetch it"
          : `the request budget (--twin-budget ${options.budget}) is spent: rerun with a larger one`,
        null,
        path,
      );
    },
  };
  return state;
}

function fromInfo(info: ReleaseInfo | undefined) {
  return {
    master_id: info?.master_id ?? null,
    genres: info?.genres ?? [],
    styles: info?.styles ?? [],
  };
}

/** Why a username could not be read, in the collector's words. */
function userSkipReason(user: string, error: unknown): string {
  if (error instanceof DiscogsError) {
    if (error.kind === "private") {
      return `${user}'s collection is private (Discogs ${error.status})`;
    }
    if (error.kind === "not_found") return `no Discogs user ${JSON.stringify(user)}`;
    return `could not read ${user}'s collection: ${error.message}`;
  }
  if (error instanceof UserFacingError) return error.message;
  throw error;
}

/** Gather every collector asked for; nothing is written (see `writeCommunity`). */
export async function gatherCommunity(
  db: Database,
  options: CommunityOptions,
): Promise<Community> {
  const rows: CommunityRow[] = [];
  const sources: CommunitySource[] = [];
  const taken = new Set<string>();
  const unique = (name: string) => {
    let n = 1;
    let candidate = name;
    while (taken.has(candidate)) candidate = `${name} (${++n})`;
    taken.add(candidate);
    return candidate;
  };
  const info = options.info ?? (() => {});

  // Exports: explicit files must read (a bad one stops the run, nothing written); files found
  // in a folder that are not exports are skipped with the reason.
  const byName = new Map<string, { collection?: string; wantlist?: string; strict: boolean }>();
  const addFile = async (path: string, strict: boolean) => {
    const kind = await kindOf(path);
    const name = collectionNameOf(path);
    const entry = byName.get(name) ?? { strict };
    if (entry[kind] !== undefined) {
      // Two collections under one name: keep them apart.
      byName.set(`${name}\u0000${path}`, { [kind]: path, strict });
      return;
    }
    entry[kind] = path;
    entry.strict ||= strict;
    byName.set(name, entry);
  };
  for (const file of options.files) await addFile(file, true);
  for (const dir of options.dirs) {
    for (const file of await csvFilesIn(dir)) await addFile(file, false);
  }

  for (const [key, files] of byName) {
    const name = key.split("\u0000")[0];
    const source = [files.collection, files.wantlist].filter(Boolean).join(" + ");
    const got: CommunityRow[] = [];
    let copies = 0;
    let wants = 0;
    try {
      for (const kind of ["collection", "wantlist"] as const) {
        const path = files[kind];
        if (!path) continue;
        const read = await readExport(db, path, kind).catch((error) => {
          if (error instanceof InputError) {
            // Ingest's message speaks of the collector's own tables; these are someone else's.
            throw new InputError(error.message.replace(/ Nothing was changed:.*$/s, ""));
          }
          throw error;
        });
        for (const r of read.rows) {
          got.push({
            collection: "",
            source: path,
            list: kind,
            release_id: Number(r.release_id),
            master_id: null,
            artist: (r.artist as string | null) ?? null,
            artist_display: (r.artist_display as string | null) ?? null,
            title: (r.title as string | null) ?? null,
            label: (r.label as string | null) ?? null,
            format: (r.format as string | null) ?? null,
            released_year: (r.released_year as number | null) ?? null,
            media_condition: (r.media_condition as string | null) ?? null,
            sleeve_condition: (r.sleeve_condition as string | null) ?? null,
            genres: [],
            styles: [],
            source_line: (r.source_line as number | null) ?? null,
          });
        }
        if (kind === "collection") copies = read.rows.length;
        else wants = read.rows.length;
      }
    } catch (error) {
      if (files.strict || !(error instanceof UserFacingError)) throw error;
      sources.push({
        collection: name,
        source,
        status: "skipped",
        // The first line says it; the header dump below it is for a single file's error.
        reason: messageOf(error).split("\n")[0],
        copies: 0,
        wants: 0,
      });
      continue;
    }
    const own = options.own;
    const ids = new Set(got.filter((r) => r.list === "collection").map((r) => r.release_id));
    if (own && own.size > 0 && ids.size > 0) {
      let same = 0;
      for (const id of ids) if (own.has(id)) same++;
      if (same >= 0.9 * ids.size && same >= 0.9 * own.size) {
        sources.push({
          collection: name,
          source,
          status: "skipped",
          reason: `this is your own collection (${same} of its ${ids.size} records are yours)`,
          copies,
          wants,
        });
        continue;
      }
    }
    if (copies === 0) {
      sources.push({
        collection: name,
        source,
        status: "skipped",
        reason: "a wantlist without a collection: used for trades only",
        copies,
        wants,
      });
    }
    const collection = unique(name);
    for (const r of got) rows.push({ ...r, collection });
    if (copies > 0) {
      sources.push({ collection, source, status: "compared", reason: null, copies, wants });
    }
    info(`${collection}: ${copies} copies, ${wants} wants from ${source}`);
  }

  // Usernames, through the cache and the budget.
  const pages = budgetedPages(db, {
    client: options.offline ? undefined : options.client,
    offline: options.offline ?? false,
    budget: options.budget ?? DEFAULT_TWIN_BUDGET,
  });
  // One collector once, however often (or in whatever case) the name was given.
  const users = [...new Map(options.names.map((n) => [n.toLowerCase(), n])).values()];
  for (const user of users) {
    const source = `discogs:${user}`;
    let copies;
    try {
      copies = await importCollection(pages, user);
    } catch (error) {
      const reason = userSkipReason(user, error);
      info(`${user}: skipped, ${reason}`);
      sources.push({ collection: user, source, status: "skipped", reason, copies: 0, wants: 0 });
      continue;
    }
    let wants;
    let note: string | null = null;
    try {
      wants = await importWantlist(pages, user);
    } catch (error) {
      note = `wantlist not read: ${userSkipReason(user, error).replace("collection", "wantlist")}`;
    }
    const collection = unique(user);
    const infos = new Map(
      [...copies.releases, ...(wants?.releases ?? [])].map((r) => [r.release_id, r]),
    );
    for (const r of copies.rows) {
      rows.push({
        collection,
        source,
        list: "collection",
        release_id: r.release_id,
        ...fromInfo(infos.get(r.release_id)),
        artist: r.artist,
        artist_display: r.artist_display,
        title: r.title,
        label: r.label,
        format: r.format,
        released_year: r.released_year,
        media_condition: r.media_condition,
        sleeve_condition: r.sleeve_condition,
        source_line: null,
      });
    }
    for (const r of wants?.rows ?? []) {
      rows.push({
        collection,
        source,
        list: "wantlist",
        release_id: r.release_id,
        ...fromInfo(infos.get(r.release_id)),
        artist: r.artist,
        artist_display: r.artist_display,
        title: r.title,
        label: r.label,
        format: r.format,
        released_year: r.released_year,
        media_condition: null,
        sleeve_condition: null,
        source_line: null,
      });
    }
    sources.push({
      collection,
      source,
      status: copies.rows.length > 0 ? "compared" : "skipped",
      reason: copies.rows.length > 0 ? note : "the collection is empty",
      copies: copies.rows.length,
      wants: wants?.rows.length ?? 0,
    });
    info(
      `${collection}: ${copies.rows.length} copies, ${wants?.rows.length ?? 0} wants on Discogs`,
    );
  }
  return { rows, sources, requests: pages.requests, fromCache: pages.fromCache };
}
