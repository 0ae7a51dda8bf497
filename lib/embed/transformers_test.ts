import { InputError } from "../errors.ts";
import {
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../testing/assert.ts";
import {
  checkModelDir,
  embedWithTransformers,
  parseEmbedderSpec,
  releaseText,
} from "./transformers.ts";

Deno.test("--embedder accepts tfidf or transformers:<dir> and nothing else", () => {
  assertEquals(parseEmbedderSpec("tfidf"), { kind: "tfidf" });
  assertEquals(parseEmbedderSpec("transformers:models/minilm"), {
    kind: "transformers",
    dir: "models/minilm",
  });
  assertThrows(
    () => parseEmbedderSpec("word2vec"),
    InputError,
    "expected tfidf or transformers:<local model dir>",
  );
});

Deno.test("a missing or incomplete model directory is named, with what is missing, before any loading", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const missing = await assertRejects(
      () => embedWithTransformers(`${dir}/nope`, ["x"]),
      InputError,
    );
    assertStringIncludes(missing.message, `model directory ${dir}/nope not found`);
    await Deno.writeTextFile(`${dir}/config.json`, "{}");
    const partial = await assertRejects(() => checkModelDir(dir), InputError);
    assertStringIncludes(
      partial.message,
      `model directory ${dir} is missing tokenizer.json, onnx/model.onnx`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the text a sentence model reads names artist, title, styles, labels and year", () => {
  assertEquals(
    releaseText({
      key: "1",
      title: "Kaos",
      artists: ["The Persuader"],
      labels: ["Svek"],
      genres: ["Electronic"],
      styles: ["Deep Techno"],
      year: 1997,
      country: null,
      formats: [],
    }),
    "The Persuader — Kaos Styles: Deep Techno. Genres: Electronic. Labels: Svek. Year: 1997.",
  );
});
