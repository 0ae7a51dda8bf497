import { join } from "node:path";
import { assert, assertEquals } from "../testing/assert.ts";
import { seededRandom } from "../embed/projection.ts";
import {
  buildPostings,
  FIELD_SECTIONS,
  openPostings,
  ordinal,
  POSTING_FIELDS,
  type PostingField,
} from "./postings.ts";

/** Seeded parts: per field, each release's list of values (ids 1–60, some 0; pairs of halves). */
function parts(count: number, releases: number) {
  const rng = seededRandom(11);
  return Array.from({ length: count }, () =>
    Object.fromEntries(POSTING_FIELDS.map((field) => {
      const pair = FIELD_SECTIONS[field].pair;
      const offsets = new Uint32Array(releases + 1);
      const values: number[] = [];
      for (let r = 0; r < releases; r++) {
        const n = Math.floor(rng() * 4);
        for (let k = 0; k < n; k++) {
          // 0 (a null id, a null name's hash) now and then: never a posting.
          const v = rng() < 0.05 ? 0 : 1 + Math.floor(rng() * 60);
          if (pair) values.push(v === 0 ? 0 : v * 7, v === 0 ? 0 : v * 13 + 1);
          else values.push(v);
        }
        offsets[r + 1] = pair ? values.length / 2 : values.length;
      }
      return [field, {
        offsets,
        values: pair ? Uint32Array.from(values) : Int32Array.from(values),
      }];
    })) as Record<PostingField, { offsets: Uint32Array; values: Int32Array | Uint32Array }>);
}

/** Every (part, row) carrying the value, by reading the lists themselves. */
function carriers(all: ReturnType<typeof parts>, field: PostingField, v: number): number[] {
  const pair = FIELD_SECTIONS[field].pair;
  const out: number[] = [];
  all.forEach((part, p) => {
    const { offsets, values } = part[field];
    for (let r = 0; r + 1 < offsets.length; r++) {
      for (let j = offsets[r]; j < offsets[r + 1]; j++) {
        const hit = pair
          ? values[2 * j] === v * 7 && values[2 * j + 1] === v * 13 + 1
          : values[j] === v;
        if (hit) out.push(ordinal(p, r));
      }
    }
  });
  return out;
}

Deno.test("postings: every release carrying a value, in order, one slab or many", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-postings-" });
  try {
    const all = parts(3, 500);
    for (const slabEntries of [undefined, 97]) {
      const path = join(dir, `postings-${slabEntries}.bin`);
      let reads = 0;
      await buildPostings(
        path,
        [0, 1, 2],
        (p, field) => {
          reads++;
          return Promise.resolve(all[p][field]);
        },
        "sig-1",
        { slabEntries },
      );
      // Small slabs: the parts are read again for each.
      if (slabEntries) assert(reads > 3 * POSTING_FIELDS.length * 3, `${reads} reads`);
      // Bucket bounds read a value at a time, then each directory read whole for a big taste.
      for (const whole of [false, true]) {
        const postings = openPostings(path)!;
        try {
          assertEquals(postings.signature, "sig-1");
          for (const field of POSTING_FIELDS) {
            if (whole) postings.expect(field, 1_000_000);
            for (let v = 0; v <= 61; v++) {
              const got: number[] = [];
              if (FIELD_SECTIONS[field].pair) {
                postings.releasesOfPair(field, v * 7, v * 13 + 1, (o) => got.push(o));
              } else postings.releasesOf(field, v, (o) => got.push(o));
              assertEquals(got, v === 0 ? [] : carriers(all, field, v), `${field} ${v}`);
            }
          }
          // A null name's hash is never a posting.
          const nulls: number[] = [];
          postings.releasesOfPair("artistKey", 0, 0, (o) => nulls.push(o));
          assertEquals(nulls, []);
        } finally {
          postings.close();
        }
      }
    }
    assertEquals(openPostings(join(dir, "missing.bin")), undefined);
    await Deno.writeTextFile(join(dir, "junk.bin"), "not postings at all");
    assertEquals(openPostings(join(dir, "junk.bin")), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
