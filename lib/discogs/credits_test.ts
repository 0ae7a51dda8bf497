import { assertEquals } from "../testing/assert.ts";
import { creditsOfBody, splitRoles } from "./credits.ts";

Deno.test("roles split on commas outside brackets, without their detail", () => {
  assertEquals(splitRoles("Written-By, Producer"), ["Written-By", "Producer"]);
  assertEquals(splitRoles("Engineer [Assistant, Mix]"), ["Engineer"]);
  assertEquals(splitRoles(""), []);
});

Deno.test("credits: release and track extraartists, each person and role once, quirks read", () => {
  const body = {
    id: 1,
    extraartists: [
      { id: 7, name: "Dillinja (2)", role: "Remix" },
      { id: 8, name: "Bernie Grundman", role: "Mastered By" },
    ],
    tracklist: [
      { position: "A", extraartists: [{ id: "7", name: "Dillinja (2)", role: "Remix, Producer" }] },
      // An R re-serialisation: one-element lists as scalars, nulls as {}.
      { position: "B", extraartists: { id: 9, name: "Lemon D", role: "Written-By" } },
      { position: "C", extraartists: {} },
    ],
  };
  assertEquals(creditsOfBody(body), [
    { id: 7, name: "Dillinja", role: "Remix" },
    { id: 8, name: "Bernie Grundman", role: "Mastered By" },
    { id: 7, name: "Dillinja", role: "Producer" },
    { id: 9, name: "Lemon D", role: "Written-By" },
  ]);
  assertEquals(creditsOfBody({ id: 2 }), []);
  assertEquals(creditsOfBody(null), []);
});
