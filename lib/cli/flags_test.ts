import { InputError } from "../errors.ts";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../testing/assert.ts";
import {
  type FlagSpec,
  helpText,
  listFlag,
  numberFlag,
  parseFlags,
  validateFlags,
} from "./flags.ts";

const spec: FlagSpec = {
  "price-weight": { type: "string", description: "weight", default: "1", valueName: "W" },
  "from-jsonl": { type: "string", description: "bodies", multiple: true, valueName: "FILE" },
  offline: { type: "boolean", description: "no network" },
};

Deno.test("flags parse with defaults and repeatable values", () => {
  const values = parseFlags(spec, ["--from-jsonl", "a.jsonl", "--from-jsonl=b.jsonl"], "enrich");
  assertEquals(values["price-weight"], "1");
  assertEquals(listFlag(values, "from-jsonl"), ["a.jsonl", "b.jsonl"]);
  assertEquals(listFlag(values, "missing"), []);
});

Deno.test("unknown flags and positionals are input errors pointing at --help", () => {
  const error = assertThrows(() => parseFlags(spec, ["--priceweight", "2"], "score"), InputError);
  assertStringIncludes(error.message, "deno task score --help");
  assertThrows(() => parseFlags(spec, ["stray"], "score"), InputError);
});

Deno.test("numeric flags are range-checked with a clear message", () => {
  assertEquals(numberFlag({ w: "2.5" }, "w", { min: 0.5, max: 10 }), 2.5);
  const error = assertThrows(() => numberFlag({ w: "11" }, "w", { min: 0.5, max: 10 }), InputError);
  assertEquals(error.message, '--w "11": expected a number >= 0.5 and <= 10');
  assertThrows(() => numberFlag({ w: "abc" }, "w"), InputError);
  assertThrows(() => numberFlag({ n: "1.5" }, "n", { integer: true }), InputError);
});

Deno.test("help lists every flag with its default", () => {
  const text = helpText("score", "Score it.", spec);
  assertStringIncludes(text, "--price-weight W");
  assertStringIncludes(text, "(default: 1)");
  assertStringIncludes(text, "--from-jsonl FILE");
  assertStringIncludes(text, "repeatable");
  const ranged = helpText("recommend", "Recommend.", {
    top: {
      type: "string",
      description: "records per list",
      default: "20",
      number: { min: 1, max: 1000, integer: true },
    },
  });
  assertStringIncludes(ranged, "records per list (a whole number from 1 to 1000; default: 20)");
});

Deno.test("validateFlags checks every given value against its spec, repeatable ones too", () => {
  const checked: FlagSpec = {
    top: { type: "string", description: "rows", number: { min: 1, max: 1000, integer: true } },
    budget: { type: "string", description: "price", number: { min: 0 } },
    code: {
      type: "string",
      description: "currency",
      multiple: true,
      check: (v) => {
        if (v !== "USD" && v !== "EUR") throw new InputError(`--code ${v}: expected USD or EUR`);
      },
    },
    offline: { type: "boolean", description: "no network" },
  };
  validateFlags(checked, { top: "20", budget: "12.5", code: ["USD", "EUR"], offline: true });
  validateFlags(checked, {}); // absent flags are not checked
  const top = assertThrows(() => validateFlags(checked, { top: "abc" }), InputError);
  assertEquals(top.message, '--top "abc": expected a whole number >= 1 and <= 1000');
  assertThrows(() => validateFlags(checked, { top: "0" }), InputError, "--top");
  assertThrows(() => validateFlags(checked, { top: "2.5" }), InputError, "whole number");
  assertThrows(() => validateFlags(checked, { budget: "-1" }), InputError, "--budget");
  assertThrows(() => validateFlags(checked, { code: ["USD", "GBP"] }), InputError, "--code GBP");
});

Deno.test("a value starting with - is the flag's value, then checked like any other", () => {
  const numeric: FlagSpec = {
    ...spec,
    "price-weight": { ...spec["price-weight"], number: { min: 0.5, max: 10 } },
  };
  for (const args of [["--price-weight", "-1"], ["--price-weight=-1"]]) {
    const values = parseFlags(numeric, args, "score");
    assertEquals(values["price-weight"], "-1");
    const error = assertThrows(() => validateFlags(numeric, values), InputError);
    assertEquals(error.message, '--price-weight "-1": expected a number >= 0.5 and <= 10');
  }
  // A known flag after a string flag is still a flag: the first one has no value.
  const missing = assertThrows(
    () => parseFlags(numeric, ["--price-weight", "--offline"], "score"),
    InputError,
  );
  assertStringIncludes(missing.message, "--price-weight needs a number from 0.5 to 10 after it");
});

Deno.test("unknown, short and misused flags fail in plain words, never parser jargon", () => {
  const cases: [string[], string][] = [
    [["-x"], '"-x" is not a flag: flags are long, with two dashes'],
    [
      ["--priceweight", "2"],
      "--priceweight is not a flag of this task (did you mean --price-weight?)",
    ],
    [["--offline=yes"], '--offline takes no value (given "yes")'],
    [["--price-weight"], "--price-weight needs a value (W) after it (none given)"],
    [["stray"], '"stray" is not a flag'],
  ];
  for (const [args, message] of cases) {
    const error = assertThrows(() => parseFlags(spec, args, "score"), InputError);
    assertStringIncludes(error.message, message);
    assertStringIncludes(error.message, "deno task score --help");
    assert(!/ambiguous|argument missing|Unknown option/.test(error.message), error.message);
  }
  // `--top 10`, `--from-jsonl x --from-jsonl=y`: values are not mistaken for stray arguments.
  assertEquals(parseFlags(spec, ["--price-weight", "3", "--offline"], "score").offline, true);
});
