/**
 * Collection and wantlist rows from recorded API responses (served by a stub `fetch`, no
 * sockets), and the export formatting checked against a real export/API pair: every row of
 * `gustw_collection.csv` against the same releases' API bodies.
 */
import { InputError } from "../errors.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../testing/assert.ts";
import { DiscogsClient, DiscogsError } from "./client.ts";
import { withTempDb as withDb } from "../../tests/helpers.ts";
import {
  artistCredit,
  cachedPages,
  cachingPages,
  collectionPagePath,
  fetchCollection,
  fetchWantlist,
  importCollection,
  releaseInfoOf,
  shortFormat,
  wantsPagePath,
} from "./user_lists.ts";

const API = new URL("../../../shared/fixtures/api/", import.meta.url);
const EXPORTS = new URL("../../../shared/fixtures/exports/", import.meta.url);

/** A client whose `fetch` serves `routes` (path → body or status), recording what it asked. */
function serving(routes: Record<string, unknown>, token?: string) {
  const asked: string[] = [];
  const client = new DiscogsClient({
    baseUrl: "http://127.0.0.1:9",
    token,
    sleep: () => Promise.resolve(),
    fetch: ((input: string | URL | Request) => {
      const url = new URL(String(input));
      asked.push(url.pathname + url.search);
      const route = routes[url.pathname];
      if (typeof route === "number") {
        return Promise.resolve(Response.json({ message: "nope" }, { status: route }));
      }
      if (route === undefined) {
        return Promise.resolve(Response.json({ message: "Not found." }, { status: 404 }));
      }
      return Promise.resolve(Response.json(route));
    }) as typeof fetch,
  });
  return { client, asked };
}

async function sample(path: string): Promise<unknown> {
  return JSON.parse(await Deno.readTextFile(new URL(`endpoint_samples/${path}`, API)));
}

Deno.test("the recorded 'example' collection becomes ingest-shaped collection rows", async () => {
  const { client, asked } = serving({
    "/users/example/collection/folders/0/releases": await sample(
      "users/example/collection/folders/0/releases_page-1__per_page-50.json",
    ),
  });
  const rows = await fetchCollection(client, "example");
  assertEquals(asked, ["/users/example/collection/folders/0/releases?page=1&per_page=100"]);
  assertEquals(rows.length, 3);
  assertEquals(rows[0], {
    instance_key: "instance:101",
    instance_id: 101,
    release_id: 6794957,
    artist: "Kruder & Dorfmeister",
    artist_display: "Kruder & Dorfmeister",
    title: "The K&D Sessions™",
    label: "!K7 Records",
    catalog_number: "!K7073LP",
    format: "5xLP, Comp, RE, RM, Tri",
    released_year: 2015,
    folder: "1",
    date_added: new Date("2015-04-14T10:23:29Z"),
    media_condition: null,
    sleeve_condition: null,
    notes: null,
    rating: null,
    custom_fields: {},
    source_file: "discogs:example",
    source_line: null,
  });
  assertEquals(rows[2].artist, "Orion (2) Featuring Royal (4) / Theory (3) & Dr. Know (4)");
  assertEquals(rows[2].artist_display, "Orion Featuring Royal / Theory & Dr. Know");
  assertEquals(rows[2].format, '12"');
  assertEquals(rows[1].artist, "Suburbass / MRMNK");
});

Deno.test("the recorded 'example' wantlist becomes wantlist rows", async () => {
  const { client } = serving({
    "/users/example/wants": await sample("users/example/wants_per_page-50__page-1.json"),
  });
  const rows = await fetchWantlist(client, "example");
  assertEquals(rows.map((r) => [r.release_id, r.rating, r.notes, r.format]), [
    [1867708, 4, "Sample public notes.", "CD, Album, Dig"],
    [1675174, 3, null, "CDr, Album"],
    [1, null, null, '2x12"'],
  ]);
  assertEquals(rows[2].artist, "Persuader, The");
  assertEquals(rows[0].source_file, "discogs:example");
  assertEquals(rows[0].date_added, null, "the sample has no dates");
});

Deno.test("one release in seven folders is seven copies, each its own instance", async () => {
  const recording = JSON.parse(
    await Deno.readTextFile(
      new URL(
        "recordings_with_headers/Collection.CollectionFolderReleasesTests.GetCollectionFolderReleases_ShouldReturnSortedReleases_WhenSortParametersAreValid.json",
        API,
      ),
    ),
  );
  const { client } = serving({
    "/users/DamIDhagor/collection/folders/0/releases": JSON.parse(recording[0].responseBody),
  });
  const rows = await fetchCollection(client, "DamIDhagor");
  assertEquals(rows.length, 7);
  assertEquals(new Set(rows.map((r) => r.release_id)), new Set([5134861]));
  assertEquals(new Set(rows.map((r) => r.instance_key)).size, 7);
  assertEquals(new Set(rows.map((r) => r.folder)).size, 7);
  assertEquals(rows[0].format, "CD, Album, Promo");
  assertEquals(rows[0].date_added, new Date("2026-05-25T11:16:33Z"));
});

Deno.test("conditions and notes come from fields 1-3; other fields are custom, by name when Discogs names them", async () => {
  const item = (notes: unknown[]) => ({
    pagination: { page: 1, pages: 1 },
    releases: [{
      id: 10,
      instance_id: 77,
      folder_id: 1,
      rating: 5,
      date_added: "2020-01-02T03:04:05-08:00",
      notes,
      basic_information: { id: 10, title: "T", year: 0, artists: [{ name: "A (12)", join: "" }] },
    }],
  });
  const notes = [
    { field_id: 1, value: "Mint (M)" },
    { field_id: 2, value: "Generic" },
    { field_id: 3, value: "from the flea market" },
    { field_id: 4, value: "€12" },
    { field_id: 9, value: "shelf B" },
  ];
  const named = serving({
    "/users/u/collection/folders/0/releases": item(notes),
    "/users/u/collection/fields": { fields: [{ id: 4, name: "Purchased At" }] },
  });
  const [row] = await fetchCollection(named.client, "u");
  assertEquals(
    [row.media_condition, row.sleeve_condition, row.notes, row.rating, row.released_year],
    ["Mint (M)", "Generic", "from the flea market", 5, null],
  );
  assertEquals(row.custom_fields, { "Purchased At": "€12", field_9: "shelf B" });
  assertEquals(row.artist_display, "A");
  assertEquals(named.asked.filter((p) => p.endsWith("/fields")).length, 1, "asked once");

  const plain = serving({ "/users/u/collection/folders/0/releases": item(notes.slice(0, 2)) });
  await fetchCollection(plain.client, "u");
  assert(!plain.asked.some((p) => p.endsWith("/fields")), "no custom fields: no extra request");

  const unnamed = serving({
    "/users/u/collection/folders/0/releases": item(notes),
    "/users/u/collection/fields": 403,
  });
  const [fallback] = await fetchCollection(unnamed.client, "u");
  assertEquals(fallback.custom_fields, { field_4: "€12", field_9: "shelf B" });
});

Deno.test("a private collection or an unknown user get messages that say what to do", async () => {
  const { client } = serving({
    "/users/hidden/collection/folders/0/releases": 401,
    "/users/hidden/wants": 403,
  });
  const collection = await assertRejects(() => fetchCollection(client, "hidden"), DiscogsError);
  assertEquals(collection.kind, "private");
  assertEquals(
    collection.message,
    "the collection of hidden is private; set DISCOGS_TOKEN of its owner",
  );
  const wants = await assertRejects(() => fetchWantlist(client, "hidden"), DiscogsError);
  assertEquals(wants.message, "the wantlist of hidden is private; set DISCOGS_TOKEN of its owner");
  const nobody = await assertRejects(() => fetchCollection(client, "nobody"), DiscogsError);
  assertEquals(nobody.kind, "not_found");
  assertEquals(
    nobody.message,
    'no Discogs user "nobody" (or the list is gone): check the username',
  );
});

/** A minimal RFC 4180 reader (quoted fields, doubled quotes, commas and newlines inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") (row.push(field), field = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field), rows.push(row), row = [], field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

Deno.test("artist, label, catalog# and format are written exactly as Discogs' own export writes them", async () => {
  const bodies = new Map<number, Record<string, unknown>>();
  for (
    const line of (await Deno.readTextFile(new URL("releases/gustw_releases.jsonl", API))).split(
      "\n",
    )
  ) {
    if (line.trim()) bodies.set(JSON.parse(line).id, JSON.parse(line));
  }
  const [header, ...rows] = parseCsv(
    await Deno.readTextFile(new URL("gustw_collection.csv", EXPORTS)),
  );
  const col = (name: string) => header.indexOf(name);
  let compared = 0;
  const differences: string[] = [];
  for (const row of rows) {
    const body = bodies.get(Number(row[col("release_id")]))!;
    const items = [{
      id: body.id,
      instance_id: compared,
      basic_information: body,
    }];
    const { client } = serving({
      "/users/g/collection/folders/0/releases": { pagination: { pages: 1 }, releases: items },
    });
    const [mapped] = await fetchCollection(client, "g");
    const pairs: [string, string | null][] = [
      ["Artist", mapped.artist],
      ["Label", mapped.label],
      ["Catalog#", mapped.catalog_number],
      ["Format", mapped.format],
    ];
    for (const [name, value] of pairs) {
      if ((row[col(name)] ?? "").trim() !== (value ?? "")) {
        differences.push(`${row[col("release_id")]} ${name}: ${row[col(name)]} ≠ ${value}`);
      }
    }
    compared++;
  }
  assertEquals(compared, 316);
  assertEquals(differences, []);
});

Deno.test("credits and formats in the awkward cases", () => {
  assertEquals(artistCredit([]), { artist: null, display: null });
  assertEquals(
    artistCredit([{ name: "A (2)", join: "," }, { name: "B", join: "vs." }, {
      name: "C (10)",
      join: "",
    }]),
    { artist: "A (2), B vs. C (10)", display: "A, B vs. C" },
  );
  assertEquals(shortFormat([]), null);
  assertEquals(
    shortFormat([
      { name: "Vinyl", qty: "2", descriptions: ["LP", "Album", "Repress"] },
      { name: "CD", qty: "1", descriptions: ["Album", "Repress"] },
      { name: "All Media", qty: "1", descriptions: ["Reissue"], text: "Gatefold" },
    ]),
    "2xLP, Album, RP + CD, Album, RP + RE, Gat",
  );
  assertEquals(
    shortFormat([{
      name: "Vinyl",
      qty: "1",
      descriptions: ['12"', "White Label", "Promo", "45 RPM"],
    }]),
    '12", Promo, W/Lbl',
  );
  assertEquals(
    shortFormat([{ name: "Cassette", qty: "1", descriptions: ["Album"] }]),
    "Cass, Album",
  );
});

Deno.test("basic_information becomes a release_info row: ids of artists and labels, styles, master", async () => {
  const page = await sample("users/example/collection/folders/0/releases_page-1__per_page-50.json");
  const item = (page as { releases: unknown[] }).releases[0];
  const at = new Date("2026-01-02T03:04:05Z");
  const info = releaseInfoOf(item, "discogs:example:collection", at)!;
  assertEquals(info.release_id, 6794957);
  assertEquals(info.master_id, 52323);
  assertEquals(info.artist_credits, [{ id: 1434, name: "Kruder & Dorfmeister" }]);
  assertEquals(info.label_credits, [{ id: 29377, name: "!K7 Records", catno: "!K7073LP" }]);
  assertEquals([info.labels, info.catalog_numbers], [["!K7 Records"], ["!K7073LP"]]);
  assertEquals([info.genres, info.styles], [["Electronic"], ["Downtempo", "Dub", "Trip Hop"]]);
  assertEquals(info.year, 2015);
  assertEquals(info.formats, [
    "5×Vinyl, LP, Compilation, Reissue, Remastered, Trifold Cover, 180 g",
  ]);
  assert(info.thumbnail_url?.includes("150x150"));
  assert(info.cover_url?.includes("600x600"));
  assertEquals([info.source, info.fetched_at], ["discogs:example:collection", at]);
  assertEquals(releaseInfoOf({ id: 1 }, "x", at), null, "no basic_information");
  assertEquals(releaseInfoOf({ basic_information: { title: "no id" } }, "x", at), null);
});

Deno.test("importCollection returns each release's info once, however many copies", async () => {
  const recording = JSON.parse(
    await Deno.readTextFile(
      new URL(
        "recordings_with_headers/Collection.CollectionFolderReleasesTests.GetCollectionFolderReleases_ShouldReturnSortedReleases_WhenSortParametersAreValid.json",
        API,
      ),
    ),
  );
  const { client } = serving({
    "/users/DamIDhagor/collection/folders/0/releases": JSON.parse(recording[0].responseBody),
  });
  const { rows, releases } = await importCollection(client, "DamIDhagor");
  assertEquals([rows.length, releases.map((r) => r.release_id)], [7, [5134861]]);
});

Deno.test("online pages are cached under their path (no token); offline replays them without a request", () =>
  withDb(async (db) => {
    const routes = {
      "/users/example/collection/folders/0/releases": await sample(
        "users/example/collection/folders/0/releases_page-1__per_page-50.json",
      ),
      "/users/example/wants": await sample("users/example/wants_per_page-50__page-1.json"),
    };
    const { client, asked } = serving(routes, "list-token-5e2a");
    const online = await fetchCollection(cachingPages(db, client), "example");
    const wantedOnline = await fetchWantlist(cachingPages(db, client), "example");
    assertEquals(asked, [collectionPagePath("example", 1), wantsPagePath("example", 1)]);
    const cached = await db.all<{ url: string; body: string; source: string }>(
      "SELECT url, body, source FROM http_cache ORDER BY url",
    );
    assertEquals(cached.map((c) => [c.url, c.source]), [
      [collectionPagePath("example", 1), "api"],
      [wantsPagePath("example", 1), "api"],
    ]);
    assert(cached.every((c) => !c.body.includes("list-token-5e2a")));
    assertEquals(await fetchCollection(cachedPages(db), "example"), online);
    assertEquals(await fetchWantlist(cachedPages(db), "example"), wantedOnline);
    assertEquals(asked.length, 2, "offline asked nothing");
  }));

Deno.test("offline without cached pages: an input error naming the list and the online command", () =>
  withDb(async (db) => {
    const error = await assertRejects(
      () => fetchCollection(cachedPages(db, "deno task ingest --db w.duckdb"), "someone"),
      InputError,
    );
    assertStringIncludes(error.message, `no collection of "someone" cached`);
    assertStringIncludes(
      error.message,
      "run `deno task ingest --db w.duckdb --username someone` once without --offline",
    );
    const wants = await assertRejects(() => fetchWantlist(cachedPages(db), "someone"), InputError);
    assertStringIncludes(wants.message, "`deno task ingest --wantlist-of someone`");
  }));

Deno.test("offline with a page missing part-way says the cached list is incomplete", () =>
  withDb(async (db) => {
    const first = {
      pagination: { page: 1, pages: 2, per_page: 100, items: 101 },
      releases: [{ id: 7, instance_id: 1, basic_information: { id: 7, title: "Seven" } }],
    };
    const { client } = serving({});
    await cachingPages(db, {
      get: (path) =>
        path === collectionPagePath("half", 1)
          ? Promise.resolve({ json: first, bodyText: JSON.stringify(first) })
          : client.get(path),
    }).get(collectionPagePath("half", 1));
    const error = await assertRejects(() => fetchCollection(cachedPages(db), "half"), InputError);
    assertStringIncludes(error.message, "only part of half's collection (page 2 is missing)");
  }));
