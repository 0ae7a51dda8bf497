import { assertEquals } from "../testing/assert.ts";
import { buildProgress, buildProgressLine, formatSize } from "./progress.ts";

Deno.test("buildProgressLine: compressed bytes of the total, records, rate and ETA", () => {
  assertEquals(
    buildProgressLine("[catalog] releases:", "releases", {
      readBytes: 1.2e9,
      totalBytes: 10.5e9,
      records: 2_412_000,
      perSecond: 24_800.4,
      etaMs: 9 * 60_000,
    }),
    "[catalog] releases: 1.20 GB / 10.50 GB (11%), 2,412,000 releases, 24,800/s, ETA 9 min",
  );
  assertEquals(formatSize(999), "999 B");
  assertEquals(formatSize(55_500_000), "55.5 MB");
});

Deno.test("buildProgress: plain lines at most every interval off a terminal, none when quiet", () => {
  let t = 0;
  const lines: string[] = [];
  const state = { readBytes: 1, totalBytes: 2, records: 3, perSecond: 4, etaMs: null };
  const bar = buildProgress("x", "releases", {
    tty: false,
    quiet: false,
    intervalMs: 5000,
    now: () => t,
    write: (s) => lines.push(s),
  });
  for (t = 0; t <= 12_000; t += 1000) bar.update(state);
  assertEquals(lines.length, 2);
  assertEquals(lines[0], "x 1 B / 2 B (50%), 3 releases, 4/s\n");
  const quiet = buildProgress("x", "releases", { quiet: true, write: (s) => lines.push(s) });
  quiet.update(state);
  assertEquals(lines.length, 2);
});
