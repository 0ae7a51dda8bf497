/**
 * Parsing on two cores: the decompressed stream is cut into batches of whole records (at the
 * record's closing tag, `</release>`), the batches go round-robin to parsing workers
 * (`parse_worker.ts`), and their results come back in file order as JSON lines ready for the
 * writer. On this 2-core machine one thread parsing and stringifying was the bottleneck
 * (≈ 50 µs a release against ≈ 26 µs for DuckDB's side), so two share it.
 *
 * Only for entities whose record element never nests inside a record (`release`, `master`,
 * `artist`); labels nest `<label>` in `<sublabels>` and are parsed on the main thread. The
 * closing tag cannot occur in text or attributes (`<` is always escaped there); only a CDATA
 * section could hold it, which the dump does not use — and a batch cut inside one would fail
 * loudly (its worker finds it unfinished), never lose records.
 *
 * @module
 */

import { DumpFormatError } from "./parse.ts";
import type { DumpKind } from "./schema.ts";
import { RECORD_ELEMENT } from "./values.ts";

/** A batch for a worker: bytes from `start` (absolute, decompressed) to a record's end. */
export interface BatchRequest {
  seq: number;
  kind: DumpKind;
  start: number;
  bytes: Uint8Array;
  /** The file's last bytes: the parser checks the root element closes. */
  last: boolean;
}

/** A worker's answer: each record as JSON with its id and end offset, and any fault. */
export interface BatchResult {
  seq: number;
  /** The records as JSON lines, UTF-8, each ending in a newline. */
  json: Uint8Array;
  /** Where each record's line ends in `json`. */
  lineEnds: Uint32Array;
  ids: Float64Array;
  ends: Float64Array;
  error: {
    message: string;
    offset: number;
    lastCompleteId: number | null;
    lastCompleteOffset: number;
  } | null;
}

/** Kinds whose record element does not nest, so its closing tag always ends a record. */
export const PARALLEL_KINDS: ReadonlySet<DumpKind> = new Set(["releases", "masters", "artists"]);

/** Bytes of `needle` as found last in `haystack`, or -1. */
function lastIndexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const last = needle[needle.length - 1];
  for (let i = haystack.length - 1; i >= needle.length - 1; i--) {
    if (haystack[i] !== last) continue;
    let j = needle.length - 2;
    let k = i - 1;
    while (j >= 0 && haystack[k] === needle[j]) {
      j--;
      k--;
    }
    if (j < 0) return i - needle.length + 1;
  }
  return -1;
}

/** Parses one file's decompressed bytes on worker threads; see the module doc. */
export class ParallelParser {
  private readonly workers: Worker[];
  private readonly closing: Uint8Array;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private pendingStart: number;
  private sent = 0;
  private delivered = 0;
  private readonly results = new Map<number, BatchResult>();
  /** Start offset of each batch not yet delivered, by seq. */
  private readonly starts = new Map<number, number>();
  private waiting: (() => void) | undefined;
  private failure: unknown;
  private lastId: number | null;
  private lastEnd: number;

  /**
   * `onBatch` gets every batch's records (JSON lines, ids, end offsets) in file order, as
   * results arrive. `startOffset` is where the bytes given start (a record's end when resuming).
   */
  constructor(
    private readonly kind: DumpKind,
    private readonly onBatch: (result: BatchResult) => void,
    options: { startOffset?: number; workers?: number; lastId?: number | null } = {},
  ) {
    this.closing = new TextEncoder().encode(`</${RECORD_ELEMENT[kind]}>`);
    this.pendingStart = options.startOffset ?? 0;
    this.lastEnd = this.pendingStart;
    this.lastId = options.lastId ?? null;
    this.workers = Array.from({ length: options.workers ?? 2 }, () => {
      const worker = new Worker(new URL("./parse_worker.ts", import.meta.url).href, {
        type: "module",
      });
      worker.onmessage = (event: MessageEvent<BatchResult>) => this.receive(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        this.failure ??= new Error(`parsing worker failed: ${event.message}`);
        this.wake();
      };
      return worker;
    });
  }

  /** Id and end offset of the last record delivered (for messages). */
  get lastComplete(): { id: number | null; end: number } {
    return { id: this.lastId, end: this.lastEnd };
  }

  /** Offset of the oldest byte a record not yet delivered may end after (for fingerprints). */
  get oldestPending(): number {
    let oldest = this.pendingStart;
    for (const start of this.starts.values()) oldest = Math.min(oldest, start);
    return oldest;
  }

  /** Batches sent and not yet delivered. */
  get inFlight(): number {
    return this.sent - this.delivered;
  }

  /** Feed the next decompressed bytes (a chunk the caller no longer changes). */
  write(chunk: Uint8Array): void {
    this.check();
    const cut = lastIndexOf(chunk, this.closing);
    if (cut < 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      return;
    }
    const end = cut + this.closing.length;
    this.pending.push(chunk.subarray(0, end));
    this.pendingBytes += end;
    this.send(false);
    if (end < chunk.length) {
      this.pending.push(chunk.subarray(end));
      this.pendingBytes += chunk.length - end;
    }
  }

  /** Wait until at most `batches` are in flight (throws a fault found meanwhile). */
  async drain(batches: number): Promise<void> {
    while (this.inFlight > batches && this.failure === undefined) {
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    this.check();
  }

  /** The input is complete: parse the rest and wait for every record. */
  async end(): Promise<void> {
    this.check();
    this.send(true);
    await this.drain(0);
  }

  /** Deliver what is in flight (after an upstream fault), ignoring faults found in it. */
  async settle(): Promise<void> {
    while (this.inFlight > 0 && this.failure === undefined) {
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  /** Stop the workers. */
  close(): void {
    for (const worker of this.workers) worker.terminate();
  }

  private send(last: boolean): void {
    // A fresh buffer of exactly the batch, moved to the worker: a chunk's own buffer may be a
    // slice of a larger one, which a message would copy whole.
    const bytes = concat(this.pending, this.pendingBytes);
    const seq = this.sent++;
    const request: BatchRequest = { seq, kind: this.kind, start: this.pendingStart, bytes, last };
    this.starts.set(seq, this.pendingStart);
    this.workers[seq % this.workers.length].postMessage(request, [bytes.buffer as ArrayBuffer]);
    this.pendingStart += this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private receive(result: BatchResult): void {
    this.results.set(result.seq, result);
    try {
      for (let r = this.results.get(this.delivered); r; r = this.results.get(this.delivered)) {
        this.results.delete(this.delivered);
        this.starts.delete(this.delivered);
        this.delivered++;
        this.onBatch(r);
        if (r.ids.length > 0) {
          this.lastId = r.ids[r.ids.length - 1];
          this.lastEnd = r.ends[r.ends.length - 1];
        }
        if (r.error) {
          this.failure ??= this.formatError(r.error);
          break;
        }
      }
    } catch (error) {
      this.failure ??= error;
    }
    this.wake();
  }

  /** A worker's fault, with the last complete record of the whole file (not of its batch). */
  private formatError(e: NonNullable<BatchResult["error"]>): DumpFormatError {
    const what = RECORD_ELEMENT[this.kind];
    const head = e.message.replace(/; (the last complete|no \w+ is complete).*$/s, "");
    const last = this.lastId === null
      ? `no ${what} is complete`
      : `the last complete ${what} is ${this.lastId} (it ends at byte ${
        this.lastEnd.toLocaleString("en-US")
      })`;
    return new DumpFormatError(`${head}; ${last}`, e.offset, this.lastId, this.lastEnd);
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
