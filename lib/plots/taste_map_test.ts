import { InputError } from "../errors.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../testing/assert.ts";
import { Database } from "../db/mod.ts";
import { toSvgString } from "./render.ts";
import type { TasteMapPoint } from "./rows.ts";
import { tasteMap } from "./taste_map.ts";
import { loadTasteMapPoints, principalPlane, projectOnto, shelfPlane } from "./taste_points.ts";
import { countMarks, markGroups, texts } from "./testing.ts";
import { writeEmbeddings } from "../embed/table.ts";
import { writeShelves } from "../recommend/shelves.ts";

const point = (
  x: number,
  y: number,
  cluster: string | number,
  kind: TasteMapPoint["kind"] = "collection",
  label = `${cluster} at ${x},${y}`,
): TasteMapPoint => ({ x, y, cluster, label, kind });

const POINTS: TasteMapPoint[] = [
  point(0, 0, "Dub"),
  point(0.2, 0.1, "Dub"),
  point(0.1, 0.3, "Dub"),
  point(0.3, 0.2, "Dub"),
  point(3, 3, "Jazz"),
  point(3.2, 2.9, "Jazz"),
  point(Number.NaN, 1, "Jazz"),
  point(0.15, 0.15, "Dub", "recommendation", "King Tubby – Dub From The Roots"),
  point(6, 0, "Ambient", "recommendation", "Brian Eno – Music For Airports"),
  point(5, 1, "Jazz", "recommendation", "Third Pick"),
];

Deno.test("tasteMap: collection dots, recommendation stars and the shelf legend", () => {
  const svg = toSvgString(tasteMap(POINTS, { labelRecommendations: 2 }));
  // Stars come last, over the labels (rings and boxes), so no label hides one.
  const [dots, rings, stars] = markGroups(svg, "dot");
  assertEquals(dots.match(/<circle\b/g)?.length, 6, "six collection dots (the NaN one dropped)");
  assertEquals(stars.match(/<path\b/g)?.length, 3, "three recommendation stars");
  assert(!stars.includes("<circle"), "recommendations are stars, not dots");
  assertEquals(rings.match(/<circle\b/g)?.length, 2, "two labelled recommendations ringed");
  const all = texts(svg);
  const joined = all.join(" ");
  assertStringIncludes(
    joined,
    "6 records on 2 shelves (dots), 3 recommendations (★, first 2 labelled).",
  );
  assertStringIncludes(joined, "1 point without coordinates not shown.");
  // The legend: shelves by size, largest first; a shelf with only a recommendation shows 0.
  const legend = ["Dub (4)", "Jazz (2)", "Ambient (0)"];
  const at = legend.map((name) => all.indexOf(name));
  assert(at.every((i) => i >= 0), `legend ${all.join(" | ")}`);
  assertEquals([...at].sort((a, b) => a - b), at, "legend order");
  assert(all.includes("King Tubby – Dub From The Roots"));
  assert(all.includes("Brian Eno – Music For Airports"));
  assert(!all.includes("Third Pick"), "only the first two recommendations labelled");
  // A point's colour is its shelf's: the four Dub dots share one fill, unlike the Jazz ones.
  const fills = [...dots.matchAll(/fill="([^"]+)"/g)].map((m) => m[1]);
  assertEquals(new Set(fills.slice(0, 4)).size, 1);
  assert(fills[4] !== fills[0], "Jazz and Dub share a colour");
  // No axes: the projection has no units.
  assertEquals(markGroups(svg, "x-axis tick").length, 0);
});

Deno.test("tasteMap: numbered clusters, only recommendations, the projection note", () => {
  const svg = toSvgString(
    tasteMap([point(0, 0, 1), point(1, 1, 2)], { projection: "PCA of the vectors." }),
  );
  const all = texts(svg);
  assert(all.includes("1 (1)") && all.includes("2 (1)"), all.join(" | "));
  assert(all.includes("PCA of the vectors."));
  assertStringIncludes(all.join(" "), "2 records on 2 shelves (dots).");

  const picks = toSvgString(tasteMap([point(0, 0, "Dub", "recommendation", "Only pick")]));
  assertEquals(countMarks(picks, "dot", "path"), 1);
  assert(texts(picks).includes("Only pick"));
});

Deno.test("tasteMap: no points give an empty chart with a message", () => {
  for (const points of [[], [point(Number.NaN, 0, "Dub")]]) {
    const svg = toSvgString(tasteMap(points));
    assertStringIncludes(svg, "No embedded records yet: run `deno task embed`.");
    assertEquals(countMarks(svg, "dot", "circle"), 0);
  }
});

Deno.test("tasteMap escapes labels and shelf names", () => {
  const hostile = "<script>alert(1)</script> & Co";
  const svg = toSvgString(
    tasteMap([point(0, 0, hostile), point(1, 1, "Dub", "recommendation", hostile)]),
  );
  assert(!svg.includes("<script"), "a raw <script> tag reached the SVG");
  assertStringIncludes(svg, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co");
});

// Six 3-D points spread widely along x, a little along y (uncorrelated with x), none along z.
const VECTORS = [
  [-5, 0.5, 0],
  [-3, -0.5, 0],
  [-1, 0, 0],
  [1, 0, 0],
  [3, -0.5, 0],
  [5, 0.5, 0],
].flat();

Deno.test("principalPlane: the first axis follows the widest spread, the second the next", () => {
  const plane = principalPlane(VECTORS, 3);
  assertAlmostEquals(plane.mean[0], 0, 1e-9);
  assertAlmostEquals(plane.axes[0][0], 1, 1e-6);
  assertAlmostEquals(Math.abs(plane.axes[1][1]), 1, 1e-3);
  // Orthonormal axes, sign fixed so the largest component is positive.
  const dot = plane.axes[0].reduce((s, v, j) => s + v * plane.axes[1][j], 0);
  assertAlmostEquals(dot, 0, 1e-9);
  assert(plane.axes[1][1] > 0);
  const [x, y] = projectOnto(plane, VECTORS, 3, 0);
  assertAlmostEquals(x, -5, 1e-3);
  assertAlmostEquals(Math.abs(y), 0.5, 1e-2);
  // Deterministic: the same plane on every run.
  assertEquals(principalPlane(VECTORS, 3).axes[0], plane.axes[0]);
});

Deno.test("shelfPlane: two shelves are pulled apart along the line between them", () => {
  // Shelves differ along z, while each spreads widely along x: plain PCA would pick x first.
  const a = [[-6, 0, 1], [6, 0, 1], [0, 0.2, 1]];
  const b = [[-6, 0, -1], [6, 0, -1], [0, -0.2, -1]];
  const vectors = [...a, ...b].flat();
  assertAlmostEquals(Math.abs(principalPlane(vectors, 3).axes[0][0]), 1, 1e-6);
  const plane = shelfPlane(vectors, 3, {
    k: 2,
    centroids: [0, 0.2 / 3, 1, 0, -0.2 / 3, -1],
    sizes: [3, 3],
  });
  const first = plane.axes[0];
  assert(Math.abs(first[2]) > 0.99, `first axis ${[...first]}`);
  const xs = [0, 1, 2, 3, 4, 5].map((i) => projectOnto(plane, vectors, 3, i)[0]);
  assert(
    Math.min(...xs.slice(0, 3)) > Math.max(...xs.slice(3)) ||
      Math.max(...xs.slice(0, 3)) < Math.min(...xs.slice(3)),
    `shelves overlap on the first axis: ${xs}`,
  );
});

Deno.test("loadTasteMapPoints: skipped without embeddings, an embeddings_2d table as is", async () => {
  const db = await Database.open(":memory:");
  try {
    const none = await loadTasteMapPoints(db);
    assert("skipped" in none);
    assertStringIncludes(none.skipped, "deno task embed");

    await db.run(`CREATE TABLE embeddings_2d AS SELECT * FROM (VALUES
      (1.5, 2.0, 'Dub', 'A – B', 'collection'),
      (3, -1, 'Jazz', 'C – D', 'recommendation')) t(x, y, cluster, label, kind)`);
    const found = await loadTasteMapPoints(db);
    assert("points" in found);
    assertEquals(found.source, "embeddings_2d");
    assertEquals(found.points, [
      { x: 1.5, y: 2, cluster: "Dub", label: "A – B", kind: "collection" },
      { x: 3, y: -1, cluster: "Jazz", label: "C – D", kind: "recommendation" },
    ]);
    const svg = toSvgString(tasteMap(found.points, { projection: found.projection }));
    assertEquals(countMarks(svg, "dot", "circle") - 1, 1, "one dot and one label ring");

    await db.run("DROP TABLE embeddings_2d; CREATE TABLE embeddings_2d (x DOUBLE, y DOUBLE)");
    await assertRejects(() => loadTasteMapPoints(db), InputError, "columns x, y, cluster");
  } finally {
    db.close();
  }
});

Deno.test("loadTasteMapPoints: the stored shelves and the lists' stored order, never a second clustering", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-taste-" });
  const db = await Database.open(`${dir}/w.duckdb`);
  try {
    // Four records along two directions, and two picks; 2-D unit vectors.
    await db.run(`CREATE TABLE collection (release_id BIGINT, artist_display VARCHAR,
      title VARCHAR, label VARCHAR, catalog_number VARCHAR, format VARCHAR,
      released_year INTEGER, source_line INTEGER)`);
    await db.run(`INSERT INTO collection (release_id, artist_display, title, source_line) VALUES
      (1, 'A1', 'T1', 1), (2, 'A2', 'T2', 2), (3, 'B1', 'T3', 3), (4, 'B2', 'T4', 4)`);
    await db.run(`CREATE TABLE releases (release_id BIGINT, artist VARCHAR, title VARCHAR,
      artists VARCHAR[], labels VARCHAR[], genres VARCHAR[], styles VARCHAR[], year INTEGER,
      country VARCHAR, formats VARCHAR[], have INTEGER, want INTEGER, lowest_price DOUBLE,
      num_for_sale INTEGER, currency VARCHAR, master_id BIGINT, catalog_numbers VARCHAR[])`);
    const v = (deg: number) => [Math.cos(deg * Math.PI / 180), Math.sin(deg * Math.PI / 180)];
    await writeEmbeddings(db, 2, [
      {
        kind: "collection",
        keys: ["release:1", "release:2", "release:3", "release:4"],
        vectors: Float32Array.from([0, 10, 80, 90].flatMap(v)),
      },
      {
        kind: "pool",
        keys: ["p:near-b", "p:near-a"],
        vectors: Float32Array.from([85, 5].flatMap(v)),
      },
    ]);
    // Shelves no clustering would make: record 2 (at 10°) filed with the 80–90° records.
    const candidates = [1, 2, 3, 4].map((id) => ({ releaseId: id }));
    await writeShelves(
      db,
      candidates,
      {
        clustering: {
          k: 2,
          dims: 2,
          centroids: Float32Array.from([...v(0), ...v(60)]),
          assignments: Int32Array.from([0, 1, 1, 1]),
          sizes: [1, 3],
        },
        names: ["Shelf A", "Shelf B"],
      },
      Float32Array.from([0, 10, 80, 90].flatMap(v)),
    );
    const noPicks = await loadTasteMapPoints(db);
    assert("points" in noPicks);
    assertEquals(noPicks.points.map((p) => p.cluster), [
      "Shelf A",
      "Shelf B",
      "Shelf B",
      "Shelf B",
    ]);

    // A toy kind registered first: its pick is labelled first.
    await db.run(`CREATE TABLE recommendation_kinds AS SELECT * FROM (VALUES
      ('toy', 1, 'Toy', ''), ('gem', 2, 'Gems', '')) t(kind, kind_order, label, description)`);
    await db.run(`CREATE TABLE recommendations AS SELECT * FROM (VALUES
      ('gem', 1, 'p:near-b', 'G', 'Gem pick'), ('toy', 1, 'p:near-a', 'Y', 'Toy pick'))
      t(kind, rank, pool_key, artist, title)`);
    const found = await loadTasteMapPoints(db);
    assert("points" in found);
    const picks = found.points.filter((p) => p.kind === "recommendation");
    assertEquals(picks.map((p) => [p.label, p.cluster]), [
      ["Y – Toy pick", "Shelf A"],
      ["G – Gem pick", "Shelf B"],
    ]);

    await db.run("DELETE FROM shelf_members WHERE release_id = 4");
    const stale = await loadTasteMapPoints(db);
    assert("skipped" in stale);
    assertStringIncludes(stale.skipped, "run `deno task recommend`");
    await db.run("DROP TABLE shelves");
    const none = await loadTasteMapPoints(db);
    assert("skipped" in none);
    assertStringIncludes(none.skipped, "no `shelves` table yet (run `deno task recommend`)");
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tasteMap: stars are drawn over the labels, outlined, so every star stays visible", () => {
  // A dense shelf of recommendations, labelled, as on the sample's map.
  const dense: TasteMapPoint[] = [
    ...POINTS.filter((p) => p.kind === "collection"),
    ...Array.from(
      { length: 24 },
      (_, i) =>
        point(
          1 + (i % 6) * 0.05,
          1 + Math.floor(i / 6) * 0.05,
          "Dub",
          "recommendation",
          `Pick ${i}`,
        ),
    ),
  ];
  const svg = toSvgString(tasteMap(dense, { labelRecommendations: 6 }));
  const starGroup = svg.lastIndexOf('aria-label="dot"');
  const labelBoxes = svg.lastIndexOf('aria-label="rect"');
  assert(labelBoxes > 0 && starGroup > labelBoxes, "the label boxes are drawn over the stars");
  const stars = markGroups(svg, "dot").at(-1)!;
  assertEquals(stars.match(/<path\b/g)?.length, 24);
  const starTag = svg.slice(svg.lastIndexOf("<g", starGroup), svg.indexOf(">", starGroup));
  assertStringIncludes(starTag, 'stroke="#111"');
  for (let i = 0; i < 6; i++) assert(texts(svg).includes(`Pick ${i}`), `Pick ${i} not labelled`);
});
