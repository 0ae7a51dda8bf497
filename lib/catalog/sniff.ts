/**
 * What a file given to the `catalog` stage is, from its first bytes: gzip or plain, and which
 * dump (the root element), so a wrong file or a file given under the wrong flag fails at once
 * with a message saying what it is, not after minutes of parsing.
 *
 * @module
 */

import { constants, gunzipSync } from "node:zlib";
import { InputError } from "../errors.ts";
import type { DumpKind } from "./schema.ts";

/** What the first bytes of a file say. */
export interface Sniffed {
  gzip: boolean;
  /** The root element's name, or null when the start is not XML. */
  root: string | null;
}

const HEAD_BYTES = 64 * 1024;
const DUMP_KINDS: readonly DumpKind[] = ["releases", "masters", "artists", "labels"];

/** The root element of an XML text's start (after a BOM, declaration, comments, doctype). */
export function rootElement(text: string): string | null {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < text.length && " \t\r\n".includes(text[i])) i++;
    if (text[i] !== "<") return null;
    if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i);
      if (end < 0) return null;
      i = end + 2;
    } else if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i);
      if (end < 0) return null;
      i = end + 3;
    } else if (text.startsWith("<!", i)) {
      const end = text.indexOf(">", i);
      if (end < 0) return null;
      i = end + 1;
    } else {
      const name = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 200));
      return name ? name[1] : null;
    }
  }
}

/** Read the first bytes of `path` (decompressing them when gzip) and find its root element. */
export async function sniffFile(path: string): Promise<Sniffed> {
  const file = await Deno.open(path);
  let head: Uint8Array;
  try {
    const buffer = new Uint8Array(HEAD_BYTES);
    let n = 0;
    while (n < buffer.length) {
      const got = await file.read(buffer.subarray(n));
      if (got === null) break;
      n += got;
    }
    head = buffer.subarray(0, n);
  } finally {
    file.close();
  }
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  let bytes = head;
  if (gzip) {
    try {
      // A prefix of a gzip stream: flush what it holds instead of failing on its missing end.
      bytes = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return { gzip, root: null };
    }
  }
  const text = new TextDecoder().decode(bytes.subarray(0, 16 * 1024));
  return { gzip, root: rootElement(text) };
}

/**
 * Check that `path` is a dump of `kind` (given as `--<kind>`): throws an {@link InputError}
 * saying what the file is otherwise. Returns whether it is gzip.
 */
export async function checkDumpFile(path: string, kind: DumpKind): Promise<boolean> {
  let sniffed: Sniffed;
  try {
    sniffed = await sniffFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new InputError(`--${kind} ${path}: no such file`);
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new InputError(`--${kind} ${path}: is a folder, expected a dump file`);
    }
    throw error;
  }
  const expected = `a Discogs ${kind} dump (discogs_YYYYMMDD_${kind}.xml.gz, root <${kind}>)`;
  if (sniffed.root === null) {
    throw new InputError(
      `--${kind} ${path}: not a Discogs dump: ${
        sniffed.gzip ? "its decompressed start is not XML" : "it is neither gzip nor XML"
      }; expected ${expected}`,
    );
  }
  if (sniffed.root === kind) return sniffed.gzip;
  const other = DUMP_KINDS.find((k) => k === sniffed.root);
  if (other) {
    throw new InputError(
      `--${kind} ${path}: this is the ${other} dump (root <${other}>), not the ${kind} one: ` +
        `pass it as --${other} ${path}`,
    );
  }
  throw new InputError(
    `--${kind} ${path}: not a Discogs dump: its root element is <${sniffed.root}>; expected ${expected}`,
  );
}
