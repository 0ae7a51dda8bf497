/**
 * The report's "Complete the set" section: the sets nearest to complete first, each a
 * `<details>` that opens on its missing records (Discogs links, cheapest copy, copies for sale,
 * wantlist), with filters by artist or label name, by kind and by cost to complete. Rendered on
 * the server (every string through `escapeHtml`), so it reads without JavaScript; a small inline
 * script only hides what the filters leave out.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { escapeHtml } from "../report/html.ts";
import { isHttpsUrl } from "../report/links.ts";
import { formatPrice } from "../score/why.ts";

/** One set as the section shows it. */
export interface ReportSet {
  kind: string;
  id: number;
  name: string;
  owned: number;
  total: number;
  pct: number;
  missing: number;
  inWantlist: number;
  priced: number;
  cost: number;
  noCopyForSale: number;
  unpriced: number;
  currency: string;
  format: string;
  countedBy: string;
  url: string;
  why: string;
  records: ReportMissing[];
}

/** One missing record of a set. */
export interface ReportMissing {
  title: string;
  artist: string | null;
  year: number | null;
  format: string | null;
  price: number | null;
  numForSale: number | null;
  inWantlist: boolean;
  url: string;
  why: string;
}

/** What the section shows; null when the complete stage has not run. */
export interface CompleteSection {
  sets: ReportSet[];
}

/** Read the set tables (null when `set_completion` does not exist). */
export async function loadCompleteSection(db: Database): Promise<CompleteSection | null> {
  if (!(await db.tableExists("set_completion")) || !(await db.tableExists("set_missing"))) {
    return null;
  }
  const sets = await db.all<Record<string, unknown>>("SELECT * FROM set_completion ORDER BY rank");
  const missing = await db.all<Record<string, unknown>>(
    "SELECT * FROM set_missing ORDER BY year NULLS LAST, title",
  );
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const byKey = new Map<string, ReportMissing[]>();
  for (const m of missing) {
    const key = `${m.set_kind}:${n(m.set_id)}`;
    const list = byKey.get(key) ?? [];
    list.push({
      title: String(m.title ?? ""),
      artist: (m.artist as string | null) ?? null,
      year: n(m.year),
      format: (m.format as string | null) ?? null,
      price: n(m.lowest_price),
      numForSale: n(m.num_for_sale),
      inWantlist: m.in_wantlist === true,
      url: isHttpsUrl(m.discogs_url) ? m.discogs_url : "",
      why: String(m.why ?? ""),
    });
    byKey.set(key, list);
  }
  return {
    sets: sets.map((s) => ({
      kind: String(s.set_kind),
      id: n(s.set_id)!,
      name: String(s.set_name ?? ""),
      owned: n(s.owned)!,
      total: n(s.total)!,
      pct: n(s.pct)!,
      missing: n(s.missing)!,
      inWantlist: n(s.in_wantlist) ?? 0,
      priced: n(s.priced) ?? 0,
      cost: n(s.cost_to_complete) ?? 0,
      noCopyForSale: n(s.no_copy_for_sale) ?? 0,
      unpriced: n(s.unpriced) ?? 0,
      currency: String(s.currency ?? "USD"),
      format: String(s.format ?? "any"),
      countedBy: String(s.counted_by ?? "album"),
      url: isHttpsUrl(s.discogs_url) ? s.discogs_url : "",
      why: String(s.why ?? ""),
      records: byKey.get(`${s.set_kind}:${n(s.set_id)}`) ?? [],
    })),
  };
}

const KIND_WORDS: Record<string, string> = { artist: "Artist", label: "Label", master: "Album" };

function link(url: string, text: string): string {
  return url
    ? `<a href="${escapeHtml(url)}" rel="noopener noreferrer" target="_blank">${text}</a>`
    : text;
}

function recordRow(r: ReportMissing, currency: string): string {
  const price = r.price === null
    ? (r.numForSale === 0 ? "none for sale" : "not priced")
    : escapeHtml(formatPrice(r.price, currency));
  return `<tr class="missing-record" data-price="${r.price ?? ""}">
      <td>${link(r.url, `<cite>${escapeHtml(r.title)}</cite>`)}${
    r.artist ? `<br><small>${escapeHtml(r.artist)}</small>` : ""
  }</td>
      <td>${escapeHtml(r.year ?? "")}</td>
      <td>${escapeHtml(r.format ?? "")}</td>
      <td class="num">${price}</td>
      <td class="num">${r.numForSale ?? ""}</td>
      <td>${r.inWantlist ? "★ wanted" : ""}</td>
      <td><small>${escapeHtml(r.why)}</small></td>
    </tr>`;
}

function setItem(s: ReportSet): string {
  const cost = s.missing === 0
    ? "complete"
    : s.priced > 0
    ? `${escapeHtml(formatPrice(s.cost, s.currency))} to complete${
      s.priced < s.missing ? ` (${s.priced} of ${s.missing} priced)` : ""
    }`
    : "not priced yet";
  return `<li class="set" data-set="${escapeHtml(`${s.kind}:${s.id}`)}" data-kind="${
    escapeHtml(s.kind)
  }" data-name="${escapeHtml(s.name.toLowerCase())}" data-cost="${
    s.priced > 0 || s.missing === 0 ? s.cost : ""
  }" data-pct="${s.pct}">
  <details><summary><span class="pct">${escapeHtml(s.pct.toFixed(0))}%</span> <strong>${
    escapeHtml(s.name)
  }</strong> <small>${
    escapeHtml(KIND_WORDS[s.kind] ?? s.kind)
  } · ${s.owned} of ${s.total} · ${cost}</small></summary>
  <p class="note">${escapeHtml(s.why)}${s.url ? ` · ${link(s.url, "on Discogs")}` : ""}</p>
  ${
    s.records.length
      ? `<table class="missing"><thead><tr><th>Missing</th><th>Year</th><th>Format</th><th>Cheapest</th><th>For sale</th><th>Wantlist</th><th>Why</th></tr></thead><tbody>
    ${s.records.map((r) => recordRow(r, s.currency)).join("\n    ")}
  </tbody></table>`
      : ""
  }
  </details></li>`;
}

/** Filters: hide the sets the name, kind and cost filters leave out (no network, no eval). */
const FILTER_SCRIPT = `(() => {
  const root = document.getElementById("complete-set");
  if (!root) return;
  const q = root.querySelector("#complete-search");
  const kind = root.querySelector("#complete-kind");
  const max = root.querySelector("#complete-max-cost");
  const count = root.querySelector("#complete-count");
  const sets = [...root.querySelectorAll("li.set")];
  const apply = () => {
    const text = q.value.trim().toLowerCase();
    const limit = max.value === "" ? null : Number(max.value);
    let shown = 0;
    for (const li of sets) {
      const cost = li.dataset.cost === "" ? null : Number(li.dataset.cost);
      const ok = (!text || li.dataset.name.includes(text)) &&
        (!kind.value || li.dataset.kind === kind.value) &&
        (limit === null || (cost !== null && cost <= limit));
      li.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = shown + " of " + sets.length + " sets";
  };
  for (const el of [q, kind, max]) el.addEventListener("input", apply);
  root.querySelector("#complete-reset").addEventListener("click", () => {
    q.value = ""; kind.value = ""; max.value = ""; apply();
  });
  apply();
})();`;

const STYLE = `#complete-set ol.sets { list-style: none; padding: 0; }
#complete-set li.set { border-bottom: 1px solid var(--line, #ddd); padding: .4rem 0; }
#complete-set summary { cursor: pointer; }
#complete-set .pct { display: inline-block; min-width: 3.2em; font-weight: 700; }
#complete-set table.missing { border-collapse: collapse; width: 100%; font-size: .9rem; }
#complete-set table.missing td, #complete-set table.missing th { text-align: left; padding: .2rem .4rem; vertical-align: top; }
#complete-set td.num { text-align: right; white-space: nowrap; }`;

/** The section's HTML (with its filter script), or a note saying how to get it. */
export function renderCompleteSection(section: CompleteSection | null): string {
  const head = `<section id="complete-set" aria-labelledby="complete-set-title">
  <h2 id="complete-set-title">Complete the set</h2>`;
  if (section === null || section.sets.length === 0) {
    return `${head}
  <p class="absent" id="complete-set-absent">${
      section === null
        ? "No sets yet: run <code>deno task complete</code> to see which discographies and label catalogues you are closest to finishing."
        : "No set worked out: <code>deno task complete</code> found no listing to count (run it online once, or name a set with <code>--artist</code> / <code>--label</code>)."
    }</p>
</section>`;
  }
  const first = section.sets[0];
  const open = section.sets.filter((s) => s.missing > 0).length;
  return `${head}
  <style>${STYLE}</style>
  <p class="note">The discographies and label catalogues you collect, nearest to complete first (${open} to finish, ${
    section.sets.length - open
  } complete), counted by ${escapeHtml(first.countedBy)}${
    first.format === "any" ? ", every format" : `, ${escapeHtml(first.format)} only`
  }. Open a set for its missing records and the cheapest known copy of each.</p>
  <form class="controls" id="complete-filters" role="search" aria-label="Filter sets">
    <div class="field"><label for="complete-search">Artist or label</label>
      <input type="search" id="complete-search" placeholder="Name" autocomplete="off"></div>
    <div class="field"><label for="complete-kind">Kind</label>
      <select id="complete-kind"><option value="">Any</option><option value="artist">Artists</option><option value="label">Labels</option><option value="master">Albums</option></select></div>
    <div class="field"><label for="complete-max-cost">Cost to complete at most</label>
      <input type="number" id="complete-max-cost" inputmode="decimal" min="0" step="any" placeholder="${
    escapeHtml(first.currency)
  }"></div>
    <div class="field"><button type="button" id="complete-reset">Clear</button></div>
  </form>
  <p id="complete-count" aria-live="polite"></p>
  <ol class="sets">
${section.sets.map(setItem).join("\n")}
  </ol>
  <script>${FILTER_SCRIPT}</script>
</section>`;
}
