import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { InputError } from "../errors.ts";
import { parseDuration, RatePacer } from "./ratelimit.ts";

const headers = (limit: number, used: number) => ({ limit, used, remaining: limit - used });

Deno.test("a fresh pacer sends a full window at once, then one as each slot frees", () => {
  const pacer = new RatePacer({ windowMs: 1000, limit: 3, marginMs: 10 });
  let now = 0;
  for (let i = 1; i <= 3; i++) {
    assertEquals(pacer.delayMs(now), 0);
    now += 5;
    pacer.recordResponse(now, headers(3, i));
  }
  // Window full: wait until the first request (done at 5) leaves it, plus the margin.
  assertEquals(pacer.delayMs(now), 5 + 1000 + 10 - now);
  now = 1015;
  assertEquals(pacer.delayMs(now), 0);
});

Deno.test("the limit is learned from the server and others' usage shrinks our budget", () => {
  const pacer = new RatePacer({ windowMs: 1000, limit: 60, marginMs: 10 });
  pacer.recordResponse(0, { limit: 5, used: 4, remaining: 1 }); // 3 requests were someone else's
  assertEquals(pacer.limit, 5);
  assertEquals(pacer.delayMs(1), 0, "one slot left");
  pacer.recordResponse(2, { limit: 5, used: 5, remaining: 0 });
  assert(pacer.delayMs(3) > 0, "server says none left");
  assertEquals(pacer.delayMs(3), 0 + 1000 + 10 - 3);
});

Deno.test("a 429 waits for Retry-After when given, else for the oldest slot", () => {
  const pacer = new RatePacer({ windowMs: 1000, limit: 2, marginMs: 10 });
  pacer.recordResponse(100, headers(2, 1));
  assertEquals(pacer.recordRateLimited(200, 3000), 3000);
  assertEquals(pacer.recordRateLimited(200, null), 100 + 1000 + 10 - 200);
  const fresh = new RatePacer({ windowMs: 1000, limit: 2, marginMs: 10 });
  assertEquals(
    fresh.recordRateLimited(0, null),
    100,
    "nothing of ours in the window: probe after a tenth",
  );
});

Deno.test("durations", () => {
  assertEquals(parseDuration("60s", "w"), 60_000);
  assertEquals(parseDuration("500ms", "w"), 500);
  assertEquals(parseDuration("1m", "w"), 60_000);
  assertEquals(parseDuration("7d", "w"), 7 * 86_400_000);
  assertEquals(parseDuration("2", "w"), 2000);
  assertEquals(parseDuration("never", "w"), Infinity);
  assertThrows(() => parseDuration("soon", "--max-age"), InputError, '--max-age "soon"');
});
