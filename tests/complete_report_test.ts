/**
 * The report's "Complete the set" section in a real browser (Debian's chromium through
 * playwright-core): `deno task pipeline --username …` against the fake Discogs works out the
 * collector's sets, and the page lists them nearest to complete first, opens each on its missing
 * records with Discogs links and prices, filters by name, kind and cost to complete, shows a
 * hostile title as text, and makes no network request.
 *
 * Set NEXTSPIN_CHROMIUM to use another browser binary (default /usr/bin/chromium).
 */
import { launchChromium } from "./browser.ts";
import { join } from "node:path";
import { Database } from "../lib/db/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../lib/testing/assert.ts";
import { CATALOGUE, chooseWorld, tables, USER } from "./complete_world.ts";
import { startFakeDiscogs } from "./fake_discogs/server.ts";
import { runModule, tempWorkspace } from "./helpers.ts";

const XSS_TITLE = "<img src=x onerror=alert(1)>";

Deno.test({
  name:
    "complete: the report lists sets nearest first, opens them on priced missing records, filters",
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
    const env = { DISCOGS_API_URL: fake.url, DISCOGS_RATE_WINDOW: "1s", NEXTSPIN_QUIET: "1" };
    const browser = await launchChromium();
    try {
      // A quick first run (--skip-enrich spends no request on sets either), then the sets, as
      // README tells a collector to.
      const run = await runModule("pipeline/pipeline.ts", [
        ...["--db", ws.db, "--out", ws.out, "--username", USER, "--wantlist-of", USER],
        "--skip-enrich",
      ], env);
      assertEquals(run.code, 0, run.stderr);
      const sets = await runModule("pipeline/complete.ts", [
        ...["--db", ws.db, "--out", ws.out, "--min-owned", "2", "--artist", String(w.artist)],
        ...["--label", String(w.label), "--price-budget", "300"],
      ], env);
      assertEquals(sets.code, 0, sets.stderr);
      // A hostile title, as a Discogs listing could carry one.
      const db = await Database.open(ws.db);
      try {
        await db.run(
          `UPDATE set_missing SET title = $t
           WHERE (set_kind, set_id, title) IN (SELECT (set_kind, set_id, title) FROM set_missing
                                               WHERE set_kind = 'artist' AND set_id = $id LIMIT 1)`,
          { t: XSS_TITLE, id: w.artist },
        );
      } finally {
        db.close();
      }
      const report = await runModule("pipeline/report.ts", ["--db", ws.db, "--out", ws.out], env);
      assertEquals(report.code, 0, report.stderr);
      const t = await tables(ws.db);
      assert(t.sets.length >= 2, `sets: ${t.sets.length}`);

      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(e.message));
      page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
      page.on("dialog", (d) => {
        problems.push(`dialog: ${d.message()}`);
        d.dismiss().catch(() => {});
      });
      page.on("request", (r) => {
        if (!/^(file|data):/.test(r.url())) problems.push(`request: ${r.url()}`);
      });
      await page.goto(`file://${join(ws.out, "report.html")}`);
      const section = page.locator("#complete-set");
      const items = section.locator("li.set");
      assertEquals(await items.count(), t.sets.length);
      // Nearest to complete first: the table's rank order, incomplete sets by % complete.
      const shown = await items.evaluateAll((lis) =>
        lis.map((li) => ({
          name: li.querySelector("strong")!.textContent,
          pct: Number(li.getAttribute("data-pct")),
        }))
      );
      assertEquals(shown.map((s) => s.name), t.sets.map((s) => s.set_name));
      const open = t.sets.filter((s) => s.missing > 0);
      for (let i = 1; i < open.length; i++) assert(open[i - 1].pct >= open[i].pct, "by % complete");
      assertStringIncludes(
        await section.locator("#complete-count").textContent() ?? "",
        `${t.sets.length} of ${t.sets.length} sets`,
      );

      // The artist's set opens on its missing records, with links and prices.
      const artist = section.locator(`li.set[data-set="artist:${w.artist}"]`);
      await artist.locator("summary").click();
      const rows = artist.locator("tr.missing-record");
      const missing = t.missing.filter((m) => m.set_kind === "artist" && m.set_id === w.artist);
      assertEquals(await rows.count(), missing.length);
      const hrefs = await rows.locator("a").evaluateAll((as) =>
        as.map((a) => a.getAttribute("href"))
      );
      assert(
        hrefs.every((h) => /^https:\/\/www\.discogs\.com\/(release|master)\/\d+$/.test(h ?? "")),
        hrefs.join(),
      );
      const text = await artist.textContent() ?? "";
      assertStringIncludes(text, XSS_TITLE, "the hostile title is shown as text");
      const priced = missing.find((m) => m.lowest_price !== null)!;
      assertStringIncludes(text, `$${priced.lowest_price!.toFixed(2)}`);

      // Filters: by name, by kind, by cost to complete.
      const label = t.sets.find((s) => s.set_kind === "label" && s.set_id === w.label)!;
      await page.fill("#complete-search", label.set_name.toLowerCase().slice(0, 12));
      const visible = () =>
        items.evaluateAll((lis) =>
          lis.filter((li) => !li.hasAttribute("hidden")).map((li) =>
            li.querySelector("strong")!.textContent
          )
        );
      assert((await visible()).includes(label.set_name), "the label is found by name");
      assert((await visible()).length < t.sets.length, "others are hidden");
      await page.click("#complete-reset");
      await page.selectOption("#complete-kind", "artist");
      assertEquals(
        (await visible()).length,
        t.sets.filter((s) => s.set_kind === "artist").length,
      );
      await page.selectOption("#complete-kind", "");
      const limit = Math.min(...open.map((s) => s.cost_to_complete).filter((c) => c > 0));
      await page.fill("#complete-max-cost", String(limit));
      const cheap = t.sets.filter((s) =>
        (s.priced > 0 || s.missing === 0) && s.cost_to_complete <= limit
      );
      assertEquals((await visible()).length, cheap.length);
      assertStringIncludes(
        await section.locator("#complete-count").textContent() ?? "",
        `${cheap.length} of ${t.sets.length} sets`,
      );
      assertEquals(problems, []);
      await context.close();
    } finally {
      await browser.close();
      await fake.close();
      await ws.cleanup();
    }
  },
});
