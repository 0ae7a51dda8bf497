import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { escapeHtml, jsonForScript, renderReport } from "./html.ts";
import { inlineScriptText } from "./client.ts";
import { collectionSummary } from "./summary.ts";

Deno.test("escapeHtml turns markup from the data into text", () => {
  assertEquals(
    escapeHtml(`<img src=x onerror=alert(1)>`),
    "&lt;img src=x onerror=alert(1)&gt;",
  );
  assertEquals(escapeHtml(`"Rock" & 'Roll'`), "&quot;Rock&quot; &amp; &#39;Roll&#39;");
  assertEquals(escapeHtml(null), "");
  assertEquals(escapeHtml(1999), "1999");
});

Deno.test("JSON embedded in a script element cannot close it and parses back unchanged", () => {
  const data = {
    title: "</script><script>alert(1)</script>",
    comment: "<!-- x -->",
    amp: "Simon & Garfunkel",
    lines: "a\u2028b\u2029c",
  };
  const text = jsonForScript(data);
  assert(!text.includes("<"), text);
  assert(!text.includes(">"), text);
  assertStringIncludes(text, "\\u003c/script\\u003e");
  assertEquals(JSON.parse(text), data);
});

Deno.test("inlined script text has no closing script tag or comment opener left", () => {
  const js = `const a = "</script>"; const b = /<\\/SCRIPT>/; // <!-- old browsers`;
  const safe = inlineScriptText(js);
  assert(!/<\/script/i.test(safe), safe);
  assert(!safe.includes("<!--"), safe);
  // The string still means the same thing to JavaScript.
  assertEquals(new Function(`${inlineScriptText('return "</script>";')}`)(), "</script>");
});

Deno.test("the page escapes data in the summary and says when there are no recommendations", () => {
  const record = {
    releaseId: 1,
    artist: "A",
    artistDisplay: "A",
    title: "<img src=x onerror=alert(1)>",
    label: null,
    format: null,
    year: 2001,
    copies: 1,
    genres: ["<script>alert(1)</script>"],
    styles: ['"><b>x</b>'],
    want: 2,
    have: 3,
    lowestPrice: 4.5,
    numForSale: 1,
    currency: "EUR",
    thumbnail: null,
    why: { value: "", smartBuy: "", essential: "", deepCut: "" },
  };
  const html = renderReport({
    payload: {
      config: {
        priceWeight: 2.5,
        priceWeightRange: { min: 0.5, max: 10, step: 0.5 },
        formulaTrigger: "^[=+\\-@\\t\\r]",
        pageSize: 20,
      },
      records: [record],
      recommendations: null,
      kinds: [],
    },
    summary: collectionSummary([record]),
    charts: [],
    recommendationWarnings: ["<b>no candidates</b>: rerun"],
    database: "/home/someone/private/nextspin.duckdb",
    generatedAt: new Date("2026-01-02T03:04:05Z"),
  }, "/* client */");
  assert(!html.includes("<script>alert(1)"), "genre escaped");
  assert(!html.includes("<b>x</b>"), "style escaped");
  assert(!html.includes("<img src=x"), "title never in markup");
  assertStringIncludes(html, "&lt;script&gt;alert(1)&lt;/script&gt; (1)");
  assertStringIncludes(html, 'id="recommendations-absent"');
  assertStringIncludes(
    html,
    "<li>&lt;b&gt;no candidates&lt;/b&gt;: rerun</li>",
    "warnings escaped",
  );
  assertStringIncludes(html, "€4.50");
  assertStringIncludes(html, 'value="2.5"');
  assert(!html.includes("/home/someone"), "no local folders in the page");
  // Exactly the two script elements: the JSON data and the inlined client.
  assertEquals(html.match(/<script/g)?.length, 2);
});

Deno.test("the coverage note does not send records Discogs answers 404 for back to enrich", () => {
  const bare = (releaseId: number) => ({
    releaseId,
    artist: "A",
    artistDisplay: "A",
    title: `T${releaseId}`,
    label: null,
    format: null,
    year: 2001,
    copies: 1,
    genres: [],
    styles: [],
    want: null,
    have: null,
    lowestPrice: null,
    numForSale: null,
    currency: null,
    thumbnail: null,
    why: { value: "", smartBuy: "", essential: "", deepCut: "" },
  });
  const page = (records: ReturnType<typeof bare>[], notOnDiscogs: Set<number>) =>
    renderReport({
      payload: {
        config: {
          priceWeight: 1,
          priceWeightRange: { min: 0.5, max: 10, step: 0.5 },
          formulaTrigger: "^[=+\\-@\\t\\r]",
          pageSize: 20,
        },
        records,
        recommendations: null,
        kinds: [],
      },
      summary: collectionSummary(records),
      charts: [],
      recommendationWarnings: [],
      database: "x.duckdb",
      notOnDiscogs,
      generatedAt: new Date("2026-01-02T03:04:05Z"),
    }, "/* client */");
  const all = page([bare(1), bare(2)], new Set([1, 2]));
  assertStringIncludes(
    all,
    "Rankings cover 0 of 2 releases (2 without market data: Discogs does not know",
  );
  assert(!all.includes("run `deno task enrich`"), "no enrich advice when enriching cannot help");
  const some = page([bare(1), bare(2), bare(3)], new Set([3]));
  assertStringIncludes(some, "run `deno task enrich` for 2; 1 are not on Discogs (404)");
});
