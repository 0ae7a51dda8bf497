/**
 * A seeded collector and market for the tuning's tests: a collection on three shelves (jungle,
 * dub, techno), each with its artists and labels, and a pool of records from those shelves and
 * from styles the collector never buys — big enough to hide inner folds from, small enough for a
 * unit test.
 *
 * @module
 */

import { seededRandom } from "../../embed/projection.ts";
import type { Candidate } from "../candidates.ts";
import { rec, resetIds } from "../testing.ts";

const SHELVES = [
  { style: "Jungle", genre: "Electronic", label: "Metalheadz", artist: "Junglist", year: 1995 },
  { style: "Dub", genre: "Reggae", label: "Studio One", artist: "Dubwise", year: 1978 },
  { style: "Techno", genre: "Electronic", label: "Tresor", artist: "Detroit", year: 1993 },
];
const ELSEWHERE = ["Trance", "Schlager", "Hard Rock", "Smooth Jazz", "Country"];

/** `records` owned and `poolSize` candidates, the same for the same seed. */
export function tasteWorld(
  seed = 1,
  records = 90,
  poolSize = 400,
): { collection: Candidate[]; pool: Candidate[] } {
  resetIds();
  const rng = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rng() * items.length)];
  const onShelf = (extra: Partial<Candidate> = {}) => {
    const s = pick(SHELVES);
    const n = Math.floor(rng() * 12);
    return rec(
      `${s.artist} ${n}`,
      `${s.label}${n % 3 ? "" : " II"}`,
      [s.style],
      s.genre,
      s.year + Math.floor(rng() * 8),
      {
        have: 20 + Math.floor(rng() * 300),
        want: 10 + Math.floor(rng() * 200),
        lowestPrice: 2 + Math.floor(rng() * 30),
        ...extra,
      },
    );
  };
  const collection = Array.from({ length: records }, () => onShelf());
  const pool: Candidate[] = [];
  for (let i = 0; i < poolSize; i++) {
    if (rng() < 0.25) pool.push(onShelf());
    else {
      const style = pick(ELSEWHERE);
      pool.push(
        rec(
          `${style} Act ${i % 40}`,
          `${style} Records ${i % 7}`,
          [style],
          "Pop",
          1980 + Math.floor(rng() * 40),
          {
            have: 50 + Math.floor(rng() * 900),
            want: 10 + Math.floor(rng() * 300),
            lowestPrice: 1 + Math.floor(rng() * 20),
          },
        ),
      );
    }
  }
  return { collection, pool };
}
