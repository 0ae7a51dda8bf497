/**
 * A test catalogue made from the fake Discogs' synthetic catalogue (`fake_discogs/catalogue.ts`),
 * so its release ids are the ones the fake serves bodies and prices for: gustw's 315 releases
 * with the credits (extraartists) of their recorded bodies, and every marketplace and
 * electronic release, a fifth of them remixed by someone gustw's records credit — so catalogue
 * candidates share credits with the collection, as real ones do.
 *
 * @module
 */

import { creditsOfBody } from "../lib/discogs/credits.ts";
import { type TestRelease, writeTestCatalogue } from "../lib/catalog/testing.ts";
import { type CatalogueRelease, loadCatalogue } from "./fake_discogs/catalogue.ts";

/** What {@link writeFakeCatalogue} wrote. */
export interface FakeCatalogue {
  releases: number;
  /** The release ids gustw owns (all in the catalogue). */
  gustwIds: number[];
  /** Credited people of gustw's records given to other releases as remixers. */
  remixers: string[];
}

/**
 * Write the fake Discogs' catalogue to `dir` in the catalog stage's layout (parts of 5,000 ids
 * of the sorted id list are not needed: one part per table keeps the test fast).
 */
export async function writeFakeCatalogue(dir: string): Promise<FakeCatalogue> {
  const catalogue = await loadCatalogue();
  const gustw = new Set(catalogue.gustwIds);
  const credits = new Map<number, { id: number | null; name: string; role: string }[]>();
  for (const id of catalogue.gustwIds) {
    const body = JSON.parse(catalogue.recordedBody(id)!);
    credits.set(id, creditsOfBody(body).map((c) => ({ id: c.id ?? null, ...c })));
  }
  // Remixers and producers credited on at least two of gustw's records, by name.
  const counts = new Map<string, { id: number | null; name: string; n: number }>();
  for (const list of credits.values()) {
    for (const c of list) {
      if (!/remix|produc/i.test(c.role)) continue;
      const e = counts.get(c.name) ?? { id: c.id, name: c.name, n: 0 };
      e.n++;
      counts.set(c.name, e);
    }
  }
  const remixers = [...counts.values()].filter((e) => e.n >= 2)
    .sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : 1));
  const isMain = new Set([...catalogue.masters.values()].map((m) => m.mainRelease));
  const releases: TestRelease[] = [];
  let other = 0;
  for (const r of catalogue.releases.values()) {
    let credited = credits.get(r.id) ?? [];
    if (!gustw.has(r.id) && other++ % 5 === 0 && remixers.length > 0) {
      const who = remixers[other % remixers.length];
      credited = [{ id: who.id, name: who.name, role: "Remix" }];
    }
    releases.push(toTestRelease(r, credited, isMain.has(r.id)));
  }
  await writeTestCatalogue(dir, {
    releases,
    masters: [...catalogue.masters.values()].map((m) => ({
      id: m.id,
      main_release: m.mainRelease,
      title: m.title,
      year: m.year || null,
      artist_ids: m.artists.map((a) => a.id),
      artist_names: m.artists.map((a) => a.name),
      genres: m.genres,
      styles: m.styles,
    })),
  });
  return {
    releases: releases.length,
    gustwIds: catalogue.gustwIds,
    remixers: remixers.map((r) => r.name),
  };
}

function toTestRelease(
  r: CatalogueRelease,
  credits: { id: number | null; name: string; role: string }[],
  isMainRelease: boolean,
): TestRelease {
  return {
    id: r.id,
    title: r.title,
    year: r.year || null,
    country: r.country || null,
    master_id: r.masterId,
    is_main_release: isMainRelease,
    artists: r.artists.map((a, i) => ({
      id: a.id,
      name: a.name,
      join: i < r.artists.length - 1 ? "," : null,
    })),
    credits,
    labels: r.labels.map((l) => ({ id: l.id, name: l.name, catno: l.catno })),
    genres: r.genres,
    styles: r.styles,
    formats: r.formats.map((f) => ({
      name: f.name,
      qty: Number(f.qty) || 1,
      descriptions: f.descriptions,
    })),
  };
}
