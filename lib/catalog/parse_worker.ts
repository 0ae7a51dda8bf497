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

/** UTF-8 length of a string (JSON lines are mostly ASCII: counted without encoding twice). */
function utf8Bytes(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 2; // a surrogate pair: 4 bytes for 2 UTF-16 units
      i++;
    } else n += 2;
  }
  return n;
}

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
    // line ends in it, so the writer can cut a part between any two records.
    const text = lines.length > 0 ? lines.join("\n") + "\n" : "";
    const buffer = new Uint8Array(text.length * 3);
    const { written } = encoder.encodeInto(text, buffer);
    const lineEnds = new Uint32Array(lines.length);
    let at = 0;
    for (let i = 0; i < lines.length; i++) {
      at += utf8Bytes(lines[i]) + 1;
      lineEnds[i] = at;
    }
    return { bytes: buffer.slice(0, written), lineEnds };
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
