import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { etaLine, formatDuration, progress, progressLine, type ProgressState } from "./progress.ts";

Deno.test("durations read like a person would say them", () => {
  assertEquals(formatDuration(45_000), "45 s");
  assertEquals(formatDuration(12 * 60_000), "12 min");
  assertEquals(formatDuration(65 * 60_000 * 1.5), "1 h 38 min");
  assertEquals(formatDuration(Infinity), "unknown");
});

Deno.test("a progress line shows done/total, rate, ETA and problems only when there are some", () => {
  const base = {
    done: 1200,
    total: 4000,
    ratePerMinute: 59.4,
    etaMs: 47 * 60_000,
    rateLimited: 0,
    failed: 0,
  };
  assertEquals(progressLine("[enrich]", base), "[enrich] 1200/4000 (30%), 59.4/min, ETA 47 min");
  assertEquals(
    progressLine("[enrich]", { ...base, rateLimited: 2, failed: 1 }),
    "[enrich] 1200/4000 (30%), 59.4/min, ETA 47 min, 2 × 429, 1 failed",
  );
});

Deno.test("the estimate before the first request comes from the allowed rate", () => {
  assertEquals(
    etaLine("[enrich]", 4000, 59.4),
    "[enrich] 4000 to go at up to 59.4/min: about 67 min",
  );
  assertEquals(
    etaLine("[enrich]", 100, 24.75),
    "[enrich] 100 to go at up to 24.8/min: about 4 min",
  );
  assertEquals(etaLine("[enrich]", 0, 59.4), "[enrich] 0 to go at up to 59.4/min: about 0 s");
});

/** Drive a reporter through `total` steps, `msPerStep` apart, and return what it wrote. */
function drive(options: { tty: boolean; quiet?: boolean }, total: number, msPerStep: number) {
  let t = 0;
  const out: string[] = [];
  const bar = progress("[enrich] fetching", {
    // Explicit, so the suite does not depend on NEXTSPIN_QUIET in the caller's environment.
    quiet: false,
    ...options,
    write: (s) => out.push(s),
    now: () => t,
  });
  bar.start(total, 60);
  const state = (done: number): ProgressState => ({
    done,
    total,
    ratePerMinute: 60,
    etaMs: (total - done) * 1000,
    rateLimited: done > total / 2 ? 1 : 0,
    failed: 0,
  });
  for (let done = 0; done <= total; done++) {
    bar.update(state(done));
    t += msPerStep;
  }
  bar.done("[enrich] fetched all");
  return out;
}

Deno.test("without a terminal: the estimate, then a plain line every 5% (or 5 s), then the summary", () => {
  const out = drive({ tty: false }, 200, 1000);
  assertEquals(out[0], "[enrich] fetching 200 to go at up to 60.0/min: about 3 min\n");
  const lines = out.slice(1, -1);
  // Each step is 0.5% and takes 1 s: the 5 s rule fires every 5 steps, before the 5% rule.
  assertEquals(lines.length, 41);
  assert(lines.every((l) => l.endsWith("\n") && !l.includes("\r")), "plain lines, no bar");
  assertEquals(lines[0], "[enrich] fetching 0/200 (0%), 60.0/min, ETA 3 min\n");
  assertEquals(lines[1], "[enrich] fetching 5/200 (2%), 60.0/min, ETA 3 min\n");
  assertStringIncludes(lines.at(-1)!, "200/200 (100%)");
  assertStringIncludes(lines.at(-1)!, "1 × 429");
  assertEquals(out.at(-1), "[enrich] fetched all\n");
});

Deno.test("a fast run without a terminal still prints only every 5%", () => {
  const out = drive({ tty: false }, 1000, 1);
  assertEquals(out.length, 1 + 21 + 1, "estimate, 0%…100% in steps of 5, summary");
});

Deno.test("on a terminal: one redrawn bar line, cleared before the summary", () => {
  const out = drive({ tty: true }, 50, 200);
  const frames = out.slice(1, -2);
  assert(frames.length > 0 && frames.every((f) => f.startsWith("\r\x1b[2K[")), "bar frames");
  assert(frames.every((f) => !f.includes("\n")), "the bar stays on one line");
  assertStringIncludes(frames.at(-1)!, "[########################] [enrich] fetching 50/50 (100%)");
  assertEquals(out.at(-2), "\r\x1b[2K");
  assertEquals(out.at(-1), "[enrich] fetched all\n");
});

Deno.test("quiet: only the final summary", () => {
  assertEquals(drive({ tty: false, quiet: true }, 100, 1000), ["[enrich] fetched all\n"]);
  assertEquals(drive({ tty: true, quiet: true }, 100, 1000), ["[enrich] fetched all\n"]);
});
