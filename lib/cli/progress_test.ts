import { assertEquals } from "../testing/assert.ts";
import { formatDuration, progressLine } from "./progress.ts";

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
