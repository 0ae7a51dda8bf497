/**
 * The crate dashboard's browser script (bundled by client.ts into the report). It reads the
 * JSON the page embeds, re-ranks the collection with lib/score/ranking.ts when the price slider
 * moves, filters, and fills a virtual crate that exports as CSV.
 *
 * Safety: every string from the data reaches the page as a text node (`append(string)`,
 * `textContent`), never as markup, and links are built from release ids or https URLs only.
 * Nothing here makes a network request: covers load from Discogs only when the collector ticks
 * "Show covers".
 *
 * Plain JavaScript rather than TypeScript because Deno type-checks without the DOM library; the
 * logic worth typing and testing lives in the .ts modules it imports.
 *
 * @module
 */

import { RANKINGS } from "./rank.ts";
import { rankCollection } from "../score/ranking.ts";
import { matchesFilter } from "./filters.ts";
import { crateCsv, crateTotals } from "./crate.ts";
import { isHttpsUrl, releaseUrl } from "./links.ts";
import { formatCount, formatPrice } from "../score/why.ts";
import { crateCandidates, fillCrate, listName, mainCurrency } from "../money/crate.ts";

const payload = JSON.parse(document.getElementById("nextspin-data").textContent);
const { config, records } = payload;
const recommendations = payload.recommendations ?? [];
/** The lists in the order shown (the recommend stage's registry; html.ts draws one per kind). */
const PICK_KINDS = (payload.kinds ?? []).map((k) => k.kind);
/** The list of each kind on the page (by attribute value: a kind id is data, not a selector). */
const pickList = (kind) =>
  [...document.querySelectorAll("ol.picks[data-kind]")].find((ol) => ol.dataset.kind === kind);
const formulaTrigger = new RegExp(config.formulaTrigger);
const RANKING_NAMES = RANKINGS.map((r) => r.name);
const RECOMMENDATIONS_SHOWN = 8;

const state = {
  reranking: rankCollection(records, config.priceWeight, config.rules),
  /** Whether each record passes the filters, by record index. */
  visible: records.map(() => true),
  shown: Object.fromEntries(RANKING_NAMES.map((n) => [n, config.pageSize])),
  shownPicks: Object.fromEntries(PICK_KINDS.map((k) => [k, RECOMMENDATIONS_SHOWN])),
  covers: false,
  /** @type {Map<string, object>} crate key → crate item, in the order added */
  crate: new Map(),
};

const byId = (id) => document.getElementById(id);

/** A new element with attributes and children; strings become text nodes, never markup. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== "") node.append(child);
  }
  return node;
}

const count = (n) => (n === null ? "?" : formatCount(n));

/** The score as a collector reads it: three significant figures, "–" when there is none. */
function scoreText(score) {
  if (score === null || !Number.isFinite(score)) return "–";
  return score >= 1000 ? formatCount(Math.round(score)) : score.toPrecision(3);
}

/** A cover: the thumbnail when it is inline data or covers were asked for, else a disc. */
function cover(thumbnail, artist) {
  const box = el("span", { className: "cover", "aria-hidden": "true" });
  const inline = typeof thumbnail === "string" && /^data:image\//i.test(thumbnail);
  if (thumbnail && (inline || (state.covers && isHttpsUrl(thumbnail)))) {
    box.append(el("img", { src: thumbnail, alt: "", loading: "lazy", width: 56, height: 56 }));
  } else {
    box.classList.add("placeholder");
    box.append(el("span", { className: "initial" }, [...(artist || "?").trim()][0] ?? "?"));
  }
  return box;
}

/** Show whether a crate button's record is in the crate (its text, pressed state and label). */
function paintCrateButton(button) {
  const inCrate = state.crate.has(button.dataset.crateKey);
  button.setAttribute("aria-pressed", inCrate ? "true" : "false");
  button.textContent = inCrate ? "In crate ✓" : "Add to crate";
  button.setAttribute(
    "aria-label",
    `${inCrate ? "Remove from" : "Add to"} crate: ${button.dataset.crateLabel}`,
  );
}

/** After the crate changed: redraw it and every crate button on the page. */
function crateChanged() {
  renderCrate();
  for (const button of document.querySelectorAll("button.crate-toggle")) paintCrateButton(button);
}

function crateButton(key, item, label) {
  const button = el("button", {
    type: "button",
    className: "crate-toggle",
    "data-crate-key": key,
    "data-crate-label": label,
  });
  paintCrateButton(button);
  button.addEventListener("click", () => {
    if (state.crate.has(key)) state.crate.delete(key);
    else state.crate.set(key, item);
    crateChanged();
  });
  return button;
}

function recordItem(index) {
  const r = records[index];
  return {
    source: "collection",
    releaseId: r.releaseId,
    artist: r.artistDisplay,
    title: r.title,
    year: r.year,
    label: r.label,
    lowestPrice: r.lowestPrice,
    currency: r.currency,
    url: releaseUrl(r.releaseId),
  };
}

function pickItem(pick) {
  return {
    source: "recommendation",
    releaseId: pick.releaseId,
    artist: pick.artist,
    title: pick.title,
    year: pick.year,
    label: pick.label,
    lowestPrice: pick.lowestPrice,
    currency: pick.currency,
    url: isHttpsUrl(pick.url) ? pick.url : null,
  };
}

function marketLine(want, have, lowestPrice, currency, numForSale) {
  // A price Discogs has not been asked for is not "none for sale".
  const price = lowestPrice !== null
    ? `lowest ${formatPrice(lowestPrice, currency)}`
    : numForSale === 0
    ? "none for sale"
    : "price not checked yet";
  return `${count(want)} want / ${count(have)} have · ${price}`;
}

function titleLine(artist, title) {
  return el(
    "p",
    { className: "pick-title" },
    el("span", { className: "artist" }, artist),
    " – ",
    el("cite", { className: "title" }, title),
  );
}

function whyLine(why) {
  return why
    ? el("p", { className: "why" }, el("span", { className: "why-label" }, "Why: "), why)
    : null;
}

function discogsLink(url, label) {
  return isHttpsUrl(url)
    ? el("a", {
      href: url,
      target: "_blank",
      rel: "noopener noreferrer",
      className: "discogs",
      "aria-label": `${label} on Discogs`,
    }, "Discogs ↗")
    : null;
}

/** One ranked record. */
function rankedEntry(index, name) {
  const r = records[index];
  const score = state.reranking.scores[index][name];
  const rank = state.reranking.ranks[name][index];
  const label = `${r.artistDisplay} – ${r.title}`;
  const item = recordItem(index);
  const market = marketLine(r.want, r.have, r.lowestPrice, r.currency, r.numForSale);
  return el(
    "li",
    { className: "pick", "data-release-id": r.releaseId, "data-score": String(score) },
    el("span", { className: "rank", title: `rank ${rank}` }, String(rank)),
    cover(r.thumbnail, r.artistDisplay),
    el(
      "div",
      { className: "pick-main" },
      titleLine(r.artistDisplay, r.title),
      el("p", { className: "meta" }, [r.year, r.label].filter(Boolean).join(" · ")),
      el("p", { className: "market" }, market),
      // Crate Picks' reason is the market facts themselves: do not say them twice.
      r.why[name]?.replace(/, /g, " · ") === market ? null : whyLine(r.why[name]),
    ),
    el(
      "div",
      { className: "pick-side" },
      el(
        "span",
        { className: "score" },
        el("span", { className: "score-label" }, "score "),
        scoreText(score),
      ),
      discogsLink(item.url, label),
      crateButton(`r:${r.releaseId}`, item, label),
    ),
  );
}

function renderRanking(name) {
  const section = document.querySelector(`[data-ranking="${name}"]`);
  const list = section.querySelector("ol.picks");
  const order = state.reranking.order[name].filter((i) => state.visible[i]);
  const shown = order.slice(0, state.shown[name]);
  list.replaceChildren(...shown.map((i) => rankedEntry(i, name)));
  const total = state.reranking.order[name].length;
  section.querySelector(".ranking-count").textContent = order.length === total
    ? `${formatCount(total)} ranked releases`
    : `${formatCount(order.length)} of ${formatCount(total)} ranked releases match the filters`;
  const more = section.querySelector("button.more");
  more.hidden = shown.length >= order.length;
  more.textContent = `Show ${Math.min(config.pageSize, order.length - shown.length)} more`;
  const empty = section.querySelector(".empty");
  empty.hidden = order.length > 0;
  // Nothing rankable at all is not a filter's doing: say what the records lack.
  empty.textContent = total === 0
    ? (config.rules?.prototypeRanking
      ? "No record can be ranked yet: each needs at least two of lowest price, want and have " +
        "from Discogs (run deno task enrich)."
      : "No record can be ranked yet: each needs its want, have, lowest price and copies for " +
        "sale from Discogs (run deno task enrich); see Listed apart below.")
    : "No ranked release matches the filters.";
}

function renderRankings() {
  for (const name of RANKING_NAMES) renderRanking(name);
  const visible = state.visible.filter(Boolean).length;
  byId("match-count").textContent = visible === records.length
    ? `All ${formatCount(records.length)} releases shown.`
    : `${formatCount(visible)} of ${formatCount(records.length)} releases match.`;
}

/** One recommendation. */
function recommendationEntry(pick) {
  const label = `${pick.artist} – ${pick.title}`;
  return el(
    "li",
    { className: "pick", "data-pick-key": pick.key },
    el("span", { className: "rank" }, String(pick.rank)),
    cover(pick.thumbnail, pick.artist),
    el(
      "div",
      { className: "pick-main" },
      titleLine(pick.artist, pick.title),
      el(
        "p",
        { className: "meta" },
        [pick.year, pick.label, pick.styles.join(", ")].filter(Boolean).join(" · "),
      ),
      el(
        "p",
        { className: "market" },
        marketLine(pick.want, pick.have, pick.lowestPrice, pick.currency, pick.numForSale),
      ),
      whyLine(pick.why),
    ),
    el(
      "div",
      { className: "pick-side" },
      discogsLink(pick.url, label),
      crateButton(`p:${pick.key}`, pickItem(pick), label),
    ),
  );
}

function renderRecommendations() {
  for (const kind of PICK_KINDS) {
    const list = pickList(kind);
    if (!list) continue;
    const picks = recommendations.filter((p) => p.kind === kind).sort((a, b) => a.rank - b.rank);
    const shown = picks.slice(0, state.shownPicks[kind]);
    list.replaceChildren(...shown.map(recommendationEntry));
    const more = list.parentElement.querySelector("button.more");
    more.hidden = shown.length >= picks.length;
    more.textContent = `Show all ${picks.length}`;
  }
}

function renderCrate() {
  const items = [...state.crate.entries()];
  const list = byId("crate-items");
  list.replaceChildren(...items.map(([key, item]) => {
    const remove = el("button", {
      type: "button",
      className: "remove",
      "aria-label": `Remove from crate: ${item.artist} – ${item.title}`,
    }, "×");
    remove.addEventListener("click", () => {
      state.crate.delete(key);
      crateChanged();
    });
    const price = item.lowestPrice === null
      ? "no price"
      : formatPrice(item.lowestPrice, item.currency);
    return el(
      "li",
      { "data-crate-key": key },
      el("span", { className: "crate-record" }, `${item.artist} – ${item.title}`),
      el("span", { className: "crate-price" }, price),
      remove,
    );
  }));
  const totals = crateTotals(items.map(([, item]) => item));
  const sums = totals.byCurrency;
  const countText = `${totals.count} record${totals.count === 1 ? "" : "s"}`;
  const totalText = sums.length
    ? sums.map((s) => formatPrice(s.total, s.currency)).join(" + ")
    : "–";
  byId("crate-count").textContent = countText;
  byId("crate-total").textContent = totalText;
  byId("crate-average").textContent = sums.length
    ? sums.map((s) => formatPrice(s.average, s.currency)).join(" / ")
    : "–";
  byId("crate-unpriced").textContent = totals.unpriced
    ? `${totals.unpriced} without a price (not counted)`
    : "";
  byId("crate-empty").hidden = totals.count > 0;
  const jump = byId("crate-jump");
  jump.hidden = totals.count === 0;
  jump.textContent = `Crate: ${countText} · ${totalText} ↓`;
  byId("crate-export").disabled = totals.count === 0;
  byId("crate-clear").disabled = totals.count === 0;
}

function exportCrate() {
  const csv = crateCsv([...state.crate.values()], formulaTrigger);
  // A data: URL, not a blob: one, so the download stays inside the page (no request to make).
  // The byte-order mark tells spreadsheets the file is UTF-8.
  const link = el("a", {
    href: `data:text/csv;charset=utf-8,${encodeURIComponent("\uFEFF" + csv)}`,
    download: "next-spin-crate.csv",
    hidden: true,
  });
  document.body.append(link);
  link.click();
  link.remove();
}

const numberOrNull = (input) => {
  const value = input.value.trim() === "" ? NaN : Number(input.value);
  return Number.isFinite(value) ? value : null;
};

function readFilter() {
  const filter = {
    text: byId("search").value,
    genre: byId("genre").value,
    style: byId("style").value,
    yearFrom: numberOrNull(byId("year-from")),
    yearTo: numberOrNull(byId("year-to")),
    priceMin: numberOrNull(byId("price-min")),
    priceMax: numberOrNull(byId("price-max")),
  };
  state.visible = records.map((r) => matchesFilter(r, filter));
  for (const name of RANKING_NAMES) state.shown[name] = config.pageSize;
  renderRankings();
}

function setWeight(weight) {
  state.reranking = rankCollection(records, weight, config.rules);
  byId("weight-value").textContent = weight.toFixed(1);
  renderRankings();
}

/**
 * "Fill to budget": the recommendations that score most within the budget, by lib/money's exact
 * knapsack (the code `deno task crate` runs), replace the crate's contents.
 */
function fillToBudget() {
  const budget = numberOrNull(byId("fill-budget"));
  const cap = numberOrNull(byId("fill-cap"));
  const note = byId("fill-note");
  if (budget === null || budget <= 0 || cap === null || cap < 1 || !Number.isInteger(cap)) {
    note.textContent =
      "Give a budget above 0 and a whole number of records per artist (1 or more).";
    return;
  }
  const picks = recommendations.map((p) => ({
    list: listName(p.kind),
    key: p.key,
    rank: p.rank,
    releaseId: p.releaseId,
    artist: p.artist,
    title: p.title,
    lowestPrice: p.lowestPrice,
    currency: p.currency,
    score: p.score ?? null,
  }));
  const currency = mainCurrency(picks);
  const { candidates } = crateCandidates(picks, currency);
  const filled = fillCrate(candidates, budget, cap);
  const byKey = new Map(recommendations.map((p) => [p.key, p]));
  state.crate.clear();
  for (const c of filled.crate) state.crate.set(`p:${c.key}`, pickItem(byKey.get(c.key)));
  crateChanged();
  const money = (x) => formatPrice(x, currency);
  const left = filled.greedyOnly.length;
  const records = (n) => `${n} record${n === 1 ? "" : "s"}`;
  note.textContent = `${records(filled.crate.length)} for ${money(filled.total)} of ` +
    `${money(budget)}: ${filled.points.toFixed(2)} points. A greedy pick (best points per ` +
    `dollar first) scores ${filled.greedy.points.toFixed(2)}` +
    (left ? ` and would take ${records(left)} this crate leaves out.` : " with the same records.");
}

function wire() {
  const slider = byId("weight");
  slider.addEventListener("input", () => setWeight(Number(slider.value)));
  byId("weight-reset").addEventListener("click", () => {
    slider.value = String(config.priceWeight);
    setWeight(config.priceWeight);
  });
  for (const id of ["search", "year-from", "year-to", "price-min", "price-max"]) {
    byId(id).addEventListener("input", readFilter);
  }
  for (const id of ["genre", "style"]) byId(id).addEventListener("change", readFilter);
  byId("filters").addEventListener("submit", (event) => event.preventDefault());
  byId("filters").addEventListener("reset", () => setTimeout(readFilter, 0));
  byId("show-covers").addEventListener("change", (event) => {
    state.covers = event.target.checked;
    renderRankings();
    renderRecommendations();
  });
  for (const name of RANKING_NAMES) {
    document.querySelector(`[data-ranking="${name}"] button.more`).addEventListener("click", () => {
      state.shown[name] += config.pageSize;
      renderRanking(name);
    });
  }
  for (const kind of PICK_KINDS) {
    const more = pickList(kind)?.parentElement
      .querySelector("button.more");
    more?.addEventListener("click", () => {
      state.shownPicks[kind] = Infinity;
      renderRecommendations();
    });
  }
  byId("crate-export").addEventListener("click", exportCrate);
  byId("fill-form").addEventListener("submit", (event) => {
    event.preventDefault();
    fillToBudget();
  });
  byId("crate-clear").addEventListener("click", () => {
    state.crate.clear();
    crateChanged();
  });
}

wire();
renderRankings();
renderRecommendations();
renderCrate();
document.documentElement.classList.add("js-ready");
