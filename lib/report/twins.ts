/**
 * The report's "Twin crate diggers" section: the collections closest to yours with the reason
 * (rare shared records, shared shelves) and the four level scores, who was skipped and why, the
 * twin picks (served and priced by the recommend stage when it has run, else the twins stage's
 * own ranking) with Discogs links, and trades both ways. Rendered on the server, every string
 * through `escapeHtml`, no script needed.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { formatCount, formatPrice } from "../score/why.ts";
import { LEVEL_WEIGHTS } from "../twins/similarity.ts";
import { escapeHtml } from "./html.ts";
import { releaseUrl } from "./links.ts";

/** What the section shows (null: `deno task twins` has not run in this workspace). */
export interface TwinsReport {
  twins: {
    rank: number;
    collection: string;
    similarity: number;
    release_similarity: number;
    master_similarity: number;
    artist_similarity: number;
    label_similarity: number;
    records: number;
    shared: number;
    shared_rare: number;
    reason: string;
  }[];
  skipped: { collection: string; reason: string }[];
  picks: {
    release_id: number;
    artist: string | null;
    title: string | null;
    year: number | null;
    lowest_price: number | null;
    num_for_sale: number | null;
    currency: string | null;
    why: string;
  }[];
  /** Whether the picks are the recommend stage's (served, priced) or the twins stage's. */
  served: boolean;
  trades: { direction: string; collection: string; why: string; wanted_release_id: number }[];
}

/** Picks and trades shown (the tables hold them all). */
const SHOWN_PICKS = 20;
const SHOWN_TRADES = 30;

/** Read the section's data, or null when the workspace has no `twins` table. */
export async function loadTwinsReport(db: Database): Promise<TwinsReport | null> {
  if (!(await db.tableExists("twins"))) return null;
  const twins = await db.all<TwinsReport["twins"][number]>(
    `SELECT rank, collection, similarity, release_similarity, master_similarity,
       artist_similarity, label_similarity, records, shared, shared_rare, reason
     FROM twins ORDER BY rank`,
  );
  const skipped = (await db.tableExists("twin_sources"))
    ? await db.all<{ collection: string; reason: string }>(
      "SELECT collection, reason FROM twin_sources WHERE status = 'skipped' ORDER BY collection",
    )
    : [];
  let served = false;
  let picks: TwinsReport["picks"] = [];
  if ((await db.tableExists("recommendations")) && (await db.tableExists("pool"))) {
    picks = await db.all(
      `SELECT p.release_id, p.artist, p.title, p.year, p.lowest_price, p.num_for_sale,
         p.currency, r.why
       FROM recommendations r JOIN pool p USING (pool_key)
       WHERE r.kind = 'twin_pick' AND p.release_id IS NOT NULL ORDER BY r.rank LIMIT ${SHOWN_PICKS}`,
    );
    served = picks.length > 0;
  }
  if (!served && (await db.tableExists("twin_picks"))) {
    picks = await db.all(
      `SELECT release_id, artist, title, year, lowest_price, num_for_sale, currency, why
       FROM twin_picks ORDER BY rank LIMIT ${SHOWN_PICKS}`,
    );
  }
  const trades = (await db.tableExists("trades"))
    ? await db.all<TwinsReport["trades"][number]>(
      `SELECT t.direction, t.collection, t.why, t.wanted_release_id FROM trades t
       LEFT JOIN twins w USING (collection)
       ORDER BY coalesce(w.rank, 1e9), t.direction DESC, t.artist, t.title LIMIT ${SHOWN_TRADES}`,
    )
    : [];
  return { twins, skipped, picks, served, trades };
}

const CSS = `
#twins ol.twins, #twins ol.twin-picks, #twins ul.trades { padding-left: 1.3rem; }
#twins li { margin: .4rem 0; overflow-wrap: anywhere; }
#twins .levels { color: var(--muted); font-size: .85rem; display: block; }
#twins .why { display: block; font-size: .9rem; }
`;

const fixed = (n: number, digits = 2) => Number(n).toFixed(digits);

/** The section's HTML. */
export function twinsSection(report: TwinsReport | null | undefined): string {
  if (!report) {
    return `<section id="twins" aria-labelledby="twins-title">
  <h2 id="twins-title">Twin crate diggers</h2>
  <p class="absent" id="twins-absent">No other collections compared yet. Run <code>deno task twins --with NAME</code> (a Discogs username), <code>--with-file EXPORT.csv</code> or <code>--with-dir FOLDER</code> to find the collectors whose crates look like yours.</p>
</section>`;
  }
  const blend = Object.entries(LEVEL_WEIGHTS).map(([level, w]) => `${w} × ${level}`).join(" + ");
  const twins = report.twins.map((t) =>
    `<li><strong>${escapeHtml(t.collection)}</strong> — similarity ${fixed(t.similarity, 3)}
  <span class="levels">release ${fixed(t.release_similarity)} · master ${
      fixed(t.master_similarity)
    } · artist ${fixed(t.artist_similarity)} · label ${fixed(t.label_similarity)} · ${
      formatCount(Number(t.shared))
    } records in common (${formatCount(Number(t.shared_rare))} rare) of their ${
      formatCount(Number(t.records))
    }</span>
  <span class="why">${escapeHtml(t.reason)}</span></li>`
  ).join("\n");
  const skipped = report.skipped.map((s) =>
    `<li>${escapeHtml(s.collection)}: ${escapeHtml(s.reason)}</li>`
  ).join("");
  const picks = report.picks.map((p) => {
    const price = p.lowest_price !== null
      ? `from ${formatPrice(Number(p.lowest_price), p.currency)}`
      : p.num_for_sale === 0
      ? "none for sale"
      : "";
    return `<li><a href="${escapeHtml(releaseUrl(p.release_id))}" rel="noopener noreferrer">${
      escapeHtml(p.artist ?? "?")
    } — ${escapeHtml(p.title ?? "?")}</a>${p.year ? ` (${escapeHtml(p.year)})` : ""}${
      price ? ` · ${escapeHtml(price)}` : ""
    }<span class="why">${escapeHtml(p.why)}</span></li>`;
  }).join("\n");
  const trades = report.trades.map((t) =>
    `<li><strong>${t.direction === "offer" ? "Offer" : "Ask"}</strong> · ${
      escapeHtml(t.why)
    } (<a href="${
      escapeHtml(releaseUrl(t.wanted_release_id))
    }" rel="noopener noreferrer">wanted pressing</a>)</li>`
  ).join("\n");
  return `<section id="twins" aria-labelledby="twins-title">
  <style>${CSS}</style>
  <h2 id="twins-title">Twin crate diggers</h2>
  <p class="note">Collections ranked by what you share, rare records weighing most: each shared release, album (any pressing), artist and label counts ln(1 + 10,000 / Discogs have), or an IDF over the collections compared when Discogs' have is unknown; each level is a weighted cosine, so a big collection cannot win by size; similarity = ${
    escapeHtml(blend)
  }.</p>
  ${
    twins
      ? `<ol class="twins" id="twins-list">${twins}</ol>`
      : `<p class="absent">No collection could be compared.</p>`
  }
  ${skipped ? `<h3>Skipped</h3><ul id="twins-skipped">${skipped}</ul>` : ""}
  <h3>Twin picks: they have, you don't</h3>
  <p class="note">${
    report.served
      ? "As the recommend stage served and priced them."
      : "Ranked by the twins stage (closeness × count of the twins owning them, taste fit, value); run <code>deno task pipeline</code> with the same <code>--with…</code> flags to have them served and priced with the other lists."
  }</p>
  ${picks ? `<ol class="twin-picks" id="twin-picks">${picks}</ol>` : `<p class="absent">None.</p>`}
  <h3>Trades</h3>
  <p class="note">Their wantlist against your shelves (offer) and your wantlist against theirs (ask), matched by album so any pressing counts.</p>
  ${trades ? `<ul class="trades" id="trades">${trades}</ul>` : `<p class="absent">None found.</p>`}
</section>`;
}
