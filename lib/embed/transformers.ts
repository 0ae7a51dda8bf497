/**
 * The optional sentence-embedding backend (`--embedder transformers:<model dir>`): a local
 * `@huggingface/transformers` feature-extraction model over a text rendering of each release.
 * Remote loading is off — weights must already be on disk — and the package is imported only
 * when this backend is chosen, so the default pipeline never downloads it. Chosen by name in
 * embedders.ts.
 *
 * @module
 */

import { basename, dirname, join, resolve } from "node:path";
import { InputError, messageOf } from "../errors.ts";
import type { ReleaseFeatures } from "./features.ts";

/** The transformers package, imported on demand (a variable keeps it out of the static graph). */
const TRANSFORMERS_PACKAGE = "npm:@huggingface/transformers@4.3.1";

/** Files a local feature-extraction model needs (ONNX weights under `onnx/`). */
const REQUIRED = ["config.json", "tokenizer.json"];
const WEIGHTS = ["onnx/model.onnx", "onnx/model_quantized.onnx"];

/** Check a model directory before loading anything: clear errors naming what is missing. */
export async function checkModelDir(dir: string): Promise<void> {
  try {
    if (!(await Deno.stat(dir)).isDirectory) throw new Error();
  } catch {
    throw new InputError(
      `model directory ${dir} not found: --embedder transformers:<dir> needs a sentence-embedding model ` +
        `saved locally (config.json, tokenizer.json, onnx/model.onnx); see README "Sentence embeddings"`,
    );
  }
  const exists = async (file: string) =>
    await Deno.stat(join(dir, file)).then(() => true, () => false);
  const missing = [];
  for (const file of REQUIRED) if (!(await exists(file))) missing.push(file);
  if (!(await Promise.all(WEIGHTS.map(exists))).some(Boolean)) missing.push(WEIGHTS.join(" or "));
  if (missing.length > 0) {
    throw new InputError(
      `model directory ${dir} is missing ${missing.join(", ")}; weights cannot be downloaded here`,
    );
  }
}

/** The text a sentence model reads for a release. */
export function releaseText(f: ReleaseFeatures & { title?: string }): string {
  return [
    `${[f.artists.join(", "), f.title ?? ""].filter(Boolean).join(" — ")}.`.replace(/^\.$/, ""),
    f.styles.length ? `Styles: ${f.styles.join(", ")}.` : "",
    f.genres.length ? `Genres: ${f.genres.join(", ")}.` : "",
    f.labels.length ? `Labels: ${f.labels.join(", ")}.` : "",
    f.year ? `Year: ${f.year}.` : "",
  ].filter(Boolean).join(" ");
}

/** Embed texts with the local model: mean-pooled, L2-normalised, row-major n × dims. */
export async function embedWithTransformers(
  dir: string,
  texts: string[],
  batch = 64,
): Promise<{ vectors: Float32Array; dims: number }> {
  await checkModelDir(dir);
  let extractor: (
    input: string[],
    options: Record<string, unknown>,
  ) => Promise<{ data: Float32Array; dims: number[] }>;
  try {
    const transformers = await import(TRANSFORMERS_PACKAGE);
    transformers.env.allowRemoteModels = false;
    transformers.env.localModelPath = dirname(resolve(dir)) + "/";
    extractor = await transformers.pipeline("feature-extraction", basename(resolve(dir)));
  } catch (error) {
    throw new InputError(`cannot load the model in ${dir}: ${messageOf(error).split("\n")[0]}`);
  }
  const parts: Float32Array[] = [];
  let dims = 0;
  for (let start = 0; start < texts.length; start += batch) {
    const output = await extractor(texts.slice(start, start + batch), {
      pooling: "mean",
      normalize: true,
    });
    dims = output.dims[output.dims.length - 1];
    parts.push(Float32Array.from(output.data));
  }
  const vectors = new Float32Array(texts.length * dims);
  let offset = 0;
  for (const part of parts) {
    vectors.set(part, offset);
    offset += part.length;
  }
  return { vectors, dims };
}
