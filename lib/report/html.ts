/**
 * The crate dashboard as one HTML string: the summary and charts rendered here (every string from
 * the data through {@link escapeHtml}), the rankings, recommendations and crate filled in by the
 * inlined browser script from JSON embedded with {@link jsonForScript}. No external file, font or
 * script: the page opens from disk and can be mailed.
 *
 * @module
 */

import { listeningSection } from "./listening.ts";
import { basename } from "node:path";
import { formatCount, formatPrice } from "../score/why.ts";
import { coverageText } from "../score/coverage.ts";
import { isRankable } from "../score/formulas.ts";
import { rankCollection } from "../score/ranking.ts";
import type { ReportData } from "./data.ts";
import { RANKINGS } from "./rank.ts";
import { REPORT_CSS } from "./style.ts";
import type { TagCount } from "./summary.ts";
import { renderCompleteSection } from "../complete/report.ts";
import { twinsSection } from "./twins.ts";

import { trendsSection } from "./trends.ts";

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON to place inside `<script type="application/json">`: `<`, `>` and `&` become `\u003c`,
 * `\u003e`, `\u0026`, so no string in the data can close the element (`</script>`) or open a
 * comment; U+2028/U+2029 are escaped too. `JSON.parse` reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${formatCount(n)} ${n === 1 ? one : many}`;

function tagList(title: string, tags: readonly TagCount[]): string {
  const items = tags.slice(0, 8).map((t) =>
    `<li>${escapeHtml(t.name)} <span>(${formatCount(t.count)})</span></li>`
  ).join("");
  return `<div><h3>${escapeHtml(title)}</h3>${
    items ? `<ol>${items}</ol>` : `<p class="note">None known yet.</p>`
  }</div>`;
}

function summarySection(data: ReportData): string {
  const s = data.summary;
  const main = s.value[0];
  const valueCard = main
    ? `<div class="stat" id="stat-value"><dt>Estimated value</dt><dd>${
      escapeHtml(formatPrice(main.total, main.currency))
    }<small>sum of lowest prices${
      main.currency ? ` in ${escapeHtml(main.currency)}` : ""
    }, copies counted</small></dd></div>
    <div class="stat" id="stat-median"><dt>Median lowest price</dt><dd>${
      escapeHtml(formatPrice(main.median, main.currency))
    }<small>over ${plural(main.priced, "priced release")}</small></dd></div>`
    : `<div class="stat" id="stat-value"><dt>Estimated value</dt><dd>–<small>no release has a price yet</small></dd></div>`;
  const others = s.value.slice(1).map((v) =>
    `<div class="stat"><dt>Also in ${escapeHtml(v.currency ?? "unknown currency")}</dt><dd>${
      escapeHtml(formatPrice(v.total, v.currency))
    }<small>${plural(v.priced, "release")}; median ${
      escapeHtml(formatPrice(v.median, v.currency))
    }</small></dd></div>`
  ).join("");
  const years = s.years ? `${s.years.first}–${s.years.last}` : "unknown";
  return `<section id="summary" aria-labelledby="summary-title">
  <h2 id="summary-title">Collection summary</h2>
  <dl class="stats">
    <div class="stat" id="stat-records"><dt>Releases</dt><dd>${formatCount(s.releases)}<small>${
    plural(s.copies, "copy", "copies")
  } on the shelf</small></dd></div>
    ${valueCard}${others}
    <div class="stat" id="stat-unpriced"><dt>No price</dt><dd>${formatCount(s.unpriced)}<small>${
    s.unpriced === 1 ? "release" : "releases"
  } with no known lowest price (none for sale, or not enriched yet)</small></dd></div>
    <div class="stat" id="stat-years"><dt>Released</dt><dd>${escapeHtml(years)}<small>${
    plural(s.genres.length, "genre")
  }, ${plural(s.styles.length, "style")}</small></dd></div>
  </dl>
  ${
    s.value.length > 1
      ? `<p class="note">Prices are in several currencies: each is summed on its own.</p>`
      : ""
  }
  <div class="tags">${tagList("Top genres", s.genres)}${tagList("Top styles", s.styles)}</div>
</section>`;
}

function chartsSection(data: ReportData): string {
  const figures = data.charts.map((c) =>
    `<figure class="chart" id="chart-${escapeHtml(c.name)}" aria-label="${
      escapeHtml(c.title)
    }">${c.svg}</figure>`
  ).join("\n");
  return `<section id="charts" aria-labelledby="charts-title">
  <h2 id="charts-title">Charts</h2>
  <div class="charts">${figures}</div>
</section>`;
}

function options(tags: readonly TagCount[]): string {
  return tags.map((t) =>
    `<option value="${escapeHtml(t.name)}">${escapeHtml(t.name)} (${formatCount(t.count)})</option>`
  ).join("");
}

function controlsSection(data: ReportData): string {
  const { config } = data.payload;
  const range = config.priceWeightRange;
  const s = data.summary;
  return `<section id="dig" aria-labelledby="dig-title">
  <h2 id="dig-title">Dig through the rankings</h2>
  <p class="note" id="rankings-coverage">${escapeHtml(coverageNote(data))}</p>
  <form class="controls" id="filters" role="search" aria-label="Re-rank and filter records">
    <div class="field wide weight">
      <label for="weight">Price sensitivity</label>
      <output id="weight-value" for="weight" aria-live="polite">${
    escapeHtml(config.priceWeight.toFixed(1))
  }</output>
      <button type="button" id="weight-reset">Back to ${
    escapeHtml(config.priceWeight.toFixed(1))
  }</button>
      <input type="range" id="weight" name="weight" min="${range.min}" max="${range.max}" step="${range.step}" value="${
    escapeHtml(config.priceWeight)
  }" aria-describedby="weight-hint">
      <span class="hint" id="weight-hint">From ${range.min} (price barely matters) to ${range.max} (cheap records first). Re-ranks Crate Picks and Smart Buys live with the same formulas as <code>deno task score</code>: ${
    config.rules?.priceModel === "prototype"
      ? "the prototype's price model, demand / (price × weight + 1)"
      : "demand × price<sup>−weight/2</sup> (weight 2 = demand per dollar)"
  }.</span>
    </div>
    <div class="field"><label for="search">Search</label>
      <input type="search" id="search" name="search" placeholder="Artist, title or label" autocomplete="off"></div>
    <div class="field"><label for="genre">Genre</label>
      <select id="genre" name="genre"><option value="">Any genre</option>${
    options(s.genres)
  }</select></div>
    <div class="field"><label for="style">Style</label>
      <select id="style" name="style"><option value="">Any style</option>${
    options(s.styles)
  }</select></div>
    <fieldset class="field"><legend class="legend">Year</legend>
      <div class="range-pair"><label class="skip" for="year-from">Year from</label>
      <input type="number" id="year-from" name="yearFrom" inputmode="numeric" placeholder="${
    s.years?.first ?? "from"
  }" min="1900" max="2100" step="1" aria-label="Year from"> – <label class="skip" for="year-to">Year to</label>
      <input type="number" id="year-to" name="yearTo" inputmode="numeric" placeholder="${
    s.years?.last ?? "to"
  }" min="1900" max="2100" step="1" aria-label="Year to"></div></fieldset>
    <fieldset class="field"><legend class="legend">Lowest price</legend>
      <div class="range-pair"><label class="skip" for="price-min">Price from</label>
      <input type="number" id="price-min" name="priceMin" inputmode="decimal" placeholder="min" min="0" step="any" aria-label="Lowest price from"> – <label class="skip" for="price-max">Price to</label>
      <input type="number" id="price-max" name="priceMax" inputmode="decimal" placeholder="max" min="0" step="any" aria-label="Lowest price to"></div></fieldset>
    <div class="field"><button type="reset" id="reset-filters">Clear filters</button></div>
    <div class="field wide"><label class="check"><input type="checkbox" id="show-covers"> <span>Show cover images (loads thumbnails from discogs.com; off by default so the page makes no network requests)</span></label></div>
  </form>
  <p id="match-count" aria-live="polite"></p>
</section>`;
}

/** "Rankings cover 120 of 315 releases (195 without market data: …)." */
function coverageNote(data: ReportData): string {
  const records = data.payload.records;
  const bare = records.filter((r) =>
    r.want === null && r.have === null && r.lowestPrice === null && r.numForSale === null
  );
  const unknown = data.notOnDiscogs ?? new Set<number>();
  const text = coverageText({
    releases: records.length,
    ranked: records.filter(isRankable).length,
    withoutMarketData: bare.length,
    // Like the score stage's line: records Discogs answers 404 for are not sent back to enrich.
    notOnDiscogs: bare.filter((r) => r.releaseId !== null && unknown.has(r.releaseId)).length,
  });
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

function rankingSection(ranking: (typeof RANKINGS)[number]): string {
  const id = `ranking-${ranking.name}`;
  return `<section class="ranking" id="${id}" data-ranking="${ranking.name}" aria-labelledby="${id}-title">
  <header><h3 id="${id}-title">${
    escapeHtml(ranking.title)
  }</h3><span class="ranking-count"></span></header>
  <p class="note">${escapeHtml(ranking.blurb)}</p>
  <ol class="picks"></ol>
  <p class="empty note" hidden>No ranked record matches the filters.</p>
  <button type="button" class="more" hidden>Show more</button>
</section>`;
}

/**
 * The records the rankings hold out, listed apart with why: those with an imputed input ("needs
 * market data") and those whose lowest price looks like a damaged or mislisted copy. Nothing
 * under the prototype's rules, which rank them all.
 */
function heldOutSection(data: ReportData): string {
  const { records, config } = data.payload;
  const { heldOut, suspect } = rankCollection(records, config.priceWeight, config.rules);
  const lists = [
    {
      id: "needs-market-data",
      title: "Needs market data",
      blurb:
        "Not ranked: Discogs gave no figure for an input, and a guessed figure would rank them. Run deno task enrich again later.",
      items: records.flatMap((r, i) =>
        heldOut[i] === "needs market data" ? [{ r, why: r.why.value }] : []
      ),
    },
    {
      id: "suspect-prices",
      title: "Suspect prices",
      blurb:
        "Not ranked: the lowest price is far below what such records cost, most likely a damaged or mislisted copy (deno task score --keep-suspect-prices ranks them).",
      items: records.flatMap((r, i) =>
        heldOut[i] === "suspect price" ? [{ r, why: suspect[i] ?? "" }] : []
      ),
    },
  ].filter((l) => l.items.length > 0);
  if (!lists.length) return "";
  return `<section id="held-out" aria-labelledby="held-out-title">
  <h2 id="held-out-title">Listed apart</h2>
${
    lists.map((l) =>
      `  <details class="held-out" id="${l.id}"><summary>${escapeHtml(l.title)} (${
        formatCount(l.items.length)
      })</summary>
  <p class="note">${escapeHtml(l.blurb)}</p>
  <ul>${
        l.items.map(({ r, why }) =>
          `<li data-release-id="${r.releaseId}"><span class="artist">${
            escapeHtml(r.artistDisplay)
          }</span> – <cite>${escapeHtml(r.title)}</cite><br><small>${escapeHtml(why)}</small></li>`
        ).join("")
      }</ul></details>`
    ).join("\n")
  }
</section>`;
}

function crateAside(): string {
  return `<aside class="crate" id="crate" aria-labelledby="crate-title">
  <h2 id="crate-title">Your crate</h2>
  <p class="note" id="crate-empty">Add records with “Add to crate” to see what they cost together.</p>
  <ul id="crate-items"></ul>
  <dl class="crate-totals">
    <dt>Records</dt><dd id="crate-count">0 records</dd>
    <dt>Total</dt><dd id="crate-total">–</dd>
    <dt>Average</dt><dd id="crate-average">–</dd>
  </dl>
  <p class="note" id="crate-unpriced" aria-live="polite"></p>
  <form class="fill" id="fill-form" aria-labelledby="fill-title">
    <h3 id="fill-title">Fill to budget</h3>
    <p class="note">The recommendations that score most in total within the budget, at most N per artist: the same exact choice as <code>deno task crate</code>.</p>
    <label for="fill-budget">Budget</label>
    <input type="number" id="fill-budget" min="0.01" step="0.01" value="100" inputmode="decimal">
    <label for="fill-cap">Max per artist</label>
    <input type="number" id="fill-cap" min="1" max="100" step="1" value="2" inputmode="numeric">
    <button type="submit" id="fill-button">Fill to budget</button>
    <p class="note" id="fill-note" aria-live="polite"></p>
  </form>
  <div class="crate-actions">
    <button type="button" class="primary" id="crate-export" disabled>Export crate as CSV</button>
    <button type="button" id="crate-clear" disabled>Empty crate</button>
  </div>
</aside>`;
}

function recommendationsSection(data: ReportData): string {
  const picks = data.payload.recommendations;
  const body = picks === null
    ? `<p class="absent" id="recommendations-absent">No recommendations yet: the workspace has no <code>recommendations</code> table. Run <code>deno task pipeline</code> (or <code>deno task recommend</code>) to get them.</p>`
    : `<div class="recs">${
      data.payload.kinds.map((s) => {
        const n = picks.filter((p) => p.kind === s.kind).length;
        const kind = escapeHtml(s.kind);
        return `<section class="ranking" id="recs-${kind}" aria-labelledby="recs-${kind}-title">
  <header><h3 id="recs-${kind}-title">${escapeHtml(s.title)}</h3><span class="ranking-count">${
          plural(n, "pick")
        }</span></header>
  <p class="note">${escapeHtml(s.blurb)}</p>
  <ol class="picks" data-kind="${kind}"></ol>
  <button type="button" class="more" hidden>Show all</button>
</section>`;
      }).join("\n")
    }</div>`;
  return `<section id="recommendations" aria-labelledby="recommendations-title">
  <h2 id="recommendations-title">Recommendations</h2>
  <p class="note">Records you do not own yet, with the reasons they were picked.</p>
  ${
    data.recommendationWarnings.length
      ? `<ul class="absent" id="recommendations-warnings">${
        data.recommendationWarnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("")
      }</ul>`
      : ""
  }
  ${body}
</section>`;
}

/**
 * Render the whole report page. `clientJs` is the bundled browser script (see client.ts); it is
 * already safe to inline.
 */
export function renderReport(data: ReportData, clientJs: string): string {
  const s = data.summary;
  const generated = data.generatedAt.toISOString().slice(0, 16).replace("T", " ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: https://*.discogs.com; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<title>Next Spin — crate dashboard</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<a class="skip" href="#dig">Skip to the rankings</a>
<header class="masthead">
  <h1>Next <span>Spin</span> · crate dashboard</h1>
  <p>${plural(s.releases, "release")} (${plural(s.copies, "copy", "copies")}) · generated ${
    escapeHtml(generated)
  } UTC</p>
</header>
<main>
<noscript><p class="nojs">The rankings, filters and crate need JavaScript. The summary and charts below work without it; the full rankings are in <code>scores.csv</code>.</p></noscript>
${summarySection(data)}
${chartsSection(data)}
${controlsSection(data)}
<div class="layout">
  <div class="rankings">
${RANKINGS.map(rankingSection).join("\n")}
  </div>
${crateAside()}
</div>
${heldOutSection(data)}
${recommendationsSection(data)}
${renderCompleteSection(data.completeSets ?? null)}
${twinsSection(data.twins)}

${trendsSection(data.trends ?? null, escapeHtml)}
${listeningSection(data.listening)}
</main>
<a href="#crate" class="crate-jump" id="crate-jump" hidden>Crate</a>
<footer>
  <p>Scores and prices from the workspace <code>${
    // The file name only: a page mailed to a friend should not carry the sender's folders.
    escapeHtml(
      basename(data.database),
    )}</code>: lowest Discogs marketplace prices when the data was fetched. Missing want/have counts as 1, a missing price as 30 and a missing for-sale count as 10, as in the score stage.</p>
</footer>
<script type="application/json" id="nextspin-data">${jsonForScript(data.payload)}</script>
<script>${clientJs}</script>
</body>
</html>
`;
}
