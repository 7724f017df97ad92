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

// The form only holds the settings: Enter in a box never submits it (the page's Content-Security-Policy
// allows no inline handler, so this is here rather than an onsubmit attribute).
$("controls").addEventListener("submit", (event) => event.preventDefault());
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
