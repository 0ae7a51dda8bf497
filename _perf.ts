import { DumpParser } from "./lib/catalog/parse.ts";
const one = Deno.readFileSync(Deno.args[0]);
const reps = 20;
const data = new Uint8Array(one.length * reps);
for (let i = 0; i < reps; i++) data.set(one, i * one.length);
// strip inner root tags: simple approach: parse as stream of repeated roots isn't allowed; so build by text
const txt = new TextDecoder().decode(one);
const body = txt.slice(txt.indexOf("<release "), txt.lastIndexOf("</releases>"));
const full = new TextEncoder().encode("<releases>\n" + body.repeat(reps) + "</releases>\n");
const CH = 1 << 20;
for (let k = 0; k < 5; k++) {
  let n = 0;
  const t0 = performance.now();
  const p = new DumpParser("releases", () => { n++; });
  for (let o = 0; o < full.length; o += CH) p.write(full.subarray(o, o + CH));
  p.end();
  const ms = performance.now() - t0;
  console.log(`${(full.length / 1e6 / (ms / 1000)).toFixed(0)} MB/s  ${(n / (ms / 1000)).toFixed(0)} rec/s  ${n}`);
}
