import { Database } from "../db/mod.ts";
import { assertEquals } from "../testing/assert.ts";
import { exportCsv, exportParquet, neutraliseCell } from "./tables.ts";

Deno.test("neutraliseCell prefixes formula triggers with an apostrophe", () => {
  for (const cell of ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]) {
    assertEquals(neutraliseCell(cell), `'${cell}`);
  }
  assertEquals(neutraliseCell("Kind of Blue"), "Kind of Blue");
  assertEquals(neutraliseCell(""), "");
});

Deno.test("CSV export neutralises text and list cells but leaves numbers alone", async () => {
  const dir = await Deno.makeTempDir();
  const db = await Database.open(":memory:");
  try {
    await db.run(`CREATE TABLE t AS SELECT * FROM (VALUES
      (1, '=cmd|'' /C calc''!A0', ['@evil', 'Dub'], -5.5),
      (2, 'Plain title', ['Roots Reggae'], 3.0)) v(id, title, styles, price)`);
    await exportCsv(db, "t", `${dir}/t.csv`, "id");
    const rows = await db.all<{ id: number; title: string; styles: string; price: number }>(
      `SELECT * FROM read_csv('${dir}/t.csv', header=true, all_varchar=false) ORDER BY id`,
    );
    assertEquals(rows[0].title, "'=cmd|' /C calc'!A0");
    assertEquals(rows[0].styles, "'@evil; Dub");
    assertEquals(rows[0].price, -5.5);
    assertEquals(rows[1].title, "Plain title");
    assertEquals(rows[1].styles, "Roots Reggae");
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Parquet export round-trips and leaves no temporary file behind", async () => {
  const dir = await Deno.makeTempDir();
  const db = await Database.open(":memory:");
  try {
    await db.run("CREATE TABLE t AS SELECT range AS id, ['a','b'] AS tags FROM range(3)");
    await exportParquet(db, "t", `${dir}/t.parquet`);
    const rows = await db.all(`SELECT * FROM '${dir}/t.parquet' ORDER BY id`);
    assertEquals(rows, [{ id: 0, tags: ["a", "b"] }, { id: 1, tags: ["a", "b"] }, {
      id: 2,
      tags: ["a", "b"],
    }]);
    const names = [...Deno.readDirSync(dir)].map((e) => e.name);
    assertEquals(names, ["t.parquet"]);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
