/**
 * A small catalogue for tests, written in exactly the layout the `catalog` stage writes (see
 * `schema.ts`): zstd Parquet per table under `<dir>/<table>/<first>-<last>.parquet`, every table
 * of an entity cut at the same ids, and a minimal `catalog.json` — from rows the test chooses,
 * so a test needs no dump.
 *
 * @example
 * ```ts
 * await writeTestCatalogue("/tmp/cat", {
 *   releases: [{ id: 1, title: "Angels Fell", artists: [{ id: 9, name: "Dillinja" }],
 *                styles: ["Drum n Bass"], credits: [{ name: "Lemon D", role: "Remix" }] }],
 * });
 * ```
 *
 * @module
 */

import { join } from "node:path";
import { Database, literal } from "../db/mod.ts";
import { CATALOG_TABLES, type DumpKind, MANIFEST_FILE } from "./schema.ts";

/** An artist on a test release (main artist or credit). */
export interface TestCredit {
  id?: number | null;
  name: string;
  anv?: string | null;
  join?: string | null;
  /** Set for credits ("Remix", "Producer"). */
  role?: string | null;
  tracks?: string | null;
}

/** A release of a test catalogue; what is left out is empty. */
export interface TestRelease {
  id: number;
  title: string;
  year?: number | null;
  released?: string | null;
  country?: string | null;
  master_id?: number | null;
  is_main_release?: boolean;
  artists: TestCredit[];
  credits?: TestCredit[];
  labels?: { id?: number | null; name: string; catno?: string | null }[];
  genres?: string[];
  styles?: string[];
  formats?: { name: string; qty?: number | null; text?: string | null; descriptions?: string[] }[];
}

/** A master of a test catalogue. */
export interface TestMaster {
  id: number;
  main_release: number | null;
  title: string;
  year?: number | null;
  artist_ids?: number[];
  artist_names?: string[];
  genres?: string[];
  styles?: string[];
}

/** An artist of a test catalogue, with its aliases, the groups it is in and its members. */
export interface TestArtist {
  id: number;
  name: string;
  aliases?: { id: number; name: string }[];
  groups?: { id: number; name: string }[];
  members?: { id: number; name: string }[];
}

/** A label of a test catalogue, with its parent label. */
export interface TestLabel {
  id: number;
  name: string;
  parent?: { id: number; name: string } | null;
  sublabels?: { id: number; name: string }[];
}

/** What {@link writeTestCatalogue} writes. */
export interface TestCatalogue {
  releases: TestRelease[];
  /** No masters table when absent (as when the catalog stage is given no masters file). */
  masters?: TestMaster[];
  /** No artists table when absent. */
  artists?: TestArtist[];
  /** No labels table when absent. */
  labels?: TestLabel[];
}

/** "2×Vinyl, 12\", 33 ⅓ RPM, Album" from formats, as the catalog stage summarises them. */
function formatSummary(formats: TestRelease["formats"] = []): string | null {
  const parts = formats.map((f) =>
    [
      f.qty && f.qty > 1 ? `${f.qty}×${f.name}` : f.name,
      ...(f.descriptions ?? []),
      ...(f.text ? [f.text] : []),
    ].join(", ")
  );
  return parts.length ? parts.join(" + ") : null;
}

function tableRows(c: TestCatalogue): Record<string, Record<string, unknown>[]> {
  const rows: Record<string, Record<string, unknown>[]> = {
    releases: [],
    release_artists: [],
    release_labels: [],
    release_genres: [],
    release_styles: [],
    release_formats: [],
    artists: (c.artists ?? []).map((a) => ({
      id: a.id,
      name: a.name,
      realname: null,
      data_quality: "Correct",
      name_variations: [],
      aliases: a.aliases ?? [],
      groups: a.groups ?? [],
      members: a.members ?? [],
    })),
    labels: (c.labels ?? []).map((l) => ({
      id: l.id,
      name: l.name,
      data_quality: "Correct",
      parent_id: l.parent?.id ?? null,
      parent_name: l.parent?.name ?? null,
      sublabels: l.sublabels ?? [],
    })),
  };
  for (const r of c.releases) {
    rows.releases.push({
      id: r.id,
      title: r.title,
      year: r.year ?? null,
      released: r.released ?? (r.year ? String(r.year) : null),
      country: r.country ?? null,
      master_id: r.master_id ?? null,
      is_main_release: r.is_main_release ?? false,
      data_quality: "Correct",
      status: null,
      format_summary: formatSummary(r.formats),
      track_count: 4,
    });
    const credit = (a: TestCredit, i: number, kind: string) => ({
      release_id: r.id,
      position: i + 1,
      kind,
      artist_id: a.id ?? null,
      name: a.name,
      anv: a.anv ?? null,
      join: a.join ?? null,
      role: kind === "credit" ? (a.role ?? null) : null,
      tracks: a.tracks ?? null,
    });
    rows.release_artists.push(...r.artists.map((a, i) => credit(a, i, "main")));
    rows.release_artists.push(...(r.credits ?? []).map((a, i) => credit(a, i, "credit")));
    rows.release_labels.push(...(r.labels ?? []).map((l, i) => ({
      release_id: r.id,
      position: i + 1,
      label_id: l.id ?? null,
      name: l.name,
      catno: l.catno ?? null,
    })));
    rows.release_genres.push(...(r.genres ?? []).map((genre) => ({ release_id: r.id, genre })));
    rows.release_styles.push(...(r.styles ?? []).map((style) => ({ release_id: r.id, style })));
    rows.release_formats.push(...(r.formats ?? []).map((f, i) => ({
      release_id: r.id,
      position: i + 1,
      name: f.name,
      qty: f.qty ?? 1,
      text: f.text ?? null,
      descriptions: f.descriptions ?? [],
    })));
  }
  if (c.masters) {
    rows.masters = c.masters.map((m) => ({
      id: m.id,
      main_release: m.main_release,
      title: m.title,
      year: m.year ?? null,
      data_quality: "Correct",
      artist_ids: m.artist_ids ?? [],
      artist_names: m.artist_names ?? [],
      genres: m.genres ?? [],
      styles: m.styles ?? [],
    }));
  }
  return rows;
}

const pad = (n: number) => String(n).padStart(9, "0");

/**
 * Write `catalogue` under `dir` as the catalog stage would: each entity cut into parts of
 * `partSize` ids (default: one part), one zstd Parquet file per table and part, and a
 * `catalog.json` listing the parts and counts.
 */
export async function writeTestCatalogue(
  dir: string,
  catalogue: TestCatalogue,
  options: { partSize?: number } = {},
): Promise<void> {
  const rows = tableRows(catalogue);
  const db = await Database.open(":memory:");
  const scratch = await Deno.makeTempDir({ prefix: "nextspin-catalogue-" });
  const manifest: Record<string, unknown> = { version: 1, sources: {}, parts: {}, counts: {} };
  try {
    for (const [kind, tables] of Object.entries(CATALOG_TABLES) as [DumpKind, object][]) {
      const ids = kind === "releases"
        ? catalogue.releases.map((r) => r.id)
        : kind === "masters"
        ? (catalogue.masters ?? []).map((m) => m.id)
        : kind === "artists"
        ? (catalogue.artists ?? []).map((a) => a.id)
        : (catalogue.labels ?? []).map((l) => l.id);
      if (ids.length === 0) continue;
      ids.sort((a, b) => a - b);
      const size = options.partSize ?? Infinity;
      const parts: { first: number; last: number }[] = [];
      for (let i = 0; i < ids.length; i += Math.min(size, ids.length)) {
        const chunk = ids.slice(i, i + Math.min(size, ids.length));
        parts.push({ first: chunk[0], last: chunk[chunk.length - 1] });
      }
      (manifest.sources as Record<string, string>)[kind] = "test catalogue";
      (manifest.parts as Record<string, unknown>)[kind] = parts;
      (manifest.counts as Record<string, number>)[kind] = ids.length;
      for (const [table, columns] of Object.entries(tables as Record<string, object>)) {
        const idColumn = table === kind ? "id" : "release_id";
        const file = join(scratch, `${table}.jsonl`);
        await Deno.writeTextFile(
          file,
          rows[table].map((r) => JSON.stringify(r)).join("\n") + "\n",
        );
        const spec = Object.entries(columns).map(([c, t]) => `${literal(c)}: ${literal(t)}`);
        await Deno.mkdir(join(dir, table), { recursive: true });
        for (const part of parts) {
          const target = join(dir, table, `${pad(part.first)}-${pad(part.last)}.parquet`);
          await db.run(
            `COPY (SELECT * FROM read_json(${literal(file)}, format = 'newline_delimited',
                     columns = {${spec.join(", ")}})
                   WHERE ${idColumn} BETWEEN ${part.first} AND ${part.last}
                   ORDER BY ${idColumn})
             TO ${literal(target)} (FORMAT parquet, COMPRESSION zstd)`,
          );
        }
      }
    }
    await Deno.writeTextFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n");
  } finally {
    db.close();
    await Deno.remove(scratch, { recursive: true });
  }
}
