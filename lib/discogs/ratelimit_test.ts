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
      pacer.recordRateLimited(now, null, { limit, used, remaining: 0 }); // the next delayMs waits
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

/** Most arrivals inside any window of `windowMs`. */
function busiestWindow(arrivals: number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < arrivals.length; end++) {
    while (arrivals[end] - arrivals[start] >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/**
 * How close a run came to the allowed rate: in a perfect run every request arrives exactly one
 * window after the one `perWindow` places before it. 1 is perfect; above 1 would break the limit.
 */
function efficiency(arrivals: number[], windowMs: number, perWindow: number): number {
  const gaps = arrivals.slice(perWindow).map((t, i) => t - arrivals[i]);
  return windowMs / (gaps.reduce((a, b) => a + b, 0) / gaps.length);
}

Deno.test("simulated long run at 60 s windows: zero 429s and ≥ 95% of the allowed rate", () => {
  // One request in flight at a time, so latency must stay under a second for 60 a minute.
  for (const latencyMs of [5, 50, 400, 900]) {
    const run = simulate({
      windowMs: 60_000,
      limit: 60,
      assumedLimit: 60,
      requests: 600,
      latencyMs,
    });
    assertEquals(run.limited, 0, `latency ${latencyMs} ms`);
    const score = efficiency(run.ourArrivals, 60_000, 60);
    assert(score >= 0.95, `latency ${latencyMs} ms: ${score.toFixed(3)} of the allowed rate`);
    assert(busiestWindow(run.ourArrivals, 60_000) <= 60, "never above the limit in any window");
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
  assert(efficiency(anonymous.ourArrivals, 60_000, 25) >= 0.95);

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
  const after = lowered.ourArrivals.filter((t) => t >= 150_000 + 60_000);
  assert(busiestWindow(after, 60_000) <= 40, "the lower limit is kept once learned");
  assert(efficiency(after, 60_000, 40) >= 0.95, "and used in full");
});

Deno.test("simulated: another app sharing the token shrinks our share, with at most one 429", () => {
  // Someone else: 20 requests at the very start, then 10 a window, evenly spread.
  const others = [
    ...Array.from({ length: 20 }, (_, i) => i),
    ...Array.from({ length: 100 }, (_, i) => 60_000 + i * 6000),
  ];
  const run = simulate({
    windowMs: 60_000,
    limit: 60,
    assumedLimit: 60,
    requests: 400,
    latencyMs: 200,
    others,
  });
  assert(run.limited <= 1, `${run.limited} 429s`);
  // What is left for us is 50 a window; we use nearly all of it.
  const score = efficiency(run.ourArrivals, 60_000, 50);
  assert(score >= 0.9, `${score.toFixed(3)} of the share left to us`);
});

Deno.test("requests of a previous run still in the window are remembered", () => {
  const pacer = new RatePacer({ windowMs: 1000, limit: 3, marginMs: 10 });
  pacer.rememberPast([-100, 500, 900, 950, 2000], 1000); // -100 has left; 2000 is not yet
  assertEquals(pacer.inWindow(1000), 3);
  assertEquals(pacer.delayMs(1000), 500 + 1000 + 10 - 1000, "full: wait for 500 to leave");
});
