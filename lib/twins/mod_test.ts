import { assert, assertEquals } from "../testing/assert.ts";
import { artistKeys, labelKeys, masterKeys } from "./keys.ts";
import { compareAll, rankTwinPicks, tradesOf, type TwinRecord, twinSupport, YOU } from "./mod.ts";

let nextLine = 0;
function rec(
  collection: string,
  list: "collection" | "wantlist",
  releaseId: number,
  masterId: number | null,
  extra: Partial<TwinRecord> = {},
): TwinRecord {
  nextLine++;
  return {
    collection,
    list,
    releaseId,
    masterId,
    masterKey: masterId !== null ? `m:${masterId}` : `w:${releaseId}`,
    artist: `Artist ${masterId ?? releaseId}`,
    title: `Title ${masterId ?? releaseId}`,
    label: "Label",
    format: "LP",
    year: 1995,
    country: null,
    genres: [],
    styles: [],
    have: null,
    want: null,
    lowestPrice: null,
    numForSale: null,
    currency: null,
    thumbnailUrl: null,
    mediaCondition: null,
    sleeveCondition: null,
    ...extra,
  };
}

Deno.test("master keys match pressings by master id, and by artist + title when one lacks it", () => {
  const keys = masterKeys([
    { masterId: 7, artist: "Santana", title: "Abraxas" },
    { masterId: null, artist: "Santana (2)", title: "Abraxas" },
    { masterId: null, artist: "Nobody", title: "Else" },
  ]);
  assertEquals(keys, ["m:7", "m:7", "w:nobody|else"]);
  assertEquals(artistKeys("Bob Marley & The Wailers"), ["bob marley", "the wailers"]);
  assertEquals(artistKeys("Various"), []);
  assertEquals(labelKeys("Not On Label (Dub Self-released), Greensleeves Records"), [
    "greensleeves records",
  ]);
});

Deno.test("twin picks exclude what you own, by release and by master (any pressing)", () => {
  const records = [
    rec(YOU, "collection", 1, 100),
    rec(YOU, "collection", 2, 200),
    rec("alice", "collection", 1, 100), // the same release
    rec("alice", "collection", 3, 200), // another pressing of an album you own
    rec("alice", "collection", 4, 400), // new to you
    rec("bob", "collection", 2, 200),
    rec("bob", "collection", 5, 400), // another pressing of alice's 4: one pick, two owners
  ];
  const comparisons = compareAll(records);
  const supported = twinSupport(records, comparisons);
  assertEquals(supported.map((s) => s.record.masterKey), ["m:400"]);
  assertEquals(supported[0].owners.length, 2);
  const similarity = new Map(comparisons.map((c) => [c.name, c.similarity]));
  const picks = rankTwinPicks(records, supported, similarity);
  assertEquals(picks.length, 1);
  assert(picks[0].why.startsWith("owned by 2 of your twins"), picks[0].why);
});

Deno.test("trades match across pressings both ways, with the conditions of the copy", () => {
  const records = [
    rec(YOU, "collection", 10, 1000, { mediaCondition: "Very Good Plus (VG+)", format: "LP, RE" }),
    rec(YOU, "wantlist", 20, 2000),
    rec("alice", "collection", 21, 2000, { sleeveCondition: "Near Mint (NM or M-)" }),
    rec("alice", "wantlist", 11, 1000),
    rec("alice", "wantlist", 99, 9900),
  ];
  const trades = tradesOf(records, ["alice"]);
  assertEquals(trades.map((t) => [t.direction, t.wanted_release_id, t.owned_release_id]), [
    ["offer", 11, 10],
    ["ask", 20, 21],
  ]);
  assert(!trades[0].same_pressing);
  assertEquals(trades[0].media_condition, "Very Good Plus (VG+)");
  assert(trades[0].why.includes("another pressing (LP, RE)"), trades[0].why);
  assert(trades[1].why.includes("sleeve Near Mint"), trades[1].why);
});
