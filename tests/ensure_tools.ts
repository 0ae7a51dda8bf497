/**
 * Run by `deno task test` before the suite: the notebook tests need Jupyter (with Deno's kernel)
 * and the browser tests need Chromium, which do not come with Deno. On a Debian machine where we
 * may install packages (root, or passwordless sudo) the missing ones are installed once from
 * Debian's archive, so the README's test command works on a fresh machine with only Node/npm.
 * Elsewhere this only says what is missing; those tests then fail with the same advice (they never
 * skip). Set NEXTSPIN_NO_INSTALL=1 to never install anything.
 *
 * @module
 */

import { DeadlineError, outputWithDeadline } from "../lib/testing/deadline.ts";

/** `--version` and kernelspec queries answer in a second; a hung one must not stall CI. */
const QUERY_DEADLINE_MS = 60_000;
/** apt-get update and install (Jupyter and Chromium take about two minutes). */
const INSTALL_DEADLINE_MS = 1_200_000;

const JUPYTER_PACKAGES = ["jupyter-nbconvert", "python3-ipykernel", "jupyter-client"];
const CHROMIUM_PACKAGES = ["chromium"];

/** Whether `command` runs (found on PATH and exits 0 with these arguments). */
async function runs(command: string, args: string[] = ["--version"]): Promise<boolean> {
  try {
    const out = await outputWithDeadline(
      command,
      { args, stdout: "null", stderr: "null" },
      QUERY_DEADLINE_MS,
    );
    return out.success;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** The Debian packages the suite still needs on this machine. */
export async function missingPackages(): Promise<string[]> {
  const missing: string[] = [];
  if (!(await runs("jupyter-nbconvert"))) missing.push(...JUPYTER_PACKAGES);
  const chromium = Deno.env.get("NEXTSPIN_CHROMIUM") ?? "/usr/bin/chromium";
  if (!(await exists(chromium))) missing.push(...CHROMIUM_PACKAGES);
  return missing;
}

async function install(packages: string[]): Promise<boolean> {
  const root = Deno.uid?.() === 0;
  const sudo = !root && await runs("sudo", ["-n", "true"]);
  if (!(await runs("apt-get", ["--version"])) || (!root && !sudo)) return false;
  const prefix = root ? [] : ["sudo", "-n"];
  const step = async (args: string[]) => {
    const [command, ...rest] = [...prefix, ...args];
    const out = await outputWithDeadline(command, {
      args: rest,
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdout: "null",
    }, INSTALL_DEADLINE_MS).catch((error) => {
      if (!(error instanceof DeadlineError)) throw error;
      console.error(`test setup: ${error.message.split("\n")[0]}`);
      return null;
    });
    if (out === null) return false;
    if (!out.success) console.error(new TextDecoder().decode(out.stderr).trim().split("\n").at(-1));
    return out.success;
  };
  return await step(["apt-get", "update", "-qq"]) &&
    await step(["apt-get", "install", "-y", "-qq", ...packages]);
}

/**
 * Register Deno's Jupyter kernel when it is missing or points at a Deno binary that is gone (an
 * npx cache cleaned since): the notebooks run on whatever binary the kernelspec names.
 */
async function ensureKernel(): Promise<void> {
  const out = await outputWithDeadline("jupyter", {
    args: ["kernelspec", "list", "--json"],
    stderr: "null",
  }, QUERY_DEADLINE_MS).catch(() => null);
  if (!out?.success) return;
  const specs = JSON.parse(new TextDecoder().decode(out.stdout)).kernelspecs ?? {};
  const binary: string | undefined = specs.deno?.spec?.argv?.[0];
  if (binary && await exists(binary)) return;
  const install = await outputWithDeadline(Deno.execPath(), {
    args: ["jupyter", "--install", "--force"],
    stdout: "null",
  }, QUERY_DEADLINE_MS).catch(() => null);
  if (!install?.success) {
    console.error(`test setup: deno jupyter --install failed; notebook tests will fail`);
  }
}

if (import.meta.main) {
  const missing = await missingPackages();
  if (missing.length > 0) {
    const list = missing.join(" ");
    if (Deno.env.get("NEXTSPIN_NO_INSTALL") === "1") {
      console.error(`test setup: missing ${list}; notebook/browser tests will fail`);
    } else {
      console.error(
        `test setup: installing ${list} for the notebook and browser tests (Debian packages, once)`,
      );
      if (!(await install(missing))) {
        console.error(
          `test setup: could not install them here; run \`apt-get install -y ${list}\` ` +
            "(as root); notebook/browser tests will fail until then",
        );
      }
    }
  }
  await ensureKernel();
}
