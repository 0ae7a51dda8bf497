import { assertEquals } from "../testing/assert.ts";
import {
  creditRoleShare,
  DEFAULT_FIELD_WEIGHTS,
  type ReleaseFeatures,
  tokensOf,
} from "./features.ts";

const release = (credits: ReleaseFeatures["credits"]): ReleaseFeatures => ({
  key: "k",
  artists: ["Dillinja"],
  labels: [],
  genres: [],
  styles: [],
  year: null,
  country: null,
  formats: [],
  credits,
});

Deno.test("credits are taste tokens weighted by role: remix most, sleeve design not at all", () => {
  assertEquals(creditRoleShare("Remix"), 1);
  assertEquals(creditRoleShare("Producer"), 0.8);
  assertEquals(creditRoleShare("Written-By"), 0.8);
  assertEquals(creditRoleShare("Bass"), 0.5);
  assertEquals(creditRoleShare("Mastered By"), 0.4);
  assertEquals(creditRoleShare("Photography By"), 0);
  const tokens = tokensOf(release([
    { name: "Lemon D", role: "Mastered By" },
    { name: "Lemon D", role: "Remix" },
    { name: "Bernie Grundman", role: "Mastered By" },
    { name: "Trevor Jackson", role: "Design" },
    { name: "Various", role: "Producer" },
  ]));
  const w = DEFAULT_FIELD_WEIGHTS.credit;
  assertEquals(
    [...tokens].filter(([t]) => t.startsWith("credit:")),
    [["credit:lemon d", w], ["credit:bernie grundman", w * 0.4]],
    "a person counts once, by the strongest role",
  );
  assertEquals(tokens.get("artist:dillinja"), DEFAULT_FIELD_WEIGHTS.artist);
  assertEquals([...tokensOf(release(undefined)).keys()], ["artist:dillinja"]);
});
