/**
 * The client on its own: a stub `fetch` and a fake clock (no sockets at all), so every retry,
 * wait and message can be checked exactly.
 */
import denoConfig from "../../deno.json" with { type: "json" };
import { assert, assertEquals, assertRejects, assertThrows } from "../testing/assert.ts";
import { InputError } from "../errors.ts";
import { type ClientOptions, DiscogsClient, DiscogsError, USER_AGENT } from "./client.ts";

const BASE = "http://127.0.0.1:9";
const TOKEN = "unit-token-5e1f0c";

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;

/** A client whose `fetch` is `handler` and whose sleeps advance a fake clock. */
function stubbed(handler: Handler, options: ClientOptions = {}) {
  let now = 1_000_000;
  const slept: number[] = [];
  const calls: { url: string; headers: Headers }[] = [];
  const client = new DiscogsClient({
    baseUrl: BASE,
    token: TOKEN,
    windowMs: 1000,
    backoffMs: 100,
    random: () => 0.5, // jitter factor exactly 1
    now: () => now,
    sleep: (ms) => {
      if (ms > 0) slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
    fetch: ((input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      calls.push({ url: url.href, headers: new Headers(init?.headers) });
      return Promise.resolve(handler(url, init ?? {}));
    }) as typeof fetch,
    ...options,
  });
  return { client, slept, calls, advance: (ms: number) => (now += ms) };
}

const ok = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status: 200, headers });
const status = (code: number, body: unknown = { message: "x" }, headers = {}) =>
  new Response(typeof body === "string" ? body : JSON.stringify(body), { status: code, headers });

Deno.test("every request carries Next Spin's User-Agent, and the token only when there is one", async () => {
  assertEquals(
    USER_AGENT,
    `NextSpin/${denoConfig.version} +https://github.com/nextspin/nextspin`,
  );
  const withToken = stubbed(() => ok({ id: 1 }));
  const response = await withToken.client.release(1, "GBP");
  assertEquals(response.path, "/releases/1?curr_abbr=GBP");
  assertEquals(withToken.calls[0].url, `${BASE}/releases/1?curr_abbr=GBP`);
  assertEquals(withToken.calls[0].headers.get("user-agent"), USER_AGENT);
  assertEquals(withToken.calls[0].headers.get("authorization"), `Discogs token=${TOKEN}`);
  assertEquals(withToken.client.pacer.limit, 60, "60 a minute with a token");

  const anonymous = stubbed(() => ok({ id: 1 }), { token: undefined });
  await anonymous.client.release(1, "USD");
  assertEquals(anonymous.calls[0].headers.get("authorization"), null);
  assertEquals(anonymous.client.pacer.limit, 25, "25 a minute without");
  assert(!anonymous.client.authenticated);
});

Deno.test("requests go to the configured address and nowhere else", async () => {
  const { client, calls } = stubbed(() => ok({}));
  for (const path of ["https://example.com/x", "//example.com/x", "@example.com/x", "releases/1"]) {
    await assertRejects(() => client.get(path), TypeError, "not an API path");
  }
  assertEquals(calls.length, 0);
  assertThrows(
    () => new DiscogsClient({ baseUrl: "api.discogs.com" }),
    InputError,
    "DISCOGS_API_URL",
  );
  assertThrows(() => new DiscogsClient({ baseUrl: "ftp://127.0.0.1" }), InputError, "http(s)");
  assertThrows(
    () => new DiscogsClient({ baseUrl: "http://api.example.org", token: TOKEN }),
    InputError,
    "refusing to send DISCOGS_TOKEN over plain http",
  );
  // Plain http is fine on this machine (the fake server) or without a token.
  new DiscogsClient({ baseUrl: "http://localhost:8080/", token: TOKEN });
  assertEquals(new DiscogsClient({ baseUrl: "http://127.0.0.1:1/" }).baseUrl, "http://127.0.0.1:1");
});

Deno.test("fromEnv reads DISCOGS_API_URL, DISCOGS_RATE_WINDOW and DISCOGS_TOKEN, and names bad values", () => {
  const names = ["DISCOGS_API_URL", "DISCOGS_RATE_WINDOW", "DISCOGS_TOKEN"];
  const saved = names.map((n) => Deno.env.get(n));
  try {
    Deno.env.set("DISCOGS_API_URL", "http://127.0.0.1:4321");
    Deno.env.set("DISCOGS_RATE_WINDOW", "2s");
    Deno.env.set("DISCOGS_TOKEN", TOKEN);
    const client = DiscogsClient.fromEnv();
    assertEquals(client.baseUrl, "http://127.0.0.1:4321");
    assertEquals(client.pacer.windowMs, 2000);
    assert(client.authenticated);
    Deno.env.set("DISCOGS_RATE_WINDOW", "fast");
    const error = assertThrows(() => DiscogsClient.fromEnv(), InputError, "DISCOGS_RATE_WINDOW");
    assert(!error.message.includes(TOKEN));
    Deno.env.set("DISCOGS_RATE_WINDOW", "1m");
    Deno.env.set("DISCOGS_API_URL", "not a url");
    assertThrows(() => DiscogsClient.fromEnv(), InputError, 'DISCOGS_API_URL "not a url"');
  } finally {
    names.forEach((n, i) =>
      saved[i] === undefined ? Deno.env.delete(n) : Deno.env.set(n, saved[i]!)
    );
  }
});

Deno.test("401/403: a refused token, a missing one, and a private collection or wantlist", async () => {
  const refused = stubbed(() => status(401, { message: "Invalid consumer token." }));
  const e1 = await assertRejects(() => refused.client.release(5, "USD"), DiscogsError);
  assertEquals(e1.kind, "unauthorized");
  assertEquals(
    e1.message,
    "Discogs refused the token for /releases/5?curr_abbr=USD (401: Invalid consumer token.): check DISCOGS_TOKEN",
  );
  assertEquals(refused.calls.length, 1, "not retried");
  assertEquals(e1.exitCode, 2);

  const missing = stubbed(() => status(403), { token: undefined });
  const e2 = await assertRejects(() => missing.client.release(5, "USD"), DiscogsError);
  assertEquals(e2.kind, "unauthorized");
  assert(e2.message.endsWith("set DISCOGS_TOKEN"), e2.message);

  const priv = stubbed(() => status(401), { token: undefined });
  const e3 = await assertRejects(() => priv.client.collectionPage("digger", 1), DiscogsError);
  assertEquals(e3.kind, "private");
  assertEquals(e3.message, "the collection of digger is private; set DISCOGS_TOKEN of its owner");
  const e4 = await assertRejects(() => priv.client.wantsPage("digger", 1), DiscogsError);
  assertEquals(e4.message, "the wantlist of digger is private; set DISCOGS_TOKEN of its owner");
  const notOwner = stubbed(() => status(403));
  const e5 = await assertRejects(() => notOwner.client.collectionPage("digger", 2), DiscogsError);
  assertEquals(
    e5.message,
    "the collection of digger is private; set DISCOGS_TOKEN of its owner (the token in use is not the owner's)",
  );
});

Deno.test("404 is an answer (kept with its body), other 4xx are not retried", async () => {
  const gone = stubbed(() => status(404, { message: "Release not found." }));
  const e = await assertRejects(() => gone.client.release(7, "USD"), DiscogsError);
  assertEquals(e.kind, "not_found");
  assertEquals(e.message, "not found on Discogs: /releases/7?curr_abbr=USD (Release not found.)");
  assertEquals(e.body, '{"message":"Release not found."}');
  assertEquals([gone.calls.length, gone.client.stats.failures], [1, 0]);

  const bad = stubbed(() => status(422, { message: "Invalid currency." }));
  const e2 = await assertRejects(() => bad.client.release(7, "XXX"), DiscogsError);
  assertEquals(e2.kind, "server");
  assertEquals(e2.message, "Discogs rejected /releases/7?curr_abbr=XXX (422: Invalid currency.)");
  assertEquals(bad.calls.length, 1);
});

Deno.test("5xx: jittered exponential backoff, bounded attempts, then a clear failure", async () => {
  let n = 0;
  const flaky = stubbed(() => (++n <= 3 ? status(502, "<html>Bad Gateway</html>") : ok({ id: 1 })));
  const response = await flaky.client.release(1, "USD");
  assertEquals(response.json, { id: 1 });
  assertEquals(flaky.slept, [100, 200, 400], "doubling from backoffMs (jitter factor 1)");
  assertEquals(flaky.client.stats, { requests: 4, responses429: 0, retries: 3, failures: 0 });

  const down = stubbed(() => status(503), { maxAttempts: 3 });
  const e = await assertRejects(() => down.client.release(1, "USD"), DiscogsError);
  assertEquals(e.kind, "server");
  assertEquals(
    e.message,
    "Discogs answered 503 for /releases/1?curr_abbr=USD: x (gave up after 3 attempts)",
  );
  assertEquals(down.calls.length, 3);
  assertEquals(down.client.stats.failures, 1);

  // Jitter spreads the waits between half and one and a half times the step, capped at a window.
  const low = stubbed(() => status(500), { maxAttempts: 6, random: () => 0 });
  await assertRejects(() => low.client.release(1, "USD"), DiscogsError);
  assertEquals(low.slept, [50, 100, 200, 400, 500]);
  const high = stubbed(() => status(500), { maxAttempts: 3, random: () => 0.99 });
  await assertRejects(() => high.client.release(1, "USD"), DiscogsError);
  assertEquals(high.slept.map(Math.round), [149, 298]);
});

Deno.test("empty bodies and non-JSON bodies are retried, then explained", async () => {
  const empty = stubbed(() => new Response("", { status: 200 }), { maxAttempts: 2 });
  const e1 = await assertRejects(() => empty.client.release(3, "USD"), DiscogsError);
  assertEquals(e1.kind, "empty_body");
  assert(e1.message.includes("no User-Agent"), e1.message);
  assertEquals(empty.calls.length, 2);

  const html = stubbed(() => new Response("<html>maintenance</html>", { status: 200 }), {
    maxAttempts: 2,
  });
  const e2 = await assertRejects(() => html.client.release(3, "USD"), DiscogsError);
  assertEquals(e2.kind, "bad_json");
  assertEquals(
    e2.message,
    'Discogs sent a body that is not JSON for /releases/3?curr_abbr=USD: "<html>maintenance</html>" (gave up after 2 attempts)',
  );
});

Deno.test("network errors and time-outs are retried, and their messages never hold the token", async () => {
  const refusing = stubbed(() => {
    throw new TypeError(`connection refused (Authorization: Discogs token=${TOKEN})`);
  }, { maxAttempts: 2 });
  const e = await assertRejects(() => refusing.client.release(1, "USD"), DiscogsError);
  assertEquals(e.kind, "network");
  assert(!e.message.includes(TOKEN), e.message);
  assert(e.message.includes("[redacted]"));
  assertEquals(refusing.client.stats.retries, 1);

  const hanging = stubbed(
    (_url, init) =>
      new Promise<Response>((_resolve, reject) =>
        init.signal!.addEventListener("abort", () => reject(init.signal!.reason))
      ),
    { maxAttempts: 2, timeoutMs: 20 },
  );
  const t = await assertRejects(() => hanging.client.release(1, "USD"), DiscogsError);
  assertEquals(t.kind, "network");
  assertEquals(
    t.message,
    "network error for /releases/1?curr_abbr=USD: no answer within 20 ms (gave up after 2 attempts)",
  );
});

Deno.test("a body that echoes the token (a misbehaving proxy) is redacted from every message", async () => {
  const echo = { message: `bad header Authorization: Discogs token=${TOKEN}` };
  for (const code of [500, 401, 404, 422]) {
    const { client } = stubbed(() => status(code, echo), { maxAttempts: 1 });
    const e = await assertRejects(() => client.release(1, "USD"), DiscogsError);
    assert(!e.message.includes(TOKEN), e.message);
    assert(e.message.includes("[redacted]"), e.message);
  }
  const { client } = stubbed(() => new Response(`oops ${TOKEN}`), { maxAttempts: 1 });
  const e = await assertRejects(() => client.release(1, "USD"), DiscogsError);
  assertEquals(e.kind, "bad_json");
  assert(!e.message.includes(TOKEN), e.message);
});

Deno.test("429: waits for Retry-After when sent, else until our oldest request leaves the window", async () => {
  let calls = 0;
  const retryAfter = stubbed(() =>
    ++calls === 1
      ? status(429, { message: "You are making requests too quickly." }, { "retry-after": "3" })
      : ok({ id: 1 })
  );
  await retryAfter.client.release(1, "USD");
  assertEquals(retryAfter.slept, [3000]);
  assertEquals(retryAfter.client.stats, { requests: 2, responses429: 1, retries: 1, failures: 0 });

  // Without Retry-After: two of ours went through at t and t+100; the third is refused.
  let n = 0;
  const full = stubbed(() => {
    n++;
    if (n === 3) {
      return status(429, { message: "You are making requests too quickly." }, {
        "x-discogs-ratelimit": "2",
        "x-discogs-ratelimit-used": "2",
        "x-discogs-ratelimit-remaining": "0",
      });
    }
    // Discogs lowered the limit to 2 after our second request (say).
    const limit = n < 3 ? 60 : 2;
    return ok({ id: n }, {
      "x-discogs-ratelimit": String(limit),
      "x-discogs-ratelimit-used": String(Math.min(n, 2)),
      "x-discogs-ratelimit-remaining": String(limit - Math.min(n, 2)),
    });
  });
  await full.client.release(1, "USD");
  full.advance(100);
  await full.client.release(2, "USD");
  await full.client.release(3, "USD");
  // Learned limit 2 from the 429; waits until the first (at 0) leaves: 1000 + margin − 100.
  assertEquals(full.slept, [1000 + 10 - 100]);
  assertEquals(full.client.pacer.limit, 2);

  const stubborn = stubbed(() => status(429, {}, { "retry-after": "1" }), { max429: 2 });
  const e = await assertRejects(() => stubborn.client.release(1, "USD"), DiscogsError);
  assertEquals(e.kind, "rate_limited");
  assertEquals(stubborn.client.stats.responses429, 3);
});

Deno.test("pagination follows pagination.pages and stops on an empty page", async () => {
  const pages = stubbed((url) => {
    const n = Number(url.searchParams.get("page"));
    assertEquals(url.searchParams.get("per_page"), "100");
    return ok({ pagination: { page: n, pages: 3 }, wants: n === 3 ? [] : [n * 10, n * 10 + 1] });
  });
  const seen: number[][] = [];
  for await (
    const items of pages.client.paginate<number>((n) => pages.client.wantsPage("u", n), "wants")
  ) {
    seen.push(items);
  }
  assertEquals(seen, [[10, 11], [20, 21], []]);

  const lying = stubbed((url) =>
    ok({ pagination: { pages: 1000 }, releases: url.searchParams.get("page") === "1" ? [1] : [] })
  );
  let count = 0;
  for await (
    const _ of lying.client.paginate((n) => lying.client.labelReleases(1, n), "releases")
  ) {
    count++;
  }
  assertEquals(count, 2, "an empty page ends it even if the server claims more");
  assertEquals(lying.calls.map((c) => new URL(c.url).pathname), [
    "/labels/1/releases",
    "/labels/1/releases",
  ]);
});

Deno.test("endpoint helpers ask for the documented paths", async () => {
  const { client, calls } = stubbed(() => ok({ pagination: { pages: 1 } }));
  await client.marketplaceStats(249504, "EUR");
  await client.collectionPage("a b", 2);
  await client.masterVersions(4242, 1);
  await client.artistReleases(1, 1);
  await client.collectionFields("example");
  assertEquals(calls.map((c) => c.url.slice(BASE.length)), [
    "/marketplace/stats/249504?curr_abbr=EUR",
    "/users/a%20b/collection/folders/0/releases?page=2&per_page=100",
    "/masters/4242/versions?page=1&per_page=100",
    "/artists/1/releases?page=1&per_page=100",
    "/users/example/collection/fields",
  ]);
});
