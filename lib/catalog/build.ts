/**
 * Build the catalogue from dump files: each file is streamed (`.xml.gz` through node:zlib, or
 * `.xml`), never whole in memory, through the dump parser into the Parquet writer, one entity
 * after the other.
 *
 * Resuming: the manifest lists every complete part with where it ends in the decompressed
 * file. Run again on the same file, the build decompresses and discards the bytes up to the
 * last part's end (checking that they end as they did when the part was written: a file
 * restored after a truncated download resumes, another month's file does not), starts the
 * parser there, and continues with the next part. A finished entity is skipped; `rebuild`
 * starts over.
 *
 * Faults: a truncated or malformed file ends the build with an {@link InputError} naming the
 * byte offset and the last complete record; the parts cut before it are still written and
 * listed, so what is on disk stays valid and a rerun resumes.
 *
 * Decompression: node:zlib's gunzip measured ≈ 1 GB/s of XML here, DecompressionStream
 * ≈ 0.5 GB/s (and `gzip -dc` ≈ 0.23 GB/s), so node:zlib it is.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { createGunzip } from "node:zlib";
import { InputError } from "../errors.ts";
import { DumpFormatError, DumpParser } from "./parse.ts";
import { CATALOG_TABLES, type DumpKind, type DumpRecordOf } from "./schema.ts";
import { RECORD_ELEMENT } from "./values.ts";
import {
  type CatalogEntity,
  type CatalogManifest,
  type CatalogPart,
  type CatalogSource,
  describeSource,
  partCounts,
  readCatalogManifest,
  writeCatalogManifest,
} from "./manifest.ts";
import { CatalogWriter, removeUnlisted, SPOOL_DIR } from "./write.ts";
import { checkDumpFile } from "./sniff.ts";
import { PARALLEL_KINDS, ParallelParser } from "./parallel.ts";
import { buildProgress, type BuildProgressOptions, formatSize } from "./progress.ts";

/** The order entities are built in (and listed in messages). */
export const DUMP_KINDS: readonly DumpKind[] = ["releases", "masters", "artists", "labels"];

/** Options for {@link buildCatalog}. */
export interface BuildOptions {
  /** Catalogue folder. */
  dir: string;
  /** Records per part (default: the writer's). */
  partSize?: number;
  /** Start every given entity over instead of resuming or skipping it. */
  rebuild?: boolean;
  /** Where progress and status lines go. */
  info: (line: string) => void;
  progress?: BuildProgressOptions;
  /** Parsing workers for releases, masters and artists (default 2; 1 parses on this thread). */
  workers?: number;
}

/** Batches a parsing worker may have queued: enough to keep both busy, little memory. */
const MAX_IN_FLIGHT = 6;

/** What happened to one entity. */
export interface EntitySummary {
  kind: DumpKind;
  path: string;
  /** `built` from the start, `resumed` after earlier parts, or `skipped` (already finished). */
  outcome: "built" | "resumed" | "skipped";
  /** Records and parts written in this run. */
  records: number;
  parts: number;
  /** Decompressed XML bytes parsed in this run. */
  xmlBytes: number;
  seconds: number;
  /** Everything the catalogue now holds of this entity. */
  counts: CatalogEntity["counts"];
  totalParts: number;
}

/** How many decompressed bytes before a part's end its fingerprint covers. */
const TAIL_BYTES = 4096;

/** The last decompressed chunks, enough to fingerprint the bytes before any offset in them. */
class TailWindow {
  private chunks: { start: number; bytes: Uint8Array }[] = [];

  /** Add the chunk at `start`; records still to come end at or after `keepFrom`. */
  push(start: number, bytes: Uint8Array, keepFrom = start): void {
    this.chunks.push({ start, bytes });
    while (this.chunks.length > 1 && this.chunks[1].start <= keepFrom - TAIL_BYTES) {
      this.chunks.shift();
    }
  }

  /** sha1 of the (up to) {@link TAIL_BYTES} bytes before `end`. */
  sha1(end: number): string {
    const hash = createHash("sha1");
    const from = Math.max(0, end - TAIL_BYTES);
    for (const { start, bytes } of this.chunks) {
      const a = Math.max(from, start) - start;
      const b = Math.min(end, start + bytes.length) - start;
      if (b > a) hash.update(bytes.subarray(a, b));
    }
    return hash.digest("hex");
  }
}

/** True when two descriptions name the same file contents (size and mtime). */
function sameFile(a: CatalogSource, b: CatalogSource): boolean {
  return a.size === b.size && a.mtime === b.mtime;
}

/** Parts of `manifest`'s entity `kind` as a set of file names. */
function listedParts(entity: CatalogEntity | undefined): Set<string> {
  return new Set((entity?.parts ?? []).map((p) => p.file));
}

/**
 * Build (or resume, or skip) every entity in `inputs` into the catalogue at `options.dir`.
 * Files are checked first (present, a dump, of the flag's kind), so a wrong one fails before
 * any work.
 */
export async function buildCatalog(
  inputs: Partial<Record<DumpKind, string>>,
  options: BuildOptions,
): Promise<EntitySummary[]> {
  const kinds = DUMP_KINDS.filter((k) => inputs[k] !== undefined);
  const gzip: Partial<Record<DumpKind, boolean>> = {};
  for (const kind of kinds) gzip[kind] = await checkDumpFile(inputs[kind]!, kind);
  await Deno.mkdir(options.dir, { recursive: true });
  const manifest = await readCatalogManifest(options.dir);
  const summaries: EntitySummary[] = [];
  for (const kind of kinds) {
    summaries.push(await buildEntity(kind, inputs[kind]!, gzip[kind]!, manifest, options));
  }
  await Deno.remove(join(options.dir, SPOOL_DIR), { recursive: true }).catch(() => {});
  return summaries;
}

async function buildEntity(
  kind: DumpKind,
  path: string,
  gzip: boolean,
  manifest: CatalogManifest,
  options: BuildOptions,
): Promise<EntitySummary> {
  const source = await describeSource(path);
  let entity = manifest.entities[kind];
  if (options.rebuild && entity) {
    options.info(`${kind}: --rebuild: dropping the ${entity.parts.length} parts built before`);
    entity = undefined;
  }
  if (entity?.finished) {
    if (!sameFile(entity.source, source)) {
      throw new InputError(
        `--${kind} ${path}: the catalogue's ${kind} were built from ${entity.source.path} ` +
          `(${entity.source.size} bytes, modified ${entity.source.mtime}), and this file differs; ` +
          `run with --rebuild to build ${kind} again from it`,
      );
    }
    options.info(
      `${kind}: already built from ${path} (${
        entity.counts.records.toLocaleString("en-US")
      } ${kind} ` +
        `in ${entity.parts.length} parts): skipped; --rebuild builds it again`,
    );
    return {
      kind,
      path,
      outcome: "skipped",
      records: 0,
      parts: 0,
      xmlBytes: 0,
      seconds: 0,
      counts: entity.counts,
      totalParts: entity.parts.length,
    };
  }
  const resumeFrom: CatalogPart | undefined = entity?.parts.at(-1);
  entity = {
    source,
    finished: false,
    parts: entity?.parts ?? [],
    counts: entity?.counts ?? { records: 0, rows: {} },
  };
  manifest.entities[kind] = entity;
  await removeUnlisted(options.dir, kind, listedParts(entity));
  await writeCatalogManifest(options.dir, manifest);
  if (resumeFrom) {
    options.info(
      `${kind}: resuming after part ${resumeFrom.file} (${
        entity.counts.records.toLocaleString("en-US")
      } ${kind} in ${entity.parts.length} parts already written, up to byte ${
        resumeFrom.end_offset.toLocaleString("en-US")
      } of the XML)`,
    );
  }
  const t0 = performance.now();
  const written = { records: 0, parts: 0 };
  const writer = await CatalogWriter.open(options.dir, kind, {
    partSize: options.partSize,
    fingerprint: (end) => tail.sha1(end),
    onPart: async (part) => {
      entity!.parts.push(part);
      entity!.counts = partCounts(entity!.parts);
      written.records += part.records;
      written.parts++;
      await writeCatalogManifest(options.dir, manifest);
    },
  });
  const tail = new TailWindow();
  let xmlBytes = 0;
  try {
    xmlBytes = await streamInto(kind, path, gzip, source.size, resumeFrom, writer, tail, options);
    entity.finished = true;
    entity.counts = partCounts(entity.parts);
    await writeCatalogManifest(options.dir, manifest);
  } finally {
    writer.close();
  }
  return {
    kind,
    path,
    outcome: resumeFrom ? "resumed" : "built",
    records: written.records,
    parts: written.parts,
    xmlBytes,
    seconds: (performance.now() - t0) / 1000,
    counts: entity.counts,
    totalParts: entity.parts.length,
  };
}

/**
 * Stream `path` into `writer` from `resumeFrom`'s end (or the start), and finish the last part.
 * Returns the decompressed bytes parsed. On any failure the unfinished part is dropped, the
 * parts already cut are written, and the failure is rethrown as an {@link InputError} with the
 * position and the last complete record.
 */
async function streamInto<K extends DumpKind>(
  kind: K,
  path: string,
  gzip: boolean,
  totalBytes: number,
  resumeFrom: CatalogPart | undefined,
  writer: CatalogWriter<K>,
  tail: TailWindow,
  options: BuildOptions,
): Promise<number> {
  const startOffset = resumeFrom?.end_offset ?? 0;
  const what = RECORD_ELEMENT[kind];
  let lastId: number | null = resumeFrom?.last_id ?? null;
  let lastEnd = startOffset;
  let records = 0;
  const workers = options.workers ?? 2;
  const parallel = PARALLEL_KINDS.has(kind) && workers > 1
    ? new ParallelParser(kind, (batch) => {
      writer.addEncoded(batch.json, batch.lineEnds, batch.ids, batch.ends);
      if (batch.ids.length > 0) {
        lastId = batch.ids[batch.ids.length - 1];
        lastEnd = batch.ends[batch.ends.length - 1];
      }
      records += batch.ids.length;
    }, { startOffset, workers, lastId })
    : undefined;
  const parser = new DumpParser(kind, (record: DumpRecordOf[K], endOffset: number) => {
    writer.add(record, endOffset);
    lastId = record.id;
    lastEnd = endOffset;
    records++;
  }, { startOffset });
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = gzip ? file.pipe(createGunzip({ chunkSize: 1 << 18 })) : file;
  if (gzip) file.on("error", (error) => stream.destroy(error));
  const progress = buildProgress(`[catalog] ${kind}:`, kind, options.progress);
  let position = 0;
  let parseStarted = 0;
  let parsedFrom = 0;
  const lastComplete = () =>
    lastId === null
      ? `no ${what} is complete`
      : `the last complete ${what} is ${lastId} (it ends at byte ${
        lastEnd.toLocaleString("en-US")
      } of the XML)`;
  try {
    try {
      for await (const chunk of stream as AsyncIterable<Uint8Array>) {
        const start = position;
        position += chunk.length;
        tail.push(start, chunk, parallel?.oldestPending ?? start);
        if (position < startOffset) continue;
        let bytes = chunk;
        if (start < startOffset) {
          checkResume(kind, path, resumeFrom!, tail);
          bytes = chunk.subarray(startOffset - start);
        } else if (start === startOffset && resumeFrom) checkResume(kind, path, resumeFrom, tail);
        if (parseStarted === 0) {
          parseStarted = performance.now();
          parsedFrom = file.bytesRead;
        }
        if (parallel) {
          parallel.write(bytes);
          await parallel.drain(MAX_IN_FLIGHT);
        } else parser.write(bytes);
        if (writer.backlog > 1) await writer.settle(1);
        const seconds = (performance.now() - parseStarted) / 1000;
        const compressedRate = seconds > 0 ? (file.bytesRead - parsedFrom) / seconds : 0;
        progress.update({
          readBytes: file.bytesRead,
          totalBytes,
          records,
          perSecond: seconds > 0 ? records / seconds : 0,
          etaMs: compressedRate > 0
            ? ((totalBytes - file.bytesRead) / compressedRate) * 1000
            : null,
        });
      }
    } catch (error) {
      if (error instanceof DumpFormatError || error instanceof InputError) throw error;
      // The records already handed to the workers are whole: keep them before reporting.
      await parallel?.settle();
      const code = (error as { code?: string }).code;
      if (code === "Z_BUF_ERROR" || code === "Z_DATA_ERROR") {
        const why = code === "Z_BUF_ERROR"
          ? "the gzip data ends early (the file is truncated)"
          : `the gzip data is damaged (${(error as Error).message})`;
        throw new InputError(
          `--${kind} ${path}: ${why} after ${file.bytesRead.toLocaleString("en-US")} of ${
            totalBytes.toLocaleString("en-US")
          } compressed bytes, at byte ${
            position.toLocaleString("en-US")
          } of the XML; ${lastComplete()}${resumeHint(kind, writer)}`,
          1,
        );
      }
      throw error;
    }
    if (position < startOffset) {
      throw new InputError(
        `--${kind} ${path}: the file ends at byte ${
          position.toLocaleString("en-US")
        } of the XML, ` +
          `before byte ${
            startOffset.toLocaleString("en-US")
          } where the parts already written end: ` +
          `it is not the file they were built from (run with --rebuild to start ${kind} over)`,
      );
    }
    if (parallel) await parallel.end();
    else parser.end();
    await writer.finish(lastEnd);
  } catch (error) {
    progress.done();
    parallel?.close();
    await writer.abandon();
    if (error instanceof DumpFormatError) {
      throw new InputError(`--${kind} ${path}: ${error.message}${resumeHint(kind, writer)}`, 1);
    }
    throw error;
  }
  progress.done();
  parallel?.close();
  return position - startOffset;
}

/** What is kept after a failure, and how to go on. */
function resumeHint(kind: DumpKind, writer: CatalogWriter<DumpKind>): string {
  return `. The complete parts of ${kind} written so far are kept and listed in ${
    join(writer.dir, "catalog.json")
  }; run the same command again on the complete file to resume after the last of them`;
}

/** Throw when the bytes before the resume point are not those the last part ended with. */
function checkResume(kind: DumpKind, path: string, part: CatalogPart, tail: TailWindow): void {
  if (tail.sha1(part.end_offset) === part.tail_sha1) return;
  throw new InputError(
    `--${kind} ${path}: this is not the file the catalogue's ${kind} were being built from ` +
      `(its XML before byte ${part.end_offset.toLocaleString("en-US")}, where part ${part.file} ` +
      `ends, differs); run with --rebuild to start ${kind} over from this file`,
  );
}

/** Every table name of the given kinds, in schema order. */
export function tablesOf(kinds: readonly DumpKind[]): string[] {
  return kinds.flatMap((k) => Object.keys(CATALOG_TABLES[k]));
}

export { formatSize };
