import { assertAlmostEquals, assertEquals } from "../../testing/assert.ts";
import { rec, resetIds } from "../testing.ts";
import { artistKinSignal } from "./artist_kin.ts";
import { relationsOf } from "./relations.ts";
import { bareContext } from "./testing.ts";

Deno.test("artist kin: aliases, groups and members of artists you own score; strangers do not", () => {
  resetIds();
  const relations = relationsOf([], [
    { name: "Dillinja", aliases: ["Capone (2)"], groups: ["Trouble On Vinyl Crew"], members: [] },
    { name: "Capone (2)", aliases: ["Dillinja"], groups: [], members: [] },
    { name: "Trouble On Vinyl Crew", aliases: [], groups: [], members: ["Dillinja", "Lemon D"] },
  ]);
  const by = (artist: string) => rec(artist, "L", ["Jungle"], "Electronic", 1995);
  const collection = [by("Dillinja"), by("Dillinja"), by("Lemon D")];
  const pool = [by("Capone"), by("Trouble On Vinyl Crew"), by("Dillinja"), by("Photek")];
  const ctx = bareContext(collection, pool, relations);
  const column = artistKinSignal.column(ctx);
  assertAlmostEquals(column[0], Math.log(3), 1e-12, "an alias of Dillinja (2 owned)");
  assertAlmostEquals(column[1], Math.log(4), 1e-12, "a group with Dillinja (2) and Lemon D (1)");
  assertEquals([column[2], column[3]], [0, 0]);
  assertEquals(
    artistKinSignal.reason!(ctx, 0),
    "Capone is an alias of Dillinja, like 2 records you own",
  );
  assertEquals(
    artistKinSignal.reason!(ctx, 1),
    "Trouble On Vinyl Crew is a group with Dillinja, like 3 records you own",
  );
  assertEquals(artistKinSignal.reason!(ctx, 3), null);
});
