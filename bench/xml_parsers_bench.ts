/**
 * XML parser benchmark for the catalogue (issue 13): the dump parser against the npm streaming
 * parsers the issue names, on the same XML in memory — the 2020 releases sample repeated to
 * `--mb` MB inside one `<releases>` root, once as the sample has it (accents as `&#228;`
 * references, pure ASCII) and once with those references written as UTF-8 text as today's files
 * have them. Each run feeds `--chunk`-byte chunks; the figure is the median of `--runs` runs.
 *
 * The npm parsers only tokenize here (their handlers count records and touch the text), so
 * their figure is an upper bound of what a dump reader built on them could do; "saxes + records"
 * is the reference reader of `lib/catalog/reference_parse.ts`, which builds the same records as
 * the dump parser. The floor is `gzip -dc` of the same XML compressed, and the last row is the
 * whole read in process: gzip decompression (DecompressionStream) feeding the dump parser.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { SaxesParser } from "saxes";
import { Parser as Htmlparser2 } from "htmlparser2";
import { SaxEventType, SAXParser } from "sax-wasm";
import { DumpParser } from "../lib/catalog/parse.ts";
import { ReferenceDumpParser } from "../lib/catalog/reference_parse.ts";
import { printTable, writeBenchResult } from "./report.ts";

const SAMPLE = fileURLToPath(
  new URL("../../shared/fixtures/dump/discogs_20200806_releases.xml.gz", import.meta.url),
);

/** The sample's releases repeated to about `mb` MB, inside one root element. */
function buildXml(sample: string, mb: number, utf8: boolean): Uint8Array {
  let body = sample.slice(sample.indexOf("<release "), sample.lastIndexOf("</releases>"));
  if (utf8) {
    // Today's files write accents as text; keep control characters (&#13;) as references.
    body = body.replace(/&#(\d+);/g, (ref, n) => (Number(n) < 32 ? ref : String.fromCodePoint(+n)));
  }
  const reps = Math.max(1, Math.round((mb * 1e6) / body.length));
  return new TextEncoder().encode(`<releases>\n${body.repeat(reps)}</releases>\n`);
}

/** One parser under test: feeds the whole XML, returns the number of releases it saw. */
interface Contender {
  name: string;
  what: string;
  run(xml: Uint8Array, chunk: number): number | Promise<number>;
}

function chunks(xml: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < xml.length; at += size) out.push(xml.subarray(at, at + size));
  return out;
}

function decodeChunks(xml: Uint8Array, size: number, each: (text: string) => void): void {
  const decoder = new TextDecoder();
  for (const c of chunks(xml, size)) each(decoder.decode(c, { stream: true }));
  each(decoder.decode());
}

const wasmBytes = () =>
  Deno.readFile(
    fileURLToPath(import.meta.resolve("sax-wasm").replace(/lib\/.*$/, "lib/sax-wasm.wasm")),
  );

const CONTENDERS: Contender[] = [
  {
    name: "DumpParser",
    what: "records (lib/catalog/parse.ts)",
    run(xml, size) {
      let n = 0;
      const parser = new DumpParser("releases", () => n++);
      for (const c of chunks(xml, size)) parser.write(c);
      parser.end();
      return n;
    },
  },
  {
    name: "htmlparser2",
    what: "tokens only (xmlMode)",
    run(xml, size) {
      let n = 0;
      let textLength = 0;
      const parser = new Htmlparser2({
        onclosetag(name) {
          if (name === "release") n++;
        },
        ontext(t) {
          textLength += t.length;
        },
      }, { xmlMode: true, decodeEntities: true });
      decodeChunks(xml, size, (t) => parser.write(t));
      parser.end();
      return textLength > 0 ? n : -1;
    },
  },
  {
    name: "saxes",
    what: "tokens only",
    run(xml, size) {
      let n = 0;
      let textLength = 0;
      const parser = new SaxesParser({ position: false });
      parser.on("closetag", (tag) => {
        if (tag.name === "release") n++;
      });
      parser.on("text", (t) => {
        textLength += t.length;
      });
      decodeChunks(xml, size, (t) => parser.write(t));
      parser.close();
      return textLength > 0 ? n : -1;
    },
  },
  {
    name: "saxes + records",
    what: "records (reference_parse.ts)",
    run(xml, size) {
      let n = 0;
      const parser = new ReferenceDumpParser("releases", () => n++);
      for (const c of chunks(xml, size)) parser.write(c);
      parser.end();
      return n;
    },
  },
  {
    name: "sax-wasm",
    what: "tokens only",
    async run(xml, size) {
      const parser = new SAXParser(SaxEventType.CloseTag | SaxEventType.Text);
      await parser.prepareWasm(await wasmBytes());
      let n = 0;
      let textLength = 0;
      parser.eventHandler = (event, detail) => {
        if (event === SaxEventType.CloseTag) {
          if ((detail as { name: string }).name === "release") n++;
        } else textLength += (detail as { value: string }).value.length;
      };
      for (const c of chunks(xml, size)) parser.write(c);
      parser.end();
      return textLength > 0 ? n : -1;
    },
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(f: () => unknown): Promise<number> {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
}

async function gzipFloor(xml: Uint8Array, runs: number) {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-bench-xml-" });
  try {
    const path = `${dir}/releases.xml`;
    await Deno.writeFile(path, xml);
    const gz = await new Deno.Command("gzip", { args: ["-6", "-k", path] }).output();
    if (!gz.success) throw new Error(`gzip failed: ${new TextDecoder().decode(gz.stderr)}`);
    const compressed = await Deno.readFile(`${path}.gz`);
    const seconds: number[] = [];
    for (let i = 0; i < runs; i++) {
      seconds.push(
        await time(async () => {
          const out = await new Deno.Command("gzip", {
            args: ["-dc", `${path}.gz`],
            stdout: "null",
          }).output();
          if (!out.success) throw new Error("gzip -dc failed");
        }),
      );
    }
    // The whole read in process: decompression feeding the parser, as the catalog stage does.
    const inProcess: number[] = [];
    let releases = 0;
    for (let i = 0; i < runs; i++) {
      inProcess.push(
        await time(async () => {
          releases = 0;
          const parser = new DumpParser("releases", () => releases++);
          const stream = new Blob([compressed]).stream().pipeThrough(
            new DecompressionStream("gzip"),
          );
          for await (const chunk of stream) parser.write(chunk);
          parser.end();
        }),
      );
    }
    return {
      compressed_bytes: compressed.length,
      gzip_seconds: median(seconds),
      in_process_seconds: median(inProcess),
      in_process_releases: releases,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: {
      mb: { type: "string", default: "90" },
      runs: { type: "string", default: "3" },
      chunk: { type: "string", default: String(1 << 20) },
    },
  });
  const mb = Number(values.mb);
  const runs = Math.max(1, Number(values.runs));
  const chunk = Number(values.chunk);
  const sample = new TextDecoder().decode(gunzipSync(await Deno.readFile(SAMPLE)));
  const datasets: Record<string, unknown>[] = [];
  for (const utf8 of [false, true]) {
    const label = utf8 ? "UTF-8 text (today's files)" : "char references (2020 sample)";
    const xml = buildXml(sample, mb, utf8);
    const rows: Record<string, unknown>[] = [];
    let expected = -1;
    for (const c of CONTENDERS) {
      const seconds: number[] = [];
      let count = 0;
      for (let i = 0; i < runs; i++) {
        seconds.push(await time(async () => count = await c.run(xml, chunk)));
      }
      if (expected < 0) expected = count;
      const s = median(seconds);
      rows.push({
        parser: c.name,
        what: c.what,
        seconds: s,
        mb_per_s: xml.length / 1e6 / s,
        releases_per_s: count / s,
        releases_seen: count,
        correct: count === expected,
      });
    }
    const floor = await gzipFloor(xml, runs);
    const ours = rows[0].seconds as number;
    console.log(
      `\n${label}: ${(xml.length / 1e6).toFixed(1)} MB, ${expected} releases, ` +
        `${(chunk / 1024).toFixed(0)} KiB chunks, median of ${runs}`,
    );
    printTable(
      ["parser", "reads", "MB/s", "releases/s", "time vs DumpParser", "releases seen"],
      [
        ...rows.map((r) => [
          r.parser as string,
          r.what as string,
          (r.mb_per_s as number).toFixed(0),
          Math.round(r.releases_per_s as number),
          `${((r.seconds as number) / ours).toFixed(2)}×`,
          r.correct ? String(r.releases_seen) : `${r.releases_seen} (WRONG)`,
        ]),
        [
          "gzip -dc (floor)",
          `decompress only, ${(floor.compressed_bytes / 1e6).toFixed(1)} MB .gz`,
          (xml.length / 1e6 / floor.gzip_seconds).toFixed(0),
          Math.round(expected / floor.gzip_seconds),
          `${(floor.gzip_seconds / ours).toFixed(2)}×`,
          "",
        ],
        [
          "gunzip + DumpParser",
          "records from .gz, in process",
          (xml.length / 1e6 / floor.in_process_seconds).toFixed(0),
          Math.round(expected / floor.in_process_seconds),
          `${(floor.in_process_seconds / ours).toFixed(2)}×`,
          String(floor.in_process_releases),
        ],
      ],
    );
    datasets.push({
      dataset: label,
      xml_bytes: xml.length,
      releases: expected,
      parsers: rows,
      gzip_floor: floor,
    });
  }
  const result = { chunk_bytes: chunk, runs, datasets };
  console.log(`\nwrote ${await writeBenchResult("xmlparsers", result)}`);
  return result;
}

export const xmlParsersBenchmark = {
  name: "xmlparsers",
  description:
    "dump parser vs saxes, htmlparser2, sax-wasm on ~90 MB of release XML; gzip -dc as floor",
  run,
};
