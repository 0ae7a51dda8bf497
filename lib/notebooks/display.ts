/**
 * Showing things in a Deno notebook cell: {@link display} for tables (polars DataFrames) and
 * charts (`inline(figure)`), {@link show} for the same under a bold heading.
 *
 * Why not just leave the value as the cell's last expression? The Deno kernel (2.9) sometimes
 * publishes the cell's "idle" status before its last output, and `jupyter nbconvert --execute`
 * stops listening at "idle", so that output goes missing from the executed notebook (a few percent
 * of cells; measured with a plain Jupyter client). Displaying explicitly and then letting the
 * kernel's output channel drain for a moment makes every output land, in order.
 *
 * @module
 */

/** The part of `Deno.jupyter` used here (present only inside the Deno kernel). */
interface Jupyter {
  display(value: unknown, options?: { raw?: boolean }): Promise<void>;
}

/** How long to let the kernel flush outputs before the cell ends. */
export const SETTLE_MS = 60;

function jupyter(): Jupyter | undefined {
  return (Deno as unknown as { jupyter?: Jupyter }).jupyter;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/** Display each value as a cell output (outside a notebook: print it). */
export async function display(...values: unknown[]): Promise<void> {
  const kernel = jupyter();
  for (const value of values) {
    if (kernel) await kernel.display(value);
    else console.log(value);
  }
  if (kernel) await settle();
}

/** A heading (bold text) followed by the values, e.g. a table and what it means. */
export async function show(heading: string, ...values: unknown[]): Promise<void> {
  const kernel = jupyter();
  if (!kernel) {
    console.log(heading);
    await display(...values);
    return;
  }
  await kernel.display({ "text/markdown": `**${heading}**`, "text/plain": heading }, {
    raw: true,
  });
  await display(...values);
  if (values.length === 0) await settle();
}

/** Markdown text as a cell output (for numbers computed in the cell). */
export async function note(markdown: string): Promise<void> {
  const kernel = jupyter();
  if (!kernel) {
    console.log(markdown);
    return;
  }
  await kernel.display({ "text/markdown": markdown, "text/plain": markdown }, { raw: true });
  await settle();
}
