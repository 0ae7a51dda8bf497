/**
 * A fake Discogs API for tests and benchmarks: a real HTTP server on 127.0.0.1 (random port)
 * serving recorded bodies from `../shared/fixtures/api/` and a seeded synthetic catalogue
 * (`catalogue.ts`) built from the fixture pools, with Discogs' moving-window rate limit (the
 * real `X-Discogs-Ratelimit`, `-Used`, `-Remaining` headers and 429 body) over a configurable
 * window, and faults on demand. The real API is never involved.
 *
 * Point the client at it with `DISCOGS_API_URL=<url>` and give the client the same window with
 * `DISCOGS_RATE_WINDOW` (e.g. 60 requests per `2s` instead of per minute: the same pacing, 30×
 * faster).
 *
 * In a test:
 * ```ts
 * const { hidden, kept } = pickHidden((await loadCatalogue()).gustwIds, 0.2); // catalogue.ts
 * const fake = await startFakeDiscogs({ windowMs: 2000, users: { alice: { collection: kept } } });
 * fake.setFaults({ serverErrors: 3 }); // the next three requests get a 503
 * fake.consume(20);                    // another app just used 20 of this window
 * // … run the client against fake.url …
 * fake.requests;                       // every request: arrival time, path, auth yes/no, status
 * fake.catalogue;                      // what it serves: releasesOf(artistId), versionsOf(…), …
 * await fake.close();
 * ```
 *
 * As a process (kill/resume tests, benchmarks), printing its URL on stdout and serving until
 * killed:
 * `deno run -A tests/fake_discogs/server.ts --port 0 --window 2s --synthesize --log requests.jsonl`
 * (also `--authenticated-limit N`, `--anonymous-limit N`, `--slow-ms N`, `--retry-after S`,
 * `--user NAME=FILE` (repeatable; FILE is a JSON array of release ids, or
 * `{"collection": [...], "wants": [...], "token": "..."}`), `--seed N`, `--electronic-sample N`,
 * `--price-drift F` (prices move up to ±F per fetch of a release: see `driftMarket`)).
 *
 * The catalogue (see `catalogue.ts`): the 315 gustw releases (recorded bodies, real ids), the
 * 6,368 releases of `pools/marketplace_listings.csv` (real ids) and a seeded sample of 12,000
 * rows of `pools/electronic_1990s_releases.csv` (ids from 90,000,001), about 18,700 releases,
 * 9,300 masters, 12,700 artists and 6,500 labels; one name, one id; built once per process
 * (~0.7 s) and shared by every fake started in it. Every route below counts against the rate
 * limit, is logged, and takes the server-error, empty-body and slow faults.
 *
 * What it serves:
 * - `GET /releases/{id}`: the 315 recorded bodies of `releases/gustw_releases.jsonl` (byte for
 *   byte), the 100 of `greg-dubrow_releases_reserialized.jsonl`, the old samples in
 *   `endpoint_samples/releases/` (no market fields), every other catalogue release (a body made
 *   from the catalogue: community have/want/rating, lowest_price, num_for_sale, genres, styles,
 *   artists and labels with ids, master_id, year, formats, images), and, with `synthesize`, an
 *   invented body for any other id; else 404. `curr_abbr` converts `lowest_price` at fixed rates
 *   (recorded prices are taken as USD).
 * - `GET /database/search`: 401 `{"message": "You must authenticate to access this resource."}`
 *   without a token. Filters `type` (release, master, artist, label), `q` (artist, title, label
 *   and catno words), `title` ("Artist - Title"), `release_title`, `artist`, `label`, `catno`
 *   (words, by prefix, any case), `genre`, `style`, `format`, `country` (one value, any case),
 *   `year` (`1994` or `1990-1995`). Results shaped like Discogs' (id, type, title "Artist -
 *   Title", year as a string, country, format, label, genre, style, catno, barcode, master_id,
 *   master_url, resource_url, uri, thumb, cover_image, community {have, want}, and for releases
 *   format_quantity and formats); artists first, then labels, masters, releases, the most
 *   collected first. `per_page` ≤ 100 (default 50); `pagination.items` counts every match but
 *   only the first 10,000 can be reached: a page starting past them is 404
 *   `{"message": "Page not found"}` (Discogs' exact answer could not be confirmed from public
 *   sources; this is the shape of its other errors).
 * - `GET /masters/{id}` and `/masters/{id}/versions`, `GET /artists/{id}` and
 *   `/artists/{id}/releases`, `GET /labels/{id}` and `/labels/{id}/releases`: the recorded
 *   samples (masters 4242; artists 1, 2, 3; labels 1, 31405) re-paged at the requested size, and
 *   every catalogue master, artist and label; else 404. Listing items carry
 *   `stats.community {in_collection, in_wantlist}`. An artist's listing has one `master` item
 *   (with `main_release`) per master it has versions of and one `release` item per release
 *   without a master, sorted by `sort` (year, title, format; default year) and `sort_order`, as
 *   on Discogs: a release that is a version of a master is reached through
 *   `/masters/{id}/versions`. A label's listing has every release on it. A listing item's
 *   `format` is its formats' descriptions (`12"`, `LP, Album`); versions carry `major_formats`
 *   and can be filtered with `?format=Vinyl`. With `sublabels`, a label
 *   body lists its `sublabels` (and a sub-label its `parent_label`); with `artistCredits`, an
 *   artist's listing also has `release` items with other roles (`Appearance`,
 *   `UnofficialRelease`, …).
 * - `GET /marketplace/stats/{id}`: the recorded stats (249504, 1), else derived from the body.
 * - `GET /users/{u}/collection/folders/0/releases`, `/wants`, `/collection/fields` (paged with
 *   `page`/`per_page`, pagination URLs on the fake's own address). Users: `gustw` owns the 315
 *   gustw releases (4 pages of 100) and wants the 100 greg-dubrow ones; `example` is the recorded
 *   endpoint sample (3 copies, 3 wants); `DamIDhagor` the recorded collection with headers (one
 *   release in 7 folders); `private_digger` owns 5 releases, visible only with the token
 *   `owner-token`; plus every user of `users` / `--user` (any recorded or catalogue release ids;
 *   private when given a token). `basic_information` carries id, master_id (0 when none),
 *   master_url, resource_url, title, year, formats, labels (name, catno, id), artists (name, id),
 *   genres, styles, thumb, cover_image.
 *
 * Paged answers also carry Discogs' `Link` header (`<url>; rel="next"`, …); pagination URLs keep
 * the request's other parameters.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  artistListing,
  type Catalogue,
  type CatalogueOptions,
  entityBody,
  formatText,
  labelListing,
  loadCatalogue,
  masterBody,
  SEARCH_RESULT_LIMIT,
  searchCatalogue,
  type SearchHit,
  searchResult,
  versionsListing,
} from "./catalogue.ts";

const FIXTURES = new URL("../../../shared/fixtures/api/", import.meta.url);

/** Discogs' exact 429 body. */
export const TOO_MANY_REQUESTS = { message: "You are making requests too quickly." };

/** The message Discogs gives for a private list. */
export const MUST_AUTHENTICATE = { message: "You must authenticate to access this resource." };

/** What Discogs answers (403) for someone else's private collection. */
export const NOT_ALLOWED = {
  message:
    "You are not allowed to view this resource. Please authenticate as the owner to view this content.",
};

/** What Discogs answers for a search page past the results it lets anyone reach. */
export const PAGE_NOT_FOUND = { message: "Page not found" };

/** A user made up for a test: their collection (and wantlist) as catalogue release ids. */
export interface FakeUser {
  /** Release ids (catalogue or recorded); one copy each, in this order. */
  collection: number[];
  /** Release ids on the wantlist (default none). */
  wants?: number[];
  /** When given, the lists are private: only this token sees them. */
  token?: string;
  /**
   * The collection is private and no token sees it: 403 with Discogs' own words (what another
   * collector's private collection answers).
   */
  private?: boolean;
}

/** Faults to inject; counters are consumed one request at a time. */
export interface Faults {
  /** The next N requests get a server error. */
  serverErrors: number;
  /** The status of those errors (default 503). */
  serverErrorStatus: number;
  /** The next N release bodies are cut off mid-JSON. */
  malformedJson: number;
  /** The next N responses have an empty body (status 200). */
  emptyBodies: number;
  /** Every response waits this long first (after the request was counted). */
  slowMs: number;
  /** Send `Retry-After` (seconds) with 429s. */
  retryAfterSeconds: number | null;
  /** Release ids answered with 404. */
  notFound: Set<number>;
}

/** One request as the server saw it (never the token's value). */
export interface LoggedRequest {
  /** Arrival time (ms since the epoch): when the rate-limit window counted it. */
  at: number;
  /** When the response was sent. */
  respondedAt: number;
  /** Path and query. */
  path: string;
  /** Whether an `Authorization: Discogs token=…` header was present. */
  authorized: boolean;
  userAgent: string | null;
  status: number;
}

/** Options for {@link startFakeDiscogs}. */
export interface FakeOptions {
  /** The rate-limit window (default 2 s). */
  windowMs?: number;
  /** Requests per window with a token (default 60). */
  authenticatedLimit?: number;
  /** Requests per window without one (default 25). */
  anonymousLimit?: number;
  /** Invent a body for release ids that are not recorded (benchmarks with thousands of ids). */
  synthesize?: boolean;
  /** When given, any other token is refused with a 401. */
  validTokens?: string[];
  /** More users besides the built-in ones, e.g. `{ alice: { collection: kept } }`. */
  users?: Record<string, FakeUser>;
  /** Which synthetic catalogue to serve (seed, electronic sample size). */
  catalogue?: CatalogueOptions;
  port?: number;
  /** Append every logged request as a JSON line to this file (for cross-process tests). */
  logFile?: string;
  /** The clock the window counts by (default `Date.now`; tests share a virtual one). */
  now?: () => number;
  /**
   * Move market prices between fetches (e.g. 0.1: up to ±10% per fetch), so enriching twice
   * builds a price history with movers: see {@link driftMarket}.
   */
  priceDrift?: number;
  /**
   * Label hierarchy: parent label id → its sub-label ids. `GET /labels/{id}` then lists them in
   * `sublabels` (and a sub-label names its `parent_label`), as Discogs does.
   */
  sublabels?: Record<number, number[]>;
  /**
   * Credits beyond the main ones: artist id → releases the artist appears on with a role other
   * than `Main` (`Appearance`, `TrackAppearance`, `Remix`, `UnofficialRelease`, …); each is
   * listed in `GET /artists/{id}/releases` as a `release` item with that role.
   */
  artistCredits?: Record<number, { releaseId: number; role: string }[]>;
}

/** A running fake. */
export interface FakeDiscogs {
  url: string;
  port: number;
  /** Every request, in the order they were answered. */
  requests: LoggedRequest[];
  /** The catalogue it serves (shared by every fake of the process with the same options). */
  catalogue: Catalogue;
  /** The faults in force (mutable; see also {@link FakeDiscogs.setFaults}). */
  faults: Faults;
  /** Change some faults. */
  setFaults(faults: Partial<Faults>): void;
  /** Another app sharing the token (or the address): count `n` requests in the window now. */
  consume(n: number, authorized?: boolean): void;
  /** Change the limits mid-run (e.g. Discogs lowering them). */
  setLimits(authenticated: number, anonymous: number): void;
  close(): Promise<void>;
}

/** Fixed conversion rates from the recorded (USD) prices, so `curr_abbr` visibly matters. */
export const RATES_FROM_USD: Record<string, number> = {
  USD: 1,
  EUR: 0.92,
  GBP: 0.79,
  CAD: 1.36,
  AUD: 1.52,
  JPY: 150,
  CHF: 0.88,
  MXN: 17,
  BRL: 5,
  NZD: 1.65,
  SEK: 10.5,
  ZAR: 18.5,
};

type Json = Record<string, unknown>;

async function readJsonl(path: string): Promise<Map<number, string>> {
  const bodies = new Map<number, string>();
  for (const line of (await Deno.readTextFile(new URL(path, FIXTURES))).split("\n")) {
    if (line.trim() === "") continue;
    bodies.set(JSON.parse(line).id, line);
  }
  return bodies;
}

async function sample(path: string): Promise<Json | null> {
  try {
    return JSON.parse(await Deno.readTextFile(new URL(`endpoint_samples/${path}`, FIXTURES)));
  } catch {
    return null;
  }
}

/** Every item of a recorded paged endpoint (`artists/1/releases` → pages 1, 2, …). */
async function recordedItems(path: string, key: string): Promise<unknown[] | null> {
  const items: unknown[] = [];
  for (let n = 1;; n++) {
    const body = await sample(`${path}_per_page-50__page-${n}.json`);
    if (body === null) return n === 1 ? null : items;
    items.push(...((body[key] as unknown[]) ?? []));
  }
}

/** A deterministic invented release body (for ids nobody recorded). */
export function synthesizedRelease(id: number): Json {
  const styles = [
    "Dub",
    "Drum n Bass",
    "Jungle",
    "Roots Reggae",
    "Techno",
    "Ambient",
    "Deep House",
  ];
  const have = 20 + (id * 7919) % 3000;
  return {
    id,
    title: `Synthetic Release ${id}`,
    year: 1970 + (id % 55),
    country: ["UK", "US", "Jamaica", "Germany"][id % 4],
    artists: [{ name: `Artist ${id % 997}`, anv: "", join: "", id: 10_000 + (id % 997) }],
    labels: [{ name: `Label ${id % 211}`, catno: `SYN${id}`, id: 20_000 + (id % 211) }],
    formats: [{ name: "Vinyl", qty: "1", descriptions: ['12"'] }],
    genres: ["Electronic"],
    styles: [styles[id % styles.length]],
    community: {
      have,
      want: Math.round(have * (0.2 + (id % 13) / 10)),
      rating: { count: 10, average: 4.1 },
    },
    lowest_price: id % 31 === 0 ? null : Math.round((3 + (id % 97)) * 100) / 100,
    num_for_sale: id % 31 === 0 ? 0 : 1 + (id % 40),
    master_id: 500_000 + Math.floor(id / 3),
    uri: `https://www.discogs.com/release/${id}`,
    images: [{
      type: "primary",
      uri: `https://i.discogs.com/${id}.jpg`,
      uri150: `https://i.discogs.com/${id}-150.jpg`,
    }],
  };
}

/** A collection item (as in `/collection/folders/0/releases`) for a release body. */
function collectionItem(body: Json, index: number): Json {
  const images = body.images as { uri?: string; uri150?: string }[] | undefined;
  return {
    id: body.id,
    instance_id: 9_000_000 + index,
    folder_id: 1,
    rating: index % 9 === 0 ? 4 : 0,
    date_added: new Date(Date.UTC(2020, 0, 1) + index * 86_400_000).toISOString().replace(
      ".000Z",
      "-00:00",
    ),
    notes: index % 3 === 0
      ? [
        { field_id: 1, value: "Near Mint (NM or M-)" },
        { field_id: 2, value: "Very Good Plus (VG+)" },
        { field_id: 4, value: "Red vinyl" },
      ]
      : [],
    basic_information: {
      id: body.id,
      master_id: body.master_id ?? 0,
      master_url: body.master_url ?? null,
      resource_url: body.resource_url ?? null,
      title: body.title,
      year: body.year,
      artists: body.artists,
      labels: body.labels,
      formats: body.formats,
      genres: body.genres,
      styles: body.styles,
      thumb: body.thumb ?? images?.[0]?.uri150 ?? "",
      cover_image: images?.[0]?.uri ?? "",
    },
  };
}

/**
 * One page of `total` items (`slice(from, to)` gives them), with pagination URLs on `base` (the
 * fake's own address) keeping the request's other parameters, and the matching `Link` header.
 */
function paged(
  total: number,
  slice: (from: number, to: number) => unknown[],
  pageNo: number,
  perPage: number,
  base: string,
  key: string,
  query?: URLSearchParams,
): [number, Json, Record<string, string>] {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const rest = new URLSearchParams(query);
  rest.delete("page");
  rest.delete("per_page");
  const extra = rest.size > 0 ? `&${rest}` : "";
  const link = (n: number) => `${base}?page=${n}&per_page=${perPage}${extra}`;
  const urls: Record<string, string> = {};
  if (pageNo > 1) Object.assign(urls, { first: link(1), prev: link(pageNo - 1) });
  if (pageNo < pages) Object.assign(urls, { next: link(pageNo + 1), last: link(pages) });
  const header = Object.entries(urls).map(([rel, url]) => `<${url}>; rel="${rel}"`).join(", ");
  return [
    200,
    {
      pagination: { page: pageNo, pages, per_page: perPage, items: total, urls },
      [key]: slice((pageNo - 1) * perPage, pageNo * perPage),
    },
    header ? { link: header } : {},
  ];
}

/** One page of `items` (see {@link paged}). */
function page(
  items: unknown[],
  pageNo: number,
  perPage: number,
  base: string,
  key: string,
  query?: URLSearchParams,
) {
  return paged(items.length, (a, b) => items.slice(a, b), pageNo, perPage, base, key, query);
}

/** `lowest_price` (a number or `{value, currency}`) converted from USD to `currency`. */
function convertPrice(price: unknown, currency: string): unknown {
  const rate = RATES_FROM_USD[currency] ?? 1;
  const round = (v: number) => Math.round(v * rate * 100) / 100;
  if (typeof price === "number") return round(price);
  if (price && typeof price === "object" && typeof (price as Json).value === "number") {
    return { value: round((price as Json).value as number), currency };
  }
  return price;
}

/** A deterministic number in [0, 1) from a release id and a fetch number. */
function unit(id: number, n: number, salt: number): number {
  let h = Math.imul(id ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n + salt, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2d);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/**
 * The market of the `fetch`-th fetch (1 = as recorded) of release `id` under `drift`: each
 * release has its own trend of up to ±`drift` per fetch plus noise of half that, a copy for sale
 * comes or goes now and then, and one release in 12 has none for sale on an even fetch. The
 * same id and fetch always give the same prices.
 */
export function driftMarket(
  body: Record<string, unknown>,
  id: number,
  fetch: number,
  drift: number,
): Record<string, unknown> {
  if (fetch <= 1 || drift <= 0) return body;
  const price = typeof body.lowest_price === "number" ? body.lowest_price : null;
  const forSale = typeof body.num_for_sale === "number" ? body.num_for_sale : null;
  const trend = (unit(id, 0, 1) * 2 - 1) * drift;
  let factor = 0;
  for (let k = 2; k <= fetch; k++) factor += trend + (unit(id, k, 2) - 0.5) * drift;
  let sale = forSale;
  if (sale !== null) {
    sale = Math.max(0, sale + Math.round((unit(id, fetch, 3) - 0.5) * 4 * (fetch - 1)));
    if (id % 12 === 0 && fetch % 2 === 0) sale = 0;
  }
  return {
    ...body,
    lowest_price: price === null || sale === 0
      ? null
      : Math.round(price * Math.exp(factor) * 100) / 100,
    num_for_sale: sale,
  };
}

/** Start the fake on 127.0.0.1. */
export async function startFakeDiscogs(options: FakeOptions = {}): Promise<FakeDiscogs> {
  const windowMs = options.windowMs ?? 2000;
  const now = options.now ?? Date.now;
  let limits = {
    authenticated: options.authenticatedLimit ?? 60,
    anonymous: options.anonymousLimit ?? 25,
  };
  const catalogue = await loadCatalogue(options.catalogue);
  // The catalogue already holds gustw's recorded bodies, byte for byte.
  const gustw = new Map(catalogue.gustwIds.map((id) => [id, catalogue.recordedBody(id)!]));
  const greg = await readJsonl("releases/greg-dubrow_releases_reserialized.jsonl");
  const releases = new Map([...greg, ...gustw]);
  for (const id of [1, 2, 3, 79, 3329867]) {
    const body = await sample(`releases/${id}.json`);
    if (body) releases.set(id, JSON.stringify(body));
  }
  const gustwBodies = [...gustw.values()].map((b) => JSON.parse(b) as Json);
  const collections = new Map<string, unknown[]>([
    ["gustw", gustwBodies.map(collectionItem)],
    ["private_digger", gustwBodies.slice(0, 5).map(collectionItem)],
  ]);
  const wants = new Map<string, unknown[]>([
    [
      "gustw",
      [...greg.values()].map((b, i) => {
        const item = collectionItem(JSON.parse(b), i);
        return {
          id: item.id,
          rating: 0,
          notes: i % 4 === 0 ? "must find" : "",
          date_added: item.date_added,
          basic_information: item.basic_information,
        };
      }),
    ],
    ["private_digger", []],
  ]);
  const example = await sample(
    "users/example/collection/folders/0/releases_page-1__per_page-50.json",
  );
  if (example) collections.set("example", example.releases as unknown[]);
  const exampleWants = await sample("users/example/wants_per_page-50__page-1.json");
  if (exampleWants) wants.set("example", exampleWants.wants as unknown[]);
  const recording = JSON.parse(
    await Deno.readTextFile(
      new URL(
        "recordings_with_headers/Collection.CollectionFolderReleasesTests.GetCollectionFolderReleases_ShouldReturnSortedReleases_WhenSortParametersAreValid.json",
        FIXTURES,
      ),
    ),
  );
  collections.set("DamIDhagor", JSON.parse(recording[0].responseBody).releases);
  wants.set("DamIDhagor", []);
  const statsRecording = JSON.parse(
    await Deno.readTextFile(
      new URL(
        "recordings_with_headers/Marketplace.GetMarketplaceStatsTests.GetMarketplaceStats_ShouldReturnStats_WhenReleaseHasItemsForSale.json",
        FIXTURES,
      ),
    ),
  );
  const recordedStats = new Map<number, Json>([
    [249504, JSON.parse(statsRecording[0].responseBody)],
  ]);
  const stats1 = await sample("marketplace/stats/1.json");
  if (stats1) recordedStats.set(1, stats1);
  const privateOwners = new Map([["private_digger", "owner-token"]]);
  const closedUsers = new Set(
    Object.entries(options.users ?? {}).filter(([, u]) => u.private).map(([name]) => name),
  );
  // Made-up users: every id must be known now; their items are made once the port is known.
  for (const [user, spec] of Object.entries(options.users ?? {})) {
    for (const id of [...spec.collection, ...(spec.wants ?? [])]) {
      if (!releases.has(id) && !catalogue.releases.has(id)) {
        throw new Error(`user ${user}: release ${id} is neither recorded nor in the catalogue`);
      }
    }
  }
  /** The last searches' hits: clients walk a query page by page. */
  const searches = new Map<string, SearchHit[]>();
  const searchHits = (query: URLSearchParams): SearchHit[] => {
    const params = new URLSearchParams(query);
    params.delete("page");
    params.delete("per_page");
    params.sort();
    const key = params.toString();
    let hits = searches.get(key);
    if (hits === undefined) {
      hits = searchCatalogue(catalogue, params);
      if (searches.size >= 32) searches.delete(searches.keys().next().value!);
      searches.set(key, hits);
    }
    return hits;
  };
  const fields = {
    default: [
      { id: 1, name: "Media Condition", type: "dropdown", public: true, position: 1 },
      { id: 2, name: "Sleeve Condition", type: "dropdown", public: true, position: 2 },
      { id: 3, name: "Notes", type: "textarea", public: true, position: 3 },
    ],
    gustw: [{ id: 4, name: "Colour", type: "textarea", public: true, position: 4 }],
  };

  const counted = { authenticated: [] as number[], anonymous: [] as number[] };
  /** How often each release body has been served (for `priceDrift`). */
  const fetches = new Map<number, number>();
  const requests: LoggedRequest[] = [];
  const faults: Faults = {
    serverErrors: 0,
    serverErrorStatus: 503,
    malformedJson: 0,
    emptyBodies: 0,
    slowMs: 0,
    retryAfterSeconds: null,
    notFound: new Set(),
  };
  const encoder = new TextEncoder();
  const logFile = options.logFile
    ? await Deno.open(options.logFile, { append: true, create: true })
    : null;

  function inWindow(list: number[], now: number): number {
    while (list.length > 0 && list[0] <= now - windowMs) list.shift();
    return list.length;
  }

  function json(status: number, body: unknown, headers: Record<string, string>): Response {
    return new Response(typeof body === "string" ? body : JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });
  }

  const notFound = (what: string) => ({ message: `${what} not found.` });

  /** Add `sublabels` / `parent_label` to a label body from {@link FakeOptions.sublabels}. */
  function labelFamily(body: Json, id: number, origin: string): void {
    const ref = (labelId: number) => ({
      id: labelId,
      name: catalogue.labels.get(labelId)?.name ?? `Label ${labelId}`,
      resource_url: `${origin}/labels/${labelId}`,
    });
    const children = options.sublabels?.[id];
    if (children) body.sublabels = children.map(ref);
    const parent = Object.entries(options.sublabels ?? {}).find(([, c]) => c.includes(id));
    if (parent) body.parent_label = ref(Number(parent[0]));
  }

  /** `release` items for an artist's credits other than Main ({@link FakeOptions.artistCredits}). */
  function creditItems(artistId: number, origin: string): Json[] {
    return (options.artistCredits?.[artistId] ?? []).flatMap(({ releaseId, role }) => {
      const r = catalogue.release(releaseId);
      if (!r) return [];
      return [{
        id: r.id,
        title: r.title,
        type: "release",
        artist: r.artists.map((a) => a.name).join(" & "),
        role,
        resource_url: `${origin}/releases/${r.id}`,
        year: r.year,
        thumb: r.thumb,
        status: "Accepted",
        format: formatText(r.formats),
        label: r.labels.map((l) => l.name).join(", "),
        stats: {
          community: { in_wantlist: r.want, in_collection: r.have },
          user: { in_wantlist: 0, in_collection: 0 },
        },
      }];
    });
  }

  /** Answer a request that has been counted against the window: status, body, headers. */
  async function answer(
    request: Request,
    token: string | null,
  ): Promise<[number, unknown, Record<string, string>?]> {
    const url = new URL(request.url);
    // Like Discogs: no User-Agent, no content.
    if (!request.headers.get("user-agent")) return [200, ""];
    if (options.validTokens && token !== null && !options.validTokens.includes(token)) {
      return [401, { message: "Invalid consumer token. Please register an app." }];
    }
    if (faults.serverErrors > 0) {
      faults.serverErrors--;
      return [faults.serverErrorStatus, { message: "Service Unavailable" }];
    }
    if (faults.emptyBodies > 0) {
      faults.emptyBodies--;
      return [200, ""];
    }
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page") ?? 50)));
    const pageNo = Math.max(1, Number(url.searchParams.get("page") ?? 1));
    const currency = url.searchParams.get("curr_abbr") ?? "USD";
    const path = url.pathname;
    const base = `${url.origin}${path}`;
    const origin = url.origin;
    let m: RegExpMatchArray | null;
    if ((m = path.match(/^\/releases\/(\d+)$/))) {
      const id = Number(m[1]);
      const body = faults.notFound.has(id) ? undefined : releases.get(id) ??
        catalogue.releaseBody(id, origin) ??
        (options.synthesize ? JSON.stringify(synthesizedRelease(id)) : undefined);
      if (body === undefined) return [404, notFound("Release")];
      let text = body;
      const fetchNo = (fetches.get(id) ?? 0) + 1;
      fetches.set(id, fetchNo);
      if (options.priceDrift && fetchNo > 1) {
        text = JSON.stringify(driftMarket(JSON.parse(body), id, fetchNo, options.priceDrift));
      }
      if (currency !== "USD") {
        const parsed = JSON.parse(text);
        if ("lowest_price" in parsed) {
          parsed.lowest_price = convertPrice(parsed.lowest_price, currency);
        }
        text = JSON.stringify(parsed);
      }
      if (faults.malformedJson > 0) {
        faults.malformedJson--;
        return [200, text.slice(0, Math.floor(text.length / 2))];
      }
      return [200, text];
    }
    if ((m = path.match(/^\/marketplace\/stats\/(\d+)$/))) {
      const id = Number(m[1]);
      const recorded = recordedStats.get(id);
      if (recorded) {
        return [200, { ...recorded, lowest_price: convertPrice(recorded.lowest_price, currency) }];
      }
      const body = releases.get(id) ?? catalogue.releaseBody(id, origin) ??
        (options.synthesize ? JSON.stringify(synthesizedRelease(id)) : undefined);
      if (body === undefined) return [404, notFound("Release")];
      const release = JSON.parse(body);
      const price = typeof release.lowest_price === "number" ? release.lowest_price : null;
      return [200, {
        lowest_price: price === null ? null : convertPrice({ value: price }, currency),
        num_for_sale: release.num_for_sale ?? null,
        blocked_from_sale: false,
      }];
    }
    if (
      (m = path.match(
        /^\/users\/([^/]+)\/(collection\/folders\/0\/releases|wants|collection\/fields)$/,
      ))
    ) {
      const user = decodeURIComponent(m[1]);
      const owner = privateOwners.get(user);
      if (owner !== undefined && token !== owner) return [401, MUST_AUTHENTICATE];
      if (closedUsers.has(user)) return [403, NOT_ALLOWED];
      const kind = m[2];
      if (kind === "collection/fields") {
        if (!collections.has(user)) return [404, notFound("User")];
        return [200, {
          fields: [...fields.default, ...(user === "gustw" ? fields.gustw : [])],
        }];
      }
      const items = (kind === "wants" ? wants : collections).get(user);
      if (items === undefined) {
        return [404, { message: "User does not exist or may have been deleted." }];
      }
      return page(items, pageNo, perPage, base, kind === "wants" ? "wants" : "releases");
    }
    if (path === "/database/search") {
      if (token === null) return [401, MUST_AUTHENTICATE];
      // Discogs serves the first 10,000 results of a query and no further page.
      if ((pageNo - 1) * perPage >= SEARCH_RESULT_LIMIT) return [404, PAGE_NOT_FOUND];
      const hits = searchHits(url.searchParams);
      return paged(
        hits.length,
        (from, to) =>
          hits.slice(from, Math.min(to, SEARCH_RESULT_LIMIT)).map((hit) =>
            searchResult(catalogue, hit, origin)
          ),
        pageNo,
        perPage,
        base,
        "results",
        url.searchParams,
      );
    }
    const what = { masters: "Master Release", artists: "Artist", labels: "Label" };
    if ((m = path.match(/^\/(masters|artists|labels)\/(\d+)$/))) {
      const kind = m[1] as keyof typeof what;
      const id = Number(m[2]);
      const body = await sample(`${kind}/${id}.json`) ??
        (kind === "masters"
          ? masterBody(catalogue, id, origin)
          : entityBody(catalogue, kind === "artists" ? "artist" : "label", id, origin));
      if (body !== undefined && kind === "labels") labelFamily(body, id, origin);
      return body === undefined ? [404, notFound(what[kind])] : [200, body];
    }
    if ((m = path.match(/^\/(masters|artists|labels)\/(\d+)\/(versions|releases)$/))) {
      const [, kind, id, list] = m;
      if ((kind === "masters") !== (list === "versions")) return [404, notFound("Resource")];
      // Recorded listings first (their ids are outside the catalogue's), then the catalogue's.
      const entity = await sample(`${kind}/${id}.json`);
      let items: unknown[] | undefined;
      if (entity !== null) items = await recordedItems(`${kind}/${id}/${list}`, list) ?? [];
      else {
        const sort = url.searchParams.get("sort");
        const order = url.searchParams.get("sort_order");
        items = kind === "masters"
          ? versionsListing(catalogue, Number(id), origin)
          : kind === "artists"
          ? artistListing(catalogue, Number(id), origin, sort, order)
          : labelListing(catalogue, Number(id), origin, sort, order);
      }
      if (items === undefined) return [404, notFound(what[kind as keyof typeof what])];
      if (kind === "artists" && entity === null) {
        items = [...items, ...creditItems(Number(id), origin)];
      }
      // Discogs filters versions by `format` (a major format: Vinyl, CD, Cassette, …).
      const format = url.searchParams.get("format")?.trim().toLowerCase();
      if (kind === "masters" && format) {
        items = items.filter((v) =>
          ((v as Json).major_formats as string[] | undefined)?.some((f) =>
            f.toLowerCase() === format
          )
        );
      }
      return page(items, pageNo, perPage, base, list, url.searchParams);
    }
    return [404, { message: "The requested resource was not found." }];
  }

  async function handle(request: Request): Promise<Response> {
    const arrived = now();
    const auth = request.headers.get("authorization");
    const token = auth?.match(/^Discogs token=(.+)$/)?.[1] ?? null;
    const authorized = token !== null;
    const bucket = authorized ? counted.authenticated : counted.anonymous;
    const limit = authorized ? limits.authenticated : limits.anonymous;
    let response: Response;
    if (inWindow(bucket, arrived) >= limit) {
      const headers: Record<string, string> = {
        "x-discogs-ratelimit": String(limit),
        "x-discogs-ratelimit-used": String(limit),
        "x-discogs-ratelimit-remaining": "0",
      };
      if (faults.retryAfterSeconds !== null) {
        headers["retry-after"] = String(faults.retryAfterSeconds);
      }
      response = json(429, TOO_MANY_REQUESTS, headers);
    } else {
      bucket.push(arrived);
      const used = inWindow(bucket, arrived);
      const rate = {
        "x-discogs-ratelimit": String(limit),
        "x-discogs-ratelimit-used": String(used),
        "x-discogs-ratelimit-remaining": String(Math.max(0, limit - used)),
      };
      if (faults.slowMs > 0) await new Promise((r) => setTimeout(r, faults.slowMs));
      const [status, body, headers] = await answer(request, token);
      response = body === ""
        ? new Response("", { status, headers: rate })
        : json(status, body, { ...rate, ...headers });
    }
    const url = new URL(request.url);
    const entry: LoggedRequest = {
      at: arrived,
      respondedAt: now(),
      path: url.pathname + url.search,
      authorized,
      userAgent: request.headers.get("user-agent"),
      status: response.status,
    };
    requests.push(entry);
    logFile?.writeSync(encoder.encode(JSON.stringify(entry) + "\n"));
    return response;
  }

  /** The lists of the made-up users, with catalogue `resource_url`s on `origin`. */
  function addUsers(origin: string): void {
    for (const [user, spec] of Object.entries(options.users ?? {})) {
      const bodyOf = (id: number) =>
        JSON.parse(releases.get(id) ?? catalogue.releaseBody(id, origin)!) as Json;
      collections.set(user, spec.collection.map((id, i) => collectionItem(bodyOf(id), i)));
      wants.set(
        user,
        (spec.wants ?? []).map((id, i) => {
          const item = collectionItem(bodyOf(id), i);
          return {
            id: item.id,
            rating: 0,
            notes: "",
            date_added: item.date_added,
            basic_information: item.basic_information,
          };
        }),
      );
      if (spec.token !== undefined) privateOwners.set(user, spec.token);
      else privateOwners.delete(user);
    }
  }

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port ?? 0, onListen() {} },
    handle,
  );
  const port = server.addr.port;
  // Synchronously, before any request can be answered: catalogue bodies name this address.
  addUsers(`http://127.0.0.1:${port}`);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    catalogue,
    faults,
    setFaults(changes) {
      Object.assign(faults, changes);
    },
    consume(n, authorized = true) {
      const at = now();
      for (let i = 0; i < n; i++) {
        (authorized ? counted.authenticated : counted.anonymous).push(at);
      }
    },
    setLimits(authenticated, anonymous) {
      limits = { authenticated, anonymous };
    },
    async close() {
      await server.shutdown();
      logFile?.close();
    },
  };
}

/** Largest number of requests inside any window of `windowMs` in a request log (by time). */
export function maxInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/**
 * Requests in each whole window of `windowMs` after `from` (consecutive, non-overlapping), up
 * to the last request: how many the client managed per window.
 */
export function requestsPerWindow(times: number[], windowMs: number, from: number): number[] {
  const last = Math.max(...times);
  const counts: number[] = [];
  for (let start = from; start + windowMs <= last; start += windowMs) {
    counts.push(times.filter((t) => t >= start && t < start + windowMs).length);
  }
  return counts;
}

/**
 * `--user NAME=FILE` flags as {@link FakeOptions.users}: FILE holds a JSON array of release ids
 * (the collection) or `{ "collection": [...], "wants": [...], "token": "..." }`.
 */
export async function readUserFlags(flags: string[]): Promise<Record<string, FakeUser>> {
  const users: Record<string, FakeUser> = {};
  for (const flag of flags) {
    const at = flag.indexOf("=");
    if (at <= 0) throw new Error(`--user ${flag}: expected NAME=FILE`);
    const file = flag.slice(at + 1);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await Deno.readTextFile(file));
    } catch (error) {
      throw new Error(`--user ${flag}: cannot read ${file} as JSON (${(error as Error).message})`);
    }
    const spec = (Array.isArray(parsed) ? { collection: parsed } : parsed) as FakeUser;
    if (!Array.isArray(spec.collection) || !spec.collection.every(Number.isInteger)) {
      throw new Error(`--user ${flag}: ${file} must hold release ids (or { "collection": [...] })`);
    }
    users[flag.slice(0, at)] = spec;
  }
  return users;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      port: { type: "string", default: "0" },
      window: { type: "string", default: "2s" },
      synthesize: { type: "boolean", default: false },
      log: { type: "string" },
      "authenticated-limit": { type: "string", default: "60" },
      "anonymous-limit": { type: "string", default: "25" },
      "slow-ms": { type: "string", default: "0" },
      "retry-after": { type: "string" },
      user: { type: "string", multiple: true },
      seed: { type: "string" },
      "electronic-sample": { type: "string" },
      "price-drift": { type: "string" },
    },
  });
  const { parseRateWindow } = await import("../../lib/discogs/ratelimit.ts");
  const whole = (flag: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new Error(`${flag} ${value}: expected a whole number`);
    return Number(value);
  };
  let fake: FakeDiscogs;
  try {
    fake = await startFakeDiscogs({
      users: await readUserFlags(values.user ?? []),
      catalogue: {
        seed: whole("--seed", values.seed),
        electronicSample: whole("--electronic-sample", values["electronic-sample"]),
      },
      port: Number(values.port),
      windowMs: parseRateWindow(values.window!, "--window"),
      synthesize: values.synthesize,
      logFile: values.log,
      authenticatedLimit: Number(values["authenticated-limit"]),
      anonymousLimit: Number(values["anonymous-limit"]),
      priceDrift: values["price-drift"] === undefined ? undefined : Number(values["price-drift"]),
    });
  } catch (error) {
    // One line for the person running it, not a stack trace.
    console.error(`fake Discogs: ${error instanceof Error ? error.message : error}`);
    Deno.exit(2);
  }
  fake.setFaults({
    slowMs: Number(values["slow-ms"]),
    retryAfterSeconds: values["retry-after"] === undefined ? null : Number(values["retry-after"]),
  });
  console.log(fake.url);
}
