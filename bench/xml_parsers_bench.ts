/**
 * XML parser benchmark for the catalogue (issue 13): the dump parser against the npm streaming
 * parsers the issue names, on the same XML in memory — the 2020 releases sample repeated to
 * `--mb` MB inside one `<releases>` root, once as the sample has it (accents as `&#228;`
 * references, pure ASCII) and once with those references written as UTF-8 text as today's files
 * have them. Each run feeds `--chunk`-byte chunks after a 10 MB warm-up; the figure is the
 * fastest of `--runs` runs (this VM is shared).
 *
 * The npm parsers only tokenize here (their handlers count records and touch the text), so
 * their figure is an upper bound of what a dump reader built on them could do; "saxes + records"
 * is the reference reader of `lib/catalog/reference_parse.ts`, which builds the same records as
 * the dump parser. The floor is `gzip -dc` of the same XML compressed; the last two rows are the
 * whole read from the .gz file, decompressed in process (DecompressionStream) or by a `gzip -dc`
 * child on the other core, feeding the dump parser.
 *
 * @module
 */

import process from "node:process";
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
    what: "tokens only, ≤ 64 KiB chunks",
    async run(xml, size) {
      // With 1 MiB chunks sax-wasm 3.1.4 drops a few tags (998 of the sample's 1,000 releases).
      size = Math.min(size, 65536);
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

/** Wall-clock and CPU seconds (this process, all its threads) of one run. */
interface Timing {
  wall: number;
  cpu: number;
}

async function time(f: () => unknown): Promise<Timing> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6 };
}

/** The fastest run by each clock. */
function best(timings: Timing[]): Timing {
  return {
    wall: Math.min(...timings.map((t) => t.wall)),
    cpu: Math.min(...timings.map((t) => t.cpu)),
  };
}

/** `gzip -dc` timed by bash: wall and the child's CPU seconds. */
async function timeGunzip(path: string): Promise<Timing> {
  const out = await new Deno.Command("bash", {
    args: ["-c", `TIMEFORMAT='%R %U %S'; time gzip -dc "$0" > /dev/null`, path],
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`gzip -dc failed: ${new TextDecoder().decode(out.stderr)}`);
  const [wall, user, sys] = new TextDecoder().decode(out.stderr).trim().split(/\s+/).map(Number);
  return { wall, cpu: user + sys };
}

async function gzipFloor(xml: Uint8Array, runs: number) {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-bench-xml-" });
  try {
    const path = `${dir}/releases.xml`;
    await Deno.writeFile(path, xml);
    const gz = await new Deno.Command("gzip", { args: ["-6", "-k", path] }).output();
    if (!gz.success) throw new Error(`gzip failed: ${new TextDecoder().decode(gz.stderr)}`);
    const compressed = await Deno.stat(`${path}.gz`);
    const gunzip: Timing[] = [];
    for (let i = 0; i < runs; i++) gunzip.push(await timeGunzip(`${path}.gz`));
    // The whole read from the .gz file: in process (DecompressionStream, one thread) and from a
    // `gzip -dc` child (decompression on the other core), each feeding the dump parser.
    const inProcess: Timing[] = [];
    const piped: Timing[] = [];
    let releases = 0;
    let pipedReleases = 0;
    for (let i = 0; i < runs; i++) {
      inProcess.push(
        await time(async () => {
          releases = 0;
          const parser = new DumpParser("releases", () => releases++);
          const file = await Deno.open(`${path}.gz`); // its readable closes it
          for await (const c of file.readable.pipeThrough(new DecompressionStream("gzip"))) {
            parser.write(c);
          }
          parser.end();
        }),
      );
      piped.push(
        await time(async () => {
          pipedReleases = 0;
          const parser = new DumpParser("releases", () => pipedReleases++);
          const child = new Deno.Command("gzip", {
            args: ["-dc", `${path}.gz`],
            stdout: "piped",
          }).spawn();
          for await (const c of child.stdout) parser.write(c);
          parser.end();
          if (!(await child.status).success) throw new Error("gzip -dc failed");
        }),
      );
    }
    return {
      compressed_bytes: compressed.size,
      gzip: best(gunzip),
      in_process: best(inProcess),
      in_process_releases: releases,
      gzip_pipe: best(piped),
      gzip_pipe_releases: pipedReleases,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** One line of the table. */
interface Row {
  parser: string;
  reads: string;
  wall: number;
  cpu: number | null;
  releases_seen: number | null;
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
    const warmup = buildXml(sample, Math.min(10, mb), utf8);
    const rows: Row[] = [];
    let expected = -1;
    for (const c of CONTENDERS) {
      const timings: Timing[] = [];
      let count = 0;
      await c.run(warmup, chunk); // let the JIT settle first
      for (let i = 0; i < runs; i++) {
        timings.push(await time(async () => count = await c.run(xml, chunk)));
      }
      if (expected < 0) expected = count;
      rows.push({ parser: c.name, reads: c.what, ...best(timings), releases_seen: count });
    }
    const floor = await gzipFloor(xml, runs);
    rows.push(
      { parser: "gzip -dc (floor)", reads: "decompress only", ...floor.gzip, releases_seen: null },
      {
        parser: "gunzip + DumpParser",
        reads: "records from .gz, DecompressionStream",
        ...floor.in_process,
        releases_seen: floor.in_process_releases,
      },
      {
        parser: "gzip -dc | DumpParser",
        reads: "records from .gz, gzip child",
        wall: floor.gzip_pipe.wall,
        cpu: null, // two processes in parallel: only the wall clock means anything
        releases_seen: floor.gzip_pipe_releases,
      },
    );
    const ours = rows[0];
    const mbs = (seconds: number | null) =>
      seconds === null ? "" : (xml.length / 1e6 / seconds).toFixed(0);
    console.log(
      `\n${label}: ${(xml.length / 1e6).toFixed(1)} MB of XML (${
        (floor.compressed_bytes / 1e6).toFixed(1)
      } MB gzipped), ${expected} releases, ${(chunk / 1024).toFixed(0)} KiB chunks, fastest of ` +
        `${runs} runs`,
    );
    printTable(
      [
        "parser",
        "reads",
        "MB/s CPU",
        "MB/s wall",
        "releases/s CPU",
        "CPU time vs DumpParser",
        "releases seen",
      ],
      rows.map((r) => [
        r.parser,
        r.reads,
        mbs(r.cpu),
        mbs(r.wall),
        r.cpu === null ? "" : Math.round(expected / r.cpu),
        r.cpu === null ? "" : `${(r.cpu / ours.cpu!).toFixed(2)}×`,
        r.releases_seen === null
          ? ""
          : r.releases_seen === expected
          ? String(r.releases_seen)
          : `${r.releases_seen} (WRONG)`,
      ]),
    );
    datasets.push({
      dataset: label,
      xml_bytes: xml.length,
      gzip_bytes: floor.compressed_bytes,
      releases: expected,
      rows: rows.map((r) => ({
        ...r,
        mb_per_s_cpu: r.cpu === null ? null : xml.length / 1e6 / r.cpu,
        mb_per_s_wall: xml.length / 1e6 / r.wall,
        releases_per_s_cpu: r.cpu === null ? null : expected / r.cpu,
        releases_per_s_wall: expected / r.wall,
        correct: r.releases_seen === null || r.releases_seen === expected,
      })),
    });
  }
  const result = {
    chunk_bytes: chunk,
    runs,
    timing: "fastest of the runs; CPU = user + system seconds of the process (gzip: of the child)",
    datasets,
  };
  console.log(`\nwrote ${await writeBenchResult("xmlparsers", result)}`);
  return result;
}

export const xmlParsersBenchmark = {
  name: "xmlparsers",
  description:
    "dump parser vs saxes, htmlparser2, sax-wasm on ~90 MB of release XML; gzip -dc as floor",
  run,
};
