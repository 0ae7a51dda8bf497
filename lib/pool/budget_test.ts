import { assertEquals, assertThrows } from "../testing/assert.ts";
import { InputError } from "../errors.ts";
import { AUTO_BUDGET_MAX, autoPoolBudget, parsePoolBudget } from "./budget.ts";

Deno.test("--pool-budget is auto or a whole number of requests", () => {
  assertEquals(parsePoolBudget(undefined), "auto");
  assertEquals(parsePoolBudget(" Auto "), "auto");
  assertEquals(parsePoolBudget("0"), 0);
  assertEquals(parsePoolBudget("250"), 250);
  for (const bad of ["-1", "1.5", "lots"]) {
    const error = assertThrows(() => parsePoolBudget(bad), InputError);
    assertEquals(error.message.includes("auto or a whole number"), true, error.message);
  }
});

Deno.test("the automatic budget grows with the collection's variety and is capped", () => {
  assertEquals(autoPoolBudget({ styles: 0, records: 0 }), 0, "no collection, no taste to search");
  assertEquals(autoPoolBudget({ styles: 1, records: 3 }), 64);
  assertEquals(autoPoolBudget({ styles: 20, records: 300 }), 140);
  assertEquals(autoPoolBudget({ styles: 400, records: 4000 }), AUTO_BUDGET_MAX);
  assertEquals(
    autoPoolBudget({ styles: 400, records: 4000, collectionPages: 40 }),
    150,
    "a 40-page username import leaves 150 of the first run's 190 pages",
  );
  assertEquals(autoPoolBudget({ styles: 400, records: 40000, collectionPages: 400 }), 60);
});
