/**
 * The report's "Twin crate diggers" section in a real browser (Debian's chromium through
 * playwright-core): a planted twin first, its picks with Discogs links, hostile strings from
 * another collector's export shown as text, and no horizontal overflow at phone width.
 */

import { launchChromium } from "./browser.ts";
import { join } from "node:path";
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { runModule, runPipeline, tempWorkspace } from "./helpers.ts";

const HEADER =
  "Catalog#,Artist,Title,Label,Format,Rating,Released,release_id,CollectionFolder,Date Added,Collection Media Condition,Collection Sleeve Condition,Collection Notes";
const XSS = `<img src=x onerror="alert('twin')">`;
const LONG = "Averyveryverylongartistnamewithoutanyspacesatallthatcouldpushthepagewide".repeat(2);

Deno.test({
  name: "the Twin crate diggers section renders in a real browser: escaped, linked, fits a phone",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const ws = await tempWorkspace();
    const browser = await launchChromium();
    try {
      const sample = await runPipeline(ws);
      assertEquals(sample.code, 0, sample.stderr);
      const db = await Database.open(ws.db);
      const owned = await db.all<{ line: string }>(
        `SELECT concat_ws(',', 'X', '"' || c.artist || '"', '"' || c.title || '"', '"' || c.label || '"',
           '"LP"', '', coalesce(c.released_year, 0), c.release_id, 'Uncategorized', '', '', '', '')
           AS line
         FROM collection c JOIN releases r USING (release_id)
         QUALIFY row_number() OVER (PARTITION BY release_id) = 1
         ORDER BY r.have LIMIT 20`,
      );
      db.close();
      const strange = [
        `X,"${XSS.replaceAll('"', '""')}","${
          XSS.replaceAll('"', '""')
        }",Evil,LP,,1999,999000001,Uncategorized,,,,`,
        `X,${LONG},Long Title,Label,LP,,1999,999000002,Uncategorized,,,,`,
      ];
      const file = join(ws.dir, "planted_collection.csv");
      await Deno.writeTextFile(
        file,
        [HEADER, ...owned.map((r) => r.line), ...strange].join("\n") + "\n",
      );
      const twins = await runModule("pipeline/twins.ts", [
        "--db",
        ws.db,
        "--out",
        ws.out,
        "--with-file",
        file,
        "--offline",
      ], { NEXTSPIN_QUIET: "1" });
      assertEquals(twins.code, 0, twins.stderr);
      const report = await runModule("pipeline/report.ts", ["--db", ws.db, "--out", ws.out], {
        NEXTSPIN_QUIET: "1",
      });
      assertEquals(report.code, 0, report.stderr);

      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("dialog", (d) => {
        problems.push(`dialog: ${d.message()}`);
        d.dismiss().catch(() => {});
      });
      page.on("pageerror", (e) => problems.push(e.message));
      page.on("request", (r) => {
        if (!/^(file|data):/.test(r.url())) problems.push(`request: ${r.url()}`);
      });
      await page.goto(`file://${join(ws.out, "report.html")}`);
      const section = page.locator("#twins");
      await section.scrollIntoViewIfNeeded();
      const first = await page.locator("#twins-list li").first().textContent();
      assertStringIncludes(first ?? "", "planted");
      assertStringIncludes(first ?? "", "fewer than 200 people have");
      const picks = await page.locator("#twin-picks li").allTextContents();
      assert(picks.some((p) => p.includes(XSS)), "the hostile title is shown as text");
      assertEquals(await page.locator("#twins img").count(), 0, "and not made an element");
      const href = await page.locator("#twin-picks li a").first().getAttribute("href");
      assert(/^https:\/\/www\.discogs\.com\/release\/\d+$/.test(href ?? ""), href ?? "");
      // A string, not a function: Deno type-checks this file without the DOM library.
      const widths = await page.evaluate(`({
        viewport: document.documentElement.clientWidth,
        page: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
      })`);
      assertEquals(widths, { viewport: 390, page: 390, body: 390 });
      assertEquals(problems, []);
      await page.screenshot({ path: join(ws.out, "twins_phone.png"), fullPage: false });
      await context.close();
    } finally {
      await browser.close();
      await ws.cleanup();
    }
  },
});
