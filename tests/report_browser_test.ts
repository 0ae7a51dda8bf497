/**
 * The crate dashboard in a real browser (Debian's chromium driven by playwright-core): the page
 * `deno task pipeline` writes is opened from disk and used as a collector would — slider,
 * filters, crate, CSV export, phone width — while the test checks the rankings against
 * lib/score, and that the page makes no network request, logs no error and shows hostile titles
 * as text.
 *
 * Set NEXTSPIN_CHROMIUM to use another browser binary (default /usr/bin/chromium).
 */
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./browser.ts";
import { join } from "node:path";
import { Database } from "../lib/db/mod.ts";
import { computeScores, formatPrice, scoreInputsFromRows } from "../lib/score/mod.ts";
import type { RankingName } from "../lib/report/rank.ts";
import {
  assert,
  assertEquals,
  assertNotEquals,
  assertStringIncludes,
} from "../lib/testing/assert.ts";
import { fixturePath, REPO_ROOT, runModule, runPipeline, tempWorkspace } from "./helpers.ts";

const QUIET = { NEXTSPIN_QUIET: "1" };
const RANKING_NAMES: RankingName[] = ["value", "smartBuy", "essential", "deepCut"];
const XSS_TITLE = "<img src=x onerror=alert(1)>";
const XSS_ARTIST = "</script><script>alert(2)</script>";
const XSS_STYLE = "<b>Bold</b> Dub";
const FORMULA_LABEL = '=HYPERLINK("http://evil.example","click")';

interface ScoresRow {
  release_id: number;
  artist: string | null;
  title: string;
  want: number | null;
  have: number | null;
  lowest_price: number | null;
  num_for_sale: number | null;
  currency: string | null;
  genres: string[];
  value_rank: number | null;
}

async function readScores(dbPath: string): Promise<ScoresRow[]> {
  const db = await Database.open(dbPath);
  try {
    return await db.all<ScoresRow>(
      `SELECT release_id, artist, title, want, have, lowest_price, num_for_sale, currency, genres,
         value_rank FROM scores ORDER BY release_id`,
    );
  } finally {
    db.close();
  }
}

/** The order lib/score gives each ranking at `weight`, as release ids, best first. */
function expectedOrder(rows: ScoresRow[], weight: number): Record<RankingName, number[]> {
  const inputs = scoreInputsFromRows(rows);
  const scored = computeScores(inputs, weight);
  const order = (name: RankingName) =>
    scored.filter((s) => s.ranks[name] !== null)
      .sort((a, b) => a.ranks[name]! - b.ranks[name]!)
      .map((s) => s.releaseId);
  return {
    value: order("value"),
    smartBuy: order("smartBuy"),
    essential: order("essential"),
    deepCut: order("deepCut"),
  };
}

/** Release ids and scores a ranking shows, top to bottom. */
async function shown(page: Page, name: RankingName): Promise<{ ids: number[]; scores: number[] }> {
  return await page.$$eval(`[data-ranking="${name}"] li.pick`, (items) => ({
    ids: items.map((li) => Number(li.getAttribute("data-release-id"))),
    scores: items.map((li) => Number(li.getAttribute("data-score"))),
  }));
}

/** A page that records console errors, page errors, dialogs and non-local requests. */
async function watchedPage(
  browser: Browser,
  viewport = { width: 1280, height: 900 },
) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const problems = { errors: [] as string[], requests: [] as string[], dialogs: [] as string[] };
  page.on("console", (m) => {
    if (m.type() === "error") problems.errors.push(m.text());
  });
  page.on("pageerror", (e) => problems.errors.push(e.message));
  page.on("request", (r) => {
    if (!/^(file|data):/.test(r.url())) problems.requests.push(r.url());
  });
  page.on("dialog", (d) => {
    problems.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  return { context, page, problems };
}

Deno.test({
  name: "the crate dashboard works in a real browser, offline, with lib/score's rankings",
  // Playwright keeps a pipe to the browser open between steps.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const ws = await tempWorkspace();
    const browser = await launchChromium();
    try {
      const run = await runPipeline(ws);
      assertEquals(run.code, 0, run.stderr);
      const reportPath = join(ws.out, "report.html");
      const rows = await readScores(ws.db);
      const byId = new Map(rows.map((r) => [r.release_id, r]));

      await t.step("rankings are present, sorted, and those of the score stage", async () => {
        const { context, page, problems } = await watchedPage(browser);
        await page.goto(`file://${reportPath}`);
        const expected = expectedOrder(rows, 1);
        for (const name of RANKING_NAMES) {
          const { ids, scores } = await shown(page, name);
          assertEquals(ids.length, 20, `${name} shows a page of 20`);
          assertEquals(ids, expected[name].slice(0, 20), `${name} at weight 1`);
          scores.forEach((s, i) => i > 0 && assert(scores[i - 1] >= s, `${name} sorted`));
        }
        // The page's starting order is the `scores` table's.
        const tableOrder = rows.filter((r) => r.value_rank !== null)
          .sort((a, b) => a.value_rank! - b.value_rank!).map((r) => r.release_id);
        assertEquals((await shown(page, "value")).ids, tableOrder.slice(0, 20));
        const first = page.locator('[data-ranking="value"] li.pick').first();
        assertEquals(
          await first.locator("a.discogs").getAttribute("href"),
          `https://www.discogs.com/release/${expected.value[0]}`,
        );
        assertStringIncludes(await page.locator("#stat-records").innerText(), "316");
        assertStringIncludes(await page.locator("#stat-unpriced").innerText(), "6");
        assertEquals(await page.locator("figure.chart > svg").count(), 4);
        assertEquals(await page.locator('ol[data-kind="gem"] li.pick').count(), 8);
        await page.locator("#recs-gem button.more").click();
        assertEquals(await page.locator('ol[data-kind="gem"] li.pick').count(), 20);
        await page.screenshot({ path: join(REPO_ROOT, "data/out/report.png"), fullPage: true });
        assertEquals(problems, { errors: [], requests: [], dialogs: [] });
        await context.close();
      });

      await t.step("the price slider re-ranks exactly as lib/score does", async () => {
        const { context, page, problems } = await watchedPage(browser);
        await page.goto(`file://${reportPath}`);
        const before = await shown(page, "value");
        for (const weight of [5, 10, 0.5, 2.5]) {
          await page.locator("#weight").fill(String(weight));
          assertEquals(await page.locator("#weight-value").innerText(), weight.toFixed(1));
          const expected = expectedOrder(rows, weight);
          for (const name of RANKING_NAMES) {
            assertEquals(
              (await shown(page, name)).ids,
              expected[name].slice(0, 20),
              `${name}@${weight}`,
            );
          }
        }
        await page.locator("#weight").fill("10");
        assertNotEquals((await shown(page, "value")).ids, before.ids, "the weight moves picks");
        // Keyboard: the slider is a real range input.
        await page.locator("#weight").focus();
        await page.keyboard.press("ArrowLeft");
        assertEquals(await page.locator("#weight-value").innerText(), "9.5");
        assertEquals((await shown(page, "value")).ids, expectedOrder(rows, 9.5).value.slice(0, 20));
        await page.locator("#weight-reset").click();
        assertEquals((await shown(page, "value")).ids, before.ids);
        assertEquals(problems, { errors: [], requests: [], dialogs: [] });
        await context.close();
      });

      await t.step("filters narrow every ranking", async () => {
        const { context, page, problems } = await watchedPage(browser);
        await page.goto(`file://${reportPath}`);
        await page.locator("#genre").selectOption("Reggae");
        const reggae = new Set(
          rows.filter((r) => r.genres.includes("Reggae")).map((r) => r.release_id),
        );
        const expected = expectedOrder(rows, 1);
        for (const name of RANKING_NAMES) {
          const { ids } = await shown(page, name);
          assertEquals(ids, expected[name].filter((id) => reggae.has(id)).slice(0, 20), name);
        }
        assertStringIncludes(
          await page.locator("#match-count").innerText(),
          `${reggae.size} of 315`,
        );
        await page.locator("#price-max").fill("5");
        for (const id of (await shown(page, "value")).ids) {
          const row = byId.get(id)!;
          assert(row.genres.includes("Reggae") && row.lowest_price! <= 5, String(id));
        }
        await page.locator("#reset-filters").click();
        await page.locator("#search").fill("jungle");
        const found = await page.locator('[data-ranking="value"] li.pick').allInnerTexts();
        assert(found.length > 0, "search finds records");
        for (const text of found) assert(/jungle/i.test(text), text);
        await page.locator("#search").fill("");
        assertStringIncludes(await page.locator("#match-count").innerText(), "All 315");
        assertEquals(problems, { errors: [], requests: [], dialogs: [] });
        await context.close();
      });

      await t.step("two records in the crate: total, average and CSV export", async () => {
        const { context, page, problems } = await watchedPage(browser);
        await page.goto(`file://${reportPath}`);
        const ids = (await shown(page, "essential")).ids.filter((id) =>
          byId.get(id)!.lowest_price !== null
        ).slice(0, 2);
        for (const id of ids) {
          await page.locator(`[data-ranking="essential"] button[data-crate-key="r:${id}"]`).click();
        }
        const prices = ids.map((id) => byId.get(id)!.lowest_price!);
        const total = Math.round((prices[0] + prices[1]) * 100) / 100;
        assertEquals(await page.locator("#crate-items li").count(), 2);
        assertEquals(await page.locator("#crate-count").innerText(), "2 records");
        assertEquals(await page.locator("#crate-total").innerText(), formatPrice(total, "USD"));
        assertEquals(
          await page.locator("#crate-average").innerText(),
          formatPrice(Math.round(total / 2 * 100) / 100, "USD"),
        );
        // The same record's button elsewhere on the page shows it is in the crate.
        assertEquals(
          await page.locator(`button[data-crate-key="r:${ids[0]}"]`).first().getAttribute(
            "aria-pressed",
          ),
          "true",
        );
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.locator("#crate-export").click(),
        ]);
        assertEquals(download.suggestedFilename(), "next-spin-crate.csv");
        const csv = (await Deno.readTextFile((await download.path())!)).replace(/^\uFEFF/, "");
        const lines = csv.trimEnd().split("\r\n");
        assertEquals(
          lines[0],
          "source,release_id,artist,title,year,label,lowest_price,currency,discogs_url",
        );
        assertEquals(lines.length, 3);
        ids.forEach((id, i) => {
          assert(lines[i + 1].startsWith(`collection,${id},`), lines[i + 1]);
          assert(lines[i + 1].endsWith(`,USD,https://www.discogs.com/release/${id}`), lines[i + 1]);
        });
        await page.locator("#crate-clear").click();
        assertEquals(await page.locator("#crate-items li").count(), 0);
        assertEquals(problems, { errors: [], requests: [], dialogs: [] });
        await context.close();
      });

      await t.step("covers load only when asked for", async () => {
        const { context, page, problems } = await watchedPage(browser);
        // Answer cover requests locally: the test must not depend on the network.
        await page.route("https://**/*", (route) => route.abort());
        await page.goto(`file://${reportPath}`);
        assertEquals(await page.locator("li.pick img").count(), 0);
        assert(await page.locator("li.pick .cover.placeholder").count() > 20);
        assertEquals(problems.requests, []);
        await page.locator("#show-covers").check();
        assert(await page.locator("li.pick img").count() > 20, "covers shown");
        assert(problems.requests.every((u) => u.startsWith("https://i.discogs.com/")));
        await context.close();
      });

      await t.step("at phone width nothing overflows the screen", async () => {
        const { context, page, problems } = await watchedPage(browser, { width: 390, height: 844 });
        await page.goto(`file://${reportPath}`);
        // A string, not a function: Deno type-checks this file without the DOM library.
        const widths = await page.evaluate(`({
          viewport: document.documentElement.clientWidth,
          body: document.body.scrollWidth,
          page: document.documentElement.scrollWidth,
        })`);
        assertEquals(widths, { viewport: 390, body: 390, page: 390 });
        await page.locator("#weight").scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(REPO_ROOT, "data/out/report_phone.png") });
        assertEquals(problems, { errors: [], requests: [], dialogs: [] });
        await context.close();
      });

      await t.step("hostile titles show as text and CSV formulas are neutralised", async () => {
        const target = rows.find((r) => r.value_rank === 1)!;
        const second = rows.find((r) => r.value_rank === 2)!;
        const db = await Database.open(ws.db);
        try {
          await db.run(
            `UPDATE scores SET title = $title, label = $label, styles = list_append(styles, $style)
             WHERE release_id = $id`,
            { title: XSS_TITLE, label: FORMULA_LABEL, style: XSS_STYLE, id: target.release_id },
          );
          await db.run("UPDATE scores SET artist_display = $artist WHERE release_id = $id", {
            artist: XSS_ARTIST,
            id: second.release_id,
          });
          await db.run(
            "UPDATE recommendations SET title = $title WHERE kind = 'gem' AND rank = 1",
            {
              title: XSS_TITLE,
            },
          );
        } finally {
          db.close();
        }
        const xssPath = join(ws.out, "xss.html");
        const report = await runModule(
          "pipeline/report.ts",
          ["--db", ws.db, "--out", ws.out, "--report", xssPath],
          QUIET,
        );
        assertEquals(report.code, 0, report.stderr);
        const html = await Deno.readTextFile(xssPath);
        assert(!html.includes(XSS_TITLE), "the raw title never appears as markup");
        assert(!html.includes(XSS_ARTIST), "the raw artist never appears as markup");

        const { context, page, problems } = await watchedPage(browser);
        await page.goto(`file://${xssPath}`);
        const top = page.locator('[data-ranking="value"] li.pick').first();
        assertEquals(await top.locator("cite.title").innerText(), XSS_TITLE);
        assertEquals(
          await page.locator('[data-ranking="value"] li.pick').nth(1).locator(".artist")
            .innerText(),
          XSS_ARTIST,
        );
        assertEquals(
          await page.locator('ol[data-kind="gem"] li.pick').first().locator("cite.title")
            .innerText(),
          XSS_TITLE,
        );
        assert(
          (await page.locator("#style option").allInnerTexts()).some((o) =>
            o.startsWith(XSS_STYLE)
          ),
          "the style is listed as text",
        );
        await page.waitForTimeout(300);
        assertEquals(await page.locator('img[src="x"], #style b').count(), 0);
        await top.locator("button.crate-toggle").click();
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.locator("#crate-export").click(),
        ]);
        const csv = await Deno.readTextFile((await download.path())!);
        assertStringIncludes(csv, `"'=HYPERLINK(""http://evil.example"",""click"")"`);
        assertStringIncludes(csv, `,${XSS_TITLE},`);
        assertEquals(problems, { errors: [], requests: [], dialogs: [] });
        await context.close();
      });
    } finally {
      await browser.close();
      await ws.cleanup();
    }
  },
});

Deno.test({
  name: "a collection not enriched yet: rankings say why they are empty, nothing breaks",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const ws = await tempWorkspace();
    const browser = await launchChromium();
    try {
      const run = await runPipeline(ws, [
        "--collection",
        fixturePath("exports/mouse-reeve_collection.csv"),
        "--offline",
      ]);
      assertEquals(run.code, 0, run.stderr);
      const { context, page, problems } = await watchedPage(browser);
      await page.goto(`file://${join(ws.out, "report.html")}`);
      for (const name of RANKING_NAMES) {
        const section = page.locator(`[data-ranking="${name}"]`);
        assertEquals(await section.locator("ol.picks > li").count(), 0);
        assertStringIncludes(
          await section.locator(".empty").innerText(),
          "No record can be ranked yet",
        );
      }
      assertStringIncludes(await page.locator("#stat-value").innerText(), "no release has a price");
      assertEquals(problems, { errors: [], requests: [], dialogs: [] });
      await context.close();
    } finally {
      await browser.close();
      await ws.cleanup();
    }
  },
});

Deno.test("the report without a scores table says to run the pipeline first", async () => {
  const ws = await tempWorkspace();
  try {
    const run = await runModule("pipeline/report.ts", ["--db", ws.db, "--out", ws.out]);
    assertEquals(run.code, 2);
    assertStringIncludes(run.stderr, "no `scores` table yet: run `deno task pipeline`");
    assertEquals(run.stderr.trim().split("\n").length, 1, run.stderr);
  } finally {
    await ws.cleanup();
  }
});
