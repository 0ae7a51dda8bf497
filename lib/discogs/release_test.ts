import { assert, assertEquals } from "../testing/assert.ts";
import { asCount, asList, asNumber, normalizeRelease, type Release } from "./release.ts";

const AT = new Date("2026-11-25T00:00:00Z");

function ok(body: unknown): Release {
  const result = normalizeRelease(body, "USD", AT);
  if ("reject" in result) throw new Error(`rejected: ${result.reject}`);
  return result.release;
}

Deno.test("a well-formed body maps to every release column", () => {
  const r = ok({
    id: 1005321,
    master_id: 0,
    title: "I'm A Versionist",
    year: 2007,
    country: "Venezuela",
    artists: [{ name: "DJ Dubb (2)", join: "&" }, { name: "Iztical", join: "" }],
    labels: [{ name: "Junglista Records", catno: "JUNGLISTA002" }, {
      name: "Junglista Records",
      catno: "none",
    }],
    formats: [{ name: "Vinyl", qty: "2", descriptions: ['12"', "33 ⅓ RPM"], text: "Red" }],
    genres: ["Electronic"],
    styles: ["Drum n Bass", "Drum n Bass"],
    community: { have: 91, want: 19, rating: { count: 16, average: 4.31 } },
    lowest_price: 5.32,
    num_for_sale: 5,
    uri: "https://www.discogs.com/release/1005321-x",
    images: [{ type: "secondary", uri: "s", uri150: "s150" }, {
      type: "primary",
      uri: "p",
      uri150: "p150",
    }],
  });
  assertEquals(r.releaseId, 1005321);
  assertEquals(r.masterId, null, "master_id 0 means none");
  assertEquals(r.artists, ["DJ Dubb", "Iztical"]);
  assertEquals(r.artist, "DJ Dubb & Iztical");
  assertEquals(r.labels, ["Junglista Records"]);
  assertEquals(r.catalogNumbers, ["JUNGLISTA002"]);
  assertEquals(r.formats, ['2×Vinyl, 12", 33 ⅓ RPM, Red']);
  assertEquals(r.styles, ["Drum n Bass"]);
  assertEquals([r.have, r.want, r.ratingCount, r.ratingAverage], [91, 19, 16, 4.31]);
  assertEquals([r.lowestPrice, r.numForSale, r.currency], [5.32, 5, "USD"]);
  assertEquals([r.thumbnailUrl, r.coverUrl], ["p150", "p"]);
  assertEquals(r.discogsUrl, "https://www.discogs.com/release/1005321-x");
});

Deno.test("R re-serialisation quirks are normalised", () => {
  const r = ok({
    id: 1023342,
    genres: "Rock",
    styles: "Indie Rock",
    lowest_price: {},
    num_for_sale: 0,
    formats: [{ name: "Vinyl", qty: "1", descriptions: "LP" }],
    community: { have: 148, want: 316, rating: {} },
    thumb: "t.jpg",
  });
  assertEquals(r.genres, ["Rock"]);
  assertEquals(r.styles, ["Indie Rock"]);
  assertEquals(r.lowestPrice, null, "{} is R's null");
  assertEquals(r.formats, ["Vinyl, LP"]);
  assertEquals(r.masterId, null, "absent master_id");
  assertEquals(r.ratingAverage, null);
  assertEquals(r.thumbnailUrl, "t.jpg");
  assertEquals(r.discogsUrl, "https://www.discogs.com/release/1023342");
});

Deno.test("hostile values never crash and never become fake numbers", () => {
  const r = ok({
    id: "77",
    year: "0",
    title: ["Only Title"],
    genres: [null, "Jazz", ""],
    community: { have: -3, want: "12", rating: { average: "NaN", count: 2.5 } },
    lowest_price: "-1",
    num_for_sale: "lots",
    artists: "Solo Artist (4)",
    labels: [null, 5],
  });
  assertEquals(r.releaseId, 77);
  assertEquals(r.year, null);
  assertEquals(r.title, "Only Title");
  assertEquals(r.genres, ["Jazz"]);
  assertEquals([r.have, r.want, r.ratingAverage, r.ratingCount], [null, 12, null, null]);
  assertEquals([r.lowestPrice, r.numForSale], [null, null]);
  assertEquals(r.artists, ["Solo Artist"]);
  assertEquals(r.labels, []);
});

Deno.test("bodies without a usable release id are rejected with a reason", () => {
  const reject = (body: unknown) => {
    const result = normalizeRelease(body, "USD", AT);
    assert("reject" in result, `expected a reject for ${JSON.stringify(body)}`);
    return result.reject;
  };
  assertEquals(reject([1, 2]), "not a JSON object");
  assertEquals(reject(null), "not a JSON object");
  assertEquals(reject({ title: "x" }), 'no "id" field');
  assertEquals(reject({ id: "abc" }), '"id" "abc" is not a release id');
  assertEquals(reject({ id: -4 }), '"id" -4 is not a release id');
  assertEquals(reject({ id: 0 }), '"id" 0 is not a release id');
});

Deno.test("value readers", () => {
  assertEquals(asList({}), []);
  assertEquals(asList("a"), ["a"]);
  assertEquals(asNumber([3]), 3);
  assertEquals(asNumber("4.5"), 4.5);
  assertEquals(asNumber(""), null);
  assertEquals(asCount(3.5), null);
});
