/**
 * Complete the Set against the fake Discogs (its synthetic catalogue on 127.0.0.1, never the real
 * API): a collector who owns part of an artist's discography and of a label's catalogue runs
 * `deno task complete`. Every expected figure is computed here from the catalogue itself
 * (masters, versions, formats, prices), not from the listings the code reads: sets counted by
 * album and by pressing, the vinyl filter (assumed: the collection is vinyl), appearances and
 * unofficial releases left out unless asked, sub-labels, wantlist marking, the cost to complete
 * as the sum of the cheapest copies, a record with no copy for sale, a 404 artist, pagination
 * (a label of more than 100 releases), the request budget, a second run and `--offline` (under
 * `--deny-net`) costing no request, and a bad `--artist` name failing in plain words.
 */
import { Database } from "../lib/db/mod.ts";
import { outputWithDeadline } from "../lib/testing/deadline.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertNotMatch,
  assertStringIncludes,
} from "../lib/testing/assert.ts";
import type { Catalogue, CatalogueRelease } from "./fake_discogs/catalogue.ts";
import { startFakeDiscogs } from "./fake_discogs/server.ts";
import {
  closedPort,
  REPO_ROOT,
  runModule,
  TASK_DEADLINE_MS,
  type TaskResult,
  tempWorkspace,
} from "./helpers.ts";

/** A catalogue of its own (not the default one other tests share), since a test edits prices. */
const CATALOGUE = { electronicSample: 12_001 };
const USER = "set_collector";

const isVinyl = (r: CatalogueRelease) => r.formats.some((f) => f.name === "Vinyl");

/** The test's world, chosen from the catalogue by what it must exercise. */
interface World {
  artist: number;
  label: number;
  sublabel: number;
  bigLabel: number;
  collection: number[];
  wants: number[];
  appearance: number;
  unofficial: number;
  /** A missing lone vinyl record of the artist made unavailable (no copy for sale). */
  soldOut: number;
}

/** Whether one artist and title (as words) on the label is always one master. */
function foldsLikeMasters(c: Catalogue, labelId: number): boolean {
  const words = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  const albums = new Map<string, Set<string>>();
  for (const r of c.releasesOnLabel(labelId)) {
    const key = `${words(r.artists.map((a) => a.name).join(" "))}|${words(r.title)}`;
    const set = albums.get(key) ?? new Set();
    set.add(r.masterId ? `m${r.masterId}` : `r${r.id}`);
    albums.set(key, set);
  }
  return [...albums.values()].every((s) => s.size === 1);
}

function chooseWorld(c: Catalogue): World {
  const vinylVersions = (m: number) => c.versionsOf(m).filter(isVinyl);
  // An artist with albums of several pressings (at most 3 on vinyl, so all get priced), a CD
  // among them, and records without a master.
  const artist = [...c.artists.values()].filter((a) => a.name !== "Various").map((a) => {
    const rs = c.releasesOf(a.id);
    const masters = [...new Set(rs.flatMap((r) => (r.masterId ? [r.masterId] : [])))];
    const ok = rs.every((r) => r.source !== "gustw") &&
      masters.every((m) => vinylVersions(m).length <= 3) &&
      rs.some((r) => !isVinyl(r)) && rs.filter((r) => !r.masterId && isVinyl(r)).length >= 3;
    return { a, score: ok ? masters.filter((m) => c.versionsOf(m).length >= 2).length : -1 };
  }).sort((x, y) => y.score - x.score || x.a.id - y.a.id)[0].a.id;
  const label = [...c.labels.values()].map((l) => {
    const rs = c.releasesOnLabel(l.id);
    const byMaster = new Map<number, number>();
    for (const r of rs.filter(isVinyl)) {
      if (r.masterId) byMaster.set(r.masterId, (byMaster.get(r.masterId) ?? 0) + 1);
    }
    const ok = rs.length >= 8 && rs.length <= 30 && !/not on label/i.test(l.name) &&
      rs.every((r) => r.source !== "gustw" && !r.artists.some((a) => a.id === artist)) &&
      rs.some((r) => !isVinyl(r)) && [...byMaster.values()].every((n) => n <= 3) &&
      foldsLikeMasters(c, l.id);
    return { l, score: ok ? [...byMaster.values()].filter((n) => n > 1).length : -1 };
  }).sort((x, y) => y.score - x.score || x.l.id - y.l.id)[0].l.id;
  const onLabel = new Set(c.releasesOnLabel(label).map((r) => r.id));
  const sublabel = [...c.labels.values()].find((l) => {
    const rs = c.releasesOnLabel(l.id);
    return l.id !== label && rs.length >= 3 && rs.length <= 6 && rs.every(isVinyl) &&
      rs.every((r) => !onLabel.has(r.id) && r.source !== "gustw" && r.labels.length === 1);
  })!.id;
  // A label listing names no masters, so the code folds its releases by artist and title; the
  // labels chosen are ones where that is exactly the catalogue's masters (a release without a
  // master titled like an album of the same artist would be folded into it).
  const bigLabel = [...c.labels.values()].find((l) => {
    const n = c.releasesOnLabel(l.id).length;
    return n > 100 && n <= 200 && !/not on label/i.test(l.name) && foldsLikeMasters(c, l.id);
  })!.id;
  const own: number[] = [];
  const wants: number[] = [];
  const rs = c.releasesOf(artist);
  const masters = [...new Set(rs.flatMap((r) => (r.masterId ? [r.masterId] : [])))].sort((a, b) =>
    a - b
  );
  // Own a vinyl pressing of every other album; of one album with a CD, only the CD.
  masters.forEach((m, i) => {
    const v = c.versionsOf(m);
    const cd = v.find((r) => !isVinyl(r));
    if (cd && v.some(isVinyl) && !own.includes(cd.id) && i % 2 === 1) own.push(cd.id);
    else if (i % 2 === 0 && v.some(isVinyl)) own.push(v.filter(isVinyl).at(-1)!.id);
  });
  const lone = rs.filter((r) => !r.masterId && isVinyl(r)).sort((a, b) => a.id - b.id);
  own.push(lone[0].id);
  const soldOut = lone[1].id;
  // Want a pressing of an album not owned on vinyl.
  const missingAlbum = masters.find((m) =>
    !c.versionsOf(m).some((r) => own.includes(r.id) && isVinyl(r)) &&
    vinylVersions(m).length > 0
  );
  if (missingAlbum) wants.push(vinylVersions(missingAlbum).at(-1)!.id);
  const labelVinyl = c.releasesOnLabel(label).filter(isVinyl).sort((a, b) => a.id - b.id);
  own.push(...labelVinyl.filter((_, i) => i % 3 === 0).map((r) => r.id));
  wants.push(labelVinyl[1].id);
  own.push(c.releasesOnLabel(sublabel)[0].id);
  const others = [...c.releases.values()].filter((r) =>
    isVinyl(r) && r.source !== "gustw" && !r.artists.some((a) => a.id === artist) &&
    !onLabel.has(r.id)
  );
  return {
    artist,
    label,
    sublabel,
    bigLabel,
    collection: own,
    wants,
    appearance: others[0].id,
    unofficial: others[1].id,
    soldOut,
  };
}

/** An entry as the test counts it: its vinyl (or any) pressings and whether one is owned. */
interface Expected {
  key: string;
  pressings: CatalogueRelease[];
}

/** The artist's entries, by album or by pressing, computed from the catalogue. */
function artistEntries(c: Catalogue, w: World, vinylOnly: boolean, byPressing: boolean) {
  const keep = (r: CatalogueRelease) => !vinylOnly || isVinyl(r);
  const out: Expected[] = [];
  const masters = new Set<number>();
  for (const r of c.releasesOf(w.artist)) {
    if (r.masterId) masters.add(r.masterId);
    else if (keep(r)) out.push({ key: `release:${r.id}`, pressings: [r] });
  }
  for (const m of masters) {
    const v = c.versionsOf(m).filter(keep);
    if (v.length === 0) continue;
    if (byPressing) out.push(...v.map((r) => ({ key: `release:${r.id}`, pressings: [r] })));
    else out.push({ key: `master:${m}`, pressings: v });
  }
  return out;
}

/** A label's entries by album (one per master, or per release without one). */
function labelEntries(c: Catalogue, ids: number[], vinylOnly: boolean, byPressing: boolean) {
  const groups = new Map<string, CatalogueRelease[]>();
  for (const id of ids) {
    for (const r of c.releasesOnLabel(id)) {
      if (vinylOnly && !isVinyl(r)) continue;
      const key = !byPressing && r.masterId ? `master:${r.masterId}` : `release:${r.id}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
  }
  return [...groups].map(([key, pressings]) => ({ key, pressings }));
}

function tally(entries: Expected[], owned: Set<number>) {
  const missing = entries.filter((e) => !e.pressings.some((r) => owned.has(r.id)));
  // The cheapest copy of a missing entry: the lowest price among its pressings for sale.
  const cheapest = missing.map((e) => {
    const prices = e.pressings.filter((r) => r.numForSale > 0 && r.lowestPrice !== null)
      .map((r) => r.lowestPrice!);
    return prices.length ? Math.min(...prices) : null;
  });
  return {
    total: entries.length,
    owned: entries.length - missing.length,
    missing,
    cost: Math.round(cheapest.reduce((s: number, p) => s + (p ?? 0), 0) * 100) / 100,
    noCopy: cheapest.filter((p) => p === null).length,
  };
}

interface SetRow {
  set_kind: string;
  set_id: number;
  set_name: string;
  owned: number;
  total: number;
  pct: number;
  missing: number;
  in_wantlist: number;
  priced: number;
  cost_to_complete: number;
  no_copy_for_sale: number;
  unpriced: number;
  format: string;
  why: string;
}

interface MissingRow {
  set_kind: string;
  set_id: number;
  release_id: number | null;
  master_id: number | null;
  cheapest_release_id: number | null;
  lowest_price: number | null;
  num_for_sale: number | null;
  in_wantlist: boolean;
  why: string;
}

async function tables(path: string): Promise<{ sets: SetRow[]; missing: MissingRow[] }> {
  const db = await Database.open(path, { readOnly: true });
  try {
    const sets = await db.all<SetRow>("SELECT * FROM set_completion ORDER BY rank");
    const missing = await db.all<MissingRow>(
      "SELECT * FROM set_missing ORDER BY set_kind, set_id, release_id, master_id",
    );
    const num = <T>(rows: T[]) =>
      rows.map((r) =>
        Object.fromEntries(
          Object.entries(r as Record<string, unknown>).map((
            [k, v],
          ) => [k, typeof v === "bigint" ? Number(v) : v]),
        ) as T
      );
    return { sets: num(sets), missing: num(missing) };
  } finally {
    db.close();
  }
}

const setOf = (t: { sets: SetRow[] }, kind: string, id: number) => {
  const row = t.sets.find((s) => s.set_kind === kind && s.set_id === id);
  assert(
    row,
    `a ${kind} ${id} row in set_completion: ${JSON.stringify(t.sets.map((s) => s.set_name))}`,
  );
  return row;
};

const listingPath = /^\/(artists|labels|masters)\/\d+(\/(releases|versions))?(\?|$)/;
const bodyPath = /^\/releases\/\d+\?curr_abbr=/;

Deno.test({
  name:
    "complete: sets counted by album and by pressing, vinyl assumed, sub-labels, wantlist, cost to complete, budget, offline replay",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const probe = await startFakeDiscogs({ catalogue: CATALOGUE });
    const c = probe.catalogue;
    await probe.close();
    const w = chooseWorld(c);
    // A record of the artist with no copy for sale anywhere.
    Object.assign(c.release(w.soldOut)!, { lowestPrice: null, numForSale: 0 });
    const fake = await startFakeDiscogs({
      windowMs: 1000,
      catalogue: CATALOGUE,
      users: { [USER]: { collection: w.collection, wants: w.wants } },
      sublabels: { [w.label]: [w.sublabel] },
      artistCredits: {
        [w.artist]: [
          { releaseId: w.appearance, role: "Appearance" },
          { releaseId: w.unofficial, role: "UnofficialRelease" },
        ],
      },
    });
    const ws = await tempWorkspace();
    const env = (url = fake.url) => ({
      DISCOGS_API_URL: url,
      DISCOGS_RATE_WINDOW: "1s",
      NEXTSPIN_QUIET: "0",
    });
    const complete = (extra: string[], url?: string): Promise<TaskResult> =>
      runModule("pipeline/complete.ts", ["--db", ws.db, "--out", ws.out, ...extra], env(url));
    const owned = new Set(w.collection);
    try {
      const ingest = await runModule(
        "pipeline/ingest.ts",
        ["--db", ws.db, "--out", ws.out, "--username", USER, "--wantlist-of", USER],
        env(),
      );
      assertEquals(ingest.code, 0, ingest.stderr);
      const named = [
        "--min-owned",
        "0",
        "--artist",
        String(w.artist),
        "--label",
        String(w.label),
        "--artist",
        "79999999", // no such artist
        "--price-budget",
        "500",
      ];
      const before = fake.requests.length;
      const run = await complete(named);
      assertEquals(run.code, 0, run.stderr);
      const sent = fake.requests.slice(before);
      // The plan is printed (before the first request: it is the line before the listings').
      assertStringIncludes(run.stderr, "format Vinyl assumed");
      const plan = run.stderr.match(/set plan: up to (\d+) API pages \(auto\) for 3 sets/);
      assert(plan, run.stderr);
      assert(
        sent.filter((r) => listingPath.test(r.path)).length <= Number(plan[1]),
        "listing requests within the plan",
      );
      assert(sent.filter((r) => bodyPath.test(r.path)).length <= 500, "prices within budget");
      assert(
        sent.every((r) => /per_page=100|^\/releases\/|^\/(artists|labels)\/\d+$/.test(r.path)),
        "listings 100 a page",
      );
      assertStringIncludes(run.stderr, "artist 79999999: Discogs has no such artist");
      assertNotMatch(run.stderr, /\n\s+at /);

      const t = await tables(ws.db);
      // The artist, by album, vinyl only; appearances and unofficial releases are not in it.
      const a = tally(artistEntries(c, w, true, false), owned);
      const artistRow = setOf(t, "artist", w.artist);
      assertEquals([artistRow.owned, artistRow.total, artistRow.missing], [
        a.owned,
        a.total,
        a.missing.length,
      ]);
      assertEquals(artistRow.format, "Vinyl");
      assertAlmostEquals(artistRow.pct, Math.round((a.owned / a.total) * 1000) / 10, 1e-9);
      assertAlmostEquals(artistRow.cost_to_complete, a.cost, 0.005);
      assertEquals(artistRow.no_copy_for_sale, a.noCopy);
      assert(a.noCopy >= 1, "the sold-out record is missing");
      assertEquals(artistRow.unpriced, 0);
      const artistMissing = t.missing.filter((m) =>
        m.set_kind === "artist" && m.set_id === w.artist
      );
      assertEquals(artistMissing.length, a.missing.length);
      const soldOut = artistMissing.find((m) => m.release_id === w.soldOut)!;
      assertEquals([soldOut.lowest_price, soldOut.num_for_sale], [null, 0]);
      assertStringIncludes(soldOut.why, "no copy for sale");
      for (const id of [w.appearance, w.unofficial]) {
        assert(!artistMissing.some((m) => m.release_id === id), `credit ${id} left out`);
      }
      // Wantlist: the wanted pressing's album is marked.
      const wantedMaster = c.release(w.wants[0])?.masterId;
      if (wantedMaster) {
        const row = artistMissing.find((m) => m.master_id === wantedMaster)!;
        assert(row.in_wantlist, "the wanted album is marked");
        assertStringIncludes(row.why, "on your wantlist");
      }
      assertEquals(artistRow.in_wantlist, artistMissing.filter((m) => m.in_wantlist).length);
      // Each priced missing record's cheapest copy is the cheapest of its vinyl pressings.
      for (const e of a.missing) {
        const key = e.key.split(":");
        const row = artistMissing.find((m) =>
          key[0] === "master" ? m.master_id === Number(key[1]) : m.release_id === Number(key[1])
        )!;
        const forSale = e.pressings.filter((r) => r.numForSale > 0 && r.lowestPrice !== null);
        const best = forSale.sort((x, y) => x.lowestPrice! - y.lowestPrice! || x.id - y.id)[0];
        assertEquals(row.cheapest_release_id, best?.id ?? null, JSON.stringify(row));
      }
      // The label, by album (a label listing names no master: one artist and title is one album).
      const l = tally(labelEntries(c, [w.label], true, false), owned);
      const labelRow = setOf(t, "label", w.label);
      assertEquals([labelRow.owned, labelRow.total, labelRow.missing], [
        l.owned,
        l.total,
        l.missing.length,
      ]);
      assertAlmostEquals(labelRow.cost_to_complete, l.cost, 0.005);
      assertEquals(labelRow.in_wantlist, 1);
      assertMatch(labelRow.why, new RegExp(`^${l.owned} of ${l.total} `));
      assertEquals(t.sets.length, 2, "the unknown artist has no row");

      // Exports: Parquet and neutralised CSV.
      for (
        const f of [
          "set_completion.parquet",
          "set_missing.parquet",
          "set_completion.csv",
          "set_missing.csv",
        ]
      ) {
        assert((await Deno.stat(`${ws.out}/${f}`)).size > 0, f);
      }

      // A second run costs no request and writes the same tables.
      const again = fake.requests.length;
      const second = await complete(named);
      assertEquals(second.code, 0, second.stderr);
      assertEquals(fake.requests.length, again, "a second run is answered from the cache");
      assertStringIncludes(second.stderr, "from 0 requests");
      assertEquals(await tables(ws.db), t);

      // --offline replays the cache without a socket (no network permission at all).
      const offline = await outputWithDeadline(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--deny-net",
          "pipeline/complete.ts",
          "--db",
          ws.db,
          "--out",
          ws.out,
          ...named,
          "--offline",
        ],
        cwd: REPO_ROOT,
        env: { ...env(`http://127.0.0.1:${closedPort()}`), NO_COLOR: "1" },
      }, TASK_DEADLINE_MS);
      const offlineErr = new TextDecoder().decode(offline.stderr);
      assertEquals(offline.code, 0, offlineErr);
      assertEquals(fake.requests.length, again);
      assertEquals(await tables(ws.db), t);

      // By pressing: every vinyl pressing is an entry.
      const pressings = await complete([...named, "--pressings"]);
      assertEquals(pressings.code, 0, pressings.stderr);
      const tp = await tables(ws.db);
      const ap = tally(artistEntries(c, w, true, true), owned);
      const pRow = setOf(tp, "artist", w.artist);
      assertEquals([pRow.owned, pRow.total], [ap.owned, ap.total]);
      assert(ap.total > a.total, "more pressings than albums");
      const lp = tally(labelEntries(c, [w.label], true, true), owned);
      assertEquals([setOf(tp, "label", w.label).owned, setOf(tp, "label", w.label).total], [
        lp.owned,
        lp.total,
      ]);

      // Every format: the CD owned counts, CD-only albums join the set.
      const any = await complete([...named, "--format", "any"]);
      assertEquals(any.code, 0, any.stderr);
      const ta = await tables(ws.db);
      const aa = tally(artistEntries(c, w, false, false), owned);
      assertEquals([setOf(ta, "artist", w.artist).owned, setOf(ta, "artist", w.artist).total], [
        aa.owned,
        aa.total,
      ]);
      assert(aa.owned > a.owned || aa.total > a.total, "the format filter matters here");

      // Sub-labels, and appearances / unofficial releases when asked.
      const subs = await complete([...named, "--with-sublabels", "--appearances", "--unofficial"]);
      assertEquals(subs.code, 0, subs.stderr);
      const ts = await tables(ws.db);
      const ls = tally(labelEntries(c, [w.label, w.sublabel], true, false), owned);
      const sRow = setOf(ts, "label", w.label);
      assertEquals([sRow.owned, sRow.total], [ls.owned, ls.total]);
      const aRow = setOf(ts, "artist", w.artist);
      assertEquals(aRow.total, a.total + 2, "the appearance and the unofficial release");

      // Pagination: a label of more than 100 releases is read page by page.
      const big = await complete([
        "--min-owned",
        "0",
        "--label",
        String(w.bigLabel),
        "--format",
        "any",
        "--price-budget",
        "0",
      ]);
      assertEquals(big.code, 0, big.stderr);
      const tb = await tables(ws.db);
      const lb = tally(labelEntries(c, [w.bigLabel], false, false), owned);
      assertEquals(setOf(tb, "label", w.bigLabel).total, lb.total);
      assert(
        fake.requests.some((r) => r.path.startsWith(`/labels/${w.bigLabel}/releases?page=2&`)),
      );
      assertEquals(setOf(tb, "label", w.bigLabel).unpriced, lb.missing.length);
      assertStringIncludes(big.stderr, "not priced (--price-budget 0 spent");

      // A bad name: a plain message, exit 2, nothing written over.
      const bad = await complete(["--artist", "Nobody Of This Name"]);
      assertEquals(bad.code, 2, bad.stderr);
      assertStringIncludes(bad.stderr, '--artist "Nobody Of This Name": no artist of that name');
      assertNotMatch(bad.stderr, /\n\s+at /);
      assertEquals(await tables(ws.db), tb);
    } finally {
      await fake.close();
      await ws.cleanup();
    }
  },
});

Deno.test({
  name:
    "complete: a small budget reads part of the sets and prices part of the missing records, and says so",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const probe = await startFakeDiscogs({ catalogue: CATALOGUE });
    const w = chooseWorld(probe.catalogue);
    await probe.close();
    const fake = await startFakeDiscogs({
      windowMs: 1000,
      catalogue: CATALOGUE,
      users: { [USER]: { collection: w.collection, wants: w.wants } },
    });
    const ws = await tempWorkspace();
    const env = { DISCOGS_API_URL: fake.url, DISCOGS_RATE_WINDOW: "1s" };
    try {
      const ingest = await runModule(
        "pipeline/ingest.ts",
        ["--db", ws.db, "--out", ws.out, "--username", USER],
        env,
      );
      assertEquals(ingest.code, 0, ingest.stderr);
      const before = fake.requests.length;
      const run = await runModule("pipeline/complete.ts", [
        "--db",
        ws.db,
        "--out",
        ws.out,
        "--min-owned",
        "0",
        "--label",
        String(w.label),
        "--artist",
        String(w.artist),
        "--listing-budget",
        "1",
        "--price-budget",
        "2",
      ], env);
      assertEquals(run.code, 0, run.stderr);
      const sent = fake.requests.slice(before);
      assertEquals(sent.filter((r) => listingPath.test(r.path)).length, 1);
      assert(sent.filter((r) => bodyPath.test(r.path)).length <= 2);
      assertStringIncludes(run.stderr, "set plan: up to 1 API pages for 2 sets");
      assertStringIncludes(run.stderr, "1 set not read: the listing budget of 1 pages was spent");
      assertStringIncludes(run.stderr, "not priced (--price-budget 2 spent");
      const t = await tables(ws.db);
      assertEquals(t.sets.length, 1);
      assert(t.sets[0].unpriced > 0, "some missing records unpriced");
      assertStringIncludes(t.sets[0].why, "not priced yet");
    } finally {
      await fake.close();
      await ws.cleanup();
    }
  },
});

function assertMatch(actual: string, pattern: RegExp): void {
  assert(pattern.test(actual), `${JSON.stringify(actual)} matches ${pattern}`);
}
