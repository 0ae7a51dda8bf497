/**
 * Physical line numbers of CSV records. DuckDB reads the CSV but does not say on which line a
 * record started; a quoted cell can span lines (notes often do), so the record index alone would
 * point a collector at the wrong line. This scan only tracks quotes and newlines — the parsing
 * itself stays DuckDB's.
 *
 * @module
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * 1-based start line of every non-blank record (the header is record 0), following RFC 4180
 * quoting: a newline inside double quotes does not end a record, and `""` is an escaped quote.
 *
 * @example
 * ```ts
 * recordStartLines(new TextEncoder().encode('a,b\n1,"x\ny"\n2,z\n')); // [1, 2, 4]
 * ```
 */
export function recordStartLines(bytes: Uint8Array): number[] {
  const starts: number[] = [];
  let line = 1;
  let inQuotes = false;
  let recordHasContent = false;
  let recordStart = 1;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE) {
      inQuotes = !inQuotes;
      recordHasContent = true;
    } else if (b === LF) {
      if (!inQuotes) {
        if (recordHasContent) starts.push(recordStart);
        recordHasContent = false;
        recordStart = line + 1;
      }
      line++;
    } else if (b !== CR) {
      recordHasContent = true;
    }
  }
  if (recordHasContent) starts.push(recordStart);
  return starts;
}
