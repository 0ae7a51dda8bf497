/**
 * The report's stylesheet, inlined in the page (no web fonts, no external files). Laptop: the
 * rankings with the crate alongside; phone: one column, nothing wider than the screen.
 *
 * @module
 */

/** The CSS of the crate dashboard. */
export const REPORT_CSS = `
:root {
  --paper: #f7f3ec;
  --card: #fffdf9;
  --ink: #1f1c19;
  --muted: #6a625a;
  --line: #e3dbcf;
  --accent: #b3441e;
  --accent-ink: #ffffff;
  --teal: #245e63;
  --focus: #1a5fd0;
  color-scheme: light;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  line-height: 1.45;
  color: var(--ink);
  background: var(--paper);
}
* { box-sizing: border-box; }
body { margin: 0; overflow-wrap: anywhere; }
a { color: var(--teal); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--card); padding: .5rem; z-index: 10; }
header.masthead {
  background: var(--ink); color: #f7f3ec; padding: 1.25rem clamp(1rem, 4vw, 2.5rem);
}
header.masthead h1 { margin: 0; font-size: clamp(1.5rem, 4vw, 2.2rem); letter-spacing: -.01em; }
header.masthead h1 span { color: #f0a37f; }
header.masthead p { margin: .25rem 0 0; color: #d9d0c4; }
main { max-width: 1240px; margin: 0 auto; padding: 1rem clamp(.75rem, 3vw, 2rem) 3rem; }
section { margin-top: 2rem; }
main > section:first-of-type { margin-top: 1.25rem; }
h2 { font-size: 1.35rem; margin: 0 0 .5rem; }
h3 { font-size: 1.1rem; margin: 0; }
.note { color: var(--muted); font-size: .9rem; margin: .25rem 0 .75rem; }
.stats {
  display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: .75rem;
  margin: 0;
}
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: .75rem 1rem; }
.stat dt { color: var(--muted); font-size: .85rem; }
.stat dd { margin: .15rem 0 0; font-size: 1.45rem; font-weight: 700; }
.stat dd small { display: block; font-size: .8rem; font-weight: 400; color: var(--muted); }
.tags { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: .75rem; margin-top: .75rem; }
.tags > div { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: .75rem 1rem; }
.tags h3 { font-size: .95rem; color: var(--muted); font-weight: 600; margin-bottom: .35rem; }
.tags ol { margin: 0; padding-left: 1.3rem; }
.tags li span { color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); gap: 1rem; }
figure.chart { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: .5rem; overflow: hidden; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
.controls {
  background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 1rem;
  display: grid; gap: .75rem 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 210px), 1fr));
  align-items: end;
}
.controls .wide { grid-column: 1 / -1; }
.field { display: flex; flex-direction: column; gap: .25rem; min-width: 0; }
.field label, .field .legend { font-weight: 600; font-size: .9rem; }
fieldset.field { border: 0; padding: 0; margin: 0; }
.range-pair { display: flex; gap: .4rem; align-items: center; }
.range-pair input { width: 100%; min-width: 0; }
input, select, button { font: inherit; }
input[type="search"], input[type="number"], select {
  padding: .45rem .55rem; border: 1px solid #b9ae9f; border-radius: 8px; background: #fff; color: var(--ink);
  min-width: 0; width: 100%;
}
.weight { display: grid; grid-template-columns: 1fr auto auto; gap: .5rem .75rem; align-items: center; }
.weight input[type="range"] { width: 100%; accent-color: var(--accent); min-height: 2rem; }
.weight output { font-weight: 700; font-size: 1.25rem; min-width: 2.5ch; text-align: right; font-variant-numeric: tabular-nums; }
.weight input[type="range"] { grid-column: 1 / -1; }
.field > button { align-self: flex-start; }
.weight .hint { grid-column: 1 / -1; color: var(--muted); font-size: .85rem; }
button {
  cursor: pointer; border-radius: 8px; border: 1px solid var(--accent); background: var(--card);
  color: var(--accent); padding: .4rem .75rem; font-weight: 600;
}
button:hover { background: #fbe9e1; }
button:disabled { opacity: .45; cursor: not-allowed; }
button.primary { background: var(--accent); color: var(--accent-ink); }
button.primary:hover { background: #962f0e; }
button[aria-pressed="true"] { background: var(--teal); border-color: var(--teal); color: #fff; }
.check { display: flex; gap: .5rem; align-items: flex-start; font-size: .9rem; }
.check input { width: 1.1rem; height: 1.1rem; margin-top: .15rem; }
#match-count { font-weight: 600; margin: .5rem 0 0; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 320px; gap: 1.5rem; align-items: start; }
.ranking { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 1rem; margin-top: 1rem; }
.ranking header { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .25rem 1rem; align-items: baseline; }
.ranking-count { color: var(--muted); font-size: .85rem; }
ol.picks { list-style: none; margin: .5rem 0 0; padding: 0; }
li.pick {
  display: grid; grid-template-columns: 3.2rem 56px minmax(0, 1fr) auto; gap: .75rem; align-items: start;
  padding: .7rem 0; border-top: 1px solid var(--line);
}
li.pick:first-child { border-top: 0; }
.rank { white-space: nowrap; font-weight: 800; font-size: 1.1rem; color: var(--accent); text-align: right; font-variant-numeric: tabular-nums; padding-top: .1rem; }
.cover { width: 56px; height: 56px; border-radius: 6px; overflow: hidden; display: grid; place-items: center; }
.cover img { width: 56px; height: 56px; object-fit: cover; display: block; }
.cover.placeholder {
  border-radius: 50%;
  background: radial-gradient(circle, #f0a37f 0 17%, #1f1c19 18% 22%, #2d2925 23% 40%, #1f1c19 41% 44%, #2d2925 45% 100%);
}
.cover .initial { font-size: .75rem; font-weight: 800; color: #1f1c19; }
.pick-main p { margin: 0; }
.pick-title { font-weight: 650; }
.pick-title cite { font-style: normal; }
.meta, .market { color: var(--muted); font-size: .88rem; }
.why { font-size: .88rem; margin-top: .2rem !important; }
.why-label { font-weight: 700; color: var(--teal); }
.pick-side { display: flex; flex-direction: column; align-items: flex-end; gap: .35rem; text-align: right; }
.score { font-variant-numeric: tabular-nums; font-weight: 700; }
.score-label { color: var(--muted); font-weight: 400; font-size: .8rem; }
.discogs { font-size: .88rem; }
button.more { margin-top: .5rem; }
aside.crate {
  position: sticky; top: 1rem; background: var(--card); border: 2px solid var(--ink); border-radius: 12px;
  padding: 1rem; margin-top: 1rem;
}
aside.crate ul { list-style: none; margin: .5rem 0; padding: 0; max-height: 40vh; overflow-y: auto; }
aside.crate li { display: grid; grid-template-columns: minmax(0, 1fr) auto auto; gap: .5rem; align-items: center; padding: .35rem 0; border-top: 1px solid var(--line); font-size: .9rem; }
aside.crate li button { padding: 0 .5rem; line-height: 1.6; }
.crate-price { font-variant-numeric: tabular-nums; }
.crate-totals { display: grid; grid-template-columns: auto 1fr; gap: .2rem .75rem; margin: .5rem 0; }
.crate-totals dt { color: var(--muted); }
.crate-totals dd { margin: 0; font-weight: 700; text-align: right; font-variant-numeric: tabular-nums; }
.crate-actions { display: flex; gap: .5rem; flex-wrap: wrap; }
form.fill { display: grid; grid-template-columns: auto minmax(0, 6rem); gap: .35rem .5rem; align-items: center; margin: .75rem 0; padding-top: .5rem; border-top: 1px solid var(--line); }
form.fill h3, form.fill .note, form.fill button { grid-column: 1 / -1; margin: 0; }
form.fill input { width: 100%; }
#trends { margin-top: 2rem; }
table.trends { width: 100%; border-collapse: collapse; margin: 1rem 0; font-size: .9rem; display: block; overflow-x: auto; }
table.trends caption { text-align: left; font-weight: 700; padding: .25rem 0; }
table.trends th, table.trends td { text-align: left; padding: .3rem .5rem; border-top: 1px solid var(--line); vertical-align: top; }
figure.trend-chart { margin: 1rem 0; overflow-x: auto; }
figure.trend-chart svg { max-width: 100%; height: auto; }
.recs { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 360px), 1fr)); gap: 1rem; }
.recs .ranking li.pick { grid-template-columns: 2rem 56px minmax(0, 1fr); }
.recs .ranking .pick-side { grid-column: 3; flex-direction: row; align-items: center; justify-content: flex-start; gap: .75rem; }
.absent { background: var(--card); border: 1px dashed #b9ae9f; border-radius: 10px; padding: 1rem; }
footer { max-width: 1240px; margin: 0 auto; padding: 0 clamp(.75rem, 3vw, 2rem) 2rem; color: var(--muted); font-size: .85rem; }
.nojs { background: #fff3cd; padding: .75rem 1rem; border-radius: 8px; }
.crate-jump { display: none; }
@media (max-width: 900px) {
  .layout { grid-template-columns: minmax(0, 1fr); }
  aside.crate { position: static; }
  /* The crate sits below the rankings here: a bar at the bottom keeps its total in sight. */
  .crate-jump:not([hidden]) {
    display: block; position: fixed; left: .75rem; right: .75rem; bottom: .75rem; z-index: 5;
    background: var(--teal); color: #fff; text-decoration: none; font-weight: 700;
    padding: .65rem 1rem; border-radius: 10px; box-shadow: 0 4px 14px rgba(0,0,0,.25); text-align: center;
  }
  body:has(.crate-jump:not([hidden])) footer { padding-bottom: 4.5rem; }
}
@media (max-width: 560px) {
  /* Charts are drawn 720 wide; squeezed to a phone their labels would be unreadable, so they
     keep a legible size and scroll sideways inside their frame (the page itself never does). */
  figure.chart { overflow-x: auto; }
  figure.chart > svg { min-width: 540px; }
  li.pick, .recs .ranking li.pick { grid-template-columns: 2.6rem 48px minmax(0, 1fr); gap: .6rem; }
  .rank { font-size: .95rem; }
  .cover, .cover img { width: 48px; height: 48px; }
  .pick-side { grid-column: 3; flex-direction: row; flex-wrap: wrap; align-items: center; justify-content: flex-start; gap: .5rem .75rem; }
  .stat dd { font-size: 1.2rem; }
  .weight { grid-template-columns: 1fr auto; }
  .weight button { grid-column: 1 / -1; justify-self: start; }
}
@media print {
  .controls, aside.crate, button { display: none !important; }
}
`;
