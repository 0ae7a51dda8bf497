import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../testing/assert.ts";
import { DumpFormatError, DumpParser } from "./parse.ts";
import { ReferenceDumpParser } from "./reference_parse.ts";
import type { DumpKind, DumpRecordOf, DumpRelease } from "./schema.ts";

const DUMP_FIXTURES = fileURLToPath(new URL("../../../shared/fixtures/dump/", import.meta.url));

/** Every sample of the dump in the shared fixtures: both generations, all kinds. */
const FIXTURES: [string, DumpKind][] = [
  ["discogs_20200806_releases.xml.gz", "releases"],
  ["discogs_20200806_masters.xml.gz", "masters"],
  ["discogs_20200806_artists.xml.gz", "artists"],
  ["discogs_20200806_labels.xml.gz", "labels"],
  ["lukasaron_releases.xml", "releases"],
  ["lukasaron_masters.xml", "masters"],
  ["lukasaron_artists.xml", "artists"],
  ["lukasaron_labels.xml", "labels"],
  ["discogs_20260201_masters.xml", "masters"],
];

const cache = new Map<string, Uint8Array>();

function fixture(name: string): Uint8Array {
  let bytes = cache.get(name);
  if (!bytes) {
    const raw = Deno.readFileSync(DUMP_FIXTURES + name);
    bytes = name.endsWith(".gz") ? new Uint8Array(gunzipSync(raw)) : raw;
    cache.set(name, bytes);
  }
  return bytes;
}

interface Parsed<K extends DumpKind> {
  records: DumpRecordOf[K][];
  offsets: number[];
}

/** Parse `bytes` with the fast parser, fed in chunks of the sizes `sizes` gives. */
function parse<K extends DumpKind>(
  kind: K,
  bytes: Uint8Array,
  sizes: () => number = () => bytes.length,
  startOffset?: number,
): Parsed<K> {
  const records: DumpRecordOf[K][] = [];
  const offsets: number[] = [];
  const parser = new DumpParser(kind, (record, end) => {
    records.push(record);
    offsets.push(end);
  }, { startOffset });
  for (let at = 0; at < bytes.length;) {
    const n = Math.max(1, sizes());
    parser.write(bytes.subarray(at, at + n));
    at += n;
  }
  parser.end();
  return { records, offsets };
}

function reference<K extends DumpKind>(kind: K, bytes: Uint8Array): DumpRecordOf[K][] {
  const records: DumpRecordOf[K][] = [];
  const parser = new ReferenceDumpParser(kind, (record) => records.push(record));
  parser.write(bytes);
  parser.end();
  return records;
}

/** Records counted straight off the text, without any XML parser. */
function countRecords(kind: DumpKind, bytes: Uint8Array): number {
  let text = new TextDecoder().decode(bytes);
  // A label's sublabels are <label> elements too.
  if (kind === "labels") text = text.replace(/<sublabels>[\s\S]*?<\/sublabels>/g, "");
  const element = { releases: "release", masters: "master", artists: "artist", labels: "label" };
  return text.match(new RegExp(`<${element[kind]}[\\s>/]`, "g"))?.length ?? 0;
}

const encode = (text: string) => new TextEncoder().encode(text);

/** A small seeded random number generator, so a failing chunking can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

for (const [name, kind] of FIXTURES) {
  Deno.test(`${name}: the fast parser's records equal saxes' and the counted elements`, () => {
    const bytes = fixture(name);
    const { records, offsets } = parse(kind, bytes);
    const expected = countRecords(kind, bytes);
    assert(expected > 0, `no ${kind} counted in ${name}`);
    assertEquals(records.length, expected);
    assertEquals(records, reference(kind, bytes));
    // Every offset is just after the record's closing tag, in the file's bytes.
    const close = encode(`</${kind.slice(0, -1)}>`);
    for (const end of offsets) {
      assertEquals(bytes.subarray(end - close.length, end), close, `offset ${end}`);
    }
    assert(offsets.every((o, i) => i === 0 || o > offsets[i - 1]), "offsets increase");
  });
}

Deno.test("fixtures give the figures the dump README gives", () => {
  const releases = parse("releases", fixture("discogs_20200806_releases.xml.gz")).records;
  const first = releases[0];
  assertEquals(first.id, 1);
  assertEquals(first.status, "Accepted");
  assertEquals(first.title, "Stockholm");
  assertEquals(first.artists, [{
    id: 1,
    name: "The Persuader",
    anv: null,
    join: null,
    role: null,
    tracks: null,
  }]);
  assertEquals(first.credits[0].name, "Jesper Dahlbäck"); // &#228;
  assertEquals(first.formats, [{
    name: "Vinyl",
    qty: 2,
    text: null,
    descriptions: ['12"', "33 ⅓ RPM"],
  }]);
  assertEquals(first.labels, [{ id: 5, name: "Svek", catno: "SK032" }]);
  assertEquals(first.released, "1999-03-00");
  assertEquals(first.year, 1999);
  assertEquals(first.master_id, 1660109);
  assertEquals(first.is_main_release, true);
  assertEquals(first.track_count, 6);
  const today = parse("masters", fixture("discogs_20260201_masters.xml")).records;
  assertEquals(today.map((m) => m.id), [392818, 1168624, 2280259, 3319987]);
  assertEquals(today[1].title, "Complete Works = L'Oeuvre Intégrale = Gesamtwerk");
  assertEquals(today[2].artists[0].anv, "Bach");
  assertEquals(today[0].artists[0].anv, null);
  assertEquals(today[0].genres.at(-1), "Folk, World, & Country");
  const artists = parse("artists", fixture("discogs_20200806_artists.xml.gz")).records;
  // 2020-era members list <id>26</id><name id="26">…</name>: each member once.
  assertEquals(artists[1].members, [
    { id: 26, name: "Alexi Delano" },
    { id: 27, name: "Cari Lekebusch" },
  ]);
  const labels = parse("labels", fixture("discogs_20200806_labels.xml.gz")).records;
  // That sample's sublabels are empty <label/>: left out.
  assertEquals(labels[0].sublabels, []);
  assert(labels.some((l) => l.parent !== null && l.parent.id !== null && l.parent.name !== ""));
  const older = parse("labels", fixture("lukasaron_labels.xml")).records;
  assertEquals(older[0].sublabels[0], { id: 86537, name: "Antidote (4)" });
});

Deno.test("track credits follow the release's, with the track's position as their tracks", () => {
  const releases = parse("releases", fixture("discogs_20200806_releases.xml.gz")).records;
  const text = new TextDecoder().decode(fixture("discogs_20200806_releases.xml.gz"));
  // Credits are every extraartists/artist of the release, its tracks and sub-tracks.
  const extraArtists = text.match(/<extraartists>[\s\S]*?<\/extraartists>/g)!
    .map((block) => block.match(/<artist>/g)?.length ?? 0)
    .reduce((a, b) => a + b, 0);
  assertEquals(releases.reduce((n, r) => n + r.credits.length, 0), extraArtists);
  const tracks = text.match(/<tracklist>[\s\S]*?<\/tracklist>/g)!
    .map((list) => list.replace(/<sub_tracks>[\s\S]*?<\/sub_tracks>/g, ""))
    .map((list) => list.match(/<track>/g)?.length ?? 0)
    .reduce((a, b) => a + b, 0);
  assertEquals(releases.reduce((n, r) => n + r.track_count, 0), tracks);
  const withTrackCredit = releases.find((r) =>
    r.credits.some((c) => c.tracks !== null && /^[A-Z]?\d*$/.test(c.tracks))
  );
  assert(withTrackCredit !== undefined, "some credit names its track by position");
});

Deno.test("chunks of 1, 7, 4096 and random sizes give the same records and offsets", () => {
  for (const [name, kind] of FIXTURES) {
    const bytes = fixture(name);
    const whole = parse(kind, bytes);
    const sizes: [string, () => number][] = [
      ["7", () => 7],
      ["4096", () => 4096],
      ["random", ((r) => () => 1 + Math.floor(r() * 3000))(random(13))],
    ];
    // One byte at a time splits every multi-byte character; the small files suffice for it.
    if (bytes.length < 100_000) sizes.push(["1", () => 1]);
    for (const [label, size] of sizes) {
      const chunked = parse(kind, bytes, size);
      assertEquals(chunked.offsets, whole.offsets, `${name}, chunks of ${label}`);
      assertEquals(chunked.records, whole.records, `${name}, chunks of ${label}`);
    }
  }
});

Deno.test("startOffset resumes after any record with the same records and offsets", () => {
  for (const [name, kind] of FIXTURES) {
    const bytes = fixture(name);
    const whole = parse(kind, bytes);
    const n = whole.records.length;
    for (const k of [0, Math.floor(n / 2), n - 2].filter((k) => k >= 0 && k < n)) {
      const from = whole.offsets[k];
      const resumed = parse(kind, bytes.subarray(from), () => 4096, from);
      assertEquals(resumed.offsets, whole.offsets.slice(k + 1), `${name} after record ${k}`);
      assertEquals(resumed.records, whole.records.slice(k + 1), `${name} after record ${k}`);
    }
  }
});

Deno.test("a truncated file fails naming the byte offset and the last complete release", () => {
  const bytes = fixture("discogs_20200806_releases.xml.gz");
  const whole = parse("releases", bytes);
  const cut = whole.offsets[41] + 1500; // inside the 43rd release
  const error = assertThrows(() => parse("releases", bytes.subarray(0, cut)), DumpFormatError);
  assertEquals(error.offset, cut);
  assertEquals(error.lastCompleteId, whole.records[41].id);
  assertEquals(error.lastCompleteOffset, whole.offsets[41]);
  assertStringIncludes(error.message, "truncated");
  assertStringIncludes(error.message, `byte ${cut.toLocaleString("en-US")}`);
  assertStringIncludes(error.message, `the last complete release is ${whole.records[41].id}`);
  // Cut between two records: still truncated, since </releases> never came.
  const between = assertThrows(
    () => parse("releases", bytes.subarray(0, whole.offsets[9] + 1)),
    DumpFormatError,
  );
  assertEquals(between.lastCompleteId, whole.records[9].id);
  assertStringIncludes(between.message, "before </releases>");
  // Cut inside a multi-byte character.
  const utf8 = fixture("lukasaron_releases.xml");
  const at = utf8.indexOf(0xc3); // the first byte of "ä"
  const split = assertThrows(() => parse("releases", utf8.subarray(0, at + 1)), DumpFormatError);
  assertStringIncludes(split.message, "truncated");
  assertEquals(split.lastCompleteId, null);
  assertStringIncludes(split.message, "no release is complete");
});

Deno.test("a malformed tag fails naming its byte offset and the last complete release", () => {
  const bytes = fixture("lukasaron_releases.xml");
  const text = new TextDecoder().decode(bytes);
  const tag = '<label catno="SK 026" id="5" name="Svek"/>';
  const at = text.indexOf(tag);
  assert(at > 0, "the sample has the tag");
  const broken = text.slice(0, at) + tag.slice(0, -2) + "<" + text.slice(at + tag.length);
  const offset = encode(text.slice(0, at)).length + tag.length - 2;
  const error = assertThrows(() => parse("releases", encode(broken)), DumpFormatError);
  assertEquals(error.offset, offset);
  assertEquals(error.lastCompleteId, 1);
  assertEquals(
    error.message,
    `malformed XML at byte ${
      offset.toLocaleString("en-US")
    } (expected '>' in <label …>); the last complete release is 1`,
  );
  // A closing tag that does not match.
  const mismatched = text.replace("<title>Stockholm</title>", "<title>Stockholm</titel>");
  const closing = assertThrows(() => parse("releases", encode(mismatched)), DumpFormatError);
  assertStringIncludes(closing.message, "expected </title>, found </titel>");
  assertEquals(closing.lastCompleteId, null);
  // Not the expected root.
  assertStringIncludes(
    assertThrows(() => parse("masters", bytes), DumpFormatError).message,
    "expected <masters> as the root element, found <releases>",
  );
  // Not UTF-8.
  const latin1 = encode('<releases><release id="1"><title>x</title></release></releases>');
  latin1[37] = 0xe4;
  assertStringIncludes(
    assertThrows(() => parse("releases", latin1), DumpFormatError).message,
    "not UTF-8",
  );
  // An error stays: writing on after it fails the same way.
  const parser = new DumpParser("releases", () => {});
  const first = assertThrows(
    () => parser.write(encode("<releases><release id='1'><title x=>T</title></release>")),
    DumpFormatError,
    "expected a quoted value of x in <title …>",
  );
  assert(assertThrows(() => parser.write(encode("\n")), DumpFormatError) === first);
  assert(assertThrows(() => parser.end(), DumpFormatError) === first);
});

/** One release in today's format, as the dump README describes it. */
const TODAY = `<releases>
<release id="533631"><artists><artist><id>12</id><name>Artist &amp; Co</name></artist><artist>` +
  `<id>13</id><name>Second</name><anv>2nd</anv><join>Feat.</join></artist></artists>` +
  `<title>Título &lt;Deluxe&gt;</title><labels><label name="Lbl" catno="LB 001" id="77"/>` +
  `<label name="Not On Label" catno="none"/></labels><extraartists><artist><id>99</id>` +
  `<name>Engineer</name><role>Mastered By</role></artist></extraartists><formats>` +
  `<format name="Vinyl" qty="1"><descriptions><description>LP</description>` +
  `<description>Album</description></descriptions></format><format name="File" qty="x">` +
  `</format></formats><genres><genre>Jazz</genre></genres><styles><style>Soul-Jazz</style>` +
  `</styles><country>Japan</country><released>1970</released><notes>Liner &#8220;notes&#8221;` +
  `</notes><data_quality>Correct</data_quality><master_id is_main_release="false">4242` +
  `</master_id><tracklist><track><position>A1</position><title>Intro</title>` +
  `<duration>3:00</duration><extraartists><artist><id>5</id><name>Remixer</name>` +
  `<role>Remix</role></artist><artist><id>6</id><name>Bassist</name><role>Bass</role>` +
  `<tracks>A1 to B2</tracks></artist></extraartists></track><track><position>B</position>` +
  `<title>Suite</title><sub_tracks><track><position>B.a</position><title>Part</title>` +
  `<extraartists><artist><id>7</id><name>Horns</name><role>Horns</role></artist>` +
  `</extraartists></track></sub_tracks></track></tracklist><identifiers>` +
  `<identifier type="Barcode" value="4988"/></identifiers><videos><video src="https://x" ` +
  `duration="10" embed="true"><title>t</title><description>d</description></video></videos>` +
  `<companies><company><id>1</id><name>Pressing Co</name><catno/><entity_type>17` +
  `</entity_type><entity_type_name>Pressed By</entity_type_name></company></companies>` +
  `<series><series name="S" catno="1" id="3"/></series></release>
<release id="7"><title>Bare</title></release>
</releases>
`;

Deno.test("a release in today's format (no status, no images, empty children omitted)", () => {
  const { records } = parse("releases", encode(TODAY));
  assertEquals(records, reference("releases", encode(TODAY)));
  const credit = (
    id: number,
    name: string,
    role: string | null,
    tracks: string | null,
    anv: string | null = null,
    join: string | null = null,
  ) => ({ id, name, anv, join, role, tracks });
  const expected: DumpRelease[] = [{
    id: 533631,
    status: null,
    title: "Título <Deluxe>",
    artists: [
      credit(12, "Artist & Co", null, null),
      credit(13, "Second", null, null, "2nd", "Feat."),
    ],
    credits: [
      credit(99, "Engineer", "Mastered By", null),
      credit(5, "Remixer", "Remix", "A1"),
      credit(6, "Bassist", "Bass", "A1 to B2"),
      credit(7, "Horns", "Horns", "B.a"),
    ],
    labels: [{ id: 77, name: "Lbl", catno: "LB 001" }, {
      id: null,
      name: "Not On Label",
      catno: "none",
    }],
    formats: [
      { name: "Vinyl", qty: 1, text: null, descriptions: ["LP", "Album"] },
      { name: "File", qty: null, text: null, descriptions: [] },
    ],
    genres: ["Jazz"],
    styles: ["Soul-Jazz"],
    country: "Japan",
    released: "1970",
    year: 1970,
    data_quality: "Correct",
    master_id: 4242,
    is_main_release: false,
    track_count: 2,
  }, {
    id: 7,
    status: null,
    title: "Bare",
    artists: [],
    credits: [],
    labels: [],
    formats: [],
    genres: [],
    styles: [],
    country: null,
    released: null,
    year: null,
    data_quality: null,
    master_id: null,
    is_main_release: false,
    track_count: 0,
  }];
  assertEquals(records, expected);
});

Deno.test("entities, character references and CDATA are decoded", () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root -->
<releases><release id="1" status="A&amp;B"><title>a &amp; b &lt;&gt; &quot;&apos; &#228;&#xE4;` +
    `&#x1F600; ü</title><country><![CDATA[<not a tag> & so on]]></country><labels>` +
    `<label name="R&#233;cords &quot;X&quot;" catno="A&amp;B-1"/></labels>` +
    `<released>19<!-- c -->99</released></release></releases>`;
  const [release] = parse("releases", encode(xml)).records;
  assertEquals(release.status, "A&B");
  assertEquals(release.title, "a & b <> \"' ää😀 ü");
  assertEquals(release.country, "<not a tag> & so on");
  assertEquals(release.labels, [{ id: null, name: 'Récords "X"', catno: "A&B-1" }]);
  assertEquals(release.released, "1999");
  assertEquals([release], reference("releases", encode(xml)));
  const bad = `<releases><release id="1"><title>a &nbsp; b</title></release></releases>`;
  assertStringIncludes(
    assertThrows(() => parse("releases", encode(bad)), DumpFormatError).message,
    "expected a known entity, found &nbsp;",
  );
});

Deno.test("empty and absent elements read alike: null for text, [] for lists", () => {
  const xml = `<releases>
<release id="1"><title/><country/><released></released><genres/><styles></styles>` +
    `<artists><artist><id/><name>A</name><anv/><join></join><role/><tracks/></artist>` +
    `</artists><master_id>0</master_id><data_quality></data_quality><tracklist/></release>
<release id="2"><title>T</title></release>
</releases>`;
  const [empty, absent] = parse("releases", encode(xml)).records;
  const blank = (r: DumpRelease) => ({ ...r, id: 0, title: "", artists: [] });
  assertEquals(blank(empty), blank(absent));
  assertEquals(empty.artists, [{
    id: null,
    name: "A",
    anv: null,
    join: null,
    role: null,
    tracks: null,
  }]);
  assertEquals(empty.master_id, null);
  assertEquals(parse("releases", encode(xml)).records, reference("releases", encode(xml)));
});

Deno.test("unknown elements anywhere are skipped", () => {
  const plain = fixture("lukasaron_releases.xml");
  const text = new TextDecoder().decode(plain);
  const unknown = `<extra kind="x>y"><extra>nested <b/> same name</extra><!-- </extra> -->` +
    `<![CDATA[</extra>]]>text</extra>`;
  const noisy = text
    .replace('<release id="2"', `${unknown}\n<release id="2"`) // between records
    .replace("<title>Stockholm</title>", `<title>Stockholm</title>${unknown}`) // in a record
    .replace("<name>The Persuader</name>", `<name>The Persuader</name>${unknown}`) // in a credit
    .replace("<position>A</position>", `<position>A</position>${unknown}<notes>n</notes>`);
  assert(noisy.length > text.length + 3 * unknown.length, "all four places were found");
  assertEquals(parse("releases", encode(noisy)).records, parse("releases", plain).records);
  assertEquals(reference("releases", encode(noisy)), parse("releases", plain).records);
});

Deno.test("records are reported as soon as their closing tag arrives", () => {
  const bytes = encode(TODAY);
  const seen: number[] = [];
  const parser = new DumpParser("releases", (r) => seen.push(r.id));
  const firstEnd = encode(TODAY.slice(0, TODAY.indexOf("</release>") + 10)).length;
  parser.write(bytes.subarray(0, firstEnd - 1));
  assertEquals(seen, []);
  parser.write(bytes.subarray(firstEnd - 1, firstEnd));
  assertEquals(seen, [533631]);
  parser.write(bytes.subarray(firstEnd));
  parser.end();
  assertEquals(seen, [533631, 7]);
});

Deno.test("offsets stay exact when a comment or CDATA in a record holds its closing tag", () => {
  const records = [
    `<release id="1"><title>Über</title><notes><![CDATA[ä </release> ö]]></notes></release>`,
    `<release id="2"><!-- </release> --><title>Ça</title><country>日本</country></release>`,
    `<release id="3"><title>Søren</title><released>2001</released></release>`,
  ];
  const xml = `<releases>\n${records.join("\n")}\n</releases>\n`;
  const expected = records.map((r) => encode(xml.slice(0, xml.indexOf(r) + r.length)).length);
  for (const size of [xml.length * 3, 5, 1]) {
    const { records: parsed, offsets } = parse("releases", encode(xml), () => size);
    assertEquals(offsets, expected, `chunks of ${size}`);
    assertEquals(parsed.map((r) => r.title), ["Über", "Ça", "Søren"]);
  }
});

Deno.test("element names are matched exactly, whatever their case or length", () => {
  const xml = `<releases><release id="1"><Title>no</Title><titles>no</titles><title>yes</title>` +
    `<tItle>no</tItle><_title>no</_title><artists><artist><Name>no</Name><name>A</name>` +
    `</artist></artists></release></releases>`;
  const [release] = parse("releases", encode(xml)).records;
  assertEquals(release.title, "yes");
  assertEquals(release.artists[0].name, "A");
  assertEquals([release], reference("releases", encode(xml)));
});

Deno.test("a record without an id fails naming where it ends", () => {
  const xml = `<releases><release id="5"><title>A</title></release><release><title>B</title>` +
    `</release></releases>`;
  const error = assertThrows(() => parse("releases", encode(xml)), DumpFormatError);
  assertEquals(error.offset, xml.indexOf("</releases>"));
  assertEquals(error.lastCompleteId, 5);
  assertStringIncludes(error.message, "a <release> without an id attribute ends here");
});
