import { assertAlmostEquals, assertEquals } from "../../testing/assert.ts";
import { rec, resetIds } from "../testing.ts";
import { parseCatno, seriesSignal, shownCatno } from "./series.ts";
import { bareContext } from "./testing.ts";

Deno.test("catalogue numbers parse into series and place", () => {
  assertEquals(parseCatno("NBEATS 002"), { series: "NBEATS", n: 2 });
  assertEquals(parseCatno("jungle-12"), { series: "JUNGLE", n: 12 });
  assertEquals(parseCatno("BTG004VL"), { series: "BTG", n: 4 });
  assertEquals(parseCatno("none"), null);
  assertEquals(parseCatno(null), null);
  assertEquals(parseCatno("194397378511"), null, "a barcode");
  assertEquals(parseCatno("5 017615 829122"), null, "a spaced barcode");
});

Deno.test("a reason shows the catalogue number the series was read from, not the list", () => {
  assertEquals(shownCatno("PFRLP4, Pink Floyd Records – 0825646493166"), "PFRLP4");
  assertEquals(shownCatno("NBEATS 002"), "NBEATS 002");
  assertEquals(shownCatno("JUNGLE-12 – 5017615829122"), "JUNGLE-12");
});

Deno.test("series: the nearer an owned number of the same label and series, the higher", () => {
  resetIds();
  const on = (label: string, catno: string | null) =>
    rec("A", label, ["Dub"], "Reggae", 2000, { catno });
  const collection = [on("Nuttah Beats", "NBEATS 001"), on("Nuttah Beats", "NBEATS 010")];
  const pool = [
    on("Nuttah Beats", "NBEATS 002"), // 1 from 001
    on("Nuttah Beats", "NBEATS 030"), // 20 from 010
    on("Nuttah Beats", "NBLP 002"), // another series
    on("Other", "NBEATS 002"), // another label
    on("Nuttah Beats", null),
    on("Nuttah Beats", "NBEATS 061"), // 51 from 010: out of the window
  ];
  const ctx = bareContext(collection, pool);
  const column = seriesSignal.column(ctx);
  assertAlmostEquals(column[0], 1 / (1 + Math.log(2)), 1e-12);
  assertAlmostEquals(column[1], 1 / (1 + Math.log(21)), 1e-12);
  assertEquals([...column.slice(2)], [0, 0, 0, 0]);
  assertEquals(seriesSignal.reason!(ctx, 0), "NBEATS 002 on Nuttah Beats, next to your NBEATS 001");
  assertEquals(seriesSignal.reason!(ctx, 2), null);
});
