"use strict";
const KEYS = ["input", "kernel", "stride", "padding", "padding_mode", "dilation", "in_channels", "out_channels", "groups",
  "transposed", "output_padding", "output_size", "weights", "values", "flip", "order"];
const DEFAULTS = { input: "5x5", kernel: "3", stride: "1", padding: "0", padding_mode: "zeros", dilation: "1", in_channels: "1", out_channels: "1",
  groups: "1", transposed: "false", output_padding: "", output_size: "", weights: "symbolic", values: "", flip: "false", order: "row-major" };
// Keys whose change keeps the selected cell: they change the numbers, not the shape of C.
const NUMBERS = new Set(["weights", "values"]);
const $ = (id) => document.getElementById(id);
let view = null, selection = { row: 0, column: 0 }, sequence = 0, shown = 0, columnRows = [];
// Projector mode (present=1) and its zoom: null is "as large as fits", else a percentage of the page's 12 px type.
let layout = { present: false, zoom: null };

// weights is a choice (symbolic, numeric) or the kernel's numbers, in one query key.
function weightsValue() {
  const kind = $("weights-kind").value;
  return kind === "list" ? $("weights").value.trim() : kind;
}

function showWeights(value) {
  const kind = value === "symbolic" || value === "numeric" || value === "" ? (value || "symbolic") : "list";
  $("weights-kind").value = kind;
  if (kind === "list") $("weights").value = value;
  $("weights-box").hidden = kind !== "list";
}

function readControls() {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const control = $(key);
    if (key === "weights") params.set(key, weightsValue());
    else if (key === "values") { if (control.value.trim()) params.set(key, control.value.trim()); }
    else params.set(key, control.type === "checkbox" ? String(control.checked) : control.value.trim());
  }
  params.set("row", String(selection.row));
  params.set("column", String(selection.column));
  if (layout.present) params.set("present", "1");
  if (layout.present && layout.zoom !== null) params.set("zoom", String(layout.zoom));
  return params;
}

function writeControls(params) {
  for (const key of KEYS) {
    const control = $(key), value = params.has(key) ? params.get(key) : DEFAULTS[key];
    if (key === "weights") showWeights(value);
    else if (control.type === "checkbox") control.checked = value === "true" || value === "1" || value === "on";
    else control.value = value;
  }
  selection.row = Math.max(0, parseInt(params.get("row") || "0", 10) || 0);
  selection.column = Math.max(0, parseInt(params.get("column") || "0", 10) || 0);
  const present = params.get("present") || "";
  const zoom = parseInt(params.get("zoom") || "", 10);
  setPresent(present === "1" || present === "true" || present === "on", Number.isFinite(zoom) ? zoom : null);
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

function changed(keepSelection) {
  if (!keepSelection) selection = { row: 0, column: 0 };
  update("push");
}

async function update(history) {
  const params = readControls();
  // A comma needs no escape in a query; lists of numbers stay readable in the address bar.
  const query = params.toString().replace(/%2C/g, ",");
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
    const message = answer.message || answer.error || "refused";
    const box = $("error-" + field) || $("error-other");
    box.textContent = message;
    const holder = $("field-" + field);
    if (holder) { holder.classList.add("invalid"); const c = $(field); if (c) c.setAttribute("aria-invalid", "true"); }
    $("views").classList.add("stale");
    $("status").textContent = "not drawn: see the message at " + (holder ? field : "the bottom of the settings");
    // Nothing drawn yet (a link that does not hold together): the message takes the views' place.
    if (!view) {
      $("views").classList.add("refused");
      $("refusal-section").hidden = false;
      $("refusal-message").textContent = message;
      $("refusal-hint").textContent = (holder ? "The setting to change: " + field + ", marked in the settings" : "Change the settings")
        + (layout.present ? " (S opens them; P leaves projector mode)." : ".");
      if (layout.present) setSettingsOpen(true);
    }
    $("present-summary").textContent = message;
    $("present-summary").classList.add("refused");
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
  $("views").classList.remove("refused");
  $("refusal-section").hidden = true;
  $("present-summary").classList.remove("refused");
  for (const box of document.querySelectorAll(".error")) box.textContent = "";
  for (const holder of document.querySelectorAll(".field.invalid")) holder.classList.remove("invalid");
  for (const control of document.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  $("views").classList.remove("stale");
}

function render(answer) {
  const focus = focusedCell();
  const sameTable = view && answer.matrix && view.matrix && view.matrix.html === answer.matrix.html;
  view = answer;
  selection = { row: answer.row, column: answer.column };
  $("summary").textContent = answer.summary;
  $("present-summary").textContent = answer.summary;
  $("shape").textContent = answer.shape ? answer.shape.text : "";
  $("matrix-title").textContent = "The matrix " + answer.matrixName + " (" + answer.rows + "×" + answer.columns + ")";
  $("matrix-note").textContent = answer.matrixNote || "";
  // The same table (a new step, new numbers in the pictures) stays in place, with the focus in it.
  if (!sameTable) $("matrix").innerHTML = answer.matrix ? answer.matrix.html : "";
  $("weights").placeholder = answer.weightCount + " numbers";
  $("values").placeholder = answer.valueCount + " numbers";
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
  fitProjector();
  restoreFocus(focus);
  const focused = $("matrix").contains(document.activeElement) ? cellTarget({ target: document.activeElement }) : null;
  if (focused) highlight(focused.row, focused.column);
}

// Which cell has the focus, in C or in a picture, so that it can have it again after the views are replaced.
function focusedCell() {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  if ($("matrix").contains(el)) return { matrix: true, selector: el.tagName.toLowerCase() + (el.dataset.row !== undefined ? '[data-row="' + el.dataset.row + '"]' : "") + (el.dataset.col !== undefined ? '[data-col="' + el.dataset.col + '"]' : "") };
  const picture = el.closest && el.closest("#pictures .picture");
  if (picture && el.dataset.link) return { matrix: false, selector: '.picture[data-kind="' + picture.dataset.kind + '"] [data-link="' + el.dataset.link + '"]' };
  return null;
}

function restoreFocus(focus) {
  if (!focus || document.activeElement && document.activeElement !== document.body) return;
  const el = document.querySelector((focus.matrix ? "#matrix " : "#pictures ") + focus.selector);
  if (!el) return;
  if (focus.matrix) { for (const other of document.querySelectorAll('#matrix [tabindex="0"]')) other.tabIndex = -1; el.tabIndex = 0; }
  el.focus({ preventScroll: true });
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
  control.addEventListener("change", () => { clearTimeout(typing); if (key === "input") syncRank(); changed(NUMBERS.has(key)); });
  if (control.type === "text") {
    control.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(() => { if (key === "input") syncRank(); changed(NUMBERS.has(key)); }, 400); });
    // Lists of numbers may be negative or fractions: ↑/↓ steps sizes only.
    if (NUMBERS.has(key)) continue;
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
$("weights-kind").addEventListener("change", () => {
  const list = $("weights-kind").value === "list";
  $("weights-box").hidden = !list;
  // Numbers to start from: the kernel shown, else 1, 2, 3, …
  if (list && !$("weights").value.trim() && view) {
    $("weights").value = view.kernel || Array.from({ length: view.weightCount }, (_, n) => String(n + 1)).join(",");
  }
  changed(true);
});
$("controls").addEventListener("submit", (event) => event.preventDefault());

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

// Projector mode: the layout only, so a toggle or a zoom rewrites the URL without asking the server.
function setPresent(on, zoom) {
  layout.present = on;
  if (zoom !== undefined) layout.zoom = zoom === null ? null : Math.min(400, Math.max(50, zoom));
  document.body.classList.toggle("present", on);
  document.documentElement.classList.toggle("present", on);
  if (!on) setSettingsOpen(false);
}

function rememberLayout() {
  const params = new URLSearchParams(location.search);
  params.delete("present"); params.delete("zoom");
  if (layout.present) params.set("present", "1");
  if (layout.present && layout.zoom !== null) params.set("zoom", String(layout.zoom));
  window.history.replaceState(null, "", "?" + params.toString().replace(/%2C/g, ","));
}

function togglePresent() {
  setPresent(!layout.present);
  rememberLayout();
  fitProjector();
  window.scrollTo(0, 0);
}

function setSettingsOpen(open) {
  document.body.classList.toggle("settings-open", open);
  $("settings-toggle").setAttribute("aria-expanded", String(open));
}

function zoomBy(step) {
  const current = layout.zoom === null ? Math.round(currentFont() / 12 * 100) : layout.zoom;
  setPresent(true, step === 0 ? null : Math.round(current / 10) * 10 + step * 10);
  rememberLayout();
  fitProjector();
}

function currentFont() {
  return parseFloat(getComputedStyle($("matrix")).getPropertyValue("--cell-font")) || 12;
}

$("present-on").addEventListener("click", togglePresent);
$("present-off").addEventListener("click", togglePresent);
$("zoom-in").addEventListener("click", () => zoomBy(1));
$("zoom-out").addEventListener("click", () => zoomBy(-1));
$("zoom-fit").addEventListener("click", () => zoomBy(0));
$("settings-toggle").addEventListener("click", () => { setSettingsOpen(!document.body.classList.contains("settings-open")); fitProjector(); });
document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (event.ctrlKey || event.metaKey || event.altKey || (target.closest && target.closest("input, select, textarea"))) return;
  if (event.key === "p" || event.key === "P") { event.preventDefault(); togglePresent(); return; }
  if (!layout.present) return;
  const zooms = { "+": 1, "=": 1, "-": -1, "0": 0 };
  if (event.key in zooms) { event.preventDefault(); zoomBy(zooms[event.key]); }
  else if (event.key === "s" || event.key === "S") { event.preventDefault(); setSettingsOpen(!document.body.classList.contains("settings-open")); fitProjector(); }
});
let resizing = null;
window.addEventListener("resize", () => { clearTimeout(resizing); resizing = setTimeout(fitProjector, 100); });

// The projector's layout: the largest type for C (11 to 24 px; the page's own is 12) at which C fits
// the window's height and leaves the pictures a third of its width (or their natural width, if less);
// column labels turn vertical when that lets the type grow, and rows then grow to 1.5 em (at least
// 20 px) as far as the height allows. The pictures fill what is left, stacked or in a row, whichever
// draws them larger. With a zoom set, C has that size and scrolls in its panel when it must.
const TYPE = { smallest: 11, largest: 24 };
function fitProjector() {
  const matrix = $("matrix"), table = matrix.querySelector("table");
  const svgs = [...document.querySelectorAll("#pictures svg, #spy svg")];
  for (const svg of svgs) { svg.style.removeProperty("width"); svg.style.removeProperty("height"); }
  if (!layout.present) {
    matrix.style.removeProperty("--cell-font");
    matrix.style.removeProperty("--cell-height");
    $("left").style.removeProperty("max-width");
    $("left").style.removeProperty("width");
    if (table) table.classList.remove("vertical");
    $("zoom-level").textContent = "";
    document.body.dataset.fit = "";
    return;
  }
  const stage = $("stage"), section = $("matrix-section");
  const natural = svgs.map((svg) => ({ svg, width: parseFloat(svg.getAttribute("width")) || 300, height: parseFloat(svg.getAttribute("height")) || 150 }));
  const gap = 8, sideLeast = Math.max(300, Math.min(stage.clientWidth / 3, Math.max(0, ...natural.map((p) => p.width)) + 16));
  const style = getComputedStyle(section), px = (name) => parseFloat(style.getPropertyValue(name)) || 0;
  const chrome = {
    width: px("padding-left") + px("padding-right") + px("border-left-width") + px("border-right-width"),
    height: px("padding-top") + px("padding-bottom") + px("border-top-width") + px("border-bottom-width") + $("matrix-note").offsetHeight,
  };
  const room = { width: stage.clientWidth - sideLeast - gap - chrome.width, height: stage.clientHeight - chrome.height };
  const left = $("left");
  left.style.removeProperty("width");
  left.style.maxWidth = stage.clientWidth - sideLeast - gap + "px";
  for (const spare of left.querySelectorAll(".spare")) spare.classList.remove("spare");
  matrix.style.removeProperty("--cell-height");
  let font = 12, vertical = false, fits = false, rowHeight = null;
  if (table) {
    const measure = (size, turned) => {
      matrix.style.setProperty("--cell-font", size + "px");
      table.classList.toggle("vertical", turned);
      return table.offsetWidth <= room.width && table.offsetHeight <= room.height;
    };
    if (layout.zoom !== null) {
      font = 12 * layout.zoom / 100;
      vertical = !measure(font, false) && table.offsetWidth > room.width;
      fits = measure(font, vertical);
    } else {
      // The largest size in steps of 0.5 px that fits, for each orientation of the column labels.
      const largest = (turned) => {
        let low = TYPE.smallest * 2, high = TYPE.largest * 2;
        if (!measure(low / 2, turned)) return null;
        while (low < high) { const mid = Math.ceil((low + high) / 2); if (measure(mid / 2, turned)) low = mid; else high = mid - 1; }
        return low / 2;
      };
      const flat = largest(false), turned = largest(true);
      fits = flat !== null || turned !== null;
      vertical = !fits || (turned !== null && (flat === null || turned > flat));
      // Too large to fit at a readable size: the page's own 12 px, and C scrolls in its panel.
      font = fits ? (vertical ? turned : flat) : 12;
      measure(font, vertical);
    }
    // Rows as tall as the room allows, from the type's own height up to max(20 px, 1.5 em).
    const rows = table.tBodies[0] ? table.tBodies[0].rows.length : 0;
    if (fits && rows) {
      const head = table.tHead ? table.tHead.offsetHeight : 0, own = (table.offsetHeight - head) / rows;
      rowHeight = Math.max(own, Math.min(Math.max(20, 1.5 * font), Math.floor(((room.height - head) / rows - 1) * 10) / 10));
      matrix.style.setProperty("--cell-height", rowHeight + "px");
      while (rowHeight > own && table.offsetHeight > room.height) {
        rowHeight -= 0.5;
        matrix.style.setProperty("--cell-height", rowHeight + "px");
      }
    }
  }
  $("zoom-level").textContent = (layout.zoom === null ? "fit: " : "") + Math.round(font / 12 * 100) + " %";
  // Under C, as wide as C: the sizes and the verifier, each only if it fits whole.
  if (table) left.style.width = Math.min(table.offsetWidth + chrome.width, stage.clientWidth - sideLeast - gap) + "px";
  for (const id of ["verdict-section", "size-section"]) if (left.scrollHeight > left.clientHeight + 0.5) $(id).classList.add("spare");
  // The pictures: stacked or side by side, scaled to the room the matrix leaves (at most 2.5 times).
  const pictures = $("pictures");
  if (natural.length) {
    const box = $("pictures-section"), boxStyle = getComputedStyle(box), boxPx = (name) => parseFloat(boxStyle.getPropertyValue(name)) || 0;
    const sum = (list) => list.reduce((a, b) => a + b, 0);
    // The step pictures (#pictures) stacked or in a row; the spy picture, when drawn, under them (a gap apart).
    const steps = natural.filter((p) => pictures.contains(p.svg)), spy = natural.filter((p) => !pictures.contains(p.svg));
    const notes = sum([...box.children].filter((el) => el !== pictures && el !== $("spy")).map((el) => el.offsetHeight));
    const width = box.clientWidth - boxPx("padding-left") - boxPx("padding-right");
    const height = box.clientHeight - boxPx("padding-top") - boxPx("padding-bottom") - notes - (steps.length && spy.length ? gap : 0);
    const spyWidth = Math.max(0, ...spy.map((p) => p.width)), spyHeight = sum(spy.map((p) => p.height));
    const stacked = Math.min(width / Math.max(...natural.map((p) => p.width)), (height - gap * Math.max(0, steps.length - 1)) / sum(natural.map((p) => p.height)), 2.5);
    const inRow = steps.length < 2 ? 0 : Math.min(
      (width - gap * (steps.length - 1)) / Math.max(sum(steps.map((p) => p.width)), spyWidth),
      height / (Math.max(...steps.map((p) => p.height)) + spyHeight), 2.5);
    pictures.classList.toggle("stacked", stacked >= inRow);
    const scale = Math.max(0.1, Math.max(stacked, inRow));
    for (const p of natural) { p.svg.style.width = p.width * scale + "px"; p.svg.style.height = p.height * scale + "px"; }
    document.body.dataset.pictureScale = scale.toFixed(3);
  }
  document.body.dataset.fit = JSON.stringify({ font, vertical, fits, rowHeight });
}

window.addEventListener("popstate", () => { writeControls(new URLSearchParams(location.search)); update("none"); });
writeControls(new URLSearchParams(location.search));
update("replace");
