/**
 * A user's collection (folder 0: every folder) and wantlist through the API, as rows with
 * exactly the columns the CSV ingest produces, formatted the way Discogs' own CSV export writes
 * them (artist credits with their joins, `2xLP, Album, RE` formats, catalog numbers without
 * repeats), so later stages cannot tell an API import from an export.
 *
 * Each item also carries the release's `basic_information` (artists and labels with their
 * Discogs ids, genres, styles, master id, year, formats): {@link importCollection} and
 * {@link importWantlist} return it as {@link ReleaseInfo} rows, so taste can be learnt before the
 * per-release market requests have run.
 *
 * Pages come from a {@link ListPages}: the client itself, {@link cachingPages} (the client, each
 * page saved in `http_cache` under its path) or {@link cachedPages} (the cache only, for
 * `--offline`: no request is ever sent).
 *
 * @example
 * ```ts
 * const client = DiscogsClient.fromEnv();
 * const copies = await fetchCollection(client, "example");   // CollectionRow[]
 * const wanted = await fetchWantlist(client, "example");     // WantlistRow[]
 * const { copies: again, releases } = await importCollection(cachedPages(db), "example");
 * ```
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { InputError } from "../errors.ts";
import { ensureCache, getResponse, putResponse } from "./cache.ts";
import { DiscogsError } from "./client.ts";
import { asCount, asList, asText, normalizeRelease, withoutDiscogsSuffix } from "./release.ts";

/** Items asked for per page (Discogs' maximum). */
export const LIST_PAGE_SIZE = 100;

/** Where list pages come from: a {@link DiscogsClient} satisfies this as it is. */
export interface ListPages {
  /** GET `path` (relative to the API base) and parse it; throws a {@link DiscogsError}. */
  get(path: string): Promise<{ json: unknown; bodyText: string }>;
}

/** Path of one page of a user's whole collection (folder 0): also its cache key. */
export function collectionPagePath(username: string, page: number): string {
  return `/users/${
    encodeURIComponent(username)
  }/collection/folders/0/releases?page=${page}&per_page=${LIST_PAGE_SIZE}`;
}

/** Path of one page of a user's wantlist: also its cache key. */
export function wantsPagePath(username: string, page: number): string {
  return `/users/${encodeURIComponent(username)}/wants?page=${page}&per_page=${LIST_PAGE_SIZE}`;
}

/** Path of a user's collection fields (names of custom notes fields). */
export function collectionFieldsPath(username: string): string {
  return `/users/${encodeURIComponent(username)}/collection/fields`;
}

/**
 * The client's pages, each successful one saved in `http_cache` under its path (never the
 * token: it travels only in a header), so `--offline` can replay the import later.
 */
export function cachingPages(db: Database, client: ListPages): ListPages {
  return {
    async get(path) {
      const response = await client.get(path);
      await ensureCache(db);
      await putResponse(db, {
        url: path,
        status: 200,
        body: response.bodyText,
        fetchedAt: new Date(),
        source: "api",
      });
      return response;
    },
  };
}

/**
 * Pages from `http_cache` only: no request is ever sent. A page the cache lacks is an
 * {@link InputError} naming the list and the online command that caches it (`command`, default
 * `deno task ingest`).
 */
export function cachedPages(db: Database, command = "deno task ingest"): ListPages {
  return {
    async get(path) {
      await ensureCache(db);
      const cached = await getResponse(db, path);
      if (cached && cached.status === 200 && cached.body !== null) {
        try {
          return { json: JSON.parse(cached.body), bodyText: cached.body };
        } catch { /* reported below, like a missing page */ }
      }
      const list = path.match(/^\/users\/([^/?]+)\/(collection\/fields|collection|wants)/);
      if (list && list[2] === "collection/fields") {
        // Only names of custom fields: the import falls back to field_<id>.
        throw new DiscogsError("not_found", `not cached: ${path}`, null, path);
      }
      const user = list ? decodeURIComponent(list[1]) : "?";
      const flag = list?.[2] === "wants" ? "--wantlist-of" : "--username";
      const what = list?.[2] === "wants" ? "wantlist" : "collection";
      const page = Number(new URLSearchParams(path.split("?")[1] ?? "").get("page") ?? 1);
      throw new InputError(
        `--offline: the workspace ${db.path} has ${
          page > 1
            ? `only part of ${user}'s ${what} (page ${page} is missing)`
            : `no ${what} of ${JSON.stringify(user)} cached`
        }; run \`${command} ${flag} ${user}\` once without --offline to fetch and cache it`,
      );
    },
  };
}

/** A `collection` table row (see lib/ingest/schema.sql). */
export interface CollectionRow {
  /** `instance:<instance_id>`: one per copy, so a record owned twice is two rows. */
  instance_key: string;
  instance_id: number | null;
  release_id: number;
  /** The credit as Discogs writes it, disambiguation suffixes included: `Orion (2) Featuring …`. */
  artist: string | null;
  /** The same credit without ` (N)` suffixes. */
  artist_display: string | null;
  title: string | null;
  label: string | null;
  catalog_number: string | null;
  /** Discogs' short format, e.g. `2xLP, Album, RE, Gat`. */
  format: string | null;
  /** Null when Discogs says 0 (unknown). */
  released_year: number | null;
  /** The folder id, as text. */
  folder: string | null;
  date_added: Date | null;
  media_condition: string | null;
  sleeve_condition: string | null;
  notes: string | null;
  /** Null when unrated (0). */
  rating: number | null;
  /** Notes fields other than the conditions and Notes, by field name (`field_<id>` if unknown). */
  custom_fields: Record<string, string>;
  /** `discogs:<username>`. */
  source_file: string;
  source_line: number | null;
}

/** A `wantlist` table row. */
export interface WantlistRow {
  release_id: number;
  artist: string | null;
  artist_display: string | null;
  title: string | null;
  label: string | null;
  catalog_number: string | null;
  format: string | null;
  released_year: number | null;
  rating: number | null;
  notes: string | null;
  date_added: Date | null;
  source_file: string;
  source_line: number | null;
}

type Item = Record<string, unknown>;

/** Discogs' default collection notes fields. */
const MEDIA_CONDITION_FIELD = 1;
const SLEEVE_CONDITION_FIELD = 2;
const NOTES_FIELD = 3;

function objects(value: unknown): Item[] {
  return asList(value).filter((v): v is Item => typeof v === "object" && v !== null);
}

/**
 * An artist credit joined the way Discogs writes it: `A & B`, `A Featuring B / C`, `A, B`.
 * `display` drops the ` (N)` disambiguation suffixes.
 *
 * @example
 * ```ts
 * artistCredit([{ name: "Orion (2)", join: "Featuring" }, { name: "Royal (4)", join: "" }]);
 * // { artist: "Orion (2) Featuring Royal (4)", display: "Orion Featuring Royal" }
 * ```
 */
export function artistCredit(artists: unknown): { artist: string | null; display: string | null } {
  const entries = objects(artists).filter((a) => asText(a.name) !== null);
  let artist = "";
  let display = "";
  entries.forEach((a, i) => {
    const name = asText(a.name)!;
    artist += name;
    display += withoutDiscogsSuffix(name);
    if (i < entries.length - 1) {
      const join = asText(a.join);
      const glue = join === null || join === "," ? ", " : ` ${join} `;
      artist += glue;
      display += glue;
    }
  });
  return { artist: artist || null, display: display || null };
}

/** How the export abbreviates format descriptions (checked against real export/API pairs). */
const ABBREVIATIONS: Record<string, string> = {
  "Compilation": "Comp",
  "Reissue": "RE",
  "Remastered": "RM",
  "Repress": "RP",
  "Limited Edition": "Ltd",
  "White Label": "W/Lbl",
  "Unofficial Release": "Unofficial",
  "Sampler": "Smplr",
  "Etched": "Etch",
  "Record Store Day": "RSD",
  "Maxi-Single": "Maxi",
  "Numbered": "Num",
  "Special Edition": "S/Edition",
  "Single Sided": "S/Sided",
  "Test Pressing": "TP",
  "Deluxe Edition": "Dlx",
  "Picture Disc": "Pic",
  "Mini-Album": "MiniAlbum",
  "Quadraphonic": "Quad",
  "Enhanced": "Enh",
  "Club Edition": "Club",
};

/** Descriptions the export leaves out: speeds, and stereo (the default). */
const OMITTED = new Set(["16 ⅔ RPM", "33 ⅓ RPM", "45 RPM", "78 RPM", "Stereo"]);

/** Descriptions that keep their place up front; the rest are sorted. */
const LEADING = new Set([
  "Album",
  "Mini-Album",
  "EP",
  "Single",
  "Maxi-Single",
  "Compilation",
  "Record Store Day",
  "Single Sided",
  "Sampler",
]);

/** A vinyl entry is named by its size or type instead of "Vinyl". */
const VINYL_SIZES = new Set(["LP", '12"', '10"', '7"']);

/** Format names the export shortens; `null` drops the name. */
const NAMES: Record<string, string | null> = {
  "All Media": null,
  "Cassette": "Cass",
  "Box Set": "Box",
};

/**
 * Discogs' short format string, as in the `Format` column of a collection export: one part per
 * format entry joined with ` + `; each part the quantity and size (`2xLP`) or name (`CD`), the
 * abbreviated descriptions, and the first three letters of the free text (`Gat` for Gatefold).
 *
 * @example
 * ```ts
 * shortFormat([{ name: "Vinyl", qty: "2", descriptions: ["LP", "Album", "Reissue"], text: "Gatefold" }]);
 * // "2xLP, Album, RE, Gat"
 * ```
 */
export function shortFormat(formats: unknown): string | null {
  const parts = objects(formats).map((f) => {
    const name = asText(f.name);
    const qty = asCount(f.qty) ?? 1;
    let descriptions = asList(f.descriptions).map(asText).filter((d): d is string => d !== null);
    let head: string | null = name === null ? null : name in NAMES ? NAMES[name] : name;
    if (name === "Vinyl") {
      const size = descriptions.find((d) => VINYL_SIZES.has(d));
      if (size !== undefined) {
        head = size;
        descriptions = descriptions.filter((d) => d !== size);
      }
    }
    descriptions = descriptions.filter((d) => !OMITTED.has(d));
    const leading = descriptions.filter((d) => LEADING.has(d)).map((d) => ABBREVIATIONS[d] ?? d);
    const rest = descriptions.filter((d) => !LEADING.has(d)).map((d) => ABBREVIATIONS[d] ?? d)
      .sort();
    const text = asText(f.text);
    return [
      head === null ? null : qty > 1 ? `${qty}x${head}` : head,
      ...leading,
      ...rest,
      text === null ? null : text.slice(0, 3),
    ].filter((p): p is string => p !== null && p !== "").join(", ");
  }).filter((p) => p !== "");
  return parts.length > 0 ? parts.join(" + ") : null;
}

function distinctJoined(values: (string | null)[]): string | null {
  const seen = [...new Set(values.filter((v): v is string => v !== null))];
  return seen.length > 0 ? seen.join(", ") : null;
}

/** The columns both lists share, from an item's `basic_information`. */
function identity(
  item: Item,
): Omit<WantlistRow, "rating" | "notes" | "source_file" | "source_line"> {
  const info =
    (typeof item.basic_information === "object" && item.basic_information !== null
      ? item.basic_information
      : {}) as Item;
  const labels = objects(info.labels);
  const { artist, display } = artistCredit(info.artists);
  const year = asCount(info.year);
  return {
    release_id: asCount(info.id) || asCount(item.id) || 0,
    artist,
    artist_display: display,
    title: asText(info.title),
    // The export lists every label (a label twice when it has two catalog numbers) but each
    // catalog number once.
    label: labels.map((l) => asText(l.name)).filter((n) => n !== null).join(", ") || null,
    catalog_number: distinctJoined(labels.map((l) => asText(l.catno))),
    format: shortFormat(info.formats),
    released_year: year === 0 ? null : year,
    date_added: dateOf(item.date_added),
  };
}

function dateOf(value: unknown): Date | null {
  const text = asText(value);
  if (!text) return null;
  const time = Date.parse(text);
  return Number.isFinite(time) ? new Date(time) : null;
}

/**
 * A release as an item's `basic_information` describes it (table `release_info`): the facts of
 * `releases` that need no market request, plus the artists' and labels' Discogs ids.
 */
export interface ReleaseInfo {
  release_id: number;
  master_id: number | null;
  title: string | null;
  /** Display credit, without ` (N)` suffixes, as in `releases.artist`. */
  artist: string | null;
  /** Artist names without suffixes, as in `releases.artists`. */
  artists: string[];
  /** Every credited artist with its Discogs id and raw name. */
  artist_credits: { id: number | null; name: string }[];
  labels: string[];
  label_credits: { id: number | null; name: string; catno: string | null }[];
  catalog_numbers: string[];
  /** As in `releases.formats` (`2×Vinyl, LP, Album`). */
  formats: string[];
  year: number | null;
  genres: string[];
  styles: string[];
  thumbnail_url: string | null;
  cover_url: string | null;
  /** `discogs:<username>:collection` or `discogs:<username>:wantlist`. */
  source: string;
  fetched_at: Date;
}

/** The {@link ReleaseInfo} of one list item, or null when it names no release. */
export function releaseInfoOf(item: unknown, source: string, fetchedAt: Date): ReleaseInfo | null {
  const info = (item as Item | null)?.basic_information;
  if (typeof info !== "object" || info === null) return null;
  // basic_information has the shape of a release body minus the market fields, so the release
  // normaliser reads it the same way the enriched bodies are read.
  const result = normalizeRelease(info, "", fetchedAt);
  if ("reject" in result) return null;
  const r = result.release;
  const credits = (value: unknown) =>
    objects(value).filter((c) => asText(c.name) !== null).map((c) => ({
      id: asCount(c.id) || null,
      name: asText(c.name)!,
      catno: asText(c.catno),
    }));
  return {
    release_id: r.releaseId,
    master_id: r.masterId,
    title: r.title,
    artist: r.artist,
    artists: r.artists,
    artist_credits: credits((info as Item).artists).map(({ id, name }) => ({ id, name })),
    labels: r.labels,
    label_credits: credits((info as Item).labels),
    catalog_numbers: r.catalogNumbers,
    formats: r.formats,
    year: r.year,
    genres: r.genres,
    styles: r.styles,
    thumbnail_url: r.thumbnailUrl,
    cover_url: r.coverUrl,
    source,
    fetched_at: fetchedAt,
  };
}

/** Every page of a list, `n` = 1, 2, … until `pagination.pages` (or an empty page). */
async function* pagesOf(
  pages: ListPages,
  path: (n: number) => string,
  key: string,
): AsyncGenerator<unknown[]> {
  for (let n = 1;; n++) {
    const { json } = await pages.get(path(n));
    const body = json as { pagination?: { pages?: unknown }; [k: string]: unknown };
    const items = Array.isArray(body?.[key]) ? body[key] as unknown[] : [];
    yield items;
    // An empty page ends it too, so a server that miscounts pages cannot loop us forever.
    if (!(n < Number(body?.pagination?.pages ?? 1)) || items.length === 0) return;
  }
}

/** A Discogs error with the user's name in it where that helps. */
function forUser(username: string, error: unknown): unknown {
  if (error instanceof DiscogsError && error.kind === "not_found") {
    return new DiscogsError(
      "not_found",
      `no Discogs user ${JSON.stringify(username)} (or the list is gone): check the username`,
      error.status,
      error.path,
    );
  }
  return error; // "private" already names the user and the token to set
}

/** Field id → name of a user's custom collection fields; empty when Discogs will not say. */
async function fieldNames(pages: ListPages, username: string): Promise<Map<number, string>> {
  try {
    const { json } = await pages.get(collectionFieldsPath(username));
    const names = new Map<number, string>();
    for (const f of objects((json as Item).fields)) {
      const id = asCount(f.id);
      const name = asText(f.name);
      if (id !== null && name !== null) names.set(id, name);
    }
    return names;
  } catch (error) {
    if (error instanceof DiscogsError) return new Map(); // fall back to field_<id> keys
    throw error;
  }
}

/** A list imported through the API: its rows and the `basic_information` of its releases. */
export interface ImportedList<Row> {
  rows: Row[];
  /** One per distinct release, in list order. */
  releases: ReleaseInfo[];
}

/** Collects each distinct release's {@link ReleaseInfo}. */
function infoCollector(source: string) {
  const fetchedAt = new Date();
  const byId = new Map<number, ReleaseInfo>();
  return {
    add(item: Item) {
      const info = releaseInfoOf(item, source, fetchedAt);
      if (info && !byId.has(info.release_id)) byId.set(info.release_id, info);
    },
    releases: () => [...byId.values()],
  };
}

/**
 * Every copy in `username`'s collection (folder 0), as `collection` rows, 100 per request.
 * A private collection without its owner's token is a {@link DiscogsError} of kind `private`.
 */
export async function fetchCollection(
  pages: ListPages,
  username: string,
): Promise<CollectionRow[]> {
  return (await importCollection(pages, username)).rows;
}

/** {@link fetchCollection}, with the `basic_information` of every release. */
export async function importCollection(
  pages: ListPages,
  username: string,
): Promise<ImportedList<CollectionRow>> {
  const rows: CollectionRow[] = [];
  const info = infoCollector(`discogs:${username}:collection`);
  // Names of custom fields cost one more request: asked only when a copy has such a field.
  let names: Map<number, string> | undefined;
  try {
    for await (
      const items of pagesOf(pages, (n) => collectionPagePath(username, n), "releases")
    ) {
      for (const item of objects(items)) {
        const base = identity(item);
        if (base.release_id === 0) continue;
        info.add(item);
        const notes = new Map<number, string>();
        for (const note of objects(item.notes)) {
          const id = asCount(note.field_id);
          const value = asText(note.value);
          if (id !== null && value !== null) notes.set(id, value);
        }
        const custom: Record<string, string> = {};
        for (const [id, value] of notes) {
          if ([MEDIA_CONDITION_FIELD, SLEEVE_CONDITION_FIELD, NOTES_FIELD].includes(id)) continue;
          names ??= await fieldNames(pages, username);
          custom[names.get(id) ?? `field_${id}`] = value;
        }
        const instanceId = asCount(item.instance_id);
        const rating = asCount(item.rating);
        rows.push({
          instance_key: instanceId !== null
            ? `instance:${instanceId}`
            : `${base.release_id}#${rows.length + 1}`,
          instance_id: instanceId,
          release_id: base.release_id,
          artist: base.artist,
          artist_display: base.artist_display,
          title: base.title,
          label: base.label,
          catalog_number: base.catalog_number,
          format: base.format,
          released_year: base.released_year,
          folder: asText(item.folder_id),
          date_added: base.date_added,
          media_condition: notes.get(MEDIA_CONDITION_FIELD) ?? null,
          sleeve_condition: notes.get(SLEEVE_CONDITION_FIELD) ?? null,
          notes: notes.get(NOTES_FIELD) ?? null,
          rating: rating === 0 ? null : rating,
          custom_fields: custom,
          source_file: `discogs:${username}`,
          source_line: null,
        });
      }
    }
  } catch (error) {
    throw forUser(username, error);
  }
  return { rows, releases: info.releases() };
}

/** Every release in `username`'s wantlist, as `wantlist` rows, 100 per request. */
export async function fetchWantlist(
  pages: ListPages,
  username: string,
): Promise<WantlistRow[]> {
  return (await importWantlist(pages, username)).rows;
}

/** {@link fetchWantlist}, with the `basic_information` of every release. */
export async function importWantlist(
  pages: ListPages,
  username: string,
): Promise<ImportedList<WantlistRow>> {
  const rows: WantlistRow[] = [];
  const info = infoCollector(`discogs:${username}:wantlist`);
  try {
    for await (const items of pagesOf(pages, (n) => wantsPagePath(username, n), "wants")) {
      for (const item of objects(items)) {
        const base = identity(item);
        if (base.release_id === 0) continue;
        info.add(item);
        const rating = asCount(item.rating);
        rows.push({
          ...base,
          rating: rating === 0 ? null : rating,
          notes: asText(item.notes),
          source_file: `discogs:${username}`,
          source_line: null,
        });
      }
    }
  } catch (error) {
    throw forUser(username, error);
  }
  return { rows, releases: info.releases() };
}
