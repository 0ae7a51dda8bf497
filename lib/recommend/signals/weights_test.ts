import { InputError } from "../../errors.ts";
import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { parseSignalWeights } from "./weights.ts";

Deno.test("--signals parses name=weight lists and rejects unknown names and bad weights", () => {
  assertEquals(parseSignalWeights("series=0.1, market_prior=-0.05"), {
    series: 0.1,
    market_prior: -0.05,
  });
  assertEquals(parseSignalWeights(""), {});
  assertThrows(() => parseSignalWeights("seriez=0.1"), InputError, 'no gem signal "seriez"');
  assertThrows(() => parseSignalWeights("series"), InputError, "is not name=weight");
  assertThrows(() => parseSignalWeights("series=abc"), InputError, "is not name=weight");
});
