/**
 * The Discogs API client: `fetch` against `DISCOGS_API_URL` (default `https://api.discogs.com`),
 * paced by {@link RatePacer} so a long run neither trips a 429 nor leaves quota unused, with a
 * proper User-Agent, the token when there is one, retries for what is worth retrying (429, 5xx,
 * network errors and time-outs, empty or broken bodies) and one clear, token-free message for
 * everything else.
 *
 * One request is in flight at a time, by design: pacing still reaches the allowed rate, and a
 * killed run can only ever lose the one request it was waiting for.
 *
 * @example
 * ```ts
 * const client = DiscogsClient.fromEnv(); // DISCOGS_API_URL, DISCOGS_RATE_WINDOW, DISCOGS_TOKEN
 * const { json } = await client.release(249504, "EUR");
 * for await (const wants of client.paginate((n) => client.wantsPage("example", n), "wants")) {
 *   console.log(wants.length);
 * }
 * ```
 *
 * @module
 */

import denoConfig from "../../deno.json" with { type: "json" };
import { DEFAULT_CURRENCY, releaseKey } from "./cache.ts";
import {
  AUTHENTICATED_LIMIT,
  DEFAULT_WINDOW_MS,
  parseRateWindow,
  rateHeaders,
  RatePacer,
  UNAUTHENTICATED_LIMIT,
} from "./ratelimit.ts";
import { readToken, redact } from "./token.ts";
import { EXIT_BAD_INPUT, InputError, UserFacingError } from "../errors.ts";

/** Where Discogs lives; `DISCOGS_API_URL` overrides it (tests point it at a local fake). */
export const DEFAULT_API_URL = "https://api.discogs.com";

/** Where Next Spin's code lives (named in the User-Agent, as Discogs asks). */
export const REPO_URL = "https://github.com/nextspin/nextspin";

/** Discogs blocks requests without a User-Agent; ours says who we are. */
export const USER_AGENT = `NextSpin/${denoConfig.version} +${REPO_URL}`;

/** Default per-request time limit: a hung connection must not stall a 4,000-release run. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** What went wrong, in categories a caller can act on. */
export type DiscogsErrorKind =
  | "unauthorized"
  | "private"
  | "not_found"
  | "rate_limited"
  | "server"
  | "network"
  | "bad_json"
  | "empty_body";

/**
 * What a failed `fetch` says went wrong, in its own words: Deno's "fetch failed" carries the
 * reason (refused, DNS, TLS) in its cause, behind "error sending request for url (…):".
 */
function connectionFailure(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.replace(/^error sending request for url \([^)]*\): /, "")
    .replace(/^client error \(Connect\): /, "");
}

/** Kinds that are the collector's to fix (token, username, id), not a passing hiccup. */
const INPUT_KINDS: readonly DiscogsErrorKind[] = ["unauthorized", "private", "not_found"];

/**
 * A failed request, with a message that never contains the token.
 *
 * @example
 * ```ts
 * try {
 *   await client.collectionPage("someone", 1);
 * } catch (error) {
 *   if (error instanceof DiscogsError && error.kind === "private") console.error(error.message);
 * }
 * ```
 */
export class DiscogsError extends UserFacingError {
  override name = "DiscogsError";
  constructor(
    readonly kind: DiscogsErrorKind,
    message: string,
    readonly status: number | null,
    readonly path: string,
    /** The error response's body as received (kept for 404s, which the cache remembers). */
    readonly body: string | null = null,
  ) {
    super(message, INPUT_KINDS.includes(kind) ? EXIT_BAD_INPUT : 1);
  }
}

/** A successful response. */
export interface DiscogsResponse<T = unknown> {
  status: number;
  /** The body exactly as received (what the cache stores). */
  bodyText: string;
  json: T;
  headers: Headers;
  /** The request path and query, relative to the base URL (the cache key). */
  path: string;
}

/** Counters for the end-of-run summary. */
export interface ClientStats {
  /** Requests sent (every attempt, 429s included). */
  requests: number;
  /** 429 responses seen. */
  responses429: number;
  /** Requests repeated after a 429, a 5xx, a network error or a broken body. */
  retries: number;
  /** Requests given up on (their error was thrown). 404s are answers, not failures. */
  failures: number;
}

/** Options for {@link DiscogsClient}. */
export interface ClientOptions {
  /** Default {@link DEFAULT_API_URL}. Requests go to this origin and nowhere else. */
  baseUrl?: string;
  token?: string;
  /** Length of the rate-limit window (default 60 s, Discogs' own). */
  windowMs?: number;
  userAgent?: string;
  /** Attempts per request for 5xx, network errors and broken bodies (default 5). */
  maxAttempts?: number;
  /** 429s tolerated for one request before giving up (default 10); they are waited out. */
  max429?: number;
  /** First backoff delay; doubles per attempt with jitter. Default: the window / 60 (1 s). */
  backoffMs?: number;
  /** Time limit per request, body included (default {@link DEFAULT_TIMEOUT_MS}). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

const defaultSleep = (ms: number) =>
  ms <= 0 ? Promise.resolve() : new Promise<void>((resolve) => setTimeout(resolve, ms));

function messageFromBody(text: string): string | null {
  try {
    const message = JSON.parse(text)?.message;
    return typeof message === "string" ? message : null;
  } catch {
    return null;
  }
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Check a base URL, with a message that names the setting. */
function checkBaseUrl(raw: string, hasToken: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(
      `DISCOGS_API_URL ${JSON.stringify(raw)}: expected an address like ${DEFAULT_API_URL}`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InputError(`DISCOGS_API_URL ${JSON.stringify(raw)}: expected an http(s) address`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new InputError(
      `DISCOGS_API_URL ${JSON.stringify(raw)}: give just the address, without query or login`,
    );
  }
  if (hasToken && url.protocol === "http:" && !LOOPBACK.has(url.hostname)) {
    // The token would cross the network in the clear.
    throw new InputError(
      `DISCOGS_API_URL ${JSON.stringify(raw)}: refusing to send DISCOGS_TOKEN over plain http; ` +
        "use https (or a server on this machine)",
    );
  }
  return url;
}

/** `/users/{name}/collection…` or `/users/{name}/wants…`: whose list, and which. */
function userListOf(path: string): { user: string; list: "collection" | "wantlist" } | null {
  const m = path.match(/^\/users\/([^/?]+)\/(collection|wants)\b/);
  if (!m) return null;
  return {
    user: decodeURIComponent(m[1]),
    list: m[2] === "wants" ? "wantlist" : "collection",
  };
}

/** The Discogs API client. One request in flight at a time (see the module doc). */
export class DiscogsClient {
  /** The API address, without a trailing slash. */
  readonly baseUrl: string;
  readonly authenticated: boolean;
  readonly pacer: RatePacer;
  readonly stats: ClientStats = { requests: 0, responses429: 0, retries: 0, failures: 0 };
  readonly #origin: string;
  readonly #token: string | undefined;
  readonly #options: Required<
    Pick<ClientOptions, "userAgent" | "maxAttempts" | "max429" | "backoffMs" | "timeoutMs">
  >;
  readonly #windowMs: number;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  readonly #random: () => number;

  constructor(options: ClientOptions = {}) {
    this.#token = options.token || undefined;
    this.authenticated = this.#token !== undefined;
    const base = checkBaseUrl(options.baseUrl ?? DEFAULT_API_URL, this.authenticated);
    this.baseUrl = base.href.replace(/\/+$/, "");
    this.#origin = base.origin;
    const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.#windowMs = windowMs;
    this.pacer = new RatePacer({
      windowMs,
      limit: this.authenticated ? AUTHENTICATED_LIMIT : UNAUTHENTICATED_LIMIT,
    });
    this.#options = {
      userAgent: options.userAgent ?? USER_AGENT,
      maxAttempts: Math.max(1, options.maxAttempts ?? 5),
      max429: options.max429 ?? 10,
      backoffMs: options.backoffMs ?? windowMs / 60,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    };
    this.#fetch = options.fetch ?? fetch;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
  }

  /**
   * A client configured from the environment: `DISCOGS_API_URL` (default the real API),
   * `DISCOGS_RATE_WINDOW` (default `60s`) and the token (`DISCOGS_TOKEN` or `.env`). Bad values
   * are {@link InputError}s naming the variable.
   */
  static fromEnv(overrides: ClientOptions = {}): DiscogsClient {
    const window = Deno.env.get("DISCOGS_RATE_WINDOW")?.trim();
    return new DiscogsClient({
      baseUrl: Deno.env.get("DISCOGS_API_URL")?.trim() || DEFAULT_API_URL,
      token: readToken().token,
      windowMs: window ? parseRateWindow(window) : DEFAULT_WINDOW_MS,
      ...overrides,
    });
  }

  /**
   * The client a stage uses: none with `--offline` (so no socket can open), else one from the
   * environment; and whether a token is set either way (search needs one, and the plan of an
   * offline run must be the one the online run made).
   */
  static forStage(offline: boolean): { client?: DiscogsClient; authenticated: boolean } {
    if (offline) return { authenticated: readToken().token !== undefined };
    const client = DiscogsClient.fromEnv();
    return { client, authenticated: client.authenticated };
  }

  /** Scrub the token from any text (for callers that log response details). */
  redact(text: string): string {
    return redact(text, this.#token);
  }

  /** Requests per minute the current limit allows. */
  allowedPerMinute(): number {
    return this.pacer.allowedPerMinute();
  }

  private backoff(attempt: number): number {
    // Exponential, jittered into [0.5, 1.5) so parallel runs do not retry in lockstep, and
    // capped at one window: longer never helps a rate-limited API.
    const base = this.#options.backoffMs * 2 ** (attempt - 1);
    return Math.min(this.#windowMs, base) * (0.5 + this.#random());
  }

  private retryAfterMs(headers: Headers): number | null {
    const value = headers.get("retry-after");
    if (value === null || value.trim() === "") return null;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(value);
    return Number.isFinite(date) ? Math.max(0, date - this.#now()) : null;
  }

  /** The full URL of `pathAndQuery`, which must stay on the configured origin. */
  private urlOf(pathAndQuery: string): string {
    if (!pathAndQuery.startsWith("/") || pathAndQuery.startsWith("//")) {
      throw new TypeError(`not an API path: ${JSON.stringify(pathAndQuery)}`);
    }
    const url = new URL(this.baseUrl + pathAndQuery);
    if (url.origin !== this.#origin) {
      throw new TypeError(`not an API path: ${JSON.stringify(pathAndQuery)}`);
    }
    return url.href;
  }

  /**
   * GET `pathAndQuery` (e.g. `/releases/1?curr_abbr=USD`) and parse the JSON body. Waits as the
   * rate limit requires, retries what is worth retrying, and throws a {@link DiscogsError}
   * otherwise.
   */
  async get<T = unknown>(pathAndQuery: string): Promise<DiscogsResponse<T>> {
    const url = this.urlOf(pathAndQuery);
    const headers: Record<string, string> = {
      "User-Agent": this.#options.userAgent,
      Accept: "application/json",
    };
    if (this.#token) headers.Authorization = `Discogs token=${this.#token}`;
    const fail = (
      kind: DiscogsErrorKind,
      message: string,
      status: number | null,
      body: string | null = null,
    ) => new DiscogsError(kind, message, status, pathAndQuery, body);
    let attempt = 0;
    let limited = 0;
    let lastError: DiscogsError | undefined;
    while (attempt < this.#options.maxAttempts) {
      await this.#sleep(this.pacer.delayMs(this.#now()));
      attempt++;
      this.stats.requests++;
      let response: Response;
      let bodyText: string;
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), this.#options.timeoutMs);
      try {
        response = await this.#fetch(url, { headers, signal: abort.signal });
        bodyText = await response.text();
      } catch (error) {
        const timedOut = abort.signal.aborted;
        const limit = this.#options.timeoutMs;
        const reason = timedOut
          ? `no answer within ${limit < 1000 ? `${limit} ms` : `${Math.round(limit / 1000)} s`}`
          : this.redact(connectionFailure(error)).split("\n")[0];
        lastError = fail("network", `network error for ${pathAndQuery}: ${reason}`, null);
        // The request may have reached Discogs and counted: account for it.
        this.pacer.recordResponse(this.#now(), { limit: null, used: null, remaining: null });
        if (attempt < this.#options.maxAttempts) {
          this.stats.retries++;
          await this.#sleep(this.backoff(attempt));
        }
        continue;
      } finally {
        clearTimeout(timer);
      }
      const status = response.status;
      if (status === 429) {
        this.stats.responses429++;
        limited++;
        this.pacer.recordRateLimited(
          this.#now(),
          this.retryAfterMs(response.headers),
          rateHeaders(response.headers),
        );
        if (limited > this.#options.max429) {
          this.stats.failures++;
          throw fail(
            "rate_limited",
            `Discogs kept answering 429 (too many requests) for ${pathAndQuery}, ` +
              `${limited} times; another app may be using the same token or address`,
            429,
          );
        }
        attempt--; // a 429 is waited out (by the pacer, at the top of the loop), not a failure
        this.stats.retries++;
        continue;
      }
      this.pacer.recordResponse(this.#now(), rateHeaders(response.headers));
      const said = messageFromBody(bodyText);
      const saying = said ? `: ${this.redact(said)}` : "";
      if (status === 401 || status === 403) {
        this.stats.failures++;
        const list = userListOf(pathAndQuery);
        if (list) {
          throw fail(
            "private",
            `the ${list.list} of ${list.user} is private; set DISCOGS_TOKEN of its owner` +
              (this.authenticated ? " (the token in use is not the owner's)" : ""),
            status,
          );
        }
        throw fail(
          "unauthorized",
          this.authenticated
            ? `Discogs refused the token for ${pathAndQuery} (${status}${saying}): check DISCOGS_TOKEN`
            : `Discogs needs a token for ${pathAndQuery} (${status}${saying}): set DISCOGS_TOKEN`,
          status,
        );
      }
      if (status === 404) {
        throw fail(
          "not_found",
          `not found on Discogs: ${pathAndQuery}${said ? ` (${this.redact(said)})` : ""}`,
          404,
          this.redact(bodyText),
        );
      }
      if (status >= 400 && status < 500) {
        // Any other 4xx is a request Discogs will refuse again: no point retrying.
        this.stats.failures++;
        throw fail("server", `Discogs rejected ${pathAndQuery} (${status}${saying})`, status);
      }
      if (status < 200 || status >= 300) {
        lastError = fail(
          "server",
          `Discogs answered ${status} for ${pathAndQuery}${saying}`,
          status,
        );
      } else if (bodyText.trim() === "") {
        lastError = fail(
          "empty_body",
          `Discogs sent an empty body for ${pathAndQuery} (it does this when a request has no ` +
            "User-Agent, e.g. behind a proxy that strips it)",
          status,
        );
      } else {
        try {
          const json = JSON.parse(bodyText) as T;
          return { status, bodyText, json, headers: response.headers, path: pathAndQuery };
        } catch {
          lastError = fail(
            "bad_json",
            `Discogs sent a body that is not JSON for ${pathAndQuery}: ` +
              JSON.stringify(this.redact(bodyText).slice(0, 80)),
            status,
          );
        }
      }
      if (attempt < this.#options.maxAttempts) {
        this.stats.retries++;
        await this.#sleep(this.backoff(attempt));
      }
    }
    this.stats.failures++;
    const error = lastError!;
    throw fail(error.kind, `${error.message} (gave up after ${attempt} attempts)`, error.status);
  }

  /**
   * `GET /releases/{id}?curr_abbr=`: everything scoring needs in one call (community have/want
   * and rating, lowest price, copies for sale, genres, styles, labels, images). Its path is the
   * release's cache key ({@link releaseKey}).
   */
  release(releaseId: number, currency: string = DEFAULT_CURRENCY): Promise<DiscogsResponse> {
    return this.get(releaseKey(releaseId, currency));
  }

  /** `GET /marketplace/stats/{id}`: only for the rare body that lacks market fields. */
  marketplaceStats(
    releaseId: number,
    currency: string = DEFAULT_CURRENCY,
  ): Promise<DiscogsResponse> {
    return this.get(`/marketplace/stats/${releaseId}?curr_abbr=${encodeURIComponent(currency)}`);
  }

  /** One page of a user's whole collection (folder 0), 100 items a page. */
  collectionPage(username: string, page: number, perPage = 100): Promise<DiscogsResponse> {
    return this.get(
      `/users/${encodeURIComponent(username)}/collection/folders/0/releases` +
        `?page=${page}&per_page=${perPage}`,
    );
  }

  /** One page of a user's wantlist, 100 items a page. */
  wantsPage(username: string, page: number, perPage = 100): Promise<DiscogsResponse> {
    return this.get(
      `/users/${encodeURIComponent(username)}/wants?page=${page}&per_page=${perPage}`,
    );
  }

  /** A user's collection fields (id → name of custom notes fields). */
  collectionFields(username: string): Promise<DiscogsResponse> {
    return this.get(`/users/${encodeURIComponent(username)}/collection/fields`);
  }

  /** One page of a master release's versions (all pressings). */
  masterVersions(masterId: number, page: number, perPage = 100): Promise<DiscogsResponse> {
    return this.get(`/masters/${masterId}/versions?page=${page}&per_page=${perPage}`);
  }

  /** One page of an artist's releases. */
  artistReleases(artistId: number, page: number, perPage = 100): Promise<DiscogsResponse> {
    return this.get(`/artists/${artistId}/releases?page=${page}&per_page=${perPage}`);
  }

  /** One page of a label's releases. */
  labelReleases(labelId: number, page: number, perPage = 100): Promise<DiscogsResponse> {
    return this.get(`/labels/${labelId}/releases?page=${page}&per_page=${perPage}`);
  }

  /**
   * Every page of a paged endpoint: calls `page(n)` for n = 1, 2, … until `pagination.pages`,
   * yielding the array under `key` of each page.
   *
   * @example
   * ```ts
   * for await (const items of client.paginate((n) => client.labelReleases(1, n), "releases")) {
   *   console.log(items.length);
   * }
   * ```
   */
  async *paginate<T = unknown>(
    page: (n: number) => Promise<DiscogsResponse>,
    key: string,
  ): AsyncGenerator<T[]> {
    for (let n = 1;; n++) {
      const { json } = await page(n);
      const body = json as { pagination?: { pages?: unknown }; [k: string]: unknown };
      const items = body[key];
      const list = (Array.isArray(items) ? items : []) as T[];
      yield list;
      const pages = Number(body.pagination?.pages ?? 1);
      // An empty page ends it too, so a server that miscounts pages cannot loop us forever.
      if (!(n < pages) || list.length === 0) return;
    }
  }
}
