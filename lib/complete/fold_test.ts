import { assert, assertEquals } from "../testing/assert.ts";
import { entriesOf, type FoldOptions, holdingsOf } from "./fold.ts";
import { chooseFormat, formatNoun, inFormat, isVinylText } from "./format.ts";
import type { ListedItem, Pressing } from "./types.ts";
import { setWhy, yearSpan } from "./why.ts";

const item = (over: Partial<ListedItem>): ListedItem => ({
  type: "release",
  releaseId: 1,
  masterId: null,
  title: "Title",
  artist: "Artist",
  year: 1994,
  format: '12"',
  role: "Main",
  label: "Moving Shadow",
  catno: null,
  have: 10,
  ...over,
});

const pressing = (id: number, format: string, have = 1): Pressing => ({
  releaseId: id,
  title: "Album",
  format,
  majorFormats: [format.startsWith("CD") ? "CD" : "Vinyl"],
  year: 1995,
  label: null,
  catno: null,
  country: null,
  have,
});

const VINYL: FoldOptions = {
  format: "Vinyl",
  pressings: false,
  appearances: false,
  compilations: false,
  unofficial: false,
};

Deno.test("vinyl formats as Discogs prints them", () => {
  for (const t of ['12"', "LP, Album", '2×Vinyl, 12", 33 ⅓ RPM', '7", Single', "Flexi-disc"]) {
    assert(isVinylText(t), t);
  }
  for (const t of ["CD, Album", "File, MP3", "Cassette", "CD, EP"]) assert(!isVinylText(t), t);
  assertEquals(inFormat(null, "Vinyl"), undefined);
  assertEquals(inFormat("CD, Album", "any"), true);
  assertEquals(inFormat("CD, Album", "CD"), true);
  assertEquals(inFormat('12"', "LP"), false);
});

Deno.test("the format is assumed from what you own, and said", () => {
  const vinyl = chooseFormat(undefined, ['12"', "LP", "CD"]);
  assertEquals([vinyl.format, vinyl.assumed], ["Vinyl", true]);
  assert(vinyl.why.includes("2 of the 3 copies you own are vinyl"), vinyl.why);
  assertEquals(chooseFormat(undefined, ["CD", "CD", "LP"]).format, "any");
  assertEquals(chooseFormat("ANY", ["LP"]).format, "any");
  assertEquals(formatNoun(['12"', '12"', "LP"]), '12"s');
  assertEquals(formatNoun(['12"', "LP"]), "records");
});

Deno.test("an album's pressings are one entry, owned through any vinyl pressing", () => {
  const items = [
    item({ type: "master", masterId: 7, releaseId: 70, format: null, title: "Album" }),
    item({ releaseId: 2, title: "Single" }),
    item({ releaseId: 3, title: "On CD", format: "CD, Album" }),
  ];
  const pressings = new Map([[7, [pressing(70, "LP"), pressing(71, "LP", 9), pressing(72, "CD")]]]);
  const holdings = holdingsOf([{ releaseId: 71, masterId: 7, format: "LP" }], [{
    releaseId: 2,
    masterId: null,
  }]);
  const entries = entriesOf("artist", items, pressings, holdings, VINYL);
  assertEquals(entries.map((e) => [e.key, e.owned, e.inWantlist]), [
    ["master:7", true, false],
    ["release:2", false, true],
  ]);
  // Most-collected pressing first, CDs left out.
  assertEquals(entries[0].candidates.map((c) => c.releaseId), [71, 70]);
  // By pressing, every vinyl pressing counts.
  const byPressing = entriesOf("artist", items, pressings, holdings, { ...VINYL, pressings: true });
  assertEquals(byPressing.map((e) => [e.key, e.owned]), [
    ["release:2", false],
    ["release:70", false],
    ["release:71", true],
  ]);
});

Deno.test("owning the CD does not complete a vinyl album; credits other than Main are asked for", () => {
  const items = [
    item({ type: "master", masterId: 7, releaseId: 70, format: null }),
    item({ releaseId: 5, role: "Appearance" }),
    item({ releaseId: 6, role: "UnofficialRelease" }),
    item({ releaseId: 8, format: "LP, Comp" }),
  ];
  const pressings = new Map([[7, [pressing(70, "LP"), pressing(72, "CD")]]]);
  const holdings = holdingsOf([{ releaseId: 72, masterId: 7, format: "CD" }], []);
  assertEquals(
    entriesOf("artist", items, pressings, holdings, VINYL).map((e) => [e.key, e.owned]),
    [["master:7", false]],
  );
  const all = entriesOf("artist", items, pressings, holdings, {
    ...VINYL,
    appearances: true,
    unofficial: true,
    compilations: true,
  });
  assertEquals(all.map((e) => e.key).sort(), ["master:7", "release:5", "release:6", "release:8"]);
  // Every format: the CD owns the album.
  assertEquals(
    entriesOf("artist", items, pressings, holdings, { ...VINYL, format: "any" })
      .find((e) => e.key === "master:7")?.owned,
    true,
  );
});

Deno.test("a label's releases of one artist and title are one album; unread pressings are kept, unchecked", () => {
  const items = [
    item({ releaseId: 1, title: "Tic-Tac-Toe" }),
    item({ releaseId: 2, title: "Tic Tac Toe", format: '12", W/Lbl' }),
    item({ releaseId: 3, title: "Other" }),
  ];
  const entries = entriesOf("label", items, new Map(), holdingsOf([], []), VINYL);
  assertEquals(entries.length, 2);
  assertEquals(entries.find((e) => e.title !== "Other")!.candidates.length, 2);
  const master = entriesOf(
    "artist",
    [item({ type: "master", masterId: 9, releaseId: 90, format: null })],
    new Map(),
    holdingsOf([], []),
    VINYL,
  );
  assertEquals([master.length, master[0].formatChecked], [1, false]);
});

Deno.test("a set's reason in collectors' words", () => {
  assertEquals(yearSpan([1994, null, 1994]), "from 1994");
  assertEquals(yearSpan([1996, 1991]), "from 1991–1996");
  const entries = Array.from({ length: 10 }, (_, i) => ({
    key: `release:${i}`,
    masterId: null,
    releaseId: i,
    title: `T${i}`,
    artist: null,
    year: 1994,
    format: '12"',
    label: null,
    catno: null,
    candidates: [],
    owned: i < 9,
    inWantlist: false,
    formatChecked: true,
  }));
  const facts = {
    kind: "label" as const,
    name: "Moving Shadow",
    format: "Vinyl",
    entries,
    owned: 9,
    total: 10,
    missing: 1,
    inWantlist: 0,
    priced: 1,
    cost: 14,
    noCopyForSale: 0,
    unpriced: 0,
    currency: "USD",
    unchecked: 0,
    partial: false,
    byPressing: false,
  };
  assertEquals(setWhy(facts), '9 of 10 Moving Shadow 12"s from 1994; the last one is $14.00');
  assertEquals(
    setWhy({
      ...facts,
      owned: 7,
      missing: 3,
      priced: 1,
      noCopyForSale: 1,
      unpriced: 1,
      inWantlist: 1,
    }),
    '7 of 10 Moving Shadow 12"s from 1994; 1 of the 3 missing cost $14.00, 1 has no copy for ' +
      "sale, 1 not priced yet (1 on your wantlist)",
  );
});
