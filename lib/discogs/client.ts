/**
 * The Discogs API client: `fetch` against `DISCOGS_API_URL` (default `https://api.discogs.com`),
 * paced by {@link RatePacer}, with a proper User-Agent, the token when there is one, retries for
 * what is worth retrying (429, 5xx, network errors, empty or broken bodies) and one clear,
 * token-free message for everything else.
 *
 * @example
 * ```ts
 * const client = DiscogsClient.fromEnv();
 * const { json } = await client.release(249504, "EUR");
 * ```
 *
 * @module
 */

import denoConfig from "../../deno.json" with { type: "json" };
import {
  AUTHENTICATED_LIMIT,
  DEFAULT_WINDOW_MS,
  parseDuration,
  rateHeaders,
  RatePacer,
  UNAUTHENTICATED_LIMIT,
} from "./ratelimit.ts";
import { readToken, redact } from "./token.ts";
import { EXIT_BAD_INPUT, UserFacingError } from "../errors.ts";

/** Where Discogs lives; `DISCOGS_API_URL` overrides it (tests point it at a local fake). */
export const DEFAULT_API_URL = "https://api.discogs.com";

/** Discogs blocks requests without a User-Agent; ours says who we are. */
export const USER_AGENT = `NextSpin/${denoConfig.version} +https://github.com/nextspin/nextspin`;

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

/** A failed request, with a message that never contains the token. */
export class DiscogsError extends UserFacingError {
  override name = "DiscogsError";
  constructor(
    readonly kind: DiscogsErrorKind,
    message: string,
    readonly status: number | null,
    readonly path: string,
  ) {
    // A refused token, a private collection or an unknown user is the caller's input to fix.
    super(message, ["unauthorized", "private", "not_found"].includes(kind) ? EXIT_BAD_INPUT : 1);
  }
}

/** A successful response. */
export interface DiscogsResponse<T = unknown> {
  status: number;
  bodyText: string;
  json: T;
  headers: Headers;
  path: string;
}

/** Counters for the end-of-run summary. */
export interface ClientStats {
  requests: number;
  responses429: number;
  retries: number;
  failures: number;
}

/** Options for {@link DiscogsClient}. */
export interface ClientOptions {
  baseUrl?: string;
  token?: string;
  windowMs?: number;
  userAgent?: string;
  /** Attempts per request for 5xx, network errors and broken bodies (429s are waited out separately). */
  maxAttempts?: number;
  /** 429s tolerated for one request before giving up. */
  max429?: number;
  /** First backoff delay; doubles per attempt with jitter. Default: the window / 60 (1 s for Discogs). */
  backoffMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function retryAfterMs(headers: Headers): number | null {
  const value = headers.get("retry-after");
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

function messageFromBody(text: string): string | null {
  try {
    const message = JSON.parse(text)?.message;
    return typeof message === "string" ? message : null;
  } catch {
    return null;
  }
}

/** The Discogs API client. One request in flight at a time, by design (see fetch_releases.ts). */
export class DiscogsClient {
  readonly baseUrl: string;
  readonly authenticated: boolean;
  readonly pacer: RatePacer;
  readonly stats: ClientStats = { requests: 0, responses429: 0, retries: 0, failures: 0 };
  readonly #token: string | undefined;
  readonly #options: Required<
    Pick<ClientOptions, "userAgent" | "maxAttempts" | "max429" | "backoffMs">
  >;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  readonly #random: () => number;

  constructor(options: ClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_API_URL).replace(/\/+$/, "");
    this.#token = options.token;
    this.authenticated = options.token !== undefined;
    const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.pacer = new RatePacer({
      windowMs,
      limit: this.authenticated ? AUTHENTICATED_LIMIT : UNAUTHENTICATED_LIMIT,
    });
    this.#options = {
      userAgent: options.userAgent ?? USER_AGENT,
      maxAttempts: options.maxAttempts ?? 5,
      max429: options.max429 ?? 10,
      backoffMs: options.backoffMs ?? windowMs / 60,
    };
    this.#fetch = options.fetch ?? fetch;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
  }

  /** A client configured from `DISCOGS_API_URL`, `DISCOGS_RATE_WINDOW` and the token. */
  static fromEnv(overrides: ClientOptions = {}): DiscogsClient {
    const window = Deno.env.get("DISCOGS_RATE_WINDOW");
    return new DiscogsClient({
      baseUrl: Deno.env.get("DISCOGS_API_URL") || DEFAULT_API_URL,
      token: readToken().token,
      windowMs: window ? parseDuration(window, "DISCOGS_RATE_WINDOW") : DEFAULT_WINDOW_MS,
      ...overrides,
    });
  }

  /** Scrub the token from any text (for callers that log response details). */
  redact(text: string): string {
    return redact(text, this.#token);
  }

  private backoff(attempt: number): number {
    // Exponential with full jitter in [0.5, 1.5), so parallel runs do not retry in lockstep.
    return this.#options.backoffMs * 2 ** (attempt - 1) * (0.5 + this.#random());
  }

  /** GET `pathAndQuery` (e.g. `/releases/1?curr_abbr=USD`) and parse the JSON body. */
  async get<T = unknown>(pathAndQuery: string): Promise<DiscogsResponse<T>> {
    const url = this.baseUrl + pathAndQuery;
    const headers: Record<string, string> = {
      "User-Agent": this.#options.userAgent,
      Accept: "application/json",
    };
    if (this.#token) headers.Authorization = `Discogs token=${this.#token}`;
    let attempt = 0;
    let limited = 0;
    let lastError: DiscogsError | undefined;
    while (attempt < this.#options.maxAttempts) {
      await this.#sleep(this.pacer.delayMs(this.#now()));
      attempt++;
      this.stats.requests++;
      let response: Response;
      let bodyText: string;
      try {
        response = await this.#fetch(url, { headers });
        bodyText = await response.text();
      } catch (error) {
        const reason =
          this.redact(error instanceof Error ? error.message : String(error)).split("\n")[0];
        lastError = new DiscogsError(
          "network",
          `network error for ${pathAndQuery}: ${reason}`,
          null,
          pathAndQuery,
        );
        this.pacer.recordResponse(this.#now(), { limit: null, used: null, remaining: null });
        if (attempt < this.#options.maxAttempts) {
          this.stats.retries++;
          await this.#sleep(this.backoff(attempt));
        }
        continue;
      }
      const status = response.status;
      if (status === 429) {
        this.stats.responses429++;
        limited++;
        const wait = this.pacer.recordRateLimited(this.#now(), retryAfterMs(response.headers));
        if (limited > this.#options.max429) {
          this.stats.failures++;
          throw new DiscogsError(
            "rate_limited",
            `Discogs kept answering 429 (too many requests) for ${pathAndQuery}`,
            429,
            pathAndQuery,
          );
        }
        attempt--; // a 429 is waited out, not counted as a failed attempt
        this.stats.retries++;
        await this.#sleep(wait);
        continue;
      }
      this.pacer.recordResponse(this.#now(), rateHeaders(response.headers));
      const said = messageFromBody(bodyText);
      if (status === 401 || status === 403) {
        this.stats.failures++;
        throw new DiscogsError(
          "unauthorized",
          this.authenticated
            ? `Discogs refused the token for ${pathAndQuery} (${status}${
              said ? `: ${said}` : ""
            }): check DISCOGS_TOKEN`
            : `Discogs needs a token for ${pathAndQuery} (${status}${
              said ? `: ${said}` : ""
            }): set DISCOGS_TOKEN`,
          status,
          pathAndQuery,
        );
      }
      if (status === 404) {
        throw new DiscogsError(
          "not_found",
          `not found on Discogs: ${pathAndQuery}${said ? ` (${said})` : ""}`,
          404,
          pathAndQuery,
        );
      }
      if (status >= 500 || status < 200 || status >= 300) {
        lastError = new DiscogsError(
          "server",
          `Discogs answered ${status} for ${pathAndQuery}${said ? `: ${said}` : ""}`,
          status,
          pathAndQuery,
        );
      } else if (bodyText.trim() === "") {
        lastError = new DiscogsError(
          "empty_body",
          `Discogs sent an empty body for ${pathAndQuery} (it does this when a request has no User-Agent, e.g. behind a proxy that strips it)`,
          status,
          pathAndQuery,
        );
      } else {
        try {
          return {
            status,
            bodyText,
            json: JSON.parse(bodyText) as T,
            headers: response.headers,
            path: pathAndQuery,
          };
        } catch {
          lastError = new DiscogsError(
            "bad_json",
            `Discogs sent a body that is not JSON for ${pathAndQuery}: ${
              JSON.stringify(this.redact(bodyText.slice(0, 80)))
            }`,
            status,
            pathAndQuery,
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
    throw new DiscogsError(
      error.kind,
      `${error.message} (gave up after ${attempt} attempts)`,
      error.status,
      pathAndQuery,
    );
  }

  /** `GET /releases/{id}`: community have/want, lowest price, for sale, genres, styles, labels, images. */
  release(releaseId: number, currency: string): Promise<DiscogsResponse> {
    return this.get(`/releases/${releaseId}?curr_abbr=${currency}`);
  }

  /** `GET /marketplace/stats/{id}`: only when a release body lacks market fields. */
  marketplaceStats(releaseId: number, currency: string): Promise<DiscogsResponse> {
    return this.get(`/marketplace/stats/${releaseId}?curr_abbr=${currency}`);
  }

  /** One page (100 items) of a user's whole collection (folder 0). */
  collectionPage(username: string, page: number): Promise<DiscogsResponse> {
    return this.get(
      `/users/${
        encodeURIComponent(username)
      }/collection/folders/0/releases?page=${page}&per_page=100`,
    );
  }

  /** One page (100 items) of a user's wantlist. */
  wantsPage(username: string, page: number): Promise<DiscogsResponse> {
    return this.get(`/users/${encodeURIComponent(username)}/wants?page=${page}&per_page=100`);
  }

  /** A user's custom collection fields (id → name). */
  collectionFields(username: string): Promise<DiscogsResponse> {
    return this.get(`/users/${encodeURIComponent(username)}/collection/fields`);
  }

  /** One page of a master release's versions (all pressings). */
  masterVersions(masterId: number, page: number): Promise<DiscogsResponse> {
    return this.get(`/masters/${masterId}/versions?page=${page}&per_page=100`);
  }

  /** One page of an artist's releases. */
  artistReleases(artistId: number, page: number): Promise<DiscogsResponse> {
    return this.get(`/artists/${artistId}/releases?page=${page}&per_page=100`);
  }

  /** One page of a label's releases. */
  labelReleases(labelId: number, page: number): Promise<DiscogsResponse> {
    return this.get(`/labels/${labelId}/releases?page=${page}&per_page=100`);
  }

  /**
   * Every item of a paged endpoint: calls `page(n)` for n = 1, 2, … until `pagination.pages`,
   * yielding the array under `key` of each page.
   */
  async *paginate<T = unknown>(
    page: (n: number) => Promise<DiscogsResponse>,
    key: string,
  ): AsyncGenerator<T[]> {
    for (let n = 1;; n++) {
      const { json } = await page(n);
      const body = json as { pagination?: { pages?: number }; [k: string]: unknown };
      const items = body[key];
      yield (Array.isArray(items) ? items : []) as T[];
      const pages = Number(body.pagination?.pages ?? 1);
      if (!(n < pages)) return;
    }
  }
}
