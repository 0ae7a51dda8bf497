import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { InputError } from "../errors.ts";
import { assertEquals, assertMatch, assertRejects } from "../testing/assert.ts";
import { checkDumpFile, rootElement } from "./sniff.ts";

Deno.test("rootElement skips the BOM, declaration, comments and doctype", () => {
  assertEquals(rootElement('<releases>\n<release id="1">'), "releases");
  assertEquals(
    rootElement('\ufeff<?xml version="1.0"?>\n<!-- x --><!DOCTYPE m>\n<masters>'),
    "masters",
  );
  assertEquals(rootElement("  \n<labels/>"), "labels");
  assertEquals(rootElement("id,title\n1,x"), null);
  assertEquals(rootElement(""), null);
});

Deno.test("checkDumpFile says what a file is when it is not the dump its flag wants", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const masters = join(dir, "m.xml.gz");
    await Deno.writeFile(masters, gzipSync(new TextEncoder().encode('<masters>\n<master id="1">')));
    assertEquals(await checkDumpFile(masters, "masters"), true);
    const error = await assertRejects(() => checkDumpFile(masters, "releases"), InputError);
    assertMatch(error.message, /this is the masters dump .* pass it as --masters/);
    const plain = join(dir, "r.xml");
    await Deno.writeTextFile(plain, "<releases></releases>");
    assertEquals(await checkDumpFile(plain, "releases"), false);
    const missing = await assertRejects(
      () => checkDumpFile(join(dir, "no.xml"), "labels"),
      InputError,
    );
    assertMatch(missing.message, /--labels .*no\.xml: no such file/);
    const other = join(dir, "o.xml");
    await Deno.writeTextFile(other, "<rss><channel/></rss>");
    const wrong = await assertRejects(() => checkDumpFile(other, "artists"), InputError);
    assertMatch(wrong.message, /not a Discogs dump: its root element is <rss>/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
