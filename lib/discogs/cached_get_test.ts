import { assertEquals } from "../testing/assert.ts";
import { Database } from "../db/mod.ts";
import { ensureCache, getResponses, putResponse } from "./cache.ts";
import { cachedGet } from "./cached_get.ts";
import type { DiscogsClient } from "./client.ts";

Deno.test("cache read ahead: many URLs in one query, and cachedGet answers from it", async () => {
  const db = await Database.open(":memory:");
  try {
    await ensureCache(db);
    const at = new Date();
    for (const url of ["/releases/1", "/releases/2"]) {
      await putResponse(db, {
        url,
        status: 200,
        body: `{"id":"${url}"}`,
        fetchedAt: at,
        source: "api",
      });
    }
    const read = ["/releases/1", "/releases/2", "/releases/3"];
    const stored = await getResponses(db, read);
    assertEquals([...stored.keys()].sort(), ["/releases/1", "/releases/2"]);
    assertEquals(stored.get("/releases/2")!.body, `{"id":"/releases/2"}`);
    assertEquals((await getResponses(db, [])).size, 0);
    const known = { read: new Set(read), stored };
    // Read ahead and found: from it.
    const one = await cachedGet(db, "/releases/1", { offline: true, known });
    assertEquals([one.status, one.fromCache, one.body], [200, true, `{"id":"/releases/1"}`]);
    // Read ahead and absent: not in the cache, so fetched; what is fetched joins the read-ahead.
    let asked = 0;
    const client = {
      get: (path: string) => {
        asked++;
        return Promise.resolve({ status: 200, bodyText: `{"fetched":"${path}"}` });
      },
    } as unknown as DiscogsClient;
    const three = await cachedGet(db, "/releases/3", { offline: false, client, known });
    assertEquals([three.status, three.requested, asked], [200, true, 1]);
    assertEquals(known.stored.get("/releases/3")!.body, `{"fetched":"/releases/3"}`);
    const again = await cachedGet(db, "/releases/3", { offline: false, client, known });
    assertEquals([again.fromCache, asked], [true, 1]);
    // Not read ahead: the cache itself.
    const four = await cachedGet(db, "/releases/2", {
      offline: true,
      known: { read: new Set(), stored: new Map() },
    });
    assertEquals(four.body, `{"id":"/releases/2"}`);
  } finally {
    db.close();
  }
});
