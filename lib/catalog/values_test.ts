import { assertEquals } from "../testing/assert.ts";
import { toInt, toRef, yearOf } from "./values.ts";

Deno.test("toInt reads plain digits only", () => {
  assertEquals(toInt("123"), 123);
  assertEquals(toInt("0"), 0);
  assertEquals(toInt("007"), 7);
  for (const text of [null, "", " 1", "1 ", "-1", "1.5", "0x10", "1e3", "12a", "１２"]) {
    assertEquals(toInt(text), null, JSON.stringify(text));
  }
  assertEquals(toInt("9".repeat(16)), null); // beyond exact doubles: not guessed at
});

Deno.test("toRef reads 0 as none", () => {
  assertEquals(toRef("0"), null);
  assertEquals(toRef("1660109"), 1660109);
  assertEquals(toRef(null), null);
});

Deno.test("yearOf takes the first four digits when they are a plausible year", () => {
  assertEquals(yearOf("1999-03-00"), 1999);
  assertEquals(yearOf("1970"), 1970);
  assertEquals(yearOf("2100"), 2100);
  assertEquals(yearOf("1800-01-01"), 1800);
  for (const text of [null, "", "197", "0000", "1799", "2101", "19x9", "Unknown", " 1999"]) {
    assertEquals(yearOf(text), null, JSON.stringify(text));
  }
});
