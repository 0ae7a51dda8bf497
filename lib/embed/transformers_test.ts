import { InputError } from "../errors.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../testing/assert.ts";
import { checkModelDir, embedWithTransformers, releaseText } from "./transformers.ts";

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
    "The Persuader — Kaos. Styles: Deep Techno. Genres: Electronic. Labels: Svek. Year: 1997.",
  );
});

/** A tiny random-weight BERT-shaped model with a real WordPiece tokenizer, made by
 * tests/fixtures/make_tiny_sentence_model.py (no real weights can be downloaded here). */
const TINY_MODEL = new URL("../../tests/fixtures/tiny_sentence_model", import.meta.url).pathname;

Deno.test("a local model loads and embeds: mean-pooled, L2-normalised, deterministic", async () => {
  const texts = [
    "Basic Channel — Octagon. Styles: Dub Techno, Minimal. Labels: Basic Channel.",
    "King Tubby — Dub From The Roots. Styles: Dub, Roots Reggae. Labels: Total Sounds.",
    "Basic Channel — Octagon. Styles: Dub Techno, Minimal. Labels: Basic Channel.",
  ];
  const { vectors, dims } = await embedWithTransformers(TINY_MODEL, texts, 2);
  assertEquals(dims, 16, "the model's hidden size");
  assertEquals(vectors.length, texts.length * dims, "one vector per text, across batches");
  const row = (i: number) => Array.from(vectors.subarray(i * dims, (i + 1) * dims));
  for (let i = 0; i < texts.length; i++) {
    const norm = Math.hypot(...row(i));
    assert(Math.abs(norm - 1) < 1e-5, `vector ${i} has norm ${norm}`);
  }
  assertEquals(row(0), row(2), "the same text embeds the same, whatever its batch");
  assert(row(0).some((v, i) => Math.abs(v - row(1)[i]) > 1e-3), "different texts differ");
  const again = await embedWithTransformers(TINY_MODEL, texts.slice(0, 1));
  assertEquals(Array.from(again.vectors), row(0), "deterministic across loads");
});
