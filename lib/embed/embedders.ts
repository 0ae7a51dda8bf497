/**
 * The embedders, by name — the one place that reads an embedder's name (`--embedder`, the
 * `embedder/embeddings.json` the embed stage leaves behind, run.json):
 *
 * - `tfidf`: the offline TF-IDF + SVD embedder learned from the collection and the pool
 *   (model.ts). Its saved model re-embeds any release, so recommend recomputes its vectors.
 * - `transformers:<local model dir>`: a local sentence-embedding model (transformers.ts). Its
 *   vectors cannot be recomputed without the model, so recommend reads them from the
 *   `embeddings` table.
 *
 * The TF-IDF model is fitted and saved whichever embedder makes the vectors: taste fit reads its
 * tokens. {@link loadSavedSpace} reads both back and says what to do when they cannot be read.
 *
 * @example
 * ```ts
 * const embedder = parseEmbedder("transformers:models/all-MiniLM-L6-v2");
 * const { vectors, dims } = await embedder.embed(releases, fitEmbedder(releases));
 * await saveSpace(model, embedder, "data/out/embedder");
 * const { model, embedder: used } = await loadSavedSpace("data/out/embedder");
 * ```
 *
 * @module
 */

import { join } from "node:path";
import { InputError, messageOf } from "../errors.ts";
import { writeTextAtomically } from "../fs/atomic.ts";
import type { ReleaseFeatures } from "./features.ts";
import { embed, type EmbedderModel, loadModel, saveModel } from "./model.ts";
import { embedWithTransformers, releaseText } from "./transformers.ts";

/** A release as the embedders read it (the sentence model also reads the title). */
export type EmbeddableRelease = ReleaseFeatures & { title?: string };

/** One embedder, as chosen by name. */
export interface Embedder {
  /** Its name as typed and recorded: `tfidf`, `transformers:models/minilm`. */
  name: string;
  /** How the stage's log names it. */
  title: string;
  /**
   * Whether the saved TF-IDF model reproduces its vectors exactly (then recommend re-embeds);
   * otherwise recommend reads them from the `embeddings` table.
   */
  recomputable: boolean;
  /** Embed releases: row-major n × dims unit vectors. `model` is the fitted TF-IDF model. */
  embed(
    releases: readonly EmbeddableRelease[],
    model: EmbedderModel,
  ): Promise<{ vectors: Float32Array; dims: number }>;
}

/** The embedder kinds, each recognising its own names. */
const EMBEDDERS: readonly { usage: string; parse(name: string): Embedder | null }[] = [
  {
    usage: "tfidf",
    // "tfidf-svd" is how workspaces embedded before the registry recorded it.
    parse: (name) =>
      name === "tfidf" || name === "tfidf-svd"
        ? {
          name: "tfidf",
          title: "the TF-IDF + SVD embedder",
          recomputable: true,
          embed: (releases, model) =>
            Promise.resolve({ vectors: embed(model, releases), dims: model.dims }),
        }
        : null,
  },
  {
    usage: "transformers:<local model dir>",
    parse: (name) => {
      const dir = name.match(/^transformers:(.+)$/)?.[1];
      return dir === undefined ? null : {
        name: `transformers:${dir}`,
        title: dir,
        recomputable: false,
        embed: (releases) => embedWithTransformers(dir, releases.map(releaseText)),
      };
    },
  },
];

/** The embedder a name stands for; an {@link InputError} listing the choices otherwise. */
export function parseEmbedder(name: string): Embedder {
  for (const kind of EMBEDDERS) {
    const embedder = kind.parse(name);
    if (embedder) return embedder;
  }
  throw new InputError(
    `--embedder ${JSON.stringify(name)}: expected ${EMBEDDERS.map((e) => e.usage).join(" or ")}`,
  );
}

/** The file in the model directory that names the embedder that made the `embeddings` table. */
export const EMBEDDER_CHOICE_FILE = "embeddings.json";

/** Save the fitted TF-IDF model and which embedder made the vectors into `dir`. */
export async function saveSpace(
  model: EmbedderModel,
  embedder: Embedder,
  dir: string,
): Promise<void> {
  await saveModel(model, dir);
  await writeTextAtomically(
    join(dir, EMBEDDER_CHOICE_FILE),
    JSON.stringify({ embedder: embedder.name }),
  );
}

/** The embed stage's saved space: its TF-IDF model and the embedder that made the vectors. */
export interface SavedSpace {
  model: EmbedderModel;
  embedder: Embedder;
}

/** The files {@link saveModel} writes. */
const SAVED_MODEL_FILES = ["model.json", "projection.f32"];

const RERUN = "run `deno task embed` (or the whole `deno task pipeline`) to write it again";

/**
 * Read what the embed stage saved in `dir`. A missing, unreadable or inconsistent file is an
 * {@link InputError} naming the file and saying to rerun `deno task embed`: recommendations are
 * never quietly made in a space the embed stage did not fit.
 */
export async function loadSavedSpace(dir: string): Promise<SavedSpace> {
  const choiceFile = join(dir, EMBEDDER_CHOICE_FILE);
  const choice = await Deno.readTextFile(choiceFile).then(JSON.parse).catch((error) => {
    throw new InputError(
      `cannot read ${choiceFile} (${missingOr(error)}), which says which embedder made the ` +
        `\`embeddings\` table: ${RERUN}`,
    );
  });
  if (typeof choice?.embedder !== "string") {
    throw new InputError(`${choiceFile} names no embedder: ${RERUN}`);
  }
  let embedder: Embedder;
  try {
    embedder = parseEmbedder(choice.embedder);
  } catch {
    throw new InputError(
      `${choiceFile} names the embedder ${JSON.stringify(choice.embedder)}, which is not one of ` +
        `${EMBEDDERS.map((e) => e.usage).join(" or ")}: ${RERUN}`,
    );
  }
  for (const file of SAVED_MODEL_FILES) {
    const path = join(dir, file);
    await Deno.stat(path).catch(() => {
      throw new InputError(`the saved taste model has no ${path}: ${RERUN}`);
    });
  }
  const model = await loadModel(dir).catch((error) => {
    throw new InputError(
      `cannot load the saved taste model in ${join(dir, "model.json")} (${
        missingOr(error)
      }): ${RERUN}`,
    );
  });
  const expected = model.tfidf.vocabulary.size * model.dims;
  if (!(model.dims > 0) || model.projection.length !== expected) {
    throw new InputError(
      `the saved taste model in ${dir} is inconsistent (${
        join(dir, "projection.f32")
      } holds ${model.projection.length} values, model.json needs ${expected}): ${RERUN}`,
    );
  }
  return { model, embedder };
}

function missingOr(error: unknown): string {
  return error instanceof Deno.errors.NotFound ? "not found" : messageOf(error).split("\n")[0];
}
