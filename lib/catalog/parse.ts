/**
 * The streaming parser for Discogs' monthly data dump: feed it the uncompressed XML in chunks of
 * any size and it calls back with each record as its closing tag arrives, with the byte offset
 * just after that tag, so a caller can resume a file mid-way from the last record it kept.
 *
 * It reads both generations of the format (2020-era `status`, `<images>`, empty `<anv/>`; today's
 * without them). Unknown elements are skipped. Malformed or truncated input ends with a
 * {@link DumpFormatError} naming the byte offset and the last complete record.
 *
 * How it is fast: chunks are decoded to strings natively, records are found and read with native
 * `indexOf` searches (see `scanner.ts`), and byte offsets are counted only where they are
 * reported — free while the text is ASCII, which the 2020-era files are throughout.
 *
 * @example
 * ```ts
 * const parser = new DumpParser("releases", (release, endOffset) => {
 *   console.log(release.id, release.title, endOffset);
 * });
 * for await (const chunk of file.readable.pipeThrough(new DecompressionStream("gzip"))) {
 *   parser.write(chunk);
 * }
 * parser.end();
 * ```
 *
 * @module
 */

import type { DumpKind, DumpRecordOf } from "./schema.ts";
import { NEED_MORE, ScanError, Scanner, utf8Length } from "./scanner.ts";
import { RECORD_READERS } from "./records.ts";
import { formatBytes, RECORD_ELEMENT } from "./values.ts";

/** The dump is not the XML it should be: malformed, truncated, or not UTF-8. */
export class DumpFormatError extends Error {
  override name = "DumpFormatError";
  constructor(
    message: string,
    /** Byte offset in the uncompressed XML where the problem is. */
    readonly offset: number,
    /** Id of the last record that was complete, `null` when none was. */
    readonly lastCompleteId: number | null,
    /**
     * Byte offset just after the last complete record (where a resumed read starts), or the
     * start offset when no record was complete.
     */
    readonly lastCompleteOffset: number,
  ) {
    super(message);
  }
}

/** Options for {@link DumpParser}. */
export interface DumpParserOptions {
  /**
   * Resume mid-file: the bytes fed start exactly at a previous record's `endOffset` (inside the
   * root element), and the offsets reported continue from here. Default 0: the file's start.
   */
  startOffset?: number;
}

const BEFORE_ROOT = 0;
const IN_ROOT = 1;
const AFTER_ROOT = 2;

const ROOT_ELEMENT: Record<DumpKind, string> = {
  releases: "releases",
  masters: "masters",
  artists: "artists",
  labels: "labels",
};

/** Length of the prefix of `bytes` that ends on a whole UTF-8 character. */
function wholeCharsLength(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = n - 1;
  let continuation = 0;
  while (continuation < 3 && i >= 0 && (bytes[i] & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return n; // nothing but continuation bytes: let the decoder reject them
  const lead = bytes[i];
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need > continuation + 1 ? i : n;
}

/**
 * Parses one dump file of kind `K` from its uncompressed bytes.
 *
 * `onRecord(record, endOffset)` is called for every record, in file order; `endOffset` is the
 * byte offset just after the record's closing tag. An exception thrown by `onRecord` propagates
 * out of `write`/`end`.
 */
export class DumpParser<K extends DumpKind> {
  readonly #kind: K;
  readonly #onRecord: (record: DumpRecordOf[K], endOffset: number) => void;
  readonly #read: (sc: Scanner) => DumpRecordOf[K];
  readonly #record: string;
  readonly #root: string;
  /** `</release`: seen after a record's start, the record may be complete. */
  readonly #hint: string;
  readonly #decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  readonly #sc = new Scanner();
  readonly #startOffset: number;

  #state: number;
  /** Decoded text not yet consumed, from `#pos` on. */
  #buf = "";
  #pos = 0;
  /** Byte offset of `#buf[#pos]`. */
  #posByte: number;
  /** Byte offset of the end of the decoded text (bytes of a split character excluded). */
  #endByte: number;
  /** Whether `#buf` from `#pos` on is all ASCII, so byte offsets are string offsets. */
  #ascii = true;
  /** The bytes last decoded; they start at byte `#bytesStart` and at `#textStart` in `#buf`. */
  #bytes: Uint8Array = new Uint8Array(0);
  #bytesStart = 0;
  #textStart = 0;
  /** `</release>` as bytes; `null` for labels, whose records hold `<label>` elements. */
  readonly #closeBytes: Uint8Array | null;
  /** Bytes of a character split by the chunk boundary, waiting for the rest. */
  #carry: Uint8Array | null = null;
  /** Index in `#buf` from which a new `#hint` would be worth trying the record again. */
  #hintFrom = 0;
  #lastId: number | null = null;
  #lastEnd: number;
  #failed: DumpFormatError | null = null;
  #sawData = false;

  constructor(
    kind: K,
    onRecord: (record: DumpRecordOf[K], endOffset: number) => void,
    options: DumpParserOptions = {},
  ) {
    this.#kind = kind;
    this.#onRecord = onRecord;
    this.#read = RECORD_READERS[kind] as (sc: Scanner) => DumpRecordOf[K];
    this.#record = RECORD_ELEMENT[kind];
    this.#root = ROOT_ELEMENT[kind];
    this.#hint = "</" + this.#record;
    this.#closeBytes = kind === "labels" ? null : new TextEncoder().encode(this.#hint + ">");
    const start = options.startOffset ?? 0;
    this.#startOffset = start;
    this.#posByte = this.#endByte = this.#lastEnd = start;
    this.#state = start > 0 ? IN_ROOT : BEFORE_ROOT;
  }

  /** Feed the next bytes of the uncompressed XML. */
  write(chunk: Uint8Array): void {
    if (this.#failed) throw this.#failed;
    if (chunk.length === 0) return;
    this.#sawData = true;
    let bytes = chunk;
    if (this.#carry !== null) {
      bytes = new Uint8Array(this.#carry.length + chunk.length);
      bytes.set(this.#carry);
      bytes.set(chunk, this.#carry.length);
      this.#carry = null;
    }
    const whole = wholeCharsLength(bytes);
    if (whole < bytes.length) this.#carry = bytes.slice(whole);
    if (whole === 0) return;
    let text: string;
    const decoded = whole === bytes.length ? bytes : bytes.subarray(0, whole);
    try {
      text = this.#decoder.decode(decoded);
    } catch {
      this.#fail(
        `the data is not UTF-8 between bytes ${formatBytes(this.#endByte)} and ` +
          `${formatBytes(this.#endByte + whole)}`,
        this.#endByte,
      );
    }
    this.#bytes = decoded;
    this.#bytesStart = this.#endByte;
    this.#endByte += whole;
    const rest = this.#buf.length - this.#pos;
    this.#textStart = rest;
    this.#buf = rest > 0 ? this.#buf.slice(this.#pos) + text : text;
    this.#hintFrom = Math.max(0, this.#hintFrom - this.#pos);
    this.#pos = 0;
    this.#ascii = this.#endByte - this.#posByte === this.#buf.length;
    this.#run(false);
  }

  /** The input is complete: throws a {@link DumpFormatError} when it ended early. */
  end(): void {
    if (this.#failed) throw this.#failed;
    if (this.#carry !== null) {
      this.#fail(
        `truncated file: it ends inside a character at byte ${
          formatBytes(this.#endByte + this.#carry.length)
        }${this.#lastCompleteText()}`,
        this.#endByte,
      );
    }
    this.#run(true);
    const what = this.#record;
    if (this.#state === BEFORE_ROOT) {
      this.#fail(
        this.#sawData
          ? `truncated file: it ends at byte ${formatBytes(this.#endByte)} before ` +
            `<${this.#root}> opened`
          : `empty file: no <${this.#root}> element`,
        this.#endByte,
      );
    }
    if (this.#state === IN_ROOT) {
      const at = this.#buf.indexOf("<", this.#pos);
      const inside = at >= 0 && this.#buf.startsWith("<" + what, at)
        ? `, inside the ${what} that starts at byte ${formatBytes(this.#byteAt(at))}`
        : `, before </${this.#root}>`;
      this.#fail(
        `truncated file: it ends at byte ${formatBytes(this.#endByte)}${inside}` +
          this.#lastCompleteText(),
        this.#endByte,
      );
    }
  }

  #lastCompleteText(): string {
    const what = this.#record;
    if (this.#lastId === null) {
      return this.#startOffset > 0
        ? `; no ${what} is complete after byte ${formatBytes(this.#startOffset)}`
        : `; no ${what} is complete`;
    }
    return `; the last complete ${what} is ${this.#lastId} (it ends at byte ${
      formatBytes(this.#lastEnd)
    })`;
  }

  #fail(message: string, offset: number): never {
    this.#failed = new DumpFormatError(message, offset, this.#lastId, this.#lastEnd);
    throw this.#failed;
  }

  /** Byte offset of `#buf[index]` (`index` ≥ `#pos`). */
  #byteAt(index: number): number {
    return this.#posByte +
      (this.#ascii ? index - this.#pos : utf8Length(this.#buf, this.#pos, index));
  }

  #advance(to: number): void {
    this.#posByte = this.#byteAt(to);
    this.#pos = to;
  }

  /** Read what the buffer holds; `final`: no more data will come. */
  #run(final: boolean): void {
    try {
      this.#loop(final);
    } catch (e) {
      if (e instanceof ScanError) {
        const what = this.#record;
        const last = this.#lastId === null
          ? `no ${what} is complete yet`
          : `the last complete ${what} is ${this.#lastId}`;
        this.#fail(
          `malformed XML at byte ${formatBytes(this.#byteAt(e.pos))} (${e.expected}); ${last}`,
          this.#byteAt(e.pos),
        );
      }
      throw e;
    }
  }

  #loop(final: boolean): void {
    const sc = this.#sc;
    const record = this.#record;
    for (;;) {
      const s = this.#buf;
      const p = this.#pos;
      let lt = s.indexOf("<", p);
      if (lt < 0) lt = s.length;
      if (lt > p) {
        if (this.#state !== IN_ROOT) this.#checkBlank(s, p, lt);
        this.#advance(lt);
      }
      if (lt + 1 >= s.length) return; // need the character after '<'
      sc.reset(s, lt);
      const c = s.charCodeAt(lt + 1);
      try {
        if (c === 33 || c === 63) { // <! or <?
          this.#advance(sc.skipMarkup(lt));
          continue;
        }
        if (this.#state === IN_ROOT) {
          if (c === 47) { // </
            sc.closeTag(this.#root, lt);
            this.#state = AFTER_ROOT;
            this.#advance(sc.p);
            continue;
          }
          const after = s.charCodeAt(lt + 1 + record.length);
          if (after !== after && !final) return; // cannot tell yet whether it is a record
          if (
            s.startsWith(record, lt + 1) &&
            (after === 62 || after === 47 || after === 32 || after === 9 || after === 10 ||
              after === 13)
          ) {
            if (!this.#readRecord(lt, final)) return;
            continue;
          }
          // An unknown element between records: skipped.
          sc.openTag(lt);
          sc.skip();
          this.#advance(sc.p);
          continue;
        }
        if (this.#state === BEFORE_ROOT) {
          sc.openTag(lt);
          if (sc.name !== this.#root) {
            sc.fail(lt, `expected <${this.#root}> as the root element, found <${sc.name}>`);
          }
          this.#state = sc.selfClosing ? AFTER_ROOT : IN_ROOT;
          this.#advance(sc.p);
          continue;
        }
        sc.fail(lt, `nothing after </${this.#root}>`);
      } catch (e) {
        if (e === NEED_MORE) return;
        throw e;
      }
    }
  }

  /** Outside the root only blanks (and a byte-order mark at the start) may stand between tags. */
  #checkBlank(s: string, from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) continue;
      if (c === 0xfeff && this.#posByte === 0 && i === from) continue;
      this.#sc.fail(
        i,
        this.#state === BEFORE_ROOT
          ? `expected <${this.#root}>, found text`
          : `nothing after </${this.#root}>`,
      );
    }
  }

  /** Read the record starting at `lt`; false when it is not all here yet. */
  #readRecord(lt: number, final: boolean): boolean {
    const s = this.#buf;
    const sc = this.#sc;
    // A record is read at once the first time; once it has run past the text, again only when a
    // closing tag of its kind has arrived since (so one fed a byte at a time is not re-read a byte
    // at a time).
    if (this.#hintFrom < lt) this.#hintFrom = lt;
    if (!final && this.#hintFrom > lt && s.indexOf(this.#hint, this.#hintFrom) < 0) {
      this.#hintFrom = Math.max(lt, s.length - this.#hint.length + 1);
      return false;
    }
    let record: DumpRecordOf[K];
    try {
      sc.reset(s, lt);
      sc.openTag(lt);
      record = this.#read(sc);
    } catch (e) {
      if (e !== NEED_MORE) throw e;
      // The record runs past the text, so no closing tag already here ends it: wait for one in
      // the next chunk (or for the '>' of one split at the end of this one).
      this.#hintFrom = Math.max(lt, s.length - this.#hint.length);
      return false;
    }
    const end = sc.p;
    this.#posByte = this.#ascii ? this.#posByte + (end - lt) : this.#endOf(lt, end, sc.unusual);
    this.#pos = end;
    this.#hintFrom = end;
    this.#lastId = (record as { id: number }).id;
    this.#lastEnd = this.#posByte;
    this.#onRecord(record, this.#posByte);
    return true;
  }

  /**
   * Byte offset just after the record at string indexes [`start`, `end`), which begins at byte
   * `#posByte`. Counting the UTF-8 bytes of every record would cost a third of the parse, so the
   * end is found in the bytes instead: it is the first `</release>` at or after the lowest
   * offset it can have (one byte per character), since a record holds no other `</release>` —
   * unless a comment, CDATA or nesting was met (`unusual`), or it is a label with sublabels: then
   * the bytes are counted.
   */
  #endOf(start: number, end: number, unusual: boolean): number {
    const close = this.#closeBytes;
    const s = this.#buf;
    if (
      close !== null && !unusual && end - close.length >= this.#textStart &&
      s.charCodeAt(end - 1) === 62 && s.startsWith(this.#hint, end - close.length)
    ) {
      const bytes = this.#bytes;
      const k = close.length - 1;
      let j = Math.max(k, this.#posByte + (end - start) - 1 - this.#bytesStart);
      while ((j = bytes.indexOf(62, j)) >= 0) {
        let i = 0;
        while (i < k && bytes[j - k + i] === close[i]) i++;
        if (i === k) return this.#bytesStart + j + 1;
        j++;
      }
    }
    return this.#posByte + utf8Length(s, start, end);
  }

  /** The kind of dump file this parser reads. */
  get kind(): K {
    return this.#kind;
  }
}
