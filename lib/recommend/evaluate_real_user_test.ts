import { assertEquals } from "../testing/assert.ts";
import { countRequests, requestPurpose } from "./evaluate_real_user.ts";

Deno.test("requestPurpose names what a Discogs request was for", () => {
  assertEquals(
    requestPurpose("/users/alice/collection/folders/0/releases?page=2"),
    "collection pages",
  );
  assertEquals(requestPurpose("/users/alice/wants?page=1"), "wantlist pages");
  assertEquals(requestPurpose("/database/search?style=Techno&type=release"), "search");
  assertEquals(requestPurpose("/artists/12/releases?page=1"), "artist listings");
  assertEquals(requestPurpose("/labels/5/releases"), "label listings");
  assertEquals(requestPurpose("/masters/9/versions"), "master versions");
  assertEquals(requestPurpose("/masters/9"), "masters");
  assertEquals(requestPurpose("/releases/249504?curr_abbr=USD"), "release bodies");
  assertEquals(requestPurpose("/oauth/identity"), "other");
});

Deno.test("countRequests counts by purpose", () => {
  const at = (path: string) => ({
    at: 0,
    respondedAt: 0,
    path,
    authorized: true,
    userAgent: null,
    status: 200,
  });
  assertEquals(countRequests([at("/releases/1"), at("/releases/2"), at("/database/search")]), {
    "release bodies": 2,
    search: 1,
  });
});
