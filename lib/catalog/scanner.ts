/**
 * The XML scanner under the dump parser: reads one element at a time from a decoded string with
 * native `indexOf` searches instead of a character-by-character state machine, which is where a
 * general streaming parser spends its time. It understands what the dump uses (elements,
 * attributes, the five named entities, numeric character references, CDATA, comments,
 * processing instructions) and nothing else (no DTD entities, no namespaces).
 *
 * Elements the record builders want are read and checked tag by tag; elements they skip
 * (images, videos, notes, companies, anything unknown) are passed over by searching for their
 * closing tag, and only walked tag by tag when a same-named element, a comment or CDATA inside
 * them could fool that search. So a skipped element's inside is not checked for well-formedness;
 * everything the records are built from is.
 *
 * @module
 */

const LT = 60; // <
const GT = 62; // >
const SLASH = 47; // /
const BANG = 33; // !
const QUESTION = 63; // ?
const EQUALS = 61; // =
const DQUOTE = 34; // "
const SQUOTE = 39; // '

/**
 * Thrown when the text ends before what is being read does: the caller waits for more data and
 * reads the record again from its start. One shared object, so it costs no allocation.
 */
export const NEED_MORE: { readonly needMore: true } = Object.freeze({ needMore: true });

/** Malformed XML at `pos` (a string index in the scanner's text); `expected` says what. */
export class ScanError extends Error {
  override name = "ScanError";
  constructor(readonly pos: number, readonly expected: string) {
    super(expected);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

function isNameStart(c: number): boolean {
  const l = c | 32;
  return (l >= 97 && l <= 122) || c === 95 || c === 58 || c >= 0xc0;
}

const CR = /\r\n?/g;
const ATTR_SPACE = /\r\n|[\t\n\r]/g;
/** Per skipped element name: its end tag's start, and what inside it needs a closer look. */
const SKIPPERS = new Map<string, { close: string; suspect: RegExp }>();

/** The value of a character reference's digits, or -1 when they are not a valid XML one. */
function charRef(ref: string): number {
  const hex = ref.charCodeAt(1) === 120; // "#x…"
  const digits = ref.slice(hex ? 2 : 1);
  if (digits.length === 0 || digits.length > 8) return -1;
  if (!(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return -1;
  const cp = parseInt(digits, hex ? 16 : 10);
  // Control characters are let through: the dump's own text may carry them, and a catalogue
  // that refused a whole monthly file for one stray &#1; would help no one.
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  return cp;
}

/**
 * Reads elements from one string. `s` is the text, `p` the current position; after
 * {@link openTag} the element's name, attributes and whether it was self-closing are set.
 */
export class Scanner {
  s = "";
  p = 0;
  /** Name of the element last opened. */
  name = "";
  /** Whether the element last opened was `<x/>`. */
  selfClosing = false;
  /**
   * Set when a comment, CDATA, processing instruction or same-named nesting was met since
   * {@link reset}: then a closing tag's bytes may also occur inside the element.
   */
  unusual = false;
  #attrNames: string[] = [];
  #attrValues: string[] = [];
  #attrCount = 0;
  #stack: string[] = [];

  /** Start reading `s` at `p`. */
  reset(s: string, p: number): void {
    this.s = s;
    this.p = p;
    this.unusual = false;
  }

  /** Fail at `pos` saying what was expected. */
  fail(pos: number, expected: string): never {
    throw new ScanError(pos, expected);
  }

  /** The value of attribute `name` of the element last opened, `null` when it has none. */
  attr(name: string): string | null {
    const names = this.#attrNames;
    for (let i = 0; i < this.#attrCount; i++) if (names[i] === name) return this.#attrValues[i];
    return null;
  }

  /** Read the start tag at `lt` (`s[lt]` is `<`, `s[lt + 1]` starts a name). */
  openTag(lt: number): void {
    const s = this.s;
    let i = lt + 1;
    let c = s.charCodeAt(i);
    if (!isNameStart(c)) {
      if (c !== c) throw NEED_MORE;
      this.fail(lt, "expected a tag name after '<'");
    }
    for (;;) {
      c = s.charCodeAt(++i);
      if (c > GT) continue; // letters and '_': every delimiter is below '?'
      if (c === GT || c === SLASH || isSpace(c)) break;
      if (c !== c) throw NEED_MORE;
      if (c === LT || c === EQUALS || c === DQUOTE || c === SQUOTE) {
        this.fail(i, `expected '>' after <${s.slice(lt + 1, i)}`);
      }
    }
    const name = s.slice(lt + 1, i);
    this.name = name;
    this.#attrCount = 0;
    if (c === GT) {
      this.selfClosing = false;
      this.p = i + 1;
      return;
    }
    for (;;) {
      while (isSpace(c)) c = s.charCodeAt(++i);
      if (c === GT) {
        this.selfClosing = false;
        this.p = i + 1;
        return;
      }
      if (c === SLASH) {
        const next = s.charCodeAt(i + 1);
        if (next === GT) {
          this.selfClosing = true;
          this.p = i + 2;
          return;
        }
        if (next !== next) throw NEED_MORE;
        this.fail(i + 1, `expected '>' in <${name} …>`);
      }
      if (c !== c) throw NEED_MORE;
      const start = i;
      for (;;) {
        if (
          c <= GT && (isSpace(c) || c === EQUALS || c === GT || c === SLASH || c === LT ||
            c === DQUOTE || c === SQUOTE)
        ) break;
        if (c !== c) break;
        c = s.charCodeAt(++i);
      }
      if (c !== c) throw NEED_MORE;
      if (i === start) this.fail(i, `expected '>' in <${name} …>`);
      const attrName = s.slice(start, i);
      while (isSpace(c)) c = s.charCodeAt(++i);
      if (c !== EQUALS) {
        if (c !== c) throw NEED_MORE;
        this.fail(i, `expected '=' after ${attrName} in <${name} …>`);
      }
      c = s.charCodeAt(++i);
      while (isSpace(c)) c = s.charCodeAt(++i);
      if (c !== DQUOTE && c !== SQUOTE) {
        if (c !== c) throw NEED_MORE;
        this.fail(i, `expected a quoted value of ${attrName} in <${name} …>`);
      }
      const end = s.indexOf(c === DQUOTE ? '"' : "'", i + 1);
      if (end < 0) throw NEED_MORE;
      const n = this.#attrCount++;
      this.#attrNames[n] = attrName;
      this.#attrValues[n] = this.#attrValue(s.slice(i + 1, end), i + 1, name);
      i = end + 1;
      c = s.charCodeAt(i);
      if (!(isSpace(c) || c === GT || c === SLASH)) {
        if (c !== c) throw NEED_MORE;
        this.fail(i, `expected '>' in <${name} …>`);
      }
    }
  }

  #attrValue(raw: string, pos: number, element: string): string {
    if (raw.indexOf("<") >= 0) this.fail(pos + raw.indexOf("<"), `expected '>' in <${element} …>`);
    // XML's attribute-value normalisation: literal tabs and line ends read as spaces.
    if (raw.indexOf("\n") >= 0 || raw.indexOf("\r") >= 0 || raw.indexOf("\t") >= 0) {
      raw = raw.replace(ATTR_SPACE, " ");
    }
    return raw.indexOf("&") >= 0 ? this.decodeEntities(raw, pos) : raw;
  }

  /** Decode `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and `&#…;` in `raw` (found at `pos`). */
  decodeEntities(raw: string, pos: number): string {
    let out = "";
    let i = 0;
    for (;;) {
      const amp = raw.indexOf("&", i);
      if (amp < 0) break;
      const semi = raw.indexOf(";", amp + 1);
      if (semi < 0 || semi - amp > 12) {
        this.fail(pos + amp, "expected an entity such as &amp; or &#228;");
      }
      out += raw.slice(i, amp);
      const ref = raw.slice(amp + 1, semi);
      switch (ref) {
        case "amp":
          out += "&";
          break;
        case "lt":
          out += "<";
          break;
        case "gt":
          out += ">";
          break;
        case "quot":
          out += '"';
          break;
        case "apos":
          out += "'";
          break;
        default: {
          const cp = ref.charCodeAt(0) === 35 ? charRef(ref) : -1;
          if (cp < 0) this.fail(pos + amp, `expected a known entity, found &${ref};`);
          out += String.fromCodePoint(cp);
        }
      }
      i = semi + 1;
    }
    return out + raw.slice(i);
  }

  #text(raw: string, pos: number): string {
    // XML's end-of-line handling: a literal CR or CRLF reads as LF (&#13; stays a CR).
    if (raw.indexOf("\r") >= 0) raw = raw.replace(CR, "\n");
    return raw.indexOf("&") >= 0 ? this.decodeEntities(raw, pos) : raw;
  }

  /**
   * Expect the end tag of `name` at `lt` (`</name>`, maybe with spaces before `>`) and move past
   * it.
   */
  closeTag(name: string, lt: number): void {
    const s = this.s;
    const start = lt + 2;
    if (s.startsWith(name, start)) {
      let j = start + name.length;
      let c = s.charCodeAt(j);
      while (isSpace(c)) c = s.charCodeAt(++j);
      if (c === GT) {
        this.p = j + 1;
        return;
      }
      if (c !== c) throw NEED_MORE;
    } else if (s.length - start < name.length && name.startsWith(s.slice(start))) {
      throw NEED_MORE;
    }
    const gt = s.indexOf(">", lt);
    const found = gt < 0 || gt - lt > 60 ? s.slice(lt, lt + 20) + "…" : s.slice(lt, gt + 1);
    this.fail(lt, `expected </${name}>, found ${found}`);
  }

  /**
   * Move to the next child element of the element `parent` (whose start tag was read and was not
   * self-closing) and read its start tag; returns false once `parent`'s end tag is passed. Text,
   * comments and processing instructions between children are passed over.
   */
  nextChild(parent: string): boolean {
    const s = this.s;
    for (;;) {
      const lt = s.indexOf("<", this.p);
      if (lt < 0) throw NEED_MORE;
      const c = s.charCodeAt(lt + 1);
      if (c === SLASH) {
        const end = lt + 2 + parent.length;
        if (s.charCodeAt(end) === GT && s.startsWith(parent, lt + 2)) {
          this.p = end + 1;
          return false;
        }
        this.closeTag(parent, lt);
        return false;
      }
      if (c === BANG || c === QUESTION) {
        this.p = this.skipMarkup(lt);
        continue;
      }
      if (c !== c) throw NEED_MORE;
      this.openTag(lt);
      return true;
    }
  }

  /**
   * The text of the element just opened (its character data and CDATA, entities decoded; child
   * elements are passed over); `null` when it is empty or self-closing.
   */
  text(): string | null {
    if (this.selfClosing) return null;
    const s = this.s;
    const name = this.name;
    const start = this.p;
    const lt = s.indexOf("<", start);
    if (lt < 0) throw NEED_MORE;
    if (s.charCodeAt(lt + 1) === SLASH) {
      const end = lt + 2 + name.length;
      if (s.charCodeAt(end) === GT && s.startsWith(name, lt + 2)) this.p = end + 1;
      else this.closeTag(name, lt);
      return lt === start ? null : this.#text(s.slice(start, lt), start);
    }
    return this.#textSlow(name, start);
  }

  #textSlow(name: string, start: number): string | null {
    this.unusual = true;
    const s = this.s;
    let out = "";
    let p = start;
    for (;;) {
      const lt = s.indexOf("<", p);
      if (lt < 0) throw NEED_MORE;
      if (lt > p) out += this.#text(s.slice(p, lt), p);
      const c = s.charCodeAt(lt + 1);
      if (c === SLASH) {
        this.closeTag(name, lt);
        break;
      }
      if (c === BANG && s.startsWith("<![CDATA[", lt)) {
        const end = s.indexOf("]]>", lt + 9);
        if (end < 0) throw NEED_MORE;
        out += s.slice(lt + 9, end).replace(CR, "\n");
        p = end + 3;
        continue;
      }
      if (c === BANG || c === QUESTION) {
        p = this.skipMarkup(lt);
        continue;
      }
      if (c !== c) throw NEED_MORE;
      this.openTag(lt);
      this.skip();
      p = this.p;
    }
    return out.length === 0 ? null : out;
  }

  /** Pass over the element just opened, up to and including its end tag. */
  skip(): void {
    if (this.selfClosing) return;
    const s = this.s;
    const name = this.name;
    const lt = s.indexOf("<", this.p);
    if (lt < 0) throw NEED_MORE;
    if (s.charCodeAt(lt + 1) === SLASH) {
      this.closeTag(name, lt); // a text-only element, the common case
      return;
    }
    // Search for the end tag; only when a same-named start tag, a comment, CDATA or a processing
    // instruction lies before it could that search be wrong, and then we walk tag by tag.
    let skipper = SKIPPERS.get(name);
    if (skipper === undefined) {
      skipper = {
        close: "</" + name,
        suspect: new RegExp(`<(?:[!?]|${name.replace(/[^\w]/g, "\\$&")}[\\s/>])`),
      };
      if (SKIPPERS.size < 1000) SKIPPERS.set(name, skipper);
    }
    const close = skipper.close;
    let from = lt;
    for (;;) {
      const end = s.indexOf(close, from);
      if (end < 0) throw NEED_MORE;
      const c = s.charCodeAt(end + close.length);
      if (c !== c) throw NEED_MORE;
      if (c === GT || isSpace(c)) {
        if (!skipper.suspect.test(s.slice(lt, end))) {
          this.closeTag(name, end);
          return;
        }
        break;
      }
      from = end + 1;
    }
    this.#skipSlow(name);
  }

  #skipSlow(name: string): void {
    this.unusual = true;
    const s = this.s;
    const stack = this.#stack;
    stack.length = 0;
    stack.push(name);
    while (stack.length > 0) {
      const lt = s.indexOf("<", this.p);
      if (lt < 0) throw NEED_MORE;
      const c = s.charCodeAt(lt + 1);
      if (c === SLASH) {
        this.closeTag(stack.pop()!, lt);
      } else if (c === BANG || c === QUESTION) {
        this.p = this.skipMarkup(lt);
      } else if (c !== c) {
        throw NEED_MORE;
      } else {
        this.openTag(lt);
        if (!this.selfClosing) stack.push(this.name);
      }
    }
  }

  /** Pass over the comment, CDATA section, declaration or processing instruction at `lt`. */
  skipMarkup(lt: number): number {
    this.unusual = true;
    const s = this.s;
    const closer = s.startsWith("<!--", lt)
      ? "-->"
      : s.startsWith("<![CDATA[", lt)
      ? "]]>"
      : s.startsWith("<?", lt)
      ? "?>"
      : s.startsWith("<!DOCTYPE", lt)
      ? ">"
      : null;
    if (closer === null) {
      const head = s.slice(lt, lt + 9);
      if (
        head.length < 9 &&
        ["<!--", "<![CDATA[", "<!DOCTYPE"].some((m) => m.startsWith(head))
      ) throw NEED_MORE;
      this.fail(lt, "expected a comment, CDATA or a declaration after '<!'");
    }
    if (closer === ">") {
      // A DOCTYPE may carry an internal subset in brackets.
      const gt = s.indexOf(">", lt);
      const open = s.indexOf("[", lt);
      if (open >= 0 && (gt < 0 || open < gt)) {
        const end = s.indexOf("]>", open);
        if (end < 0) throw NEED_MORE;
        return end + 2;
      }
      if (gt < 0) throw NEED_MORE;
      return gt + 1;
    }
    const end = s.indexOf(closer, lt + 2);
    if (end < 0) throw NEED_MORE;
    return end + closer.length;
  }
}

/** Number of UTF-8 bytes of `s[from, to)` (no lone surrogates: the text came from UTF-8). */
export function utf8Length(s: string, from: number, to: number): number {
  let n = to - from;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return n;
}
