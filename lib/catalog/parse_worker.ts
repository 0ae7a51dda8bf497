/**
 * A parsing worker of {@link ParallelParser}: parses one batch of whole records (bytes that
 * start and end between records) with the dump parser and sends back each record as its JSON
 * line, with its id and end offset — the JSON is what the writer spools, so the main thread
 * does not stringify.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { DumpFormatError, DumpParser } from "./parse.ts";
import type { DumpKind } from "./schema.ts";
import type { BatchRequest, BatchResult } from "./parallel.ts";

const encoder = new TextEncoder();

self.onmessage = (event: MessageEvent<BatchRequest>) => {
  const { seq, kind, start, bytes, last } = event.data;
  const lines: string[] = [];
  const ids: number[] = [];
  const ends: number[] = [];
  const parser = new DumpParser(kind as DumpKind, (record, end) => {
    lines.push(JSON.stringify(record));
    ids.push(record.id);
    ends.push(end);
  }, { startOffset: start });
  const encode = () => {
    // One UTF-8 buffer for the batch, moved (not copied) to the main thread, with where each
    // line ends in it, so the writer can cut a part between any two records. Each line is
    // encoded in place: no joined string, no second pass to count its bytes.
    let buffer = new Uint8Array(Math.max(1 << 16, bytes.length));
    const lineEnds = new Uint32Array(lines.length);
    let at = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (buffer.length - at < line.length * 3 + 1) {
        const bigger = new Uint8Array(Math.max(buffer.length * 2, at + line.length * 3 + 1));
        bigger.set(buffer.subarray(0, at));
        buffer = bigger;
      }
      at += encoder.encodeInto(line, buffer.subarray(at)).written;
      buffer[at++] = 10; // "\n"
      lineEnds[i] = at;
    }
    return { bytes: buffer.slice(0, at), lineEnds };
  };
  let error: BatchResult["error"] = null;
  try {
    parser.write(bytes);
    try {
      parser.end();
    } catch (e) {
      // A batch in the middle of the file ends after a record, inside the root: that is
      // complete, not truncated. Anything left unread after its last record is a real fault.
      const whole = e instanceof DumpFormatError && e.lastCompleteOffset === start + bytes.length;
      if (last || !whole) throw e;
    }
  } catch (e) {
    if (!(e instanceof DumpFormatError)) throw e;
    error = {
      message: e.message,
      offset: e.offset,
      lastCompleteId: e.lastCompleteId,
      lastCompleteOffset: e.lastCompleteOffset,
    };
  }
  const { bytes: json, lineEnds } = encode();
  const result: BatchResult = {
    seq,
    json,
    lineEnds,
    ids: Float64Array.from(ids),
    ends: Float64Array.from(ends),
    error,
  };
  const moved = [json.buffer, lineEnds.buffer, result.ids.buffer, result.ends.buffer];
  self.postMessage(result, moved as ArrayBuffer[]);
};
