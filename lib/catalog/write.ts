/**
 * The catalogue writer: records from the dump parser in, zstd Parquet parts out, one directory
 * per table (`<dir>/<table>/<first id>-<last id>.parquet`), every table of an entity cut at the
 * same records.
 *
 * The fast path, measured on this 2-core machine (200,000 synthetic releases, see README):
 * the JS thread only does `JSON.stringify(record)` into a spool file (≈ 6 µs a release); DuckDB
 * then reads the part's newline-delimited JSON into a staging table and writes each table with
 * one `COPY (SELECT … unnest …) TO … (FORMAT parquet, COMPRESSION zstd)` on its own threads
 * (≈ 10 µs + 6.5 µs a release) while the JS thread parses the next part. Flattening in JS was
 * far slower: the appender row by row ≈ 27–37 µs and DuckDBDataChunk column-wise ≈ 27–32 µs a
 * release for just two of the six tables (one native call per string either way), and hand-built
 * CSV ≈ 33 µs a release (string building and escaping in JS).
 *
 * Each table's part is written under a temporary name (not matching `*.parquet`) and renamed
 * into place; only then is the part reported (`onPart`, which updates the manifest), so a part a
 * reader finds listed is complete in every table.
 *
 * @module
 */

import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { type DuckDBConnection } from "@duckdb/node-api";
import { CATALOG_TABLES, type DumpKind, type DumpRecordOf } from "./schema.ts";
import { type CatalogPart, partFileName } from "./manifest.ts";
import { RECORD_COLUMNS, TABLE_SELECTS } from "./sql.ts";

/** Default records per part: a few hundred MB of staging in DuckDB, ≈ 95 parts for 19M releases. */
export const DEFAULT_PART_SIZE = 200_000;

/** Spool folder (records of parts not yet written) inside the catalogue folder. */
export const SPOOL_DIR = ".spool";

/** DuckDB's memory for staging and writing a part; it spills to the spool folder beyond it. */
const DUCKDB_MEMORY_LIMIT = "500MB";

/** Options for {@link CatalogWriter.open}. */
export interface WriterOptions {
  /** Records per part (default {@link DEFAULT_PART_SIZE}). */
  partSize?: number;
  /**
   * Called after each part is on disk in every table, in id order (update the manifest here);
   * the next part is not reported before its promise settles.
   */
  onPart: (part: CatalogPart) => Promise<void>;
  /**
   * A fingerprint of the decompressed bytes just before `endOffset` (called synchronously when
   * a part is cut, while those bytes are still at hand), stored as the part's `tail_sha1`.
   */
  fingerprint?: (endOffset: number) => string;
}

/** A part cut from the stream, waiting for DuckDB. */
interface PendingPart {
  spool: string;
  firstId: number;
  lastId: number;
  records: number;
  endOffset: number;
  tail: string;
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** `read_json`'s `columns` argument for an entity. */
function jsonColumns(kind: DumpKind): string {
  const entries = Object.entries(RECORD_COLUMNS[kind]).map(([name, type]) =>
    `${quote(name)}: ${quote(type)}`
  );
  return `{${entries.join(", ")}}`;
}

/** Write all of `bytes` (a write may take only part of them). */
function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += file.writeSync(bytes.subarray(done));
}

/** Writes one entity's records as Parquet parts; see the module doc. */
export class CatalogWriter<K extends DumpKind> {
  private readonly encoder = new TextEncoder();
  private scratch = new Uint8Array(4 << 20);
  private lines: string[] = [];
  private lineChars = 0;
  private spool: Deno.FsFile | undefined;
  private spoolPath = "";
  private firstId = 0;
  private lastId = 0;
  private count = 0;
  private parts = 0;
  private chain: Promise<void> = Promise.resolve();
  /** One promise per part cut and not yet written, oldest first. */
  private readonly inFlight: Promise<void>[] = [];
  private failure: unknown;
  private readonly partSize: number;

  private constructor(
    readonly dir: string,
    readonly kind: K,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly options: WriterOptions,
  ) {
    this.partSize = options.partSize ?? DEFAULT_PART_SIZE;
  }

  /** Open a writer for `kind` into catalogue folder `dir`. */
  static async open<K extends DumpKind>(
    dir: string,
    kind: K,
    options: WriterOptions,
  ): Promise<CatalogWriter<K>> {
    const spoolDir = join(dir, SPOOL_DIR);
    await Deno.mkdir(spoolDir, { recursive: true });
    for (const table of Object.keys(CATALOG_TABLES[kind])) {
      await Deno.mkdir(join(dir, table), { recursive: true });
    }
    const instance = await DuckDBInstance.create(":memory:", {
      memory_limit: DUCKDB_MEMORY_LIMIT,
      temp_directory: join(spoolDir, "duckdb"),
    });
    const connection = await instance.connect();
    return new CatalogWriter(dir, kind, instance, connection, options);
  }

  /** Tables this writer writes. */
  get tables(): string[] {
    return Object.keys(CATALOG_TABLES[this.kind]);
  }

  /** Parts cut and not yet on disk. */
  get backlog(): number {
    return this.inFlight.length;
  }

  /**
   * Add one record; `endOffset` is where it ends in the decompressed file. Synchronous and
   * cheap, so it can run inside the parser's callback: the record is spooled, and every
   * `partSize` records a part is cut and handed to DuckDB.
   */
  add(record: DumpRecordOf[K], endOffset: number): void {
    this.addJson(JSON.stringify(record), record.id, endOffset);
  }

  /** {@link add} for a record already stringified (by a parsing worker). */
  addJson(json: string, id: number, endOffset: number): void {
    if (this.spool === undefined) this.startSpool(id);
    this.lines.push(json);
    this.lineChars += json.length;
    if (this.lineChars >= 1 << 20) this.flushLines();
    this.lastId = id;
    if (++this.count >= this.partSize) this.cut(endOffset);
  }

  /** Wait until at most `backlog` parts are waiting for DuckDB (throws a writing error). */
  async settle(backlog = 1): Promise<void> {
    while (this.inFlight.length > backlog && this.failure === undefined) {
      await this.inFlight[0];
    }
    if (this.failure !== undefined) throw this.failure;
  }

  /** Write the records added since the last part as the final part and wait for every part. */
  async finish(endOffset: number): Promise<void> {
    if (this.count > 0) this.cut(endOffset);
    await this.settle(0);
  }

  /**
   * Stop after an error upstream: the records of the unfinished part are dropped (a rerun
   * parses them again) and the parts already cut are still written and reported.
   */
  async abandon(): Promise<void> {
    if (this.spool) {
      this.spool.close();
      this.spool = undefined;
      await Deno.remove(this.spoolPath).catch(() => {});
    }
    this.lines = [];
    this.lineChars = 0;
    this.count = 0;
    await this.chain;
  }

  /** Release DuckDB (after {@link finish} or {@link abandon}). */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /**
   * Add a batch of records already written as JSON lines in UTF-8 (by a parsing worker):
   * record `i` is `bytes[lineEnds[i - 1] .. lineEnds[i])` with its newline, id `ids[i]`, ending
   * at `ends[i]` in the decompressed file. The bytes go to the spool as they are.
   */
  addEncoded(
    bytes: Uint8Array,
    lineEnds: ArrayLike<number>,
    ids: ArrayLike<number>,
    ends: ArrayLike<number>,
  ): void {
    let from = 0;
    for (let i = 0; i < ids.length; i++) {
      if (this.spool === undefined) this.startSpool(ids[i]);
      this.lastId = ids[i];
      if (++this.count >= this.partSize) {
        this.flushLines();
        writeAll(this.spool!, bytes.subarray(from, lineEnds[i]));
        from = lineEnds[i];
        this.cut(ends[i]);
      }
    }
    if (from < bytes.length) {
      this.flushLines();
      writeAll(this.spool!, bytes.subarray(from));
    }
  }

  private startSpool(firstId: number): void {
    this.spoolPath = join(this.dir, SPOOL_DIR, `${this.kind}-${this.parts++}.ndjson`);
    this.spool = Deno.openSync(this.spoolPath, { write: true, create: true, truncate: true });
    this.firstId = firstId;
    this.count = 0;
  }

  private flushLines(): void {
    if (this.lines.length === 0) return;
    const text = this.lines.join("\n") + "\n";
    this.lines = [];
    this.lineChars = 0;
    if (this.scratch.length < text.length * 3) this.scratch = new Uint8Array(text.length * 3);
    const { written } = this.encoder.encodeInto(text, this.scratch);
    writeAll(this.spool!, this.scratch.subarray(0, written));
  }

  private cut(endOffset: number): void {
    this.flushLines();
    this.spool!.close();
    this.spool = undefined;
    const part: PendingPart = {
      spool: this.spoolPath,
      firstId: this.firstId,
      lastId: this.lastId,
      records: this.count,
      endOffset,
      tail: this.options.fingerprint?.(endOffset) ?? "",
    };
    this.count = 0;
    const written: Promise<void> = this.chain.then(async () => {
      if (this.failure !== undefined) return;
      try {
        await this.options.onPart(await this.writePart(part));
      } catch (error) {
        this.failure = error;
      }
    }).finally(() => {
      this.inFlight.splice(this.inFlight.indexOf(written), 1);
    });
    this.inFlight.push(written);
    this.chain = written;
  }

  /** Stage one part's records in DuckDB and write each table's Parquet file. */
  private async writePart(part: PendingPart): Promise<CatalogPart> {
    const file = partFileName(part.firstId, part.lastId);
    await this.connection.run(
      `CREATE OR REPLACE TEMP TABLE part AS SELECT * FROM read_json(${quote(part.spool)},
        format = 'newline_delimited', columns = ${jsonColumns(this.kind)},
        maximum_object_size = 33554432)`,
    );
    const rows: Record<string, number> = {};
    const renames: [string, string][] = [];
    for (const [table, select] of Object.entries(TABLE_SELECTS[this.kind])) {
      const final = join(this.dir, table, file);
      const tmp = join(this.dir, table, `.${file}.tmp`);
      const result = await this.connection.run(
        `COPY (${select}) TO ${quote(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
      );
      rows[table] = Number(result.rowsChanged);
      renames.push([tmp, final]);
    }
    for (const [tmp, final] of renames) await Deno.rename(tmp, final);
    await this.connection.run("DROP TABLE part");
    await Deno.remove(part.spool).catch(() => {});
    return {
      file,
      first_id: part.firstId,
      last_id: part.lastId,
      records: part.records,
      rows,
      end_offset: part.endOffset,
      tail_sha1: part.tail,
    };
  }
}

/**
 * Remove what an interrupted run left of `kind` in catalogue `dir`: Parquet files the manifest
 * does not list (`keep`), temporary files, and spooled records.
 */
export async function removeUnlisted(
  dir: string,
  kind: DumpKind,
  keep: ReadonlySet<string>,
): Promise<void> {
  for (const table of Object.keys(CATALOG_TABLES[kind])) {
    try {
      for await (const entry of Deno.readDir(join(dir, table))) {
        const stray = entry.name.endsWith(".tmp") ||
          (entry.name.endsWith(".parquet") && !keep.has(entry.name));
        if (entry.isFile && stray) await Deno.remove(join(dir, table, entry.name));
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  try {
    for await (const entry of Deno.readDir(join(dir, SPOOL_DIR))) {
      if (entry.isFile && entry.name.startsWith(`${kind}-`)) {
        await Deno.remove(join(dir, SPOOL_DIR, entry.name));
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
