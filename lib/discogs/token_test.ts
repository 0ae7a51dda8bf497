import { assertEquals } from "../testing/assert.ts";
import { readToken, redact, tokenFromDotenv } from "./token.ts";

Deno.test("the token is read from dotenv lines in their usual forms", () => {
  assertEquals(tokenFromDotenv("DISCOGS_TOKEN=abc123"), "abc123");
  assertEquals(tokenFromDotenv('# mine\nexport DISCOGS_TOKEN="q w"\n'), "q w");
  assertEquals(tokenFromDotenv("DISCOGS_TOKEN='x' \nOTHER=1"), "x");
  assertEquals(tokenFromDotenv("DISCOGS_TOKEN=abc # comment"), "abc");
  assertEquals(tokenFromDotenv('DISCOGS_TOKEN="a#b" # comment'), "a#b");
  assertEquals(tokenFromDotenv("DISCOGS_TOKEN=a#b"), "a#b", "# inside a value is kept");
  assertEquals(tokenFromDotenv("\r\nDISCOGS_TOKEN = spaced\r\n"), "spaced");
  assertEquals(tokenFromDotenv("DISCOGS_TOKEN=old\nDISCOGS_TOKEN=new"), "new", "last one wins");
  assertEquals(tokenFromDotenv("# DISCOGS_TOKEN=commented"), undefined);
  assertEquals(tokenFromDotenv("MY_DISCOGS_TOKEN=other"), undefined);
  assertEquals(tokenFromDotenv("OTHER=1\nDISCOGS_TOKEN="), undefined);
});

Deno.test("the environment wins over .env, and .env in the working directory is used otherwise", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-token-" });
  try {
    const noEnv = () => undefined;
    assertEquals(readToken(dir, noEnv), { token: undefined, source: "none" }, "no .env at all");
    await Deno.writeTextFile(`${dir}/.env`, "OTHER=1\nexport DISCOGS_TOKEN='from-file'\n");
    assertEquals(readToken(dir, noEnv), { token: "from-file", source: ".env" });
    const env = (name: string) => (name === "DISCOGS_TOKEN" ? " from-env " : undefined);
    assertEquals(readToken(dir, env), { token: "from-env", source: "env" });
    await Deno.writeTextFile(`${dir}/.env`, "DISCOGS_TOKEN=\n");
    assertEquals(readToken(dir, noEnv), { token: undefined, source: "none" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("redact removes every occurrence of the token", () => {
  assertEquals(redact("token=s3cr3t and s3cr3t", "s3cr3t"), "token=[redacted] and [redacted]");
  assertEquals(redact("nothing", undefined), "nothing");
  assertEquals(redact("nothing", ""), "nothing", "an empty token redacts nothing");
});
