import { join } from "node:path";
import { assert, assertEquals } from "../testing/assert.ts";
import { Database } from "../db/mod.ts";
import { seededRandom } from "../embed/projection.ts";
import { type TestRelease, writeTestCatalogue } from "./testing.ts";
import { ensureReleaseIndex } from "./release_index.ts";
import { type CatalogTaste, firstCut } from "./release_scan.ts";

const STYLES = ["Jungle", "Dub", "Techno", "House", "Ambient", "Dancehall"];

/** Seeded releases (900 unless told); ids, artists, labels and credits drawn from small ranges. */
function releases(count = 900): TestRelease[] {
  const rng = seededRandom(7);
  const pick = (n: number) => 1 + Math.floor(rng() * n);
  return Array.from({ length: count }, (_, i) => ({
    id: 1 + i * 3,
    title: `Record ${i}`,
    year: rng() < 0.1 ? null : 1960 + pick(60),
    master_id: rng() < 0.5 ? pick(200) : null,
    is_main_release: rng() < 0.3,
    artists: [{ id: pick(120), name: `Artist ${pick(120)}` }],
    labels: [{ id: pick(40), name: `Label ${pick(40)}` }],
    credits: rng() < 0.5
      ? [{ id: pick(80), name: "Someone", role: rng() < 0.2 ? "Photography By" : "Remix" }]
      : [],
    styles: STYLES.filter(() => rng() < 0.3),
  }));
}

const TASTE: CatalogTaste = {
  styles: new Map([["Jungle", Math.log(1 + 9)], ["Dub", Math.log(1 + 4)]]),
  artistIds: new Map([[3, Math.log(1 + 3)], [7, Math.log(1 + 1)]]),
  artistKeys: new Map(),
  labelIds: new Map([[5, Math.log(1 + 2)]]),
  labelKeys: new Map(),
  creditIds: new Map([[11, Math.log(1 + 2)]]),
  decades: new Map([[1990, Math.log(1 + 6)], [2000, Math.log(1 + 2)]]),
};

/** The scan written the plain way, over the test releases themselves. */
function reference(all: TestRelease[], keep: number) {
  const best = (values: number[]) => values.reduce((m, v) => (v > m ? v : m), 0);
  const scored = all.flatMap((r) => {
    const style = best((r.styles ?? []).map((s) => TASTE.styles.get(s) ?? 0));
    const artist = best(r.artists.map((a) => TASTE.artistIds.get(a.id ?? -1) ?? 0));
    const label = best((r.labels ?? []).map((l) => TASTE.labelIds.get(l.id ?? -1) ?? 0));
    const credit = best(
      (r.credits ?? []).filter((c) => !/photo/i.test(c.role ?? ""))
        .map((c) => TASTE.creditIds.get(c.id ?? -1) ?? 0),
    );
    const taste = 3 * style + 2.5 * artist + 2 * label + 1.5 * credit;
    if (!(taste > 0)) return [];
    const decade = r.year ? TASTE.decades.get(Math.floor(r.year / 10) * 10) ?? 0 : 0;
    return [{ id: r.id, score: taste + decade }];
  });
  scored.sort((a, b) => b.score - a.score || a.id - b.id);
  return { scored: scored.length, top: scored.slice(0, keep) };
}

Deno.test("first cut: the index scan keeps the plain scan's best, in its order, on one or two threads", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-scan-" });
  const db = await Database.open(":memory:");
  try {
    const all = releases();
    await writeTestCatalogue(join(dir, "catalog"), { releases: all }, { partSize: 100 });
    const index = await ensureReleaseIndex(db, join(dir, "catalog"), () => {});
    assertEquals(index.parts.length, 9);
    const want = reference(all, 120);
    assert(want.scored > 300 && want.scored < 900, `${want.scored} scored`);
    for (const helper of [false, true]) {
      const cut = await firstCut(index, TASTE, 120, { helper });
      assertEquals(cut.ids, want.top.map((r) => r.id), `helper ${helper}`);
      assertEquals(cut.scores, want.top.map((r) => r.score));
      const byId = new Map(all.map((r) => [r.id, r]));
      assertEquals(cut.masters, cut.ids.map((id) => byId.get(id)!.master_id ?? -1));
      assertEquals(cut.isMain, cut.ids.map((id) => (byId.get(id)!.is_main_release ? 1 : 0)));
    }
    // Fewer scored than kept: all of them.
    const wide = await firstCut(index, TASTE, 5_000);
    assertEquals(wide.ids.length, want.scored);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("first cut: parts longer than one scoring call, and kept sets from one release to hundreds", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-scan-" });
  const db = await Database.open(":memory:");
  try {
    // 2,600-release parts: three scoring calls each, the last one short.
    const all = releases(5_200);
    await writeTestCatalogue(join(dir, "catalog"), { releases: all }, { partSize: 2_600 });
    const index = await ensureReleaseIndex(db, join(dir, "catalog"), () => {});
    assertEquals(index.parts.length, 2);
    for (const keep of [1, 25, 400]) {
      const want = reference(all, keep);
      for (const helper of [false, true]) {
        const cut = await firstCut(index, TASTE, keep, { helper });
        assertEquals(cut.ids, want.top.map((r) => r.id), `keep ${keep}, helper ${helper}`);
        assertEquals(cut.scores, want.top.map((r) => r.score));
      }
    }
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
