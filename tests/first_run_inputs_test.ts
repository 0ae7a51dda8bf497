/**
 * A first run that never misleads or loses work (issue #12), on real files made here from a
 * fixture export: an empty input leaves the workspace as it was, re-saves in other encodings
 * and delimiters load, files that are not CSVs are named as what they are, and flags fail in
 * plain words.
 */
import { Buffer } from "node:buffer";
import { Database } from "../lib/db/mod.ts";
import { InputError } from "../lib/errors.ts";
import { ingestApiRows, ingestExports } from "../lib/ingest/mod.ts";
import {
  assert,
  assertEquals,
  assertNotMatch,
  assertRejects,
  assertStringIncludes,
} from "../lib/testing/assert.ts";
import { fixturePath, runModule, runPipeline, tempWorkspace, withTempDb } from "./helpers.ts";

const GUSTW = fixturePath("exports/gustw_collection.csv");
const GUSTW_ROWS = 316;

/** Parse a CSV text into cells (RFC 4180 quoting), to re-save it with another delimiter. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"', i++);
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") (row.push(cell), cell = "");
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length > 0) (row.push(cell), rows.push(row));
  return rows;
}

/** Write rows as a CSV with `delimiter`, quoting what needs it, CRLF line ends (as Excel does). */
function writeCsv(rows: string[][], delimiter: string): string {
  const quote = (cell: string) =>
    /["\r\n]/.test(cell) || cell.includes(delimiter) ? `"${cell.replaceAll('"', '""')}"` : cell;
  return rows.map((r) => r.map(quote).join(delimiter)).join("\r\n") + "\r\n";
}

/** UTF-16 bytes of `text`, little- or big-endian, with an optional BOM (a real transcoder). */
function utf16(text: string, endian: "le" | "be", bom: boolean): Uint8Array {
  const le = Buffer.from((bom ? "\uFEFF" : "") + text, "utf16le");
  if (endian === "be") le.swap16();
  return new Uint8Array(le);
}

/** Windows-1252 bytes (via latin1: the fixture's accents are all in both). */
function windows1252(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "latin1"));
}

const gustwText = async () => (await Deno.readTextFile(GUSTW)).replace(/^\uFEFF/, "");

Deno.test("semicolon, tab, UTF-16 LE/BE and Windows-1252 re-saves load every row", () =>
  withTempDb(async (db, dir) => {
    const original = await gustwText();
    const rows = parseCsv(original);
    // Characters Windows-1252 has no byte for (zero-width space, a stray BOM) are what a
    // re-save would drop.
    const plain = writeCsv(rows, ";").replace(/[\u200b\ufeff]/g, "");
    const variants: Record<string, Uint8Array> = {
      "semicolon.csv": new TextEncoder().encode(writeCsv(rows, ";")),
      "tab.txt": new TextEncoder().encode(writeCsv(rows, "\t")),
      "unicode-text.txt": utf16(writeCsv(rows, "\t"), "le", true),
      "utf16le-nobom.csv": utf16(writeCsv(rows, ","), "le", false),
      "utf16be.csv": utf16(writeCsv(rows, ","), "be", true),
      "utf16be-nobom.csv": utf16(writeCsv(rows, ";"), "be", false),
      "windows-1252.csv": windows1252(plain),
    };
    const expected: Record<string, [string, string]> = {
      "semicolon.csv": ["UTF-8", ";"],
      "tab.txt": ["UTF-8", "\t"],
      "unicode-text.txt": ["UTF-16 LE", "\t"],
      "utf16le-nobom.csv": ["UTF-16 LE", ","],
      "utf16be.csv": ["UTF-16 BE", ","],
      "utf16be-nobom.csv": ["UTF-16 BE", ";"],
      "windows-1252.csv": ["Windows-1252", ";"],
    };
    await ingestExports(db, { collection: GUSTW });
    const reference = await db.all<Record<string, unknown>>(
      "SELECT release_id, artist, title, label, format FROM collection ORDER BY source_line",
    );
    for (const [name, bytes] of Object.entries(variants)) {
      const path = `${dir}/${name}`;
      await Deno.writeFile(path, bytes);
      const summary = await ingestExports(db, { collection: path });
      assertEquals(summary.collectionRows, GUSTW_ROWS, name);
      assertEquals(summary.rejects, [], name);
      const reading = summary.readings![0];
      assertEquals([reading.encoding, reading.delimiter], expected[name], name);
      const loaded = await db.all<Record<string, unknown>>(
        "SELECT release_id, artist, title, label, format FROM collection ORDER BY source_line",
      );
      const clean = (rows: Record<string, unknown>[]) =>
        JSON.stringify(rows).replace(/\\u200b|\\ufeff|[\u200b\ufeff]/g, "");
      assertEquals(clean(loaded), clean(reference), `${name}: every cell as in the original`);
    }
    const accented = await db.one<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM collection WHERE regexp_matches(artist || title, '[èéñ]')",
    );
    assert(accented!.n > 0, "accents survive the Windows-1252 round trip");
  }));

/** A minimal XLSX: a ZIP whose first entry is `[Content_Types].xml`, then `xl/workbook.xml`. */
function tinyXlsx(): Uint8Array {
  const entry = (name: string, data: string) => {
    const n = new TextEncoder().encode(name);
    const d = new TextEncoder().encode(data);
    const header = new Uint8Array(30 + n.length);
    const view = new DataView(header.buffer);
    view.setUint32(0, 0x04034b50, true); // local file header
    view.setUint16(4, 20, true);
    view.setUint32(18, d.length, true);
    view.setUint32(22, d.length, true);
    view.setUint16(26, n.length, true);
    header.set(n, 30);
    return [header, d];
  };
  const parts = [
    ...entry("[Content_Types].xml", "<Types/>"),
    ...entry("xl/workbook.xml", "<workbook/>"),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), at += p.length);
  return out;
}

const NOT_CSV: [string, string | Uint8Array, string][] = [
  ["releases.json", '[{"release_id": 1, "artist": "A"}]\n', "this is a JSON file"],
  ["collection.xlsx", tinyXlsx(), "this is an Excel workbook, not a CSV: File → Save As → CSV"],
  [
    "export.csv",
    "<!DOCTYPE html>\n<html><head><title>Discogs</title></head><body></body></html>\n",
    "this is a web page (HTML)",
  ],
  ["scan.pdf", "%PDF-1.7\n%\xe2\xe3\n1 0 obj\n", "this is a PDF document"],
  ["archive.zip", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]), "this is a ZIP archive"],
];

Deno.test("JSON, XLSX, HTML, PDF and ZIP files are named as what they are, with the fix", () =>
  withTempDb(async (db, dir) => {
    await ingestExports(db, { collection: fixturePath("exports/davide-bergamini_collection.csv") });
    for (const [name, content, message] of NOT_CSV) {
      const path = `${dir}/${name}`;
      if (typeof content === "string") await Deno.writeTextFile(path, content);
      else await Deno.writeFile(path, content);
      const error = await assertRejects(
        () => ingestExports(db, { collection: path }),
        InputError,
        message,
      );
      assertStringIncludes(error.message, path);
      assertNotMatch(error.message, /CSV Error on Line/);
    }
    assertEquals(await db.count("collection"), 5, "nothing replaced");
  }));

Deno.test("a CSV error names and quotes the line it failed on", () =>
  withTempDb(async (db, dir) => {
    const path = `${dir}/broken.csv`;
    const lines = (await gustwText()).split("\n").slice(0, 4);
    lines.push('X9,Someone,"Never Closed,Label,LP,,2001,123,Uncategorized,2020-01-01 00:00:00');
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
    const error = await assertRejects(() => ingestExports(db, { collection: path }), InputError);
    assertStringIncludes(error.message, `${path}:5:`);
    assertStringIncludes(error.message, 'line 5: X9,Someone,"Never Closed');
  }));

Deno.test("the ingest task exits 2 for each non-CSV kind, with its own message", async () => {
  const ws = await tempWorkspace();
  try {
    for (const [name, content, message] of NOT_CSV.slice(0, 3)) {
      const path = `${ws.dir}/${name}`;
      if (typeof content === "string") await Deno.writeTextFile(path, content);
      else await Deno.writeFile(path, content);
      const run = await runModule(
        "pipeline/ingest.ts",
        ["--collection", path, "--db", ws.db, "--out", ws.out],
        {},
        { deadlineMs: 60_000 },
      );
      assertEquals(run.code, 2, `${name}: ${run.stderr}`);
      assertStringIncludes(run.stderr, message);
      assertNotMatch(run.stderr, /\n\s+at /);
    }
  } finally {
    await ws.cleanup();
  }
});

Deno.test("a file or username with no usable rows is refused unless --allow-empty", () =>
  withTempDb(async (db, dir) => {
    await ingestExports(db, { collection: GUSTW });
    const header = `${dir}/header-only.csv`;
    await Deno.writeTextFile(header, (await gustwText()).split("\n")[0] + "\n");
    const error = await assertRejects(
      () => ingestExports(db, { collection: header }),
      InputError,
      "no usable collection rows: it has a header line but no rows",
    );
    assertStringIncludes(error.message, "--allow-empty");
    const allBad = `${dir}/all-bad.csv`;
    await Deno.writeTextFile(
      allBad,
      "Catalog#,Artist,Title,Label,Format,Rating,Released,release_id\nX,A,T,L,LP,,2000,abc\n",
    );
    await assertRejects(
      () => ingestExports(db, { collection: allBad }),
      InputError,
      "all 1 rows were skipped",
    );
    await assertRejects(
      () => ingestApiRows(db, { collection: [], collectionOf: "nobody" }),
      InputError,
      "nobody's collection on Discogs has no releases",
    );
    assertEquals(await db.count("collection"), GUSTW_ROWS, "every refusal left the collection");
    const emptied = await ingestExports(db, { collection: header, allowEmpty: true });
    assertEquals(emptied.collectionRows, 0, "--allow-empty empties it on purpose");
  }));

/** Every file under `dir` with its bytes, for before/after comparisons. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (at: string) => {
    for await (const entry of Deno.readDir(at)) {
      const path = `${at}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.name !== "run.json") {
        const hash = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
        files.set(path.slice(dir.length), Buffer.from(hash).toString("hex"));
      }
    }
  };
  await walk(dir);
  return files;
}

Deno.test("a header-only export after a full run exits 2 and leaves every table and output; no later stage empties its table", async () => {
  const ws = await tempWorkspace();
  try {
    const full = await runPipeline(ws);
    assertEquals(full.code, 0, full.stderr);
    const tables = async () => {
      const db = await Database.open(ws.db, { readOnly: true });
      try {
        const names = await db.all<{ name: string }>(
          "SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1",
        );
        const out: Record<string, string> = {};
        for (const { name } of names) {
          const row = await db.one<{ n: number; h: string }>(
            `SELECT count(*)::INTEGER AS n, coalesce(sum(hash(t::VARCHAR)), 0)::VARCHAR AS h
             FROM "${name}" t`,
          );
          out[name] = `${row!.n}:${row!.h}`;
        }
        return out;
      } finally {
        db.close();
      }
    };
    const tablesBefore = await tables();
    const filesBefore = await snapshot(ws.out);
    assert(filesBefore.has("/scores.parquet"), "the full run wrote scores.parquet");
    assert(Number(tablesBefore.collection.split(":")[0]) === GUSTW_ROWS);

    const header = `${ws.dir}/header-only.csv`;
    await Deno.writeTextFile(header, (await gustwText()).split("\n")[0] + "\n");
    for (const task of ["pipeline/ingest.ts", "pipeline/pipeline.ts"]) {
      const run = await runModule(task, ["--collection", header, "--db", ws.db, "--out", ws.out], {
        NEXTSPIN_QUIET: "1",
      });
      assertEquals(run.code, 2, `${task}: ${run.stderr}`);
      assertStringIncludes(run.stderr, `${header}: no usable collection rows`);
      assertStringIncludes(run.stderr, "Nothing was changed");
      assertEquals(await tables(), tablesBefore, `${task}: every table as it was`);
      assertEquals(await snapshot(ws.out), filesBefore, `${task}: every output byte-identical`);
    }

    // A later stage that has nothing to build from keeps its table too.
    const count = async (table: string) => Number((await tables())[table].split(":")[0]);
    const flags = ["--db", ws.db, "--out", ws.out, "--offline"];
    const picks = await count("recommendations");
    assert(picks > 0, "the full run served recommendations");
    const nothing = await runModule("pipeline/recommend.ts", [...flags, "--budget", "0"], {
      NEXTSPIN_QUIET: "1",
    });
    assertEquals(nothing.code, 0, nothing.stderr);
    assertStringIncludes(nothing.stderr, `the previous ${picks} recommendations are kept`);
    assertEquals(await count("recommendations"), picks, "no picks did not empty recommendations");
    const cleared = await runModule(
      "pipeline/recommend.ts",
      [...flags, "--budget", "0", "--allow-empty"],
      { NEXTSPIN_QUIET: "1" },
    );
    assertEquals(cleared.code, 0, cleared.stderr);
    assertEquals(await count("recommendations"), 0, "--allow-empty empties it on purpose");

    const releases = await count("releases");
    const emptied = await runModule(
      "pipeline/ingest.ts",
      ["--collection", header, "--db", ws.db, "--out", ws.out, "--allow-empty"],
      { NEXTSPIN_QUIET: "1" },
    );
    assertEquals(emptied.code, 0, emptied.stderr);
    assertEquals(await count("collection"), 0);
    const enrich = await runModule("pipeline/enrich.ts", flags, { NEXTSPIN_QUIET: "1" });
    assertEquals(enrich.code, 0, enrich.stderr);
    assertStringIncludes(enrich.stderr, `the previous ${releases} releases are kept`);
    assertEquals(await count("releases"), releases, "an empty collection did not empty releases");
  } finally {
    await ws.cleanup();
  }
});

Deno.test("flags fail in plain words with the allowed range and the value given", async () => {
  const ws = await tempWorkspace();
  try {
    const cases: [string, string[], string][] = [
      ["pipeline/pipeline.ts", ["--price-weight", "-1"], '--price-weight "-1": expected a number'],
      ["pipeline/score.ts", ["--price-weight=-1"], '--price-weight "-1": expected a number'],
      ["pipeline/enrich.ts", ["--max-age", "garbage"], "or never"],
      ["pipeline/pipeline.ts", ["--max-age=-3d"], '--max-age "-3d"'],
      ["pipeline/pipeline.ts", ["--top", "-5"], '--top "-5": expected a whole number >= 1'],
      ["pipeline/ingest.ts", ["-x"], '"-x" is not a flag'],
      ["pipeline/score.ts", ["--price-weigth", "2"], "did you mean --price-weight?"],
      ["pipeline/pipeline.ts", ["--offline=yes"], "--offline takes no value"],
    ];
    for (const [task, args, message] of cases) {
      const run = await runModule(task, [...args, "--db", ws.db, "--out", ws.out], {}, {
        deadlineMs: 60_000,
      });
      assertEquals(run.code, 2, `${task} ${args.join(" ")}: ${run.stderr}`);
      assertStringIncludes(run.stderr, message, `${task} ${args.join(" ")}`);
      assertNotMatch(run.stderr, /ambiguous|argument missing|\n\s+at /);
    }
  } finally {
    await ws.cleanup();
  }
});
