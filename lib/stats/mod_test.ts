import { assertEquals } from "../testing/assert.ts";
import { median } from "./mod.ts";

Deno.test("median of odd and even counts, input left unsorted", () => {
  const values = [3, 1, 2];
  assertEquals(median(values), 2);
  assertEquals(values, [3, 1, 2]);
  assertEquals(median([4, 1, 3, 2]), 2.5);
});
