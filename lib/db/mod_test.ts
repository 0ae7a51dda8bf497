import { assert, assertEquals, assertRejects } from "../testing/assert.ts";
import { Database, EmptyReplacementError, ident, literal } from "./mod.ts";

/** A real workspace file in a fresh temporary folder, closed and removed afterwards. */
async function withFile<T>(body: (db: Database, path: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-db-test-" });
  const path = `${dir}/sub/w.duckdb`;
  const db = await Database.open(path);
  try {
    return await body(db, path);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "open creates the file (and its folder); a reopened file keeps its tables",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "nextspin-db-test-" });
    try {
      const path = `${dir}/nested/w.duckdb`;
      const db = await Database.open(path);
      await db.run("CREATE TABLE crate (release_id BIGINT)");
      await db.run("INSERT INTO crate VALUES (1), (2)");
      db.close();
      assert((await Deno.stat(path)).isFile);
      const again = await Database.open(path, { readOnly: true });
      try {
        assertEquals(await again.count("crate"), 2);
        assertEquals(again.path, path);
        await assertRejects(() => again.run("INSERT INTO crate VALUES (3)"));
      } finally {
        again.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "run, all, one, count and columnsOf with named parameters give plain JS values",
  fn: () =>
    withFile(async (db) => {
      await db.run(`CREATE TABLE releases (release_id BIGINT, title VARCHAR, price DOUBLE);
        INSERT INTO releases VALUES (11, 'Rudeboy', 0.08), (22, 'L.A. Woman', 18.5)`);
      await db.run("INSERT INTO releases VALUES ($id, $title, $price)", {
        id: 33,
        title: 'It\'s "quoted"',
        price: null,
      });
      assertEquals(await db.count("releases"), 3);
      const rows = await db.all<{ release_id: number; title: string }>(
        "SELECT release_id, title FROM releases WHERE release_id > $min ORDER BY release_id",
        { min: 11 },
      );
      // BIGINTs come back as numbers, not bigints.
      assertEquals(rows, [
        { release_id: 22, title: "L.A. Woman" },
        { release_id: 33, title: 'It\'s "quoted"' },
      ]);
      assertEquals(await db.one("SELECT price FROM releases WHERE release_id = 33"), {
        price: null,
      });
      assertEquals(await db.one("SELECT * FROM releases WHERE release_id = 99"), undefined);
      assertEquals(
        await db.columnsOf("SELECT release_id, price FROM releases ORDER BY release_id"),
        { release_id: [11, 22, 33], price: [0.08, 18.5, null] },
      );
      assertEquals((await db.columns("releases")).map((c) => c.type), [
        "BIGINT",
        "VARCHAR",
        "DOUBLE",
      ]);
      assertEquals(ident('a"b'), '"a""b"');
      assertEquals(literal("it's"), "'it''s'");
    }),
});

Deno.test({
  name: "replaceTable swaps a table atomically and can refuse an empty replacement",
  fn: () =>
    withFile(async (db) => {
      assertEquals(await db.replaceTable("picks", "SELECT range AS n FROM range(3)"), 3);
      assertEquals(await db.replaceTable("picks", "SELECT range AS n FROM range($k)", { k: 5 }), 5);
      // A replacement that fails half-way leaves the old table as it was.
      await assertRejects(() =>
        db.replaceTable(
          "picks",
          "SELECT CASE WHEN range < 4 THEN range ELSE error('boom') END AS n FROM range(10)",
        )
      );
      assertEquals(await db.count("picks"), 5);
      // Empty results are fine by default (an empty wantlist is a real wantlist)...
      assertEquals(await db.replaceTable("empty", "SELECT 1 AS n WHERE false"), 0);
      // ...but refused when asked, keeping the old rows.
      const error = await assertRejects(
        () =>
          db.replaceTable("picks", "SELECT 1 AS n WHERE false", undefined, { refuseEmpty: true }),
        EmptyReplacementError,
      );
      assert(error.message.includes("picks"), error.message);
      assertEquals(await db.count("picks"), 5);
    }),
});

Deno.test({
  name: "transaction rolls back everything when its body throws",
  fn: () =>
    withFile(async (db) => {
      await db.run("CREATE TABLE t (n INTEGER)");
      await assertRejects(() =>
        db.transaction(async () => {
          await db.run("INSERT INTO t VALUES (1)");
          throw new Error("stop");
        })
      );
      assertEquals(await db.count("t"), 0);
    }),
});

Deno.test({
  name: "insertRows types rows by the table's schema: timestamps, lists, JSON, missing keys",
  fn: () =>
    withFile(async (db) => {
      await db.run(
        "CREATE TEMP TABLE snaps (release_id BIGINT, fetched_at TIMESTAMP, styles VARCHAR[], extra JSON, note VARCHAR)",
      );
      await db.insertRows("snaps", [
        {
          release_id: 1,
          fetched_at: "2026-11-25T04:12:00Z",
          styles: ["Dub", "Roots"],
          extra: { a: 1 },
        },
        { release_id: 2, styles: [], note: "no date" },
      ]);
      await db.insertRows("snaps", []);
      const rows = await db.all<
        { release_id: number; fetched_at: Date | null; styles: string[]; note: string | null }
      >("SELECT release_id, fetched_at, styles, note FROM snaps ORDER BY release_id");
      assertEquals(rows.map((r) => r.styles), [["Dub", "Roots"], []]);
      assertEquals(rows[0].fetched_at?.toISOString(), "2026-11-25T04:12:00.000Z");
      assertEquals(rows[1].fetched_at, null);
      assertEquals(rows.map((r) => r.note), [null, "no date"]);
    }),
});

const COLUMNS = {
  release_id: "BIGINT",
  title: "VARCHAR",
  year: "INTEGER",
  lowest_price: "DOUBLE",
  for_sale: "BOOLEAN",
  fetched_at: "TIMESTAMP",
  styles: "VARCHAR[]",
  ranks: "INTEGER[]",
  prices: "DOUBLE[]",
} as const;

const CREATE = `(release_id BIGINT, title VARCHAR, year INTEGER, lowest_price DOUBLE,
  for_sale BOOLEAN, fetched_at TIMESTAMP, styles VARCHAR[], ranks INTEGER[], prices DOUBLE[])`;

Deno.test({
  name: "append writes typed columns, lists and nulls through the bulk appender",
  fn: () =>
    withFile(async (db) => {
      await db.run(`CREATE TABLE releases ${CREATE}`);
      const when = new Date("2026-12-02T10:30:00.123Z");
      const appended = await db.append("releases", COLUMNS, [
        {
          release_id: 9_007_199_254_740_991, // the largest safe integer survives BIGINT
          title: "Lost In The Dream",
          year: 2014,
          lowest_price: 29.99,
          for_sale: true,
          fetched_at: when,
          styles: ["Indie Rock", null],
          ranks: [1, 2],
          prices: [1.5, null],
        },
        {
          release_id: 2,
          title: null,
          year: null,
          lowest_price: null,
          for_sale: null,
          fetched_at: null,
          styles: null,
          ranks: [],
          prices: null,
        },
      ]);
      assertEquals(appended, 2);
      const rows = await db.all("SELECT * FROM releases ORDER BY release_id");
      assertEquals(rows[1], {
        release_id: 9_007_199_254_740_991,
        title: "Lost In The Dream",
        year: 2014,
        lowest_price: 29.99,
        for_sale: true,
        fetched_at: when,
        styles: ["Indie Rock", null],
        ranks: [1, 2],
        prices: [1.5, null],
      });
      assertEquals(rows[0], {
        release_id: 2,
        title: null,
        year: null,
        lowest_price: null,
        for_sale: null,
        fetched_at: null,
        styles: null,
        ranks: [],
        prices: null,
      });
    }),
});

Deno.test({
  name: "append finds temp tables, streams through appender(), and checks the columns",
  fn: () =>
    withFile(async (db) => {
      await db.run("CREATE TEMP TABLE staging (n BIGINT, label VARCHAR)");
      const appender = await db.appender("staging", { n: "BIGINT", label: "VARCHAR" });
      for (let n = 0; n < 5000; n++) {
        appender.add({ n, label: n % 2 === 0 ? "even" : null });
        // Other queries may run on the database while the appender is open.
        if (n === 2500) assertEquals(await db.one("SELECT 1 AS one"), { one: 1 });
      }
      appender.close();
      appender.close(); // closing twice is harmless
      assertEquals(appender.rows, 5000);
      assertEquals(
        await db.one(
          "SELECT count(*) AS n, count(label) AS labelled, sum(n) AS total FROM staging",
        ),
        { n: 5000, labelled: 2500, total: 4999 * 5000 / 2 },
      );
      // A wrong type or order names the columns instead of failing inside DuckDB.
      const wrong = await assertRejects(() =>
        db.append("staging", { label: "VARCHAR", n: "BIGINT" }, [])
      );
      assert(/label VARCHAR, n BIGINT.*n BIGINT, label VARCHAR/.test(wrong.message), wrong.message);
      await assertRejects(() => db.append("staging", { n: "INTEGER", label: "VARCHAR" }, []));
      const missing = await assertRejects(() => db.append("nowhere", { n: "BIGINT" }, []));
      assert(missing.message.includes("nowhere"), missing.message);
    }),
});

Deno.test({
  name: "append and insertRows write to a temp table that shadows a workspace table",
  fn: () =>
    withFile(async (db) => {
      await db.run("CREATE TABLE picks (release_id BIGINT, note VARCHAR)");
      await db.run("CREATE TEMP TABLE picks (release_id BIGINT)");
      await db.append("picks", { release_id: "BIGINT" }, [{ release_id: 1 }]);
      await db.insertRows("picks", [{ release_id: 2 }]);
      assertEquals(await db.count("picks"), 2);
      // The workspace's own table (its catalog is named after the file) is untouched.
      assertEquals((await db.one("SELECT count(*) AS n FROM w.main.picks"))?.n, 0);
    }),
});

Deno.test({
  name: "tableExists sees tables, temp tables and views, and nothing else",
  fn: () =>
    withFile(async (db) => {
      await db.run("CREATE TABLE scores AS SELECT 1 AS n");
      await db.run("CREATE TEMP TABLE score_values AS SELECT 1 AS n");
      await db.run("CREATE VIEW crate_view AS SELECT * FROM scores");
      assert(await db.tableExists("scores"));
      assert(await db.tableExists("score_values"));
      assert(await db.tableExists("crate_view"));
      assert(!(await db.tableExists("nothing_here")));
      // DuckDB's own catalog views do not count as workspace tables.
      assert(!(await db.tableExists("duckdb_tables")));
      await db.run("DROP VIEW crate_view");
      assert(!(await db.tableExists("crate_view")));
    }),
});

Deno.test({
  name: "version names DuckDB",
  fn: () => withFile(async (db) => assert((await db.version()).startsWith("v"))),
});

Deno.test({
  name: "allJson gives what all gives for JSON-friendly columns, in the query's order",
  fn: () =>
    withFile(async (db) => {
      await db.run(`CREATE TABLE crate (key VARCHAR, release_id BIGINT, year INTEGER,
        price DOUBLE, styles VARCHAR[], credits STRUCT(name VARCHAR, role VARCHAR)[], owned BOOLEAN)`);
      await db.run(`INSERT INTO crate VALUES
        ('b', 9007199254740991, 1994, 12.345678901234567, ['Jungle', NULL],
          [{'name': 'E. "Priest"', 'role': 'Remix'}], true),
        ('a', 2, NULL, 0.1, [], NULL, false),
        ('c', NULL, 2001, NULL, NULL, [], NULL),
        ('d', 4, 1978, -1e-300, ['Dub\\tRoots', 'Ünïcødé ✓'], [{'name': NULL, 'role': 'x'}], true)`);
      const sql = "SELECT * FROM crate WHERE key <> $skip ORDER BY key DESC";
      const rows = await db.allJson(sql, { skip: "zzz" });
      assertEquals(rows, await db.all(sql, { skip: "zzz" }));
      assertEquals(rows.map((r) => r.key), ["d", "c", "b", "a"]);
      assertEquals(rows[2].price, 12.345678901234567);
      assertEquals(await db.allJson("SELECT * FROM crate WHERE false"), []);
      // NaN and infinities are no JSON: read the slow way, the same values.
      const odd = "SELECT key, CASE key WHEN 'a' THEN 'nan'::DOUBLE WHEN 'b' THEN 'inf'::DOUBLE " +
        "ELSE price END AS price FROM crate ORDER BY key";
      const oddRows = await db.allJson<{ key: string; price: number | null }>(odd);
      assertEquals(oddRows.map((r) => r.price), [NaN, Infinity, null, -1e-300]);
    }),
});
