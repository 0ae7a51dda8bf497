/**
 * A fake Discogs API for tests and benchmarks: a real HTTP server on 127.0.0.1 (random port)
 * serving recorded bodies from `../shared/fixtures/api/`, with Discogs' moving-window rate limit
 * (real `X-Discogs-Ratelimit*` headers and 429 body) over a configurable window, and faults on
 * demand. Point the client at it with `DISCOGS_API_URL=<url>` and `DISCOGS_RATE_WINDOW=<window>`.
 *
 * In a test:
 * ```ts
 * const fake = await startFakeDiscogs({ windowMs: 2000 });
 * fake.faults.serverErrors = 3; // the next three requests get a 503
 * // … run the client against fake.url …
 * await fake.close();
 * ```
 *
 * As a process (for kill/resume tests and benchmarks), printing its URL on stdout:
 * `deno run -A tests/fake_discogs/server.ts --window 2s --synthesize --log requests.jsonl`
 *
 * Users: `gustw` owns the 315 releases of the gustw recording (4 pages of 100) and wants the 100
 * releases of the greg-dubrow recording; `private_digger`'s collection and wants need the token
 * `owner-token`.
 *
 * @module
 */

import { parseArgs } from "node:util";

const FIXTURES = new URL("../../../shared/fixtures/api/", import.meta.url);

/** Discogs' exact 429 body. */
export const TOO_MANY_REQUESTS = { message: "You are making requests too quickly." };

/** Faults to inject; counters are consumed one request at a time. */
export interface Faults {
  /** The next N requests get a 503. */
  serverErrors: number;
  /** The next N release bodies are cut off mid-JSON. */
  malformedJson: number;
  /** The next N responses have an empty body. */
  emptyBodies: number;
  /** Every response waits this long first. */
  slowMs: number;
  /** Send `Retry-After` (seconds) with 429s. */
  retryAfterSeconds: number | null;
  /** Release ids answered with 404. */
  notFound: Set<number>;
}

/** One request as the server saw it (never the token's value). */
export interface LoggedRequest {
  at: number;
  path: string;
  authorized: boolean;
  userAgent: string | null;
  status: number;
}

/** Options for {@link startFakeDiscogs}. */
export interface FakeOptions {
  windowMs?: number;
  /** Requests per window with a token. */
  authenticatedLimit?: number;
  /** Requests per window without one. */
  anonymousLimit?: number;
  /** Invent a body for release ids that are not recorded (benchmarks with thousands of ids). */
  synthesize?: boolean;
  port?: number;
  /** Append every logged request as a JSON line to this file (for cross-process tests). */
  logFile?: string;
}

/** A running fake. */
export interface FakeDiscogs {
  url: string;
  port: number;
  requests: LoggedRequest[];
  faults: Faults;
  /** Another app sharing the token: count `n` requests in the window now. */
  consume(n: number, authorized?: boolean): void;
  /** Change the limits mid-run (e.g. Discogs lowering them). */
  setLimits(authenticated: number, anonymous: number): void;
  close(): Promise<void>;
}

async function readJsonl(path: string): Promise<Map<number, string>> {
  const bodies = new Map<number, string>();
  for (const line of (await Deno.readTextFile(new URL(path, FIXTURES))).split("\n")) {
    if (line.trim() === "") continue;
    bodies.set(JSON.parse(line).id, line);
  }
  return bodies;
}

async function sample(path: string): Promise<unknown | null> {
  try {
    return JSON.parse(await Deno.readTextFile(new URL(`endpoint_samples/${path}`, FIXTURES)));
  } catch {
    return null;
  }
}

/** A deterministic invented release body (for ids nobody recorded). */
export function synthesizedRelease(id: number): Record<string, unknown> {
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

function collectionItem(body: Record<string, unknown>, index: number): Record<string, unknown> {
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
      ? [{ field_id: 1, value: "Near Mint (NM or M-)" }, {
        field_id: 2,
        value: "Very Good Plus (VG+)",
      }, { field_id: 4, value: "Red vinyl" }]
      : [],
    basic_information: {
      id: body.id,
      master_id: body.master_id ?? 0,
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

function page<T>(items: T[], pageNo: number, perPage: number, base: string, key: string) {
  const pages = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((pageNo - 1) * perPage, pageNo * perPage);
  const link = (n: number) => `${base}?page=${n}&per_page=${perPage}`;
  return {
    pagination: {
      page: pageNo,
      pages,
      per_page: perPage,
      items: items.length,
      urls: pageNo < pages ? { next: link(pageNo + 1), last: link(pages) } : {},
    },
    [key]: slice,
  };
}

/** Start the fake on 127.0.0.1. */
export async function startFakeDiscogs(options: FakeOptions = {}): Promise<FakeDiscogs> {
  const windowMs = options.windowMs ?? 2000;
  let limits = {
    authenticated: options.authenticatedLimit ?? 60,
    anonymous: options.anonymousLimit ?? 25,
  };
  const releases = await readJsonl("releases/gustw_releases.jsonl");
  const wanted = await readJsonl("releases/greg-dubrow_releases_reserialized.jsonl");
  for (const [id, body] of wanted) if (!releases.has(id)) releases.set(id, body);
  const collections = new Map<string, Record<string, unknown>[]>([
    [
      "gustw",
      [...(await readJsonl("releases/gustw_releases.jsonl")).values()].map((b, i) =>
        collectionItem(JSON.parse(b), i)
      ),
    ],
    [
      "private_digger",
      [...(await readJsonl("releases/gustw_releases.jsonl")).values()].slice(0, 5).map((b, i) =>
        collectionItem(JSON.parse(b), i)
      ),
    ],
  ]);
  const wants = new Map<string, Record<string, unknown>[]>([
    [
      "gustw",
      [...wanted.values()].map((b, i) => {
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
  ]);
  const privateOwners = new Map([["private_digger", "owner-token"]]);
  const stats = await sample("marketplace/stats/1.json");

  const counted = { authenticated: [] as number[], anonymous: [] as number[] };
  const requests: LoggedRequest[] = [];
  const faults: Faults = {
    serverErrors: 0,
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

  function json(
    status: number,
    body: unknown,
    headers: Record<string, string>,
    raw?: string,
  ): Response {
    return new Response(raw ?? JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });
  }

  async function handle(request: Request): Promise<[Response, boolean]> {
    const url = new URL(request.url);
    const auth = request.headers.get("authorization");
    const token = auth?.match(/^Discogs token=(.+)$/)?.[1] ?? null;
    const authorized = token !== null;
    const now = Date.now();
    const bucket = authorized ? counted.authenticated : counted.anonymous;
    const limit = authorized ? limits.authenticated : limits.anonymous;
    if (inWindow(bucket, now) >= limit) {
      const headers: Record<string, string> = {
        "x-discogs-ratelimit": String(limit),
        "x-discogs-ratelimit-used": String(limit),
        "x-discogs-ratelimit-remaining": "0",
      };
      if (faults.retryAfterSeconds !== null) {
        headers["retry-after"] = String(faults.retryAfterSeconds);
      }
      return [json(429, TOO_MANY_REQUESTS, headers), authorized];
    }
    bucket.push(now);
    const used = inWindow(bucket, now);
    const rate = {
      "x-discogs-ratelimit": String(limit),
      "x-discogs-ratelimit-used": String(used),
      "x-discogs-ratelimit-remaining": String(Math.max(0, limit - used)),
    };
    if (faults.slowMs > 0) await new Promise((r) => setTimeout(r, faults.slowMs));
    // Like Discogs: no User-Agent, no content.
    if (!request.headers.get("user-agent")) {
      return [new Response("", { status: 200, headers: rate }), authorized];
    }
    if (faults.serverErrors > 0) {
      faults.serverErrors--;
      return [json(503, { message: "Service Unavailable" }, rate), authorized];
    }
    if (faults.emptyBodies > 0) {
      faults.emptyBodies--;
      return [new Response("", { status: 200, headers: rate }), authorized];
    }
    const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 50));
    const pageNo = Math.max(1, Number(url.searchParams.get("page") ?? 1));
    const path = url.pathname;
    let m: RegExpMatchArray | null;
    if ((m = path.match(/^\/releases\/(\d+)$/))) {
      const id = Number(m[1]);
      const body = faults.notFound.has(id) ? undefined : releases.get(id) ??
        (options.synthesize ? JSON.stringify(synthesizedRelease(id)) : undefined);
      if (body === undefined) {
        return [json(404, { message: "Release not found." }, rate), authorized];
      }
      if (faults.malformedJson > 0) {
        faults.malformedJson--;
        return [json(200, null, rate, body.slice(0, Math.floor(body.length / 2))), authorized];
      }
      return [json(200, null, rate, body), authorized];
    }
    if (
      (m = path.match(
        /^\/users\/([^/]+)\/(collection\/folders\/0\/releases|wants|collection\/fields)$/,
      ))
    ) {
      const user = decodeURIComponent(m[1]);
      const owner = privateOwners.get(user);
      if (owner !== undefined && token !== owner) {
        return [
          json(401, { message: "You must authenticate to access this resource." }, rate),
          authorized,
        ];
      }
      if (m[2] === "collection/fields") {
        return [
          json(200, {
            fields: [
              { id: 1, name: "Media Condition", type: "dropdown", public: true, position: 1 },
              { id: 2, name: "Sleeve Condition", type: "dropdown", public: true, position: 2 },
              { id: 3, name: "Notes", type: "textarea", public: true, position: 3 },
              { id: 4, name: "Colour", type: "textarea", public: true, position: 4 },
            ],
          }, rate),
          authorized,
        ];
      }
      const items = (m[2] === "wants" ? wants : collections).get(user);
      if (items === undefined) {
        return [
          json(404, { message: "User does not exist or may have been deleted." }, rate),
          authorized,
        ];
      }
      return [
        json(
          200,
          page(
            items,
            pageNo,
            perPage,
            `${url.origin}${path}`,
            m[2] === "wants" ? "wants" : "releases",
          ),
          rate,
        ),
        authorized,
      ];
    }
    if ((m = path.match(/^\/marketplace\/stats\/(\d+)$/))) {
      return [json(200, stats, rate), authorized];
    }
    if (
      (m = path.match(/^\/(masters\/\d+\/versions|artists\/\d+\/releases|labels\/\d+\/releases)$/))
    ) {
      const recorded = await sample(
        `${m[1].split("/").slice(0, 2).join("/")}/${m[1].split("/")[2]}_per_page-50__page-1.json`,
      );
      const key = m[1].startsWith("masters") ? "versions" : "releases";
      return [
        json(200, recorded ?? page([], pageNo, perPage, `${url.origin}${path}`, key), rate),
        authorized,
      ];
    }
    return [json(404, { message: "The requested resource was not found." }, rate), authorized];
  }

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port ?? 0, onListen() {} },
    async (request) => {
      const [response, authorized] = await handle(request);
      const entry: LoggedRequest = {
        at: Date.now(),
        path: new URL(request.url).pathname + new URL(request.url).search,
        authorized,
        userAgent: request.headers.get("user-agent"),
        status: response.status,
      };
      requests.push(entry);
      logFile?.writeSync(encoder.encode(JSON.stringify(entry) + "\n"));
      return response;
    },
  );
  const port = server.addr.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    faults,
    consume(n, authorized = true) {
      const now = Date.now();
      for (let i = 0; i < n; i++) {
        (authorized ? counted.authenticated : counted.anonymous).push(now);
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

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      port: { type: "string", default: "0" },
      window: { type: "string", default: "2s" },
      synthesize: { type: "boolean", default: false },
      log: { type: "string" },
      "authenticated-limit": { type: "string", default: "60" },
      "slow-ms": { type: "string", default: "0" },
    },
  });
  const { parseDuration } = await import("../../lib/discogs/ratelimit.ts");
  const fake = await startFakeDiscogs({
    port: Number(values.port),
    windowMs: parseDuration(values.window!, "--window"),
    synthesize: values.synthesize,
    logFile: values.log,
    authenticatedLimit: Number(values["authenticated-limit"]),
  });
  fake.faults.slowMs = Number(values["slow-ms"]);
  console.log(fake.url);
}
