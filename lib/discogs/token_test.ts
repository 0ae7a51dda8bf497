import { assertEquals } from "../testing/assert.ts";
import { redact, tokenFromDotenv } from "./token.ts";

Deno.test("the token is read from dotenv lines in their usual forms", () => {
  assertEquals(tokenFromDotenv("DISCOGS_TOKEN=abc123"), "abc123");
  assertEquals(tokenFromDotenv('# mine\nexport DISCOGS_TOKEN="q w"\n'), "q w");
  assertEquals(tokenFromDotenv("DISCOGS_TOKEN='x' \nOTHER=1"), "x");
  assertEquals(tokenFromDotenv("DISCOGS_TOKEN=abc # comment"), "abc");
  assertEquals(tokenFromDotenv("OTHER=1\nDISCOGS_TOKEN="), undefined);
});

Deno.test("redact removes every occurrence of the token", () => {
  assertEquals(redact("token=s3cr3t and s3cr3t", "s3cr3t"), "token=[redacted] and [redacted]");
  assertEquals(redact("nothing", undefined), "nothing");
});
