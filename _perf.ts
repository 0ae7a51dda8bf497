import { DumpParser } from "./lib/catalog/parse.ts";
import process from "node:process";
import { utf8Length } from "./lib/catalog/scanner.ts";
const one = Deno.readFileSync(Deno.args[0]);
const reps = 20;
const txt = new TextDecoder().decode(one);
const body = txt.slice(txt.indexOf("<release "), txt.lastIndexOf("</releases>"));
const full = new TextEncoder().encode("<releases>\n" + body.repeat(reps) + "</releases>\n");
const CH = Number(Deno.args[1] ?? 1 << 20);
const best: Record<string, number> = {};
function t(name: string, f: () => void) {
  const t0 = process.cpuUsage(); f(); const u = process.cpuUsage(t0); const s = (u.user + u.system) / 1e6;
  best[name] = Math.max(best[name] ?? 0, full.length / 1e6 / s);
}
for (let k = 0; k < 7; k++) {
  t("parse", () => {
    const p = new DumpParser("releases", () => {});
    for (let o = 0; o < full.length; o += CH) p.write(full.subarray(o, o + CH));
    p.end();
  });
  t("decode", () => {
    const d = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    for (let o = 0; o < full.length; o += CH) d.decode(full.subarray(o, o + CH), { stream: true });
  });
  t("decode+count", () => {
    const d = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    for (let o = 0; o < full.length; o += CH) { const s = d.decode(full.subarray(o, o + CH), { stream: true }); utf8Length(s, 0, s.length); }
  });
}
console.log(Object.entries(best).map(([k, v]) => `${k} ${v.toFixed(0)} MB/s`).join(" | "));
