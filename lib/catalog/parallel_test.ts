import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { assertEquals, assertMatch, assertRejects } from "../testing/assert.ts";
import { DumpFormatError, DumpParser } from "./parse.ts";
import { type BatchResult, ParallelParser } from "./parallel.ts";

const SAMPLE = fileURLToPath(
  new URL("../../../shared/fixtures/dump/discogs_20200806_releases.xml.gz", import.meta.url),
);

/** What two workers deliver for `bytes` fed in chunks of `size`: ids, ends and JSON lines. */
async function viaWorkers(bytes: Uint8Array, size: number) {
  const ids: number[] = [];
  const ends: number[] = [];
  const lines: string[] = [];
  const decoder = new TextDecoder();
  const parser = new ParallelParser("releases", (batch: BatchResult) => {
    ids.push(...batch.ids);
    ends.push(...batch.ends);
    let from = 0;
    for (const end of batch.lineEnds) {
      lines.push(decoder.decode(batch.json.subarray(from, end - 1)));
      from = end;
    }
  });
  try {
    for (let at = 0; at < bytes.length; at += size) {
      parser.write(bytes.subarray(at, at + size));
      await parser.drain(4);
    }
    await parser.end();
  } finally {
    parser.close();
  }
  return { ids, ends, lines };
}

Deno.test("ParallelParser delivers the same records, offsets and JSON as one parser, in order", async () => {
  const bytes = gunzipSync(await Deno.readFile(SAMPLE));
  const expected = { ids: [] as number[], ends: [] as number[], lines: [] as string[] };
  const one = new DumpParser("releases", (r, end) => {
    expected.ids.push(r.id);
    expected.ends.push(end);
    expected.lines.push(JSON.stringify(r));
  });
  one.write(bytes);
  one.end();
  for (const size of [4096, 65_536, 1 << 20]) {
    assertEquals(await viaWorkers(bytes, size), expected, `chunks of ${size}`);
  }
});

Deno.test("ParallelParser: a truncated file names the file's last complete record", async () => {
  const bytes = gunzipSync(await Deno.readFile(SAMPLE)).subarray(0, 3_000_000);
  const error = await assertRejects(() => viaWorkers(bytes, 65_536), DumpFormatError);
  assertMatch(
    error.message,
    /^truncated file: .*; the last complete release is \d+ \(it ends at byte/,
  );
  assertEquals(error.offset, 3_000_000);
});
