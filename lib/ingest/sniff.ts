/**
 * What a file a collector hands us really is, before DuckDB reads it: its text encoding (UTF-8
 * with or without BOM, UTF-16 LE/BE as Excel's "Unicode Text" writes it, Windows-1252 as older
 * Excel writes "CSV"), its delimiter (comma, semicolon as European Excel re-saves, tab), or that
 * it is not a CSV at all (a JSON file, an Excel workbook, a web page, a PDF), named with the fix.
 *
 * @module
 */

/** A text encoding this module recognises. */
export type TextEncodingName =
  | "UTF-8"
  | "UTF-8 with BOM"
  | "UTF-16 LE"
  | "UTF-16 BE"
  | "Windows-1252";

/** A delimiter this module recognises. */
export type Delimiter = "," | ";" | "\t";

/** Bytes inspected to recognise a file kind or an encoding. */
const SNIFF_BYTES = 8192;

/** How to save a CSV that Next Spin reads, appended to every "this is not a CSV" message. */
const SAVE_AS_CSV = "File → Save As → CSV (UTF-8)";

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/**
 * The text encoding of `bytes`: a BOM decides; without one, NUL bytes in every other position
 * mean UTF-16 (LE when the NULs come second); bytes that are valid UTF-8 are UTF-8; anything else
 * is taken as Windows-1252 (what Excel on Windows writes for "CSV"). Returns undefined for bytes
 * that look binary (NULs that are not UTF-16's).
 *
 * @example
 * ```ts
 * detectEncoding(new Uint8Array([0xff, 0xfe, 0x41, 0x00])); // "UTF-16 LE"
 * ```
 */
export function detectEncoding(bytes: Uint8Array): TextEncodingName | undefined {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return "UTF-8 with BOM";
  if (startsWith(bytes, [0xff, 0xfe])) return "UTF-16 LE";
  if (startsWith(bytes, [0xfe, 0xff])) return "UTF-16 BE";
  const head = bytes.subarray(0, SNIFF_BYTES - (SNIFF_BYTES % 2));
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < head.length; i++) {
    if (head[i] === 0) i % 2 === 0 ? evenNul++ : oddNul++;
  }
  if (evenNul + oddNul > 0) {
    // ASCII text in UTF-16: nearly every other byte is NUL, on one side only.
    const half = Math.floor(head.length / 2);
    if (oddNul > half * 0.6 && evenNul < half * 0.05) return "UTF-16 LE";
    if (evenNul > half * 0.6 && oddNul < half * 0.05) return "UTF-16 BE";
    return undefined;
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return "UTF-8";
  } catch {
    return "Windows-1252";
  }
}

const DECODER_LABEL: Record<TextEncodingName, string> = {
  "UTF-8": "utf-8",
  "UTF-8 with BOM": "utf-8",
  "UTF-16 LE": "utf-16le",
  "UTF-16 BE": "utf-16be",
  "Windows-1252": "windows-1252",
};

/** Decode `bytes` as `encoding`, without its BOM. */
export function decodeText(bytes: Uint8Array, encoding: TextEncodingName): string {
  return new TextDecoder(DECODER_LABEL[encoding]).decode(bytes).replace(/^\uFEFF/, "");
}

/**
 * The delimiter of a CSV text: whichever of comma, semicolon and tab occurs most often outside
 * quotes in its first line (the header); comma when none does.
 *
 * @example
 * ```ts
 * sniffDelimiter('Catalog#;Artist;"A, B"\n'); // ";"
 * ```
 */
export function sniffDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const ch of text.slice(0, SNIFF_BYTES)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && ch in counts) counts[ch as Delimiter]++;
  }
  const best = (Object.entries(counts) as [Delimiter, number][])
    .reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ",";
}

/** The delimiter in words, for the log. */
export function delimiterName(delimiter: Delimiter): string {
  return { ",": "comma", ";": "semicolon", "\t": "tab" }[delimiter];
}

/**
 * If `bytes` are a kind of file that is not a CSV, what it is and how to get a CSV from it
 * (one sentence); undefined when it may be a CSV. `text` is the decoded start, when the bytes
 * are text.
 *
 * @example
 * ```ts
 * notACsv(new TextEncoder().encode('{"releases": []}'), '{"releases": []}');
 * // "this is a JSON file, not a CSV: ..."
 * ```
 */
export function notACsv(bytes: Uint8Array, text?: string): string | undefined {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    const names = new TextDecoder("latin1").decode(bytes.subarray(0, 65536));
    if (names.includes("xl/")) return `this is an Excel workbook, not a CSV: ${SAVE_AS_CSV}`;
    if (names.includes("opendocument.spreadsheet")) {
      return `this is a LibreOffice/OpenOffice spreadsheet, not a CSV: ${SAVE_AS_CSV}`;
    }
    return "this is a ZIP archive, not a CSV: unzip it and give the .csv file inside (Discogs " +
      "exports arrive zipped)";
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) {
    return `this is an Excel 97-2003 workbook, not a CSV: ${SAVE_AS_CSV}`;
  }
  if (startsWith(bytes, [0x1f, 0x8b])) {
    return "this is a gzip-compressed file, not a CSV: decompress it (gunzip) and give the .csv";
  }
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) {
    return "this is a PDF document, not a CSV: on Discogs use Collection → Export (CSV) instead";
  }
  if (text === undefined) return undefined;
  const start = text.replace(/^\uFEFF/, "").trimStart().slice(0, 512);
  if (/^(<!doctype html|<html|<head|<body|<\?xml|<[a-z]+[\s>])/i.test(start)) {
    const kind = /^<\?xml/i.test(start) ? "an XML file" : "a web page (HTML)";
    return `this is ${kind}, not a CSV: the download may have saved the page instead of the ` +
      "export; on Discogs use Collection → Export and download the CSV file itself";
  }
  if (/^[[{]/.test(start)) {
    try {
      JSON.parse(text.replace(/^\uFEFF/, ""));
      return "this is a JSON file, not a CSV: give the Discogs CSV export (Collection → Export), " +
        "or your username with --username";
    } catch {
      if (/^(\{\s*"|\[\s*[[{"\d-])/.test(start)) {
        return "this looks like a JSON file, not a CSV: give the Discogs CSV export " +
          "(Collection → Export), or your username with --username";
      }
    }
  }
  return undefined;
}
