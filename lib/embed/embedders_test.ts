import { join } from "node:path";
import { InputError } from "../errors.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../testing/assert.ts";
import { EMBEDDER_CHOICE_FILE, loadSavedSpace, parseEmbedder, saveSpace } from "./embedders.ts";
import type { ReleaseFeatures } from "./features.ts";
import { embed, fitEmbedder } from "./model.ts";

function releases(): ReleaseFeatures[] {
  return Array.from({ length: 30 }, (_, i) => ({
    key: `k${i}`,
    artists: [`Artist ${i % 5}`],
    labels: [`Label ${i % 3}`],
    genres: [i % 2 ? "Reggae" : "Electronic"],
    styles: [i % 2 ? "Dub" : "Jungle"],
    year: 1990 + (i % 10),
    country: "UK",
    formats: ["Vinyl"],
  }));
}

Deno.test("--embedder names: tfidf or transformers:<dir>, parsed in one place", () => {
  const tfidf = parseEmbedder("tfidf");
  assertEquals([tfidf.name, tfidf.recomputable], ["tfidf", true]);
  // Workspaces embedded before the registry recorded the TF-IDF embedder as "tfidf-svd".
  assertEquals(parseEmbedder("tfidf-svd").name, "tfidf");
  const minilm = parseEmbedder("transformers:models/minilm");
  assertEquals([minilm.name, minilm.title, minilm.recomputable], [
    "transformers:models/minilm",
    "models/minilm",
    false,
  ]);
  for (const bad of ["word2vec", "transformers:", "TFIDF"]) {
    assertThrows(
      () => parseEmbedder(bad),
      InputError,
      "expected tfidf or transformers:<local model dir>",
    );
  }
});

Deno.test("the tfidf embedder embeds with the fitted model", async () => {
  const data = releases();
  const model = fitEmbedder(data, { dims: 4, seed: 1 });
  const { vectors, dims } = await parseEmbedder("tfidf").embed(data, model);
  assertEquals(dims, 4);
  assertEquals(vectors, embed(model, data));
});

Deno.test("a saved space loads back; a missing or broken model is an error naming the file and the fix", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const model = fitEmbedder(releases(), { dims: 4, seed: 1 });
    await saveSpace(model, parseEmbedder("transformers:models/minilm"), dir);
    const saved = await loadSavedSpace(dir);
    assertEquals(saved.embedder.name, "transformers:models/minilm");
    assertEquals(embed(saved.model, releases()), embed(model, releases()));

    const expectRerun = async (path: string) => {
      const error = await assertRejects(() => loadSavedSpace(dir), InputError);
      assertStringIncludes(error.message, path);
      assertStringIncludes(error.message, "run `deno task embed`");
      assert(!error.message.includes("\n    at "), "no stack trace");
    };
    await Deno.writeTextFile(join(dir, "model.json"), "{ not json");
    await expectRerun(join(dir, "model.json"));
    await Deno.remove(join(dir, "model.json"));
    await expectRerun(join(dir, "model.json"));

    await saveSpace(model, parseEmbedder("tfidf"), dir);
    await Deno.writeFile(join(dir, "projection.f32"), new Uint8Array(8));
    await expectRerun(join(dir, "projection.f32"));
    await Deno.remove(join(dir, "projection.f32"));
    await expectRerun(join(dir, "projection.f32"));

    await saveSpace(model, parseEmbedder("tfidf"), dir);
    await Deno.remove(join(dir, EMBEDDER_CHOICE_FILE));
    await expectRerun(join(dir, EMBEDDER_CHOICE_FILE));
    await Deno.writeTextFile(join(dir, EMBEDDER_CHOICE_FILE), JSON.stringify({ embedder: "bow" }));
    await expectRerun(join(dir, EMBEDDER_CHOICE_FILE));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
