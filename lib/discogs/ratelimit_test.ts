import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { InputError } from "../errors.ts";
import { parseDuration, parseRateWindow, RatePacer } from "./ratelimit.ts";

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

Deno.test("a bad rate window is a clear input error", () => {
  assertEquals(parseRateWindow("2s"), 2000);
  assertThrows(() => parseRateWindow("0s"), InputError, "longer than zero");
  assertThrows(() => parseRateWindow("never"), InputError, "DISCOGS_RATE_WINDOW");
  assertThrows(() => parseRateWindow("fast"), InputError, 'DISCOGS_RATE_WINDOW "fast"');
});

/**
 * A simulated Discogs: a moving window counting arrivals (ours and, optionally, another app's),
 * answering with the real headers or a 429. Everything runs on a fake clock.
 */
function simulate(options: {
  windowMs: number;
  limit: number;
  assumedLimit: number;
  requests: number;
  latencyMs: number;
  /** Another app's arrival times. */
  others?: number[];
  /** Change the server's limit at this time. */
  limitChange?: { at: number; limit: number };
}) {
  const pacer = new RatePacer({ windowMs: options.windowMs, limit: options.assumedLimit });
  const arrivals: number[] = [];
  const ourArrivals: number[] = [];
  let others = [...(options.others ?? [])].sort((a, b) => a - b);
  let now = 0;
  let limited = 0;
  let done = 0;
  while (done < options.requests) {
    now += pacer.delayMs(now);
    const arrival = now + options.latencyMs / 2;
    // Another app's requests up to our arrival count first.
    while (others.length > 0 && others[0] <= arrival) arrivals.push(others.shift()!);
    const limit = options.limitChange && arrival >= options.limitChange.at
      ? options.limitChange.limit
      : options.limit;
    const used = arrivals.filter((t) => t > arrival - options.windowMs).length;
    now += options.latencyMs;
    if (used >= limit) {
      limited++;
      now += pacer.recordRateLimited(now, null);
      continue;
    }
    arrivals.push(arrival);
    ourArrivals.push(arrival);
    pacer.recordResponse(now, { limit, used: used + 1, remaining: limit - used - 1 });
    done++;
  }
  others = [];
  return { limited, ourArrivals, end: now, pacer };
}

/** Our requests per window after the first (burst) window, as a fraction of `perWindow`. */
function steadyFraction(arrivals: number[], windowMs: number, perWindow: number): number {
  const start = arrivals[0] + windowMs;
  const steady = arrivals.filter((t) => t >= start);
  const span = arrivals.at(-1)! - start;
  return (steady.length * windowMs) / span / perWindow;
}

Deno.test("simulated long run at 60 s windows: zero 429s and ≥ 95% of the allowed rate", () => {
  for (const latencyMs of [50, 400, 1500]) {
    const run = simulate({
      windowMs: 60_000,
      limit: 60,
      assumedLimit: 60,
      requests: 600,
      latencyMs,
    });
    assertEquals(run.limited, 0, `latency ${latencyMs} ms`);
    const fraction = steadyFraction(run.ourArrivals, 60_000, 60);
    assert(fraction >= 0.95, `latency ${latencyMs} ms: ${fraction.toFixed(3)} of the allowed rate`);
    assert(fraction <= 1, `never above the limit (${fraction.toFixed(3)})`);
  }
});

Deno.test("simulated: the anonymous limit is learned, and a limit lowered mid-run costs at most one 429", () => {
  const anonymous = simulate({
    windowMs: 60_000,
    limit: 25,
    assumedLimit: 60, // told otherwise by the first response
    requests: 200,
    latencyMs: 200,
  });
  assertEquals(anonymous.limited, 0);
  assertEquals(anonymous.pacer.limit, 25);
  assert(steadyFraction(anonymous.ourArrivals, 60_000, 25) >= 0.95);

  const lowered = simulate({
    windowMs: 60_000,
    limit: 60,
    assumedLimit: 60,
    requests: 400,
    latencyMs: 200,
    limitChange: { at: 150_000, limit: 40 },
  });
  assert(lowered.limited <= 1, `${lowered.limited} 429s after the limit dropped`);
  assertEquals(lowered.pacer.limit, 40);
});

Deno.test("simulated: another app that used part of the window shrinks our share, without 429s", () => {
  // 20 requests of someone else at the very start, then a burst of 10 more a few windows later.
  const others = [
    ...Array.from({ length: 20 }, (_, i) => i),
    ...Array.from({ length: 10 }, (_, i) => 200_000 + i),
  ];
  const run = simulate({
    windowMs: 60_000,
    limit: 60,
    assumedLimit: 60,
    requests: 400,
    latencyMs: 200,
    others,
  });
  // Our first request sees the first 20 and adapts; the later burst can cost a 429 at most.
  assert(run.limited <= 1, `${run.limited} 429s`);
  // Over the whole run we still get close to the whole quota minus what the other app used.
  const windows = run.end / 60_000;
  assert(400 / windows >= 0.9 * 60 - 30 / windows, `${(400 / windows).toFixed(1)} per window`);
});
