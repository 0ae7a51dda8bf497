/**
 * The fake Discogs' synthetic catalogue, through real HTTP on 127.0.0.1: search (token, every
 * filter, per_page cap, pagination object and Link header, the 10,000-result limit), artist and
 * label listings with community stats, masters and versions, catalogue release bodies, users
 * made of catalogue release ids, the limits and faults on the new routes, the process flag
 * `--user`, and that the catalogue is the same every time it is built.
 */
import { DiscogsClient } from "../../lib/discogs/client.ts";
import { fetchCollection, fetchWantlist } from "../../lib/discogs/user_lists.ts";
import { assert, assertEquals, assertStringIncludes } from "../../lib/testing/assert.ts";
import { REPO_ROOT } from "../helpers.ts";
import {
  ARTIST_ID_BASE,
  buildCatalogue,
  type Catalogue,
  DEFAULT_ELECTRONIC_SAMPLE,
  ELECTRONIC_ID_BASE,
  loadCatalogue,
  pickHidden,
  SEARCH_RESULT_LIMIT,
  searchCatalogue,
} from "./catalogue.ts";
import {
  type FakeDiscogs,
  type FakeOptions,
  MUST_AUTHENTICATE,
  PAGE_NOT_FOUND,
  startFakeDiscogs,
  TOO_MANY_REQUESTS,
} from "./server.ts";

const TOKEN = "catalogue-test-token";
/** No request of these tests may take longer than this. */
const DEADLINE_MS = 15_000;

type Json = Record<string, unknown>;
interface Page {
  pagination: {
    page: number;
    pages: number;
    per_page: number;
    items: number;
    urls: Record<string, string>;
  };
  [key: string]: unknown;
}

async function withFake(
  options: FakeOptions,
  body: (
    fake: FakeDiscogs,
    get: (path: string, token?: string | null) => Promise<{
      status: number;
      json: Json;
      headers: Headers;
    }>,
  ) => Promise<void>,
) {
  const fake = await startFakeDiscogs({ windowMs: 1000, authenticatedLimit: 10_000, ...options });
  const get = async (path: string, token: string | null = TOKEN) => {
    const headers: Record<string, string> = { "user-agent": "CatalogueTest/1.0" };
    if (token !== null) headers.authorization = `Discogs token=${token}`;
    const response = await fetch(path.startsWith("http") ? path : fake.url + path, {
      headers,
      signal: AbortSignal.timeout(DEADLINE_MS),
    });
    return { status: response.status, json: await response.json(), headers: response.headers };
  };
  try {
    await body(fake, get);
  } finally {
    await fake.close();
  }
}

const results = (json: Json) => json.results as Json[];

Deno.test("search needs a token, like Discogs", async () => {
  await withFake({}, async (fake, get) => {
    const anonymous = await get("/database/search?q=dub", null);
    assertEquals([anonymous.status, anonymous.json], [401, MUST_AUTHENTICATE]);
    assertEquals(fake.requests.at(-1)!.status, 401, "logged");
    assertEquals((await get("/database/search?q=dub")).status, 200);
  });
});

Deno.test("every search filter narrows the results to matching items", async () => {
  const catalogue = await loadCatalogue();
  await withFake({}, async (_fake, get) => {
    const all = async (query: string) => {
      const first = await get(`/database/search?${query}&per_page=100`);
      assertEquals(first.status, 200, query);
      const page = first.json as unknown as Page;
      assertEquals(
        page.pagination.items,
        searchCatalogue(catalogue, new URLSearchParams(query)).length,
        `${query}: the server and searchCatalogue agree`,
      );
      assert(page.pagination.items > 0, `${query} finds something`);
      return results(first.json);
    };
    for (const type of ["release", "master", "artist", "label"]) {
      const items = await all(`type=${type}&q=dub`);
      assert(items.every((i) => i.type === type), `type=${type}`);
    }
    const upper = await all("q=DUB%20SYNDICATE");
    assertEquals(upper, await all("q=dub%20syndicate"), "q ignores case");
    assert(
      upper.every((i) => /dub/i.test(JSON.stringify(i)) && /syndicate/i.test(JSON.stringify(i))),
    );
    const byTitle = await all("type=release&title=versionist");
    assert(byTitle.every((i) => /versionist/i.test(String(i.title))));
    assert(byTitle.some((i) => i.id === 1005321), "a gustw release is found by its title");
    const byArtist = await all("type=release&artist=miles%20davis");
    assert(byArtist.every((i) => String(i.title).startsWith("Miles Davis - ")));
    const byLabel = await all("type=release&label=parlophone");
    assert(
      byLabel.every((i) => (i.label as string[]).some((l) => /parlophone/i.test(l))),
      "label",
    );
    for (
      const [filter, field, value] of [
        ["genre", "genre", "Jazz"],
        ["style", "style", "Drum n Bass"],
        ["format", "format", "CD"],
      ] as const
    ) {
      const items = await all(`type=release&${filter}=${encodeURIComponent(value.toLowerCase())}`);
      assert(items.every((i) => (i[field] as string[]).includes(value)), `${filter}=${value}`);
    }
    const year = await all("type=release&year=1994");
    assert(year.every((i) => i.year === "1994"));
    const country = await all("type=release&country=germany");
    assert(country.every((i) => i.country === "Germany"));
    const combined = await all("type=release&style=House&year=1995&country=UK&format=Vinyl");
    assert(
      combined.every((i) =>
        (i.style as string[]).includes("House") && i.year === "1995" && i.country === "UK" &&
        (i.format as string[]).includes("Vinyl")
      ),
    );
    assertEquals((await get("/database/search?style=No%20Such%20Style")).json.results, []);
    // A release item carries what a real search result does.
    const item = byTitle.find((i) => i.id === 1005321)!;
    for (
      const key of [
        "id",
        "type",
        "title",
        "year",
        "country",
        "format",
        "label",
        "genre",
        "style",
        "catno",
        "barcode",
        "master_id",
        "master_url",
        "resource_url",
        "uri",
        "thumb",
        "cover_image",
        "community",
        "format_quantity",
        "formats",
      ]
    ) assert(key in item, `search result has ${key}`);
    assertEquals(item.title, "DJ Dubb - I'm A Versionist / Cenizas De Babylon");
    assertEquals(item.community, { want: 19, have: 91 });
    assertEquals(item.year, "2007");
  });
});

Deno.test("per_page is capped at 100 and defaults to 50; pagination and Link stay on the fake", async () => {
  await withFake({}, async (fake, get) => {
    const capped = await get("/database/search?style=House&per_page=500");
    assertEquals((capped.json as unknown as Page).pagination.per_page, 100);
    assertEquals(results(capped.json).length, 100);
    const plain = await get("/database/search?style=House");
    assertEquals((plain.json as unknown as Page).pagination.per_page, 50);
    assertEquals(results(plain.json).length, 50);

    const second = await get("/database/search?style=Dub&type=release&per_page=20&page=2");
    const p = (second.json as unknown as Page).pagination;
    assertEquals([p.page, p.per_page], [2, 20]);
    assertEquals(p.pages, Math.ceil(p.items / 20));
    assert(p.pages >= 5, `style=Dub has many pages (${p.pages})`);
    const url = (n: number) =>
      `${fake.url}/database/search?page=${n}&per_page=20&style=Dub&type=release`;
    assertEquals(p.urls, { first: url(1), prev: url(1), next: url(3), last: url(p.pages) });
    assertEquals(
      second.headers.get("link"),
      `<${url(1)}>; rel="first", <${url(1)}>; rel="prev", <${url(3)}>; rel="next", <${
        url(p.pages)
      }>; rel="last"`,
    );
    const third = await get(p.urls.next);
    assertEquals((third.json as unknown as Page).pagination.page, 3);
    const seen = new Set([...results(second.json), ...results(third.json)].map((i) => i.id));
    assertEquals(seen.size, 40, "pages do not overlap");
    const last = await get(p.urls.last);
    assertEquals(Object.keys((last.json as unknown as Page).pagination.urls), ["first", "prev"]);
    assert(!last.headers.get("link")!.includes('rel="next"'));
  });
});

Deno.test("only the first 10,000 results of a query can be reached", async () => {
  await withFake({}, async (_fake, get) => {
    const first = await get("/database/search?type=release&per_page=100");
    const total = (first.json as unknown as Page).pagination.items;
    assert(total > SEARCH_RESULT_LIMIT, `${total} releases: more than the limit`);
    const lastReachable = await get("/database/search?type=release&per_page=100&page=100");
    assertEquals(lastReachable.status, 200);
    assertEquals(results(lastReachable.json).length, 100);
    const beyond = await get("/database/search?type=release&per_page=100&page=101");
    assertEquals([beyond.status, beyond.json], [404, PAGE_NOT_FOUND]);
    assertEquals((await get("/database/search?type=release&page=200")).status, 200);
    assertEquals((await get("/database/search?type=release&page=201")).status, 404);
    // 10,000 is not a multiple of 30: the page holding result 10,000 stops there.
    const partial = await get("/database/search?type=release&per_page=30&page=334");
    assertEquals(results(partial.json).length, SEARCH_RESULT_LIMIT - 333 * 30);
  });
});

/** An artist of the catalogue with both a master and a release without one. */
function mixedArtist(catalogue: Catalogue): number {
  for (const artist of catalogue.artists.values()) {
    const releases = catalogue.releasesOf(artist.id);
    if (
      releases.length >= 4 && releases.some((r) => r.masterId === null) &&
      releases.some((r) => r.masterId !== null && catalogue.versionsOf(r.masterId).length > 1)
    ) return artist.id;
  }
  throw new Error("no artist with masters and lone releases");
}

Deno.test("artist and label listings cover the catalogue, paged, with stats.community", async () => {
  const catalogue = await loadCatalogue();
  await withFake({}, async (_fake, get) => {
    const artistId = mixedArtist(catalogue);
    const releases = catalogue.releasesOf(artistId);
    const items: Json[] = [];
    for (let n = 1;; n++) {
      const page = await get(`/artists/${artistId}/releases?per_page=2&page=${n}`);
      assertEquals(page.status, 200);
      items.push(...(page.json.releases as Json[]));
      if (n >= (page.json as unknown as Page).pagination.pages) break;
    }
    const masters = new Set(releases.map((r) => r.masterId).filter((m) => m !== null));
    const lone = releases.filter((r) => r.masterId === null);
    assertEquals(items.length, masters.size + lone.length, "one item per master or lone release");
    for (const item of items) {
      assertEquals(item.role, "Main");
      for (const key of ["id", "type", "title", "year", "thumb", "resource_url", "stats"]) {
        assert(key in item, `artist listing item has ${key}`);
      }
      const community = (item.stats as { community: Json }).community;
      if (item.type === "master") {
        const versions = catalogue.versionsOf(item.id as number);
        assertEquals(item.main_release, versions[0].id);
        assertEquals(community.in_collection, versions.reduce((s, v) => s + v.have, 0));
      } else {
        assertEquals(item.type, "release");
        const r = catalogue.release(item.id as number)!;
        assertEquals(community, { in_wantlist: r.want, in_collection: r.have });
        assertEquals(item.label, r.labels.map((l) => l.name).join(", "));
        assert(typeof item.format === "string");
      }
    }
    const years = items.map((i) => Number(i.year) || 9999);
    assertEquals(years, [...years].sort((a, b) => a - b), "sorted by year like Discogs' default");

    // A gustw label: its real id lists the recorded release and every other on it.
    const labelId = catalogue.release(1005321)!.labels[0].id;
    assertEquals(labelId, 89600);
    const label = await get(`/labels/${labelId}/releases?per_page=100`);
    const listed = label.json.releases as Json[];
    assertEquals(
      listed.map((i) => i.id).sort(),
      catalogue.releasesOnLabel(labelId).map((r) => r.id).sort(),
    );
    const first = listed.find((i) => i.id === 1005321)!;
    assertEquals(first, {
      status: "Accepted",
      thumb: catalogue.release(1005321)!.thumb,
      format: '12"',
      title: "I'm A Versionist / Cenizas De Babylon",
      catno: "JUNGLISTA002",
      year: 2007,
      resource_url: first.resource_url,
      artist: "DJ Dubb",
      id: 1005321,
      stats: {
        community: { in_wantlist: 19, in_collection: 91 },
        user: { in_wantlist: 0, in_collection: 0 },
      },
    });
    assertEquals((await get(`/artists/${ARTIST_ID_BASE - 1}/releases`)).status, 404);
    // The recorded listings are still served as recorded.
    const recorded = await get("/artists/1/releases?per_page=100");
    assertEquals((recorded.json as unknown as Page).pagination.items, 57);
  });
});

Deno.test("masters and their versions agree with the catalogue", async () => {
  const catalogue = await loadCatalogue();
  const master = [...catalogue.masters.values()].find((m) => m.versions.length >= 3)!;
  await withFake({}, async (fake, get) => {
    const body = await get(`/masters/${master.id}`);
    assertEquals(body.status, 200);
    assertEquals(body.json.main_release, master.mainRelease);
    assertEquals(body.json.title, master.title);
    assertEquals(body.json.versions_url, `${fake.url}/masters/${master.id}/versions`);
    assertEquals(
      (body.json.artists as Json[]).map((a) => a.id),
      master.artists.map((a) => a.id),
    );
    const versions = await get(`/masters/${master.id}/versions?per_page=100`);
    const listed = versions.json.versions as Json[];
    assertEquals(listed.map((v) => v.id), master.versions);
    for (const v of listed) {
      const r = catalogue.release(v.id as number)!;
      assertEquals(r.masterId, master.id);
      assertEquals((v.stats as { community: Json }).community, {
        in_wantlist: r.want,
        in_collection: r.have,
      });
      const release = await get(`/releases/${v.id}`);
      assertEquals(release.json.master_id, master.id);
    }
    // A real gustw master: its recorded release is a version.
    const gustwMaster = catalogue.release(
      catalogue.gustwIds.find((id) => catalogue.release(id)!.masterId !== null)!,
    )!;
    const real = await get(`/masters/${gustwMaster.masterId}/versions`);
    assert((real.json.versions as Json[]).some((v) => v.id === gustwMaster.id));
    assertEquals((await get("/masters/4242")).json.main_release, 79, "recorded master kept");
    assertEquals((await get("/masters/999999999")).status, 404);
  });
});

Deno.test("every catalogue release has a body consistent with search; gustw bodies are as recorded", async () => {
  const catalogue = await loadCatalogue();
  const recorded = (await Deno.readTextFile(
    new URL("../../../shared/fixtures/api/releases/gustw_releases.jsonl", import.meta.url),
  )).split("\n").filter((l) => l.trim() !== "");
  assertEquals(catalogue.gustwIds.length, 315);
  await withFake({}, async (_fake, get) => {
    for (const line of recorded.slice(0, 5)) {
      const id = JSON.parse(line).id;
      const response = await fetch(`${_fake.url}/releases/${id}`, {
        headers: { "user-agent": "CatalogueTest/1.0" },
        signal: AbortSignal.timeout(DEADLINE_MS),
      });
      assertEquals(await response.text(), line, `release ${id} byte for byte`);
    }
    const marketplace = [...catalogue.releases.values()].find((r) =>
      r.source === "marketplace" && r.masterId !== null && r.lowestPrice !== null
    )!;
    const electronic = [...catalogue.releases.values()].find((r) => r.source === "electronic")!;
    assert(electronic.id > ELECTRONIC_ID_BASE);
    for (const r of [marketplace, electronic]) {
      const { status, json } = await get(`/releases/${r.id}`);
      assertEquals(status, 200);
      assertEquals(json.id, r.id);
      assertEquals(json.community, {
        have: r.have,
        want: r.want,
        rating: r.rating,
        data_quality: "Needs Vote",
        status: "Accepted",
      });
      assertEquals([json.lowest_price, json.num_for_sale], [r.lowestPrice, r.numForSale]);
      assertEquals([json.genres, json.styles, json.year, json.master_id], [
        r.genres,
        r.styles,
        r.year,
        r.masterId ?? undefined,
      ]);
      assertEquals(
        (json.labels as Json[]).map((l) => [l.id, l.name, l.catno]),
        r.labels.map((l) => [l.id, l.name, l.catno]),
      );
      assertEquals(
        (json.artists as Json[]).map((a) => [a.id, a.name]),
        r.artists.map((a) => [a.id, a.name]),
      );
      assertEquals(json.formats, r.formats);
      const hit = results(
        (await get(
          `/database/search?type=release&artist=${
            encodeURIComponent(r.artists[0].name)
          }&per_page=100`,
        )).json,
      ).find((i) => i.id === r.id)!;
      assertEquals(hit.community, { want: r.want, have: r.have }, "search agrees with the body");
    }
    const eur = await get(`/releases/${marketplace.id}?curr_abbr=EUR`);
    assertEquals(eur.json.lowest_price, Math.round(marketplace.lowestPrice! * 0.92 * 100) / 100);
    assertEquals((await get(`/releases/${ELECTRONIC_ID_BASE - 1}`)).status, 404);
  });
});

Deno.test("the same name has the same id everywhere, the real one where gustw has it", async () => {
  const catalogue = await loadCatalogue();
  const gustwArtists = new Map(
    catalogue.gustwIds.flatMap((id) => catalogue.release(id)!.artists).map((a) => [a.name, a.id]),
  );
  let shared = 0;
  const names = new Map<number, string>();
  for (const r of catalogue.releases.values()) {
    for (const a of r.artists) {
      assertEquals(names.get(a.id) ?? a.name, a.name, `artist ${a.id} has one name`);
      names.set(a.id, a.name);
      if (r.source !== "gustw" && gustwArtists.has(a.name)) {
        assertEquals(a.id, gustwArtists.get(a.name));
        shared++;
      }
    }
  }
  assert(shared > 0, "some pool releases are by gustw's artists");
  assertEquals(catalogue.artistId("DJ DUBB"), 853445);
  assertEquals(catalogue.labelId("Junglista Records"), 89600);
});

Deno.test("a user made of catalogue ids: 80% of gustw's collection, the rest hidden in the catalogue", async () => {
  const catalogue = await loadCatalogue();
  const { hidden, kept } = pickHidden(catalogue.gustwIds, 0.2);
  assertEquals([hidden.length, kept.length], [63, 252]);
  assertEquals(pickHidden(catalogue.gustwIds, 0.2), { hidden, kept }, "the same split each time");
  const extra = [...catalogue.releases.values()].find((r) => r.source === "electronic")!.id;
  await withFake({
    users: {
      alice: { collection: [...kept, extra], wants: hidden.slice(0, 3) },
      bob: { collection: kept.slice(0, 2), token: "bob-token" },
    },
  }, async (fake, get) => {
    const client = new DiscogsClient({ baseUrl: fake.url, token: TOKEN, windowMs: 1000 });
    const rows = await fetchCollection(client, "alice");
    assertEquals(rows.map((r) => r.release_id), [...kept, extra]);
    const pages = fake.requests.filter((r) =>
      r.path.startsWith("/users/alice/collection/folders/0/releases")
    );
    assertEquals(pages.length, 3, "253 copies: three pages of 100");
    const wants = await fetchWantlist(client, "alice");
    assertEquals(wants.map((w) => w.release_id), hidden.slice(0, 3));

    const page = await get("/users/alice/collection/folders/0/releases?per_page=100&page=3");
    const last = (page.json.releases as Json[]).at(-1)!;
    const info = last.basic_information as Json;
    const r = catalogue.release(extra)!;
    assertEquals(info.id, extra);
    assertEquals(info.master_id, r.masterId ?? 0, "0 when there is no master, as on Discogs");
    assertEquals([info.title, info.year, info.genres, info.styles, info.thumb], [
      r.title,
      r.year,
      r.genres,
      r.styles,
      r.thumb,
    ]);
    assertEquals(info.formats, r.formats);
    assertEquals(info.resource_url, `${fake.url}/releases/${extra}`, "on the fake's address");
    assertEquals(
      (info.labels as Json[]).map((l) => [l.name, l.catno, l.id]),
      r.labels.map((l) => [l.name, l.catno, l.id]),
    );
    assertEquals(
      (info.artists as Json[]).map((a) => [a.name, a.id]),
      r.artists.map((a) => [a.name, a.id]),
    );
    const gustwItem = (await get("/users/alice/collection/folders/0/releases?per_page=1"))
      .json.releases as Json[];
    assertEquals(
      (gustwItem[0].basic_information as Json).master_id,
      catalogue.release(kept[0])!.masterId ?? 0,
    );

    assertEquals((await get("/users/bob/collection/folders/0/releases")).json, MUST_AUTHENTICATE);
    const owner = await get("/users/bob/collection/folders/0/releases", "bob-token");
    assertEquals((owner.json.releases as Json[]).length, 2);
    // Built-in users are unchanged.
    assertEquals((await fetchCollection(client, "gustw")).length, 315);
  });
  let error = "";
  await startFakeDiscogs({ users: { carol: { collection: [ELECTRONIC_ID_BASE - 5] } } })
    .catch((e) => error = e.message);
  assertStringIncludes(
    error,
    `user carol: release ${ELECTRONIC_ID_BASE - 5} is neither recorded nor in the catalogue`,
  );
});

Deno.test("another collection's releases join the catalogue with their ids: searchable, listed, a user's", async () => {
  const base = await loadCatalogue();
  const purity = {
    id: 4235004,
    title: "Shrines",
    year: 2012,
    country: "",
    artists: [{ name: "Purity Ring" }],
    labels: [{ name: "4AD", catno: "CAD3218" }],
    genres: ["Electronic"],
    styles: ["Synth-pop"],
    formats: [{ name: "Vinyl", qty: "1", descriptions: ["LP", "Album"] }],
    have: 900,
    want: 400,
    lowestPrice: null,
  };
  const gustwAgain = { ...purity, id: base.gustwIds[0], title: "Not This Title" };
  const extra = { name: "mouse-reeve", releases: [purity, gustwAgain] };
  const catalogue = await buildCatalogue({ extra });
  const r = catalogue.release(4235004)!;
  assertEquals([r.source, r.title, r.year, r.styles], ["extra", "Shrines", 2012, ["Synth-pop"]]);
  assertEquals(catalogue.releases.size, base.releases.size + 1, "a gustw id is not added again");
  assertEquals(catalogue.release(base.gustwIds[0])!.title, base.release(base.gustwIds[0])!.title);
  assert(
    searchCatalogue(catalogue, { type: "release", artist: "purity ring" })
      .some((h) => h.id === 4235004),
    "searchable by artist",
  );
  assert(catalogue.releasesOf(r.artists[0].id).some((x) => x.id === 4235004), "artist listing");
  assert(catalogue.releasesOnLabel(r.labels[0].id).some((x) => x.id === 4235004), "label listing");
  assertEquals(base.release(4235004), undefined, "the shared catalogue is not changed");
  const [one, two] = await Promise.all([loadCatalogue({ extra }), loadCatalogue({ extra })]);
  assert(one !== two, "one with extras is never cached");
  await withFake({ catalogue: { extra }, users: { alice: { collection: [4235004] } } }, async (
    fake,
  ) => {
    const client = new DiscogsClient({ baseUrl: fake.url, token: TOKEN, windowMs: 1000 });
    const rows = await fetchCollection(client, "alice");
    assertEquals(rows.map((x) => [x.release_id, x.title]), [[4235004, "Shrines"]]);
  });
});

Deno.test("search and the new routes count against the rate limit, are logged and take faults", async () => {
  await withFake({ authenticatedLimit: 3 }, async (fake, get) => {
    fake.setFaults({ serverErrors: 1 });
    assertEquals((await get("/database/search?q=dub")).status, 503);
    assertEquals((await get("/masters/4242/versions")).status, 200);
    const third = await get("/database/search?q=dub");
    assertEquals(third.headers.get("x-discogs-ratelimit-remaining"), "0");
    const limited = await get(`/artists/853445/releases`);
    assertEquals([limited.status, limited.json], [429, TOO_MANY_REQUESTS]);
    assertEquals(fake.requests.map((r) => [r.path, r.status]), [
      ["/database/search?q=dub", 503],
      ["/masters/4242/versions", 200],
      ["/database/search?q=dub", 200],
      ["/artists/853445/releases", 429],
    ]);
  });
});

Deno.test("the catalogue is the same every time it is built, and the seed changes it", async () => {
  const digest = async (c: Catalogue) => {
    const text = JSON.stringify([
      [...c.releases.values()],
      [...c.masters.values()],
      [...c.artists.values()],
      [...c.labels.values()],
      searchCatalogue(c, { style: "Techno" }),
    ]);
    return Array.from(
      new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))),
    ).map((b) => b.toString(16).padStart(2, "0")).join("");
  };
  const started = performance.now();
  const a = await buildCatalogue();
  const buildMs = performance.now() - started;
  const b = await buildCatalogue();
  assert(a !== b, "two separate builds");
  assertEquals(await digest(a), await digest(b));
  assertEquals(
    a.releases.size,
    315 + 6368 - 2 + DEFAULT_ELECTRONIC_SAMPLE,
    "2 listings are gustw's",
  );
  assert(a.masters.size > 1000 && a.artists.size > 10_000, "masters and artists");
  assert(await loadCatalogue() === await loadCatalogue(), "cached per process");
  const other = await buildCatalogue({ seed: 12 });
  assert((await digest(other)) !== (await digest(a)), "another seed, another sample");
  assertEquals(other.gustwIds, a.gustwIds, "the gustw releases are always in");
  console.log(`catalogue built in ${Math.round(buildMs)} ms`);
  assert(buildMs < 10_000, `built in ${Math.round(buildMs)} ms`);
});

Deno.test("as a process: --user NAME=FILE serves that collection; it starts quickly", async () => {
  const catalogue = await loadCatalogue();
  const dir = await Deno.makeTempDir({ prefix: "nextspin-fake-user-" });
  const { kept } = pickHidden(catalogue.gustwIds, 0.2);
  await Deno.writeTextFile(`${dir}/alice.json`, JSON.stringify(kept));
  await Deno.writeTextFile(`${dir}/bad.json`, "[1, 2");
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "tests/fake_discogs/server.ts",
      "--window",
      "1s",
      "--user",
      `alice=${dir}/alice.json`,
    ],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const timer = setTimeout(() => child.kill("SIGKILL"), DEADLINE_MS);
  try {
    let text = "";
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    const startMs = performance.now() - started;
    console.log(`server process printed its URL after ${Math.round(startMs)} ms`);
    const url = text.trim();
    assert(/^http:\/\/127\.0\.0\.1:\d+$/.test(url), `printed ${JSON.stringify(url)}`);
    const client = new DiscogsClient({ baseUrl: url, token: TOKEN, windowMs: 1000 });
    assertEquals((await fetchCollection(client, "alice")).map((r) => r.release_id), kept);
    const search = await client.get("/database/search?q=versionist");
    assertEquals(search.status, 200);
  } finally {
    clearTimeout(timer);
    child.kill("SIGTERM");
    await reader.cancel().catch(() => {});
    await child.status;
  }
  const bad = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tests/fake_discogs/server.ts", "--user", `alice=${dir}/bad.json`],
    cwd: REPO_ROOT,
    stdout: "null",
    stderr: "piped",
    signal: AbortSignal.timeout(DEADLINE_MS),
  }).output();
  assertEquals(bad.code, 2);
  const message = new TextDecoder().decode(bad.stderr).trim();
  assertStringIncludes(
    message,
    `--user alice=${dir}/bad.json: cannot read ${dir}/bad.json as JSON`,
  );
  assertEquals(message.split("\n").length, 1, "one line, no stack trace");
  await Deno.remove(dir, { recursive: true });
});
