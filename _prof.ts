import { DumpParser } from "./lib/catalog/parse.ts";
const one = Deno.readFileSync(Deno.args[0]);
const txt = new TextDecoder().decode(one);
const body = txt.slice(txt.indexOf("<release "), txt.lastIndexOf("</releases>"));
const full = new TextEncoder().encode("<releases>\n" + body.repeat(20) + "</releases>\n");
const CH = 1 << 20;
for (let k = 0; k < 8; k++) {
  const p = new DumpParser("releases", () => {});
  for (let o = 0; o < full.length; o += CH) p.write(full.subarray(o, o + CH));
  p.end();
}
