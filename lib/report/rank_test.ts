import { assertEquals } from "../testing/assert.ts";
import { RANKING_NAMES } from "../score/ranking.ts";
import { RANKINGS } from "./rank.ts";

Deno.test("the page shows every ranking lib/score computes, in its order", () => {
  assertEquals(RANKINGS.map((r) => r.name), [...RANKING_NAMES]);
});
