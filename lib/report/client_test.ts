import { assert, assertStringIncludes } from "../testing/assert.ts";
import { clientScript } from "./client.ts";

Deno.test("the browser script is built from lib/score's formulas and is safe to inline", async () => {
  const js = await clientScript();
  // The slider runs the score stage's own functions, bundled from lib/score/formulas.ts.
  assertStringIncludes(js, "// lib/score/formulas.ts");
  for (const name of ["valueScore", "smartBuyScore", "essentialScore", "deepCutScore"]) {
    assertStringIncludes(js, `function ${name}(`);
  }
  assertStringIncludes(js, "// lib/score/ranking.ts");
  assertStringIncludes(js, "function rankCollection(");
  assert(!/<\/script/i.test(js), "no closing script tag");
  assert(!/innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(js), "no markup sinks");
  // A classic script (an IIFE), so it runs from file:// without module loading.
  assert(js.trimStart().startsWith("(() => {"), js.slice(0, 40));
});
