import type { ReleaseFeatures } from "../embed/features.ts";
import { assertEquals } from "../testing/assert.ts";
import { describeCredit, shelfName, shelfNames } from "./explain.ts";

const release = (key: string, extra: Partial<ReleaseFeatures> = {}): ReleaseFeatures => ({
  key,
  artists: [],
  labels: [],
  genres: [],
  styles: [],
  year: null,
  country: null,
  formats: [],
  ...extra,
});

Deno.test("a shelf is named by its styles, else genres, else what a CSV export carries", () => {
  assertEquals(
    shelfName([
      release("1", { styles: ["Dub", "Roots Reggae"], genres: ["Reggae"] }),
      release("2", { styles: ["Dub"], genres: ["Reggae"] }),
    ]),
    "Dub / Roots Reggae",
  );
  assertEquals(shelfName([release("1", { genres: ["Reggae"] })]), "Reggae");
  // No Discogs data yet: the export's labels, then artists, name the shelf.
  assertEquals(
    shelfName([
      release("1", { labels: ["Crass Records"], artists: ["Crass"] }),
      release("2", { labels: ["Crass Records"], artists: ["Flux Of Pink Indians"] }),
    ]),
    "Crass Records (label)",
  );
  assertEquals(
    shelfName([release("1", { artists: ["Le Tigre (2)", "Various"] })]),
    "Le Tigre (artist)",
  );
  assertEquals(shelfName([release("1", { year: 1991 })]), "1990s");
  assertEquals(shelfName([release("1")]), "Unlabelled");
});

Deno.test("shelf names are distinct, so reasons and legends never name two shelves alike", () => {
  const members = [
    release("1", { styles: ["Punk"] }),
    release("2", { styles: ["Punk"] }),
    release("3", { styles: ["Dub"] }),
  ];
  assertEquals(shelfNames(members, [0, 1, 2], 3), ["Punk", "Punk #2", "Dub"]);
  assertEquals(shelfNames(members, [0, 0, 1], 2), ["Punk", "Dub"]);
});

Deno.test("a shared credit reads as who did what, and how many of your records credit them", () => {
  assertEquals(
    describeCredit("Dillinja (2)", "Remix", 7),
    "remixed by Dillinja, like 7 records you own",
  );
  assertEquals(
    describeCredit("Lemon D", "Producer", 1),
    "produced by Lemon D, like 1 record you own",
  );
  assertEquals(
    describeCredit("Matt Colton", "Mastered By", 2),
    "mastered by Matt Colton, like 2 records you own",
  );
  assertEquals(
    describeCredit("Kirk Degiorgio", "Keyboards", 3),
    "with Kirk Degiorgio (keyboards), like 3 records you own",
  );
});
