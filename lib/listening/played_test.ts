import { assert, assertEquals } from "../testing/assert.ts";
import { fitTaste, tokenLift } from "../recommend/taste.ts";
import type { ReleaseFeatures } from "../embed/features.ts";
import { type ListeningDoc, withListening } from "./played.ts";

const doc = (key: string, styles: string[], artist: string): ReleaseFeatures => ({
  key,
  artists: [artist],
  labels: [],
  genres: ["Electronic"],
  styles,
  year: null,
  country: null,
  formats: [],
});

Deno.test("--listening-weight moves taste toward what is played; 0 leaves it alone", () => {
  const collection = [doc("a", ["Dub"], "King Tubby"), doc("b", ["Dub"], "Scientist")];
  const catalogue = [
    ...collection,
    doc("c", ["Trip Hop"], "Massive Attack"),
    doc("d", ["Trip Hop"], "Portishead"),
    doc("e", ["Techno"], "Basic Channel"),
  ];
  const taste = fitTaste(collection, catalogue);
  const plays: ListeningDoc[] = [{ features: doc("p", ["Trip Hop"], "Massive Attack"), weight: 9 }];
  assertEquals(withListening(taste, plays, 0), taste);
  const mixed = withListening(taste, plays, 1);
  const before = tokenLift(taste, "style:trip hop");
  const after = tokenLift(mixed, "style:trip hop");
  assert(after > before, `${before} → ${after}`);
  assert(tokenLift(mixed, "style:dub") < tokenLift(taste, "style:dub"), "owned taste shares");
  assert(tokenLift(mixed, "style:dub") > 0, "what you own still counts");
});
