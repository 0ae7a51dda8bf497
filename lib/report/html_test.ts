import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { escapeHtml, jsonForScript } from "./html.ts";
import { inlineScriptText } from "./client.ts";

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
