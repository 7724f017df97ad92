/// The explorer's one page: HTML, CSS and JavaScript written by hand, with
/// no external file, font or script, so it works without internet and is
/// compiled into the program (no request touches the file system).
///
/// The page only sends settings and swaps in what `/api/view` returns: every
/// number, matrix and picture on it is rendered by the library. The whole
/// state lives in the URL query (the keys of `ExplorerSettings`), written
/// with `history.pushState` on each change of a setting, so a link restores
/// the view and back/forward step through the changes. Linking is done in
/// the page from the answer's `pattern`, `rowElements` and `columnElements`
/// and the pictures' `data-link` cells.
package enum ExplorerPage {
    /// The page.
    package static let html = #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ConvMatrix explorer</title>
<style>
:root { --ink: #1d2733; --muted: #5b6776; --line: #d5dbe3; --accent: #c62828; --row: #fff3c4; --col: #dceeff; --both: #ffd97a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, "DejaVu Sans", sans-serif; color: var(--ink); background: #f6f8fa; }
header { padding: 10px 18px; background: #24313f; color: #fff; display: flex; align-items: baseline; gap: 16px; }
header h1 { font-size: 18px; margin: 0; }
header span { color: #c8d2dc; font-size: 13px; }
.layout { display: grid; grid-template-columns: 270px 1fr; gap: 14px; padding: 14px; align-items: start; }
form { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; position: sticky; top: 8px; }
fieldset { border: 0; margin: 0 0 6px; padding: 0; }
legend { font-weight: 600; margin-bottom: 4px; }
.field { margin: 5px 0; }
.field label { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
.field input[type=text], .field input[type=number], .field select { width: 120px; padding: 3px 5px; font: inherit; border: 1px solid #b8c2cc; border-radius: 4px; }
.field.invalid input, .field.invalid select { border-color: var(--accent); background: #fff0f0; }
.error { color: var(--accent); font-size: 12.5px; margin: 3px 0 0; }
.error:empty { display: none; }
.hint { color: var(--muted); font-size: 12px; margin: 6px 0 0; }
main { display: grid; gap: 12px; min-width: 0; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-width: 0; }
section h2 { font-size: 15px; margin: 0 0 6px; }
main.stale section { opacity: 0.55; }
#summary { font-weight: 600; font-size: 15px; }
pre { margin: 0; white-space: pre-wrap; font: 12.5px/1.35 "DejaVu Sans Mono", monospace; }
.note { color: var(--muted); font-style: italic; }
.scroll { overflow: auto; max-height: 560px; }
table.matrix { border-collapse: collapse; font: 12px "DejaVu Sans Mono", monospace; }
table.matrix th, table.matrix td { border: 1px solid #eef1f4; padding: 1px 4px; text-align: center; white-space: nowrap; }
table.matrix thead th { position: sticky; top: 0; background: #f0f3f6; }
table.matrix tbody th { background: #f7f9fb; text-align: right; }
table.matrix td.zero { color: #b6bfc8; }
table.matrix .block-left { border-left: 2px solid #7a8794; }
table.matrix tr.block-top > * { border-top: 2px solid #7a8794; }
table.matrix .hl-row { background: var(--row); }
table.matrix .hl-col { background: var(--col); }
table.matrix .hl-row.hl-col { background: var(--both); }
table.matrix .selected { outline: 2px solid var(--accent); outline-offset: -2px; }
table.matrix :focus { outline: 2px solid #1565c0; outline-offset: -2px; }
.pictures { display: flex; flex-wrap: wrap; gap: 12px; }
.picture { overflow: auto; max-width: 100%; }
.picture svg { display: block; height: auto; max-width: 100%; }
svg [data-link] { cursor: pointer; }
svg [data-link]:focus { outline: none; stroke: var(--accent); stroke-width: 3; }
svg [data-link].linked { fill: #ffc94d !important; stroke: var(--accent) !important; stroke-width: 2.5 !important; }
.exports { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
button { font: inherit; padding: 4px 10px; border: 1px solid #8a97a6; background: #f3f5f8; border-radius: 4px; cursor: pointer; }
button:focus-visible { outline: 2px solid #1565c0; }
#command { display: block; margin-top: 6px; padding: 6px; background: #f3f5f8; border-radius: 4px; font: 12.5px "DejaVu Sans Mono", monospace; word-break: break-all; }
.verdict-pass { color: #1b5e20; font-weight: 600; }
.verdict-fail { color: var(--accent); font-weight: 600; }
#status { color: var(--muted); font-size: 12px; }
</style>
</head>
<body>
<header><h1>ConvMatrix explorer</h1><span>y = C·x and its transpose: change a setting, and the formula, C (or Cᵀ), the pictures and the verdict follow.</span></header>
<div class="layout">
<form id="controls" autocomplete="off" onsubmit="return false">
  <fieldset><legend>Geometry</legend>
    <div class="field" id="field-rank"><label>spatial rank <select id="rank" name="rank"><option value="1">1</option><option value="2" selected>2</option></select></label></div>
    <div class="field" id="field-input"><label for="input">input <input type="text" id="input" name="input" value="5x5"></label><p class="error" id="error-input" role="alert"></p></div>
    <div class="field" id="field-kernel"><label for="kernel">kernel <input type="text" id="kernel" name="kernel" value="3"></label><p class="error" id="error-kernel" role="alert"></p></div>
    <div class="field" id="field-stride"><label for="stride">stride <input type="text" id="stride" name="stride" value="1"></label><p class="error" id="error-stride" role="alert"></p></div>
    <div class="field" id="field-padding"><label for="padding">padding <input type="text" id="padding" name="padding" value="0" list="padding-words"></label><p class="error" id="error-padding" role="alert"></p></div>
    <datalist id="padding-words"><option value="0"><option value="1"><option value="same"><option value="valid"><option value="0:1"></datalist>
    <div class="field" id="field-dilation"><label for="dilation">dilation <input type="text" id="dilation" name="dilation" value="1"></label><p class="error" id="error-dilation" role="alert"></p></div>
  </fieldset>
  <fieldset><legend>Channels</legend>
    <div class="field" id="field-in_channels"><label for="in_channels">in channels <input type="number" min="1" id="in_channels" name="in_channels" value="1"></label><p class="error" id="error-in_channels" role="alert"></p></div>
    <div class="field" id="field-out_channels"><label for="out_channels">out channels <input type="number" min="1" id="out_channels" name="out_channels" value="1"></label><p class="error" id="error-out_channels" role="alert"></p></div>
    <div class="field" id="field-groups"><label for="groups">groups <input type="number" min="1" id="groups" name="groups" value="1"></label><p class="error" id="error-groups" role="alert"></p></div>
  </fieldset>
  <fieldset><legend>Transposed</legend>
    <div class="field" id="field-transposed"><label for="transposed">transposed (Cᵀ) <input type="checkbox" id="transposed" name="transposed"></label><p class="error" id="error-transposed" role="alert"></p></div>
    <div class="field" id="field-output_padding"><label for="output_padding">output_padding <input type="text" id="output_padding" name="output_padding" value="" placeholder="none"></label><p class="error" id="error-output_padding" role="alert"></p></div>
    <div class="field" id="field-output_size"><label for="output_size">output size <input type="text" id="output_size" name="output_size" value="" placeholder="natural"></label><p class="error" id="error-output_size" role="alert"></p></div>
  </fieldset>
  <fieldset><legend>Conventions</legend>
    <div class="field" id="field-weights"><label for="weights">weights <select id="weights" name="weights"><option value="symbolic">symbolic</option><option value="numeric">numeric 1, 2, 3, …</option></select></label><p class="error" id="error-weights" role="alert"></p></div>
    <div class="field" id="field-flip"><label for="flip">true convolution (flip) <input type="checkbox" id="flip" name="flip"></label><p class="error" id="error-flip" role="alert"></p></div>
    <div class="field" id="field-order"><label for="order">order <select id="order" name="order"><option value="row-major">row-major</option><option value="column-major">column-major</option></select></label><p class="error" id="error-order" role="alert"></p></div>
  </fieldset>
  <p class="error" id="error-other" role="alert"></p>
  <p class="hint">Sizes as 5x5 or 5; padding 1, 1x0, 0:1x1:0, same or valid. ↑/↓ in a box step its numbers. In C: hover or focus a cell (arrow keys move), Enter draws that step.</p>
  <p id="status" aria-live="polite"></p>
</form>
<main id="views">
  <section id="size-section"><h2>Sizes</h2><div id="summary"></div><pre id="shape"></pre></section>
  <section id="matrix-section"><h2 id="matrix-title">The matrix</h2><div id="matrix-note" class="note"></div><div id="matrix" class="scroll"></div></section>
  <section id="pictures-section"><h2>Pictures</h2><div id="pictures-note" class="note"></div><div id="pictures" class="pictures"></div><div id="spy" class="picture"></div><div id="spy-note" class="note"></div></section>
  <section id="verdict-section"><h2>Verifier</h2><div id="verdict-line"></div><pre id="verdict"></pre></section>
  <section id="export-section"><h2>Export</h2>
    <div class="exports">
      <button type="button" id="copy-command">Copy convmat command</button>
      <button type="button" id="copy-latex">Copy LaTeX of the matrix</button>
      <button type="button" id="copy-case">Copy case JSON</button>
      <span id="copied" aria-live="polite"></span>
    </div>
    <code id="command"></code>
  </section>
</main>
</div>
<script>
"use strict";
const KEYS = ["input", "kernel", "stride", "padding", "dilation", "in_channels", "out_channels", "groups",
  "transposed", "output_padding", "output_size", "weights", "flip", "order"];
const DEFAULTS = { input: "5x5", kernel: "3", stride: "1", padding: "0", dilation: "1", in_channels: "1", out_channels: "1",
  groups: "1", transposed: "false", output_padding: "", output_size: "", weights: "symbolic", flip: "false", order: "row-major" };
const $ = (id) => document.getElementById(id);
let view = null, selection = { row: 0, column: 0 }, sequence = 0, shown = 0, columnRows = [];

function readControls() {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const control = $(key);
    params.set(key, control.type === "checkbox" ? String(control.checked) : control.value.trim());
  }
  params.set("row", String(selection.row));
  params.set("column", String(selection.column));
  return params;
}

function writeControls(params) {
  for (const key of KEYS) {
    const control = $(key), value = params.has(key) ? params.get(key) : DEFAULTS[key];
    if (control.type === "checkbox") control.checked = value === "true" || value === "1" || value === "on";
    else control.value = value;
  }
  selection.row = Math.max(0, parseInt(params.get("row") || "0", 10) || 0);
  selection.column = Math.max(0, parseInt(params.get("column") || "0", 10) || 0);
  syncRank();
}

function syncRank() {
  const parts = $("input").value.split(/[x×,]/).filter((s) => s.trim() !== "").length;
  const rank = $("rank");
  if (![...rank.options].some((o) => o.value === String(parts))) rank.add(new Option(String(parts), String(parts)));
  rank.value = String(parts || 2);
}

function changeRank() {
  const rank = parseInt($("rank").value, 10);
  const first = (text, fallback) => (text.split(/[x×,:]/)[0] || fallback).trim();
  const n = first($("input").value, "5");
  $("input").value = rank === 1 ? n : Array(rank).fill(n).join("x");
  for (const key of ["kernel", "stride", "dilation"]) $(key).value = first($(key).value, DEFAULTS[key]);
  const padding = $("padding").value.trim();
  if (padding !== "same" && padding !== "valid") $("padding").value = padding.includes(":") ? padding.split(/[x×,]/)[0] : first(padding, "0");
  for (const key of ["output_padding", "output_size"]) {
    const value = $(key).value.trim();
    if (value) $(key).value = Array(rank).fill(first(value, "0")).join("x");
  }
  changed();
}

function changed() {
  selection = { row: 0, column: 0 };
  update("push");
}

async function update(history) {
  const params = readControls();
  const query = params.toString();
  if (history === "push" && location.search !== "?" + query) window.history.pushState(null, "", "?" + query);
  if (history === "replace") window.history.replaceState(null, "", "?" + query);
  const mine = ++sequence;
  $("status").textContent = "updating…";
  let answer, status;
  try {
    const response = await fetch("/api/view?" + query, { cache: "no-store" });
    status = response.status;
    answer = await response.json();
  } catch (error) {
    if (mine === sequence) $("status").textContent = "the server did not answer: " + error;
    return;
  }
  if (mine !== sequence) return;
  shown = mine;
  clearErrors();
  if (status !== 200 || answer.ok === false) {
    const field = answer.field || "other";
    const box = $("error-" + field) || $("error-other");
    box.textContent = answer.message || answer.error || "refused";
    const holder = $("field-" + field);
    if (holder) { holder.classList.add("invalid"); const c = $(field); if (c) c.setAttribute("aria-invalid", "true"); }
    $("views").classList.add("stale");
    $("status").textContent = "not drawn: see the message at " + (holder ? field : "the bottom of the settings");
    document.body.dataset.state = "refused";
    return;
  }
  render(answer);
  window.history.replaceState(null, "", "?" + answer.query);
  $("status").textContent = "drawn";
  document.body.dataset.state = "drawn";
  document.body.dataset.renders = String(mine);
}

function clearErrors() {
  for (const box of document.querySelectorAll(".error")) box.textContent = "";
  for (const holder of document.querySelectorAll(".field.invalid")) holder.classList.remove("invalid");
  for (const control of document.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  $("views").classList.remove("stale");
}

function render(answer) {
  view = answer;
  selection = { row: answer.row, column: answer.column };
  $("summary").textContent = answer.summary;
  $("shape").textContent = answer.shape ? answer.shape.text : "";
  $("matrix-title").textContent = "The matrix " + answer.matrixName + " (" + answer.rows + "×" + answer.columns + ")";
  $("matrix-note").textContent = answer.matrixNote || "";
  $("matrix").innerHTML = answer.matrix ? answer.matrix.html : "";
  columnRows = [];
  if (answer.matrix) {
    for (let c = 0; c < answer.columns; c++) columnRows.push([]);
    answer.matrix.pattern.forEach((columns, r) => columns.forEach((c) => columnRows[c].push(r)));
  }
  $("pictures").innerHTML = answer.pictures.map((p) => '<div class="picture" data-kind="' + p.kind + '" data-step="' + p.step + '">' + p.svg.replace(/^<\?xml[^>]*>\s*/, "") + "</div>").join("");
  $("pictures-note").textContent = answer.picturesNote ? "Not drawn — " + answer.picturesNote : "";
  // Every linked cell of the pictures is a tab stop, so the pictures link back to C from the keyboard too.
  for (const el of document.querySelectorAll("#pictures [data-link]")) el.setAttribute("tabindex", "0");
  $("spy").innerHTML = answer.spy ? answer.spy.replace(/^<\?xml[^>]*>\s*/, "") : "";
  $("spy-note").textContent = answer.spyNote || "";
  if (answer.verdict) {
    $("verdict-line").textContent = answer.verdict.passed ? "PASS: the transposed convolution is Cᵀ by every route" : "FAIL";
    $("verdict-line").className = answer.verdict.passed ? "verdict-pass" : "verdict-fail";
    $("verdict").textContent = answer.verdict.text;
  } else {
    $("verdict-line").textContent = answer.verdictNote || "";
    $("verdict-line").className = "note";
    $("verdict").textContent = "";
  }
  $("command").textContent = answer.command;
  markSelection();
  highlight(null, null);
}

function markSelection() {
  for (const cell of document.querySelectorAll("#matrix .selected")) cell.classList.remove("selected");
  const cell = document.querySelector('#matrix td[data-row="' + selection.row + '"][data-col="' + selection.column + '"]');
  if (cell) {
    cell.classList.add("selected");
    for (const other of document.querySelectorAll('#matrix [tabindex="0"]')) other.tabIndex = -1;
    cell.tabIndex = 0;
  }
}

// Linking: a row of C is one output and its window; a column is one input and the outputs it feeds.
function highlight(row, column) {
  for (const el of document.querySelectorAll(".hl-row, .hl-col")) el.classList.remove("hl-row", "hl-col");
  for (const el of document.querySelectorAll("svg .linked")) el.classList.remove("linked");
  if (!view || !view.matrix) return;
  const links = new Set();
  if (row !== null) {
    for (const el of document.querySelectorAll('#matrix [data-row="' + row + '"]')) el.classList.add("hl-row");
    links.add("out:" + view.matrix.rowElements[row]);
    for (const c of view.matrix.pattern[row] || []) links.add("in:" + view.matrix.columnElements[c]);
  }
  if (column !== null) {
    for (const el of document.querySelectorAll('#matrix [data-col="' + column + '"]')) el.classList.add("hl-col");
    links.add("in:" + view.matrix.columnElements[column]);
    for (const r of columnRows[column] || []) links.add("out:" + view.matrix.rowElements[r]);
  }
  for (const link of links) for (const el of document.querySelectorAll('#pictures [data-link="' + link + '"]')) el.classList.add("linked");
  document.body.dataset.highlight = (row === null ? "" : "row " + row) + (column === null ? "" : " column " + column);
}

function cellTarget(event) {
  const el = event.target.closest("#matrix td, #matrix th");
  if (!el) return null;
  const row = el.dataset.row !== undefined ? parseInt(el.dataset.row, 10) : null;
  const column = el.dataset.col !== undefined ? parseInt(el.dataset.col, 10) : null;
  return { el, row, column };
}

function select(row, column) {
  if (row !== null) selection.row = row;
  if (column !== null) selection.column = column;
  update("replace");
}

$("matrix").addEventListener("mouseover", (event) => { const t = cellTarget(event); if (t) highlight(t.row, t.column); });
$("matrix").addEventListener("focusin", (event) => { const t = cellTarget(event); if (t) highlight(t.row, t.column); });
$("matrix").addEventListener("mouseleave", () => highlight(null, null));
$("matrix").addEventListener("click", (event) => { const t = cellTarget(event); if (t) select(t.row, t.column); });
$("matrix").addEventListener("keydown", (event) => {
  const t = cellTarget(event);
  if (!t || !view) return;
  if (event.key === "Enter" || event.key === " ") { event.preventDefault(); select(t.row, t.column); return; }
  const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], Home: [0, -1e9], End: [0, 1e9] };
  const move = moves[event.key];
  if (!move) return;
  event.preventDefault();
  const row = Math.min(view.rows - 1, Math.max(0, (t.row ?? 0) + move[0]));
  const column = Math.min(view.columns - 1, Math.max(0, (t.column ?? 0) + move[1]));
  const next = document.querySelector('#matrix td[data-row="' + row + '"][data-col="' + column + '"]');
  if (next) { t.el.tabIndex = -1; next.tabIndex = 0; next.focus(); }
});

// From the pictures back: an input cell highlights its column of C, an output cell its row.
function pictureLink(event) {
  const el = event.target.closest("[data-link]");
  if (!el || !view || !view.matrix) return null;
  const [side, number] = el.dataset.link.split(":");
  const index = (side === "out" ? view.matrix.rowElements : view.matrix.columnElements).indexOf(parseInt(number, 10));
  return index < 0 ? null : { side, index };
}
$("pictures").addEventListener("mouseover", (event) => {
  const link = pictureLink(event);
  if (link) highlight(link.side === "out" ? link.index : null, link.side === "in" ? link.index : null);
});
$("pictures").addEventListener("mouseleave", () => highlight(null, null));
$("pictures").addEventListener("focusin", (event) => {
  const link = pictureLink(event);
  if (link) highlight(link.side === "out" ? link.index : null, link.side === "in" ? link.index : null);
});
$("pictures").addEventListener("keydown", (event) => {
  if (event.key !== "Enter" && event.key !== " ") return;
  const link = pictureLink(event);
  if (!link) return;
  event.preventDefault();
  select(link.side === "out" ? link.index : null, link.side === "in" ? link.index : null);
});
$("pictures").addEventListener("click", (event) => {
  const link = pictureLink(event);
  if (link) select(link.side === "out" ? link.index : null, link.side === "in" ? link.index : null);
});

// Controls: a change redraws at once; typing redraws after a pause; ↑/↓ step the numbers of a box.
let typing = null;
for (const key of KEYS) {
  const control = $(key);
  control.addEventListener("change", () => { clearTimeout(typing); if (key === "input") syncRank(); changed(); });
  if (control.type === "text") {
    control.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(() => { if (key === "input") syncRank(); changed(); }, 400); });
    control.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
      const step = event.key === "ArrowUp" ? 1 : -1;
      const text = control.value.trim() || (key === "output_padding" ? "0" : "");
      if (!/^[0-9x×,:\- ]+$/.test(text)) return;
      event.preventDefault();
      control.value = text.replace(/-?\d+/g, (n) => String(Math.max(0, parseInt(n, 10) + step)));
      clearTimeout(typing);
      typing = setTimeout(changed, 150);
    });
  }
}
$("rank").addEventListener("change", changeRank);

async function copy(text, what) {
  try { await navigator.clipboard.writeText(text); }
  catch (error) {
    const area = document.createElement("textarea");
    area.value = text; document.body.appendChild(area); area.select();
    document.execCommand("copy"); area.remove();
  }
  $("copied").textContent = "copied " + what;
  document.body.dataset.copied = text;
}
$("copy-command").addEventListener("click", () => view && copy(view.command, "the command"));
$("copy-latex").addEventListener("click", () => view && copy(view.latex || view.latexNote || "", "the LaTeX"));
$("copy-case").addEventListener("click", () => view && copy(view.case || "", "the case JSON"));

window.addEventListener("popstate", () => { writeControls(new URLSearchParams(location.search)); update("none"); });
writeControls(new URLSearchParams(location.search));
update("replace");
</script>
</body>
</html>
"""#
}
