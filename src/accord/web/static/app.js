// Accord's page. It talks only to the JSON API under /api and never inserts user data as
// HTML: every text goes in through textContent or an option's text.
"use strict";

const $ = (id) => document.getElementById(id);

const state = {
  ref: null,          // the scenario the API is asked about: {builtin}, {saved, version} or {text, format}
  summary: null,      // issues, actors, parties and proposals of that scenario
  analysis: null,     // /api/analyze for the two plotted actors
  cloud: null,        // /api/deals for the two plotted actors
  evaluation: null,   // /api/evaluate of the proposal being built
  lastRun: null,      // {kind, body} of the last run, for "Save run"
  classics: [],       // /api/game/classics: the classic strategic games
  dirty: false,       // the editor differs from the loaded scenario
  seq: {},            // latest request number per purpose: older answers are dropped
};

// -- helpers ---------------------------------------------------------------------------

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "text") node.textContent = v;
    else if (k === "className") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

function fmt(x, digits = 3) {
  return x === null || x === undefined ? "–" : Number(x).toFixed(digits);
}

function signed(x) {
  return x === null || x === undefined ? "–" : (x >= 0 ? "+" : "") + Number(x).toFixed(3);
}

function status(message, isError = false) {
  const s = $("status");
  s.textContent = message;
  s.className = isError ? "error" : "";
}

function next(purpose) {
  state.seq[purpose] = (state.seq[purpose] || 0) + 1;
  return state.seq[purpose];
}

function current(purpose, n) {
  return state.seq[purpose] === n;
}

// One call of the API: {ok, status, data}. Errors come as {errors: [{path, message}]}.
async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    return { ok: false, status: 0, data: { errors: [{ path: "", message: "the server cannot be reached" }] } };
  }
  let data = null;
  try {
    data = await response.json();
  } catch (err) {
    data = { errors: [{ path: "", message: `unexpected answer (${response.status})` }] };
  }
  return { ok: response.ok, status: response.status, data };
}

function errorText(data) {
  const errors = (data && data.errors) || [];
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("; ");
}

function dealText(deal) {
  return Object.entries(deal).map(([k, v]) => `${k}=${v}`).join(", ");
}

function setOptions(select, items, selected) {
  clear(select);
  for (const item of items) {
    const option = el("option", { value: item.value, text: item.label });
    if (item.value === selected) option.selected = true;
    select.append(option);
  }
}

// -- scenario: pick, load, edit, validate, save -------------------------------------------

async function loadLists() {
  const r = await api("GET", "/api/scenarios");
  if (!r.ok) {
    status(errorText(r.data), true);
    return;
  }
  const select = $("builtin-select");
  const chosen = select.value;
  setOptions(select, [{ value: "", label: "choose a scenario…" }].concat(
    r.data.builtin.map((s) => ({ value: s.id, label: `${s.id}: ${s.title}` }))), chosen);
  renderSavedScenarios(r.data.saved);
  await loadRuns();
}

function renderSavedScenarios(saved) {
  const list = clear($("saved-scenarios"));
  if (!saved.length) list.append(el("li", { className: "muted", text: "No saved scenario yet." }));
  for (const s of saved) {
    const open = el("button", { type: "button", className: "link", text: s.name,
      onclick: () => loadSaved(s.name, null) });
    list.append(el("li", { "data-name": s.name }, [open,
      document.createTextNode(` — ${s.title} (version ${s.latest_version}, ${s.updated_at.slice(0, 19).replace("T", " ")})`)]));
  }
}

async function loadBuiltin(id) {
  if (!id) return;
  status(`Loading ${id}…`);
  const r = await api("GET", `/api/scenarios/${encodeURIComponent(id)}`);
  if (!r.ok) {
    status(errorText(r.data), true);
    return;
  }
  setEditor(r.data.text, "yaml");
  $("scenario-source").textContent = `built-in ${id}`;
  clear($("saved-versions"));
  await useScenario({ builtin: id }, r.data.scenario);
  status(`Loaded ${id}.`);
}

async function loadSaved(name, version) {
  const query = version ? `?version=${version}` : "";
  const r = await api("GET", `/api/saved/scenarios/${encodeURIComponent(name)}${query}`);
  if (!r.ok) {
    status(errorText(r.data), true);
    return;
  }
  setEditor(r.data.text, r.data.format);
  $("builtin-select").value = "";
  $("scenario-source").textContent = `saved ${r.data.name}, version ${r.data.version}`;
  const versions = clear($("saved-versions"));
  if (r.data.versions.length > 1) {
    versions.append(el("li", { className: "muted", text: `Versions of ${r.data.name}:` }));
    for (const v of r.data.versions) {
      const label = `version ${v.version} (${v.created_at.slice(0, 19).replace("T", " ")})`;
      versions.append(el("li", {}, [v.version === r.data.version
        ? el("strong", { text: label })
        : el("button", { type: "button", className: "link", text: label,
          onclick: () => loadSaved(r.data.name, v.version) })]));
    }
  }
  await useScenario({ saved: r.data.name, version: r.data.version }, r.data.scenario);
  status(`Loaded saved scenario ${r.data.name} (version ${r.data.version}).`);
}

function setEditor(text, format) {
  $("editor").value = text;
  $("format").value = format;
  state.dirty = false;
  showProblems({ valid: true, errors: [] });
  $("save-state").textContent = "";
}

let validateTimer = null;

function onEdit() {
  state.dirty = true;
  $("scenario-source").textContent = "edited text";
  clearTimeout(validateTimer);
  validateTimer = setTimeout(validateEditor, 400);
}

async function validateEditor() {
  const text = $("editor").value;
  const format = $("format").value;
  if (!text.trim()) {
    showProblems(null);
    return;
  }
  const n = next("validate");
  const r = await api("POST", "/api/validate", { text, format });
  if (!current("validate", n)) return;
  if (!r.ok) {
    showProblems({ valid: false, errors: r.data.errors || [] });
    return;
  }
  showProblems(r.data);
  if (r.data.valid) await useScenario({ text, format }, r.data.scenario);
}

function showProblems(result) {
  const list = clear($("problems"));
  const stateLine = $("valid-state");
  $("save-scenario").disabled = !(result && result.valid && $("editor").value.trim());
  if (!result) {
    stateLine.textContent = "No scenario yet.";
    stateLine.className = "muted";
    return;
  }
  if (result.valid) {
    stateLine.textContent = "Valid scenario.";
    stateLine.className = "ok";
    return;
  }
  const n = result.errors.length;
  stateLine.textContent = `${n} problem${n === 1 ? "" : "s"}: the plot shows the last valid version.`;
  stateLine.className = "bad";
  for (const e of result.errors) {
    const item = el("li", {}, [
      el("span", { className: "path", text: e.path || "(scenario)" }),
      document.createTextNode(": " + e.message),
    ]);
    if (e.line) {
      item.append(el("span", { className: "line", text: ` (line ${e.line})` }));
      item.title = `Go to line ${e.line}`;
      item.addEventListener("click", () => goToLine(e.line));
    }
    list.append(item);
  }
}

function goToLine(line) {
  const editor = $("editor");
  const lines = editor.value.split("\n");
  let start = 0;
  for (let k = 0; k < line - 1 && k < lines.length; k++) start += lines[k].length + 1;
  const end = start + (lines[line - 1] || "").length;
  editor.focus();
  editor.setSelectionRange(start, end);
  const height = editor.scrollHeight / Math.max(1, lines.length);
  editor.scrollTop = Math.max(0, (line - 5) * height);
}

// The file chosen in a file input and its text; null when none, or when it is over 1 MB.
async function uploaded(event) {
  const file = event.target.files[0];
  if (!file) return null;
  if (file.size > 1000000) {
    status(`${file.name} is larger than 1 MB`, true);
    return null;
  }
  return { file, text: await file.text() };
}

async function readUpload(event) {
  const chosen = await uploaded(event);
  if (!chosen) return;
  const { file, text } = chosen;
  $("editor").value = text;
  $("format").value = file.name.toLowerCase().endsWith(".json") ? "json" : "yaml";
  $("builtin-select").value = "";
  onEdit();
  $("scenario-source").textContent = `file ${file.name}`;
  clearTimeout(validateTimer);
  await validateEditor();
}

async function saveScenario() {
  const text = $("editor").value;
  const format = $("format").value;
  const r = await api("POST", "/api/saved/scenarios", { text, format });
  if (!r.ok) {
    if (r.status === 422) showProblems({ valid: false, errors: r.data.errors || [] });
    status(errorText(r.data), true);
    return;
  }
  const what = r.data.created ? `Saved ${r.data.name} as version ${r.data.version}.`
    : `${r.data.name} version ${r.data.version} already holds this text.`;
  $("save-state").textContent = what;
  status(what);
  await loadLists();
  await loadSaved(r.data.name, r.data.version);
}

// A new scenario to work on: controls, plot and proposal follow it.
async function useScenario(ref, summary) {
  const samePlot = state.summary && summary && state.summary.id === summary.id;
  state.ref = ref;
  state.summary = summary;
  const actors = summary.actors.map((a) => a.id);
  const defaults = summary.parties.length >= 2 ? summary.parties : actors;
  const x = samePlot && actors.includes($("party-x").value) ? $("party-x").value : defaults[0];
  let y = samePlot && actors.includes($("party-y").value) ? $("party-y").value : defaults[1];
  if (y === undefined) y = x;
  const items = summary.actors.map((a) => ({ value: a.id, label: `${a.id} (${a.role}${a.veto ? ", veto" : ""})` }));
  setOptions($("party-x"), items, x);
  setOptions($("party-y"), items, y);
  buildProposalControls(samePlot);
  buildActorControls(summary);
  for (const id of ["run", "repair-run", "inverse-run", "tournament-run"]) $(id).disabled = false;
  await Promise.all([refreshPlot(), evaluateProposal()]);
}

// The controls that list the scenario's actors or proposals: the mediator, the actors of the
// inverse questions, the deal of a repair or of the inverse questions.
function buildActorControls(summary) {
  const mediator = $("mediator").value;
  setOptions($("mediator"), [{ value: "", label: "default (first with role mediator)" }].concat(
    summary.actors.map((a) => ({ value: a.id, label: `${a.id} (${a.role})` }))), mediator);
  for (const id of ["inverse-actors", "coalition-actors"]) {
    const checks = clear($(id));
    for (const a of summary.actors) {
      checks.append(el("label", {}, [el("input", { type: "checkbox", value: a.id, "data-actor": a.id }),
        document.createTextNode(a.id)]));
    }
  }
  showGameControls();
  const targets = [{ value: "", label: "the proposal being built" }].concat(
    summary.proposals.map((p) => ({ value: p.id, label: `${p.id}${p.title ? ": " + p.title : ""}` })));
  for (const select of document.querySelectorAll("select.target")) {
    const chosen = select.value;
    setOptions(select, targets, targets.some((t) => t.value === chosen) ? chosen : "");
  }
}

// The deal a repair or the inverse questions are about: a proposal id, or the proposal being built.
function target(select) {
  return select.value ? { proposal: select.value } : { deal: currentDeal() };
}

// The value of a number input, or undefined when it is empty (the API's default then holds).
function numberOf(id) {
  const text = $(id).value.trim();
  return text === "" ? undefined : Number(text);
}

// Fields whose value is undefined are left out of a request body.
function defined(body) {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

// -- the utility space ---------------------------------------------------------------------

function plotParties() {
  return [$("party-x").value, $("party-y").value];
}

async function refreshPlot() {
  if (!state.ref) return;
  const parties = plotParties();
  if (parties[0] === parties[1]) {
    status("Choose two different actors for the plot.", true);
    return;
  }
  const weights = nashWeights();
  if (weights === null) {
    status("Nash weights: write party=weight pairs separated by commas, each weight above 0.", true);
    return;
  }
  const n = next("plot");
  const [analysis, cloud] = await Promise.all([
    api("POST", "/api/analyze", defined({ scenario: state.ref, parties, nash_weights: weights })),
    api("POST", "/api/deals", { scenario: state.ref, parties }),
  ]);
  if (!current("plot", n)) return;
  if (!analysis.ok || !cloud.ok) {
    status(errorText(analysis.ok ? cloud.data : analysis.data), true);
    return;
  }
  state.analysis = analysis.data;
  state.cloud = cloud.data;
  drawPlot();
  const a = analysis.data;
  const zopa = a.zopa.exists
    ? `ZOPA: yes (${a.zopa.count === null ? "count skipped" : a.zopa.count.toLocaleString() + " deals"})`
    : `ZOPA: none (BATNAs would have to fall by ${fmt(a.zopa.shortfall)})`;
  const sample = cloud.data.sampled ? `, ${cloud.data.count.toLocaleString()} sampled` : "";
  $("analysis-summary").textContent =
    `${a.outcomes.toLocaleString()} deals${sample}; ${a.pareto.size} on the Pareto frontier of ${parties.join(" and ")}; ${zopa}.`;
}

// The Nash weights typed as "party=weight, ...": an object, undefined when empty, null when
// the text cannot be read.
function nashWeights() {
  const text = $("nash-weights").value.trim();
  if (!text) return undefined;
  const weights = {};
  for (const part of text.split(",")) {
    const [party, weight, extra] = part.split("=").map((x) => x.trim());
    const w = Number(weight);
    if (!party || weight === undefined || weight === "" || extra !== undefined || !(w > 0)) return null;
    weights[party] = w;
  }
  return weights;
}

function drawPlot() {
  const [px, py] = plotParties();
  const a = state.analysis;
  const c = state.cloud;
  const frontier = a.pareto.deals.slice().sort((p, q) => p.utilities[px] - q.utilities[px]);
  state.frontier = frontier;
  const solutions = Object.entries(a.solutions).filter(([, s]) => s !== null);
  const traces = [
    { type: "scatter", mode: "markers", name: c.sampled ? "deals (sample)" : "deals",
      x: c.x, y: c.y, meta: "cloud", hoverinfo: "x+y",
      marker: { size: 5, color: "rgba(120,130,145,0.35)" } },
    { type: "scatter", mode: "lines+markers", name: "Pareto frontier", meta: "frontier",
      x: frontier.map((p) => p.utilities[px]), y: frontier.map((p) => p.utilities[py]),
      hoverinfo: "x+y", line: { color: "#1f6feb" }, marker: { size: 8, color: "#1f6feb" } },
    { type: "scatter", mode: "markers", name: "solutions", meta: "solutions",
      x: solutions.map(([, s]) => s.utilities[px]), y: solutions.map(([, s]) => s.utilities[py]),
      text: solutions.map(([name]) => name), hoverinfo: "text+x+y",
      marker: { size: 12, symbol: "circle-open", color: "#8250df", line: { width: 2 } } },
    { type: "scatter", mode: "markers+text", name: "proposals", meta: "proposals",
      x: a.proposals.map((p) => p.utilities[px]), y: a.proposals.map((p) => p.utilities[py]),
      text: a.proposals.map((p) => p.id), textposition: "bottom right", hoverinfo: "text+x+y",
      marker: { size: 11, symbol: "diamond", color: "#bf8700" } },
    { type: "scatter", mode: "markers", name: "your proposal", meta: "current",
      x: [], y: [], hoverinfo: "x+y", marker: { size: 16, symbol: "star", color: "#c62828" } },
  ];
  const bx = a.batna[px];
  const by = a.batna[py];
  const layout = {
    margin: { l: 60, r: 20, t: 20, b: 50 },
    xaxis: { title: { text: `${px}: utility` }, range: [-0.03, 1.03], zeroline: false },
    yaxis: { title: { text: `${py}: utility` }, range: [-0.03, 1.03], zeroline: false },
    hovermode: "closest",
    legend: { orientation: "h", y: -0.18 },
    shapes: [
      { type: "line", x0: bx, x1: bx, y0: 0, y1: 1, yref: "paper", line: { dash: "dot", color: "#c62828" } },
      { type: "line", y0: by, y1: by, x0: 0, x1: 1, xref: "paper", line: { dash: "dot", color: "#c62828" } },
    ],
    annotations: [
      { x: bx, y: 1, yref: "paper", text: `${px} BATNA`, showarrow: false, xanchor: "left", font: { size: 10 } },
      { y: by, x: 1, xref: "paper", text: `${py} BATNA`, showarrow: false, xanchor: "right", yanchor: "bottom", font: { size: 10 } },
    ],
  };
  const plot = $("plot");
  Plotly.react(plot, traces, layout, { displaylogo: false, responsive: true });
  if (!plot.dataset.bound) {
    plot.on("plotly_click", onPlotClick);
    plot.dataset.bound = "1";
  }
  markProposal();
}

// The deal behind a clicked point, whichever trace it belongs to.
function dealOfPoint(meta, k) {
  const a = state.analysis;
  if (meta === "frontier") return { deal: state.frontier[k].deal, what: "Pareto-optimal deal" };
  if (meta === "solutions") {
    const [name, s] = Object.entries(a.solutions).filter(([, v]) => v !== null)[k];
    return { deal: s.deal, what: `${name} solution` };
  }
  if (meta === "proposals") return { deal: a.proposals[k].deal, what: `proposal ${a.proposals[k].id}` };
  if (meta === "cloud") {
    const c = state.cloud;
    const deal = {};
    state.summary.issues.forEach((issue, i) => { deal[issue.id] = issue.labels[c.columns[i][k]]; });
    return { deal, what: "deal" };
  }
  if (meta === "current" && state.evaluation) return { deal: state.evaluation.deal, what: "your proposal" };
  return null;
}

function onPlotClick(event) {
  const point = event && event.points && event.points[0];
  if (!point) return;
  const plot = $("plot");
  let meta = plot.data[point.curveNumber].meta;
  let k = point.pointNumber;
  if (meta === "cloud") {
    // a deal of the cloud drawn under a named point (frontier, solution, proposal) is shown
    // as that point: the same utilities, and its name says what it is
    const x = plot.data[point.curveNumber].x[k];
    const y = plot.data[point.curveNumber].y[k];
    for (const name of ["proposals", "solutions", "frontier"]) {
      const trace = plot.data.find((t) => t.meta === name);
      const j = trace ? trace.x.findIndex((v, i) => Math.abs(v - x) < 1e-6 && Math.abs(trace.y[i] - y) < 1e-6) : -1;
      if (j >= 0) {
        meta = name;
        k = j;
        break;
      }
    }
  }
  const found = dealOfPoint(meta, k);
  if (!found) return;
  showSelectedDeal(found.deal, found.what);
  setProposal(found.deal);
}

function showSelectedDeal(deal, what) {
  $("selected-hint").textContent = `${what}: also loaded into the proposal builder.`;
  const table = clear($("selected-deal"));
  table.append(el("tr", {}, [el("th", { text: "issue" }), el("th", { text: "option" })]));
  for (const [issue, value] of Object.entries(deal)) {
    table.append(el("tr", { "data-issue": issue }, [el("td", { text: issue }), el("td", { text: String(value) })]));
  }
}

// -- the proposal builder -------------------------------------------------------------------

function buildProposalControls(keep) {
  const s = state.summary;
  const old = keep ? currentDeal() : null;
  const presets = [{ value: "", label: "middle of every issue" }].concat(
    s.proposals.map((p, k) => ({ value: String(k), label: `${p.id}${p.title ? ": " + p.title : ""}` })));
  setOptions($("proposal-preset"), presets, "");
  const box = clear($("proposal-issues"));
  s.issues.forEach((issue, i) => {
    const select = el("select", { id: `issue-${i}`, "data-issue": issue.id, "aria-label": issue.id });
    issue.labels.forEach((label, k) => select.append(el("option", { value: String(k), text: String(label) })));
    select.value = String(Math.floor((issue.labels.length - 1) / 2));
    select.addEventListener("change", scheduleEvaluate);
    box.append(el("label", { for: `issue-${i}`, text: issue.title ? `${issue.id} (${issue.title})` : issue.id }), select);
  });
  if (old) setProposal(old, false);
}

function currentDeal() {
  const deal = {};
  state.summary.issues.forEach((issue, i) => {
    const select = $(`issue-${i}`);
    if (select) deal[issue.id] = issue.labels[Number(select.value)];
  });
  return deal;
}

function setProposal(deal, evaluate = true) {
  state.summary.issues.forEach((issue, i) => {
    const select = $(`issue-${i}`);
    if (!select || !(issue.id in deal)) return;
    const k = issue.labels.findIndex((label) => (issue.numeric
      ? Math.abs(Number(label) - Number(deal[issue.id])) < 1e-9 : String(label) === String(deal[issue.id])));
    if (k >= 0) select.value = String(k);
  });
  if (evaluate) evaluateProposal();
}

function applyPreset() {
  const k = $("proposal-preset").value;
  if (k === "") {
    state.summary.issues.forEach((issue, i) => { $(`issue-${i}`).value = String(Math.floor((issue.labels.length - 1) / 2)); });
    evaluateProposal();
  } else {
    setProposal(state.summary.proposals[Number(k)].deal);
  }
}

let evaluateTimer = null;

function scheduleEvaluate() {
  clearTimeout(evaluateTimer);
  evaluateTimer = setTimeout(evaluateProposal, 120);
}

async function evaluateProposal() {
  if (!state.ref || !state.summary) return;
  const n = next("evaluate");
  const r = await api("POST", "/api/evaluate", { scenario: state.ref, deal: currentDeal() });
  if (!current("evaluate", n)) return;
  if (!r.ok) {
    status(errorText(r.data), true);
    return;
  }
  state.evaluation = r.data;
  renderEvaluation(r.data);
  markProposal();
}

function renderEvaluation(e) {
  const verdict = $("proposal-verdict");
  if (e.agreement) {
    verdict.textContent = "Agreement: every actor with a veto accepts."
      + (e.pareto_optimal ? " Pareto-optimal." : " Not Pareto-optimal: every party can gain more.");
    verdict.className = "yes";
  } else {
    verdict.textContent = `No agreement: vetoed by ${e.vetoed_by.join(", ")}.`;
    verdict.className = "no";
  }
  const table = clear($("proposal-table"));
  table.append(el("tr", {}, ["actor", "role", "utility", "BATNA", "gain", "accepts"].map((h) => el("th", { text: h }))));
  for (const a of e.actors) {
    table.append(el("tr", { "data-actor": a.id }, [
      el("td", { text: a.id + (a.veto ? " (veto)" : "") }),
      el("td", { text: a.role }),
      el("td", { className: "num", text: fmt(a.utility) }),
      el("td", { className: "num", text: fmt(a.batna) }),
      el("td", { className: "num", text: signed(a.gain) }),
      el("td", { className: a.accepts ? "yes accepts" : "no accepts", text: a.accepts ? "yes" : "no" }),
    ]));
  }
  if (e.improvement) {
    table.append(el("tr", {}, [el("td", { colspan: "6", className: "muted",
      text: `Every party gains by moving to ${dealText(e.improvement.deal)}.` })]));
  }
}

function markProposal() {
  const plot = $("plot");
  const e = state.evaluation;
  if (!e || !plot.data || !state.analysis) return;
  const [px, py] = plotParties();
  const k = plot.data.findIndex((t) => t.meta === "current");
  if (k < 0 || !(px in e.utilities) || !(py in e.utilities)) return;
  Plotly.restyle(plot, { x: [[e.utilities[px]]], y: [[e.utilities[py]]] }, [k]);
}

// -- mediation, forecast and uncertainty sweep ------------------------------------------------

const RUN_PATHS = { mediation: "/api/mediate", forecast: "/api/forecast", sweep: "/api/sweep" };

function showRunControls() {
  const kind = $("run-kind").value;
  const protocol = $("protocol").value;
  for (const node of document.querySelectorAll(".for-mediation")) node.hidden = kind !== "mediation";
  for (const node of document.querySelectorAll(".for-alternating")) node.hidden = kind !== "mediation" || protocol !== "alternating";
  for (const node of document.querySelectorAll(".for-mediator")) node.hidden = kind !== "mediation" || protocol !== "mediator";
  for (const node of document.querySelectorAll(".for-forecast")) node.hidden = kind !== "forecast";
  for (const node of document.querySelectorAll(".for-sweep")) node.hidden = kind !== "sweep";
  for (const node of document.querySelectorAll(".for-rounds")) node.hidden = kind === "sweep";
}

function runRequest() {
  const kind = $("run-kind").value;
  const body = { scenario: state.ref, seed: Number($("seed").value || 0) };
  if (kind === "sweep") {
    body.samples = Number($("samples").value || 200);
    return { kind, body };
  }
  const rounds = $("rounds").value;
  if (rounds !== "") body.rounds = Number(rounds);
  if (kind === "mediation") {
    body.protocol = $("protocol").value;
    if (body.protocol === "alternating") body.strategies = [$("strategy").value];
    if (body.protocol === "mediator") {
      if ($("mediator").value) body.mediator = $("mediator").value;
      const interest = numberOf("interest");
      if (interest !== undefined) body.interest = interest;
    }
  } else {
    body.model = $("model").value;
    if (body.model === "compromise") delete body.rounds;
  }
  return { kind, body };
}

async function runProcess() {
  if (!state.ref) return;
  const request = runRequest();
  const n = next("run");
  status(`Running ${request.kind}…`);
  const r = await api("POST", RUN_PATHS[request.kind], request.body);
  if (!current("run", n)) return;
  if (!r.ok) {
    status(errorText(r.data), true);
    return;
  }
  state.lastRun = request;
  $("save-run").disabled = false;
  showResult(request.kind, r.data);
  status(`${request.kind} done.`);
}

function showResult(kind, result) {
  $("trace-plot").hidden = kind === "sweep";
  $("sweep-result").hidden = kind !== "sweep";
  if (kind !== "sweep") clear($("sweep-result"));
  if (kind === "mediation") showMediation(result);
  else if (kind === "forecast") showForecast(result);
  else if (kind === "sweep") showSweep(result);
  else showAnalysisRun(result);
}

function pct(x) {
  return x === null || x === undefined ? "–" : `${(100 * Number(x)).toFixed(1)}%`;
}

function interval(ci) {
  return Array.isArray(ci) && ci.length === 2 ? `${pct(ci[0])} – ${pct(ci[1])}` : "–";
}

// A plain table: a caption, a header row and rows of cells ({text, className} or a string);
// with `keys`, row k carries data-key="keys[k]".
function table(caption, header, rows, keys) {
  const cell = (tag, c) => (typeof c === "object" && c !== null
    ? el(tag, { text: c.text, className: c.className || "" }) : el(tag, { text: String(c) }));
  return el("table", {}, [
    el("caption", { text: caption }),
    el("thead", {}, [el("tr", {}, header.map((h) => cell("th", h)))]),
    el("tbody", {}, rows.map((r, k) => el("tr", keys ? { "data-key": String(keys[k]) } : {},
      r.map((c) => cell("td", c))))),
  ]);
}

const num = (text) => ({ text, className: "num" });
const yesNo = (flag) => ({ text: flag ? "yes" : "no", className: flag ? "yes" : "no" });

function showSweep(s) {
  if (typeof Plotly !== "undefined") Plotly.purge($("trace-plot"));
  $("run-summary").textContent = `Uncertainty sweep of ${s.scenario}: ${s.samples} drawn scenarios `
    + `(seed ${s.seed}) over ${s.inputs.length} uncertain inputs; intervals are 95%.`;
  const out = clear($("sweep-result"));
  out.append(table("Zone of possible agreement", ["", num("probability"), "95% interval", num("draws")], [
    ["probability of a ZOPA", num(pct(s.zopa.probability)), interval(s.zopa.ci),
      num(`${s.zopa.count} of ${s.zopa.n}`)],
  ]));
  const proposals = s.proposals || [];
  if (proposals.length) {
    const actors = Object.keys(proposals[0].accepts);
    out.append(table("Proposals: probability of agreement and of each actor accepting",
      ["proposal", num("agreement"), "95% interval"].concat(actors.map((a) => num(a))),
      proposals.map((p) => [p.title ? `${p.id}: ${p.title}` : p.id, num(pct(p.agreement.probability)),
        interval(p.agreement.ci)].concat(actors.map((a) => num(pct(p.accepts[a] ? p.accepts[a].probability : null)))))));
  } else {
    out.append(el("p", { className: "muted", text: "The scenario has no proposals." }));
  }
  const tornado = (s.sensitivity || [])[0];
  if (tornado) {
    out.append(table(`What moves ${tornado.outcome === "zopa_margin" ? "the ZOPA margin" : tornado.outcome} most `
      + `(nominal ${fmt(tornado.nominal)}; top 5 inputs)`,
      ["input", num("low"), num("high"), num("outcome at low"), num("outcome at high"), num("swing"), num("correlation")],
      tornado.ranking.slice(0, 5).map((r) => [r.input, num(fmt(r.low)), num(fmt(r.high)),
        num(fmt(r.outcome_low)), num(fmt(r.outcome_high)), num(fmt(r.swing)), num(fmt(r.correlation, 2))])));
  }
}

function showMediation(m) {
  const end = m.agreement ? `agreement after ${m.rounds} rounds on ${dealText(m.deal)}` : `no agreement after ${m.rounds} rounds`;
  const gains = Object.entries(m.gains).map(([a, g]) => `${a} ${signed(g)}`).join(", ");
  $("run-summary").textContent = `${m.protocol} (seed ${m.seed}): ${end}. Gains over BATNA: ${gains}. `
    + `Distance to the frontier ${fmt(m.distance_to_frontier)}, to the Nash solution ${fmt(m.distance_to_nash)}.`;
  const steps = m.trace;
  const traces = m.parties.map((p) => ({
    type: "scatter", mode: "lines", name: p,
    x: steps.map((s, k) => k), y: steps.map((s) => (p in s.utilities ? s.utilities[p] : null)),
    text: steps.map((s) => `round ${s.round}, ${s.proposer}: ${dealText(s.deal)}`), hoverinfo: "text+y+name",
  }));
  Plotly.react($("trace-plot"), traces, {
    margin: { l: 60, r: 20, t: 30, b: 50 },
    title: { text: "Utility of the text or offer on the table, step by step", font: { size: 13 } },
    xaxis: { title: { text: "step" } }, yaxis: { title: { text: "utility" }, range: [-0.03, 1.03] },
    legend: { orientation: "h", y: -0.2 },
  }, { displaylogo: false, responsive: true });
}

function showForecast(f) {
  const parts = f.issues.map((i) => `${i} ${f.forecast[i] === null ? "–" : Number(f.forecast[i]).toPrecision(4)} (baseline ${Number(f.baseline[i]).toPrecision(4)})`);
  $("run-summary").textContent = `${f.model} forecast: ${parts.join("; ")}.`;
  let traces;
  let layout;
  if (f.rounds && f.rounds.length > 1) {
    traces = f.issues.map((i) => ({ type: "scatter", mode: "lines+markers", name: i,
      x: f.rounds.map((r) => r.round), y: f.rounds.map((r) => r.outcome[i]) }));
    layout = { xaxis: { title: { text: "round" } }, yaxis: { title: { text: "predicted outcome (issue units)" } },
      title: { text: "Predicted outcome by round", font: { size: 13 } } };
  } else {
    traces = [
      { type: "bar", name: "forecast", x: f.issues, y: f.issues.map((i) => f.forecast[i]) },
      { type: "bar", name: "compromise baseline", x: f.issues, y: f.issues.map((i) => f.baseline[i]) },
    ];
    layout = { barmode: "group", yaxis: { title: { text: "outcome (issue units)" } },
      title: { text: "Forecast by issue", font: { size: 13 } } };
  }
  Plotly.react($("trace-plot"), traces, Object.assign({ margin: { l: 60, r: 20, t: 30, b: 60 },
    legend: { orientation: "h", y: -0.25 } }, layout), { displaylogo: false, responsive: true });
}

function showAnalysisRun(a) {
  $("run-summary").textContent = `Analysis of ${a.scenario} for ${a.parties.join(", ")}: `
    + `${a.pareto.size} frontier deals; ZOPA ${a.zopa.exists ? "exists" : "is empty"}.`;
  Plotly.purge($("trace-plot"));
}

// -- repair, inverse questions, tournament ------------------------------------------------------

// POST `body` to `path` for the panel `name` (its summary line says what goes on); the
// answer goes to `show`, an error to the summary line and the status.
async function runPanel(name, path, body, show) {
  const summary = $(`${name}-summary`);
  const n = next(name);
  summary.textContent = "Running…";
  summary.className = "muted";
  status(`Running ${name}…`);
  const r = await api("POST", path, defined(body));
  if (!current(name, n)) return;
  if (!r.ok) {
    clear($(`${name}-result`));
    summary.textContent = errorText(r.data);
    summary.className = "error";
    status(errorText(r.data), true);
    return;
  }
  summary.className = "";
  show(r.data, clear($(`${name}-result`)), summary);
  status(`${name} done.`);
}

function runRepair() {
  return runPanel("repair", "/api/repair", Object.assign(target($("repair-target")), {
    scenario: state.ref,
    max_changes: numberOf("max-changes"), nearest: numberOf("nearest"), method: $("repair-method").value,
  }), showRepair);
}

function showRepair(r, out, summary) {
  const e = r.proposal;
  const refused = e.actors.filter((a) => a.veto && !a.accepts).map((a) => a.id);
  summary.textContent = (r.found
    ? `Repair: change ${r.changes} issue${r.changes === 1 ? "" : "s"}; the smallest gain is ${signed(r.smallest_gain)}. `
    : "No repair. ") + (refused.length ? `The deal as it stands is refused by ${refused.join(", ")}. ` : "") + r.proof;
  if (r.found && r.changed.length) {
    out.append(table("Changes", ["issue", "from", "to"],
      r.changed.map((c) => [c.issue, String(c.from), String(c.to)]), r.changed.map((c) => c.issue)));
  }
  const after = r.repaired ? Object.fromEntries(r.repaired.actors.map((a) => [a.id, a])) : {};
  out.append(table("Each actor before and after the repair",
    ["actor", num("BATNA"), num("utility before"), "accepts before", num("utility after"), "accepts after", num("gain after")],
    e.actors.map((a) => {
      const b = after[a.id];
      return [a.id + (a.veto ? " (veto)" : ""), num(fmt(a.batna)), num(fmt(a.utility)), yesNo(a.accepts),
        num(b ? fmt(b.utility) : "–"), b ? yesNo(b.accepts) : "–", num(b ? signed(b.gain) : "–")];
    }), e.actors.map((a) => a.id)));
  if (r.nearest.length) {
    out.append(table("Frontier deals nearest the proposal",
      [num("distance")].concat(r.parties.map((p) => num(p)), ["in ZOPA", num("changes"), "deal"]),
      r.nearest.map((d) => [num(fmt(d.distance))].concat(r.parties.map((p) => num(fmt(d.utilities[p]))),
        [d.in_zopa ? "yes" : "no", num(String(d.changes)), dealText(d.deal)]))));
  }
}

// The values of the ticked checkboxes inside the element `id`.
function ticked(id) {
  return [...document.querySelectorAll(`#${id} input:checked`)].map((c) => c.value);
}

function runInverse() {
  const actors = ticked("inverse-actors");
  return runPanel("inverse", "/api/inverse", Object.assign(target($("inverse-target")), {
    scenario: state.ref, actors: actors.length ? actors : undefined,
  }), showInverse);
}

function showInverse(r, out, summary) {
  const z = r.zopa;
  summary.textContent = `${r.proposal || "The deal"}: ${dealText(r.deal)}. ZOPA for ${z.parties.join(", ")}: `
    + (z.exists ? "open, no BATNA has to move." : `none; it opens if every party's BATNA fell by ${fmt(z.uniform_drop, 4)}.`);
  out.append(table("BATNA: the drop that makes each actor accept",
    ["actor", num("utility"), num("BATNA"), "accepts", num("BATNA drop needed"), num("new BATNA")],
    r.actors.map((a) => [a.actor, num(fmt(a.utility)), num(fmt(a.batna)), yesNo(a.accepted),
      num(fmt(a.drop, 4)), num(fmt(a.new_batna, 4))]), r.actors.map((a) => a.actor)));
  const weight = (w) => {
    if (!w.possible) return "impossible";
    if (w.change === 0) return `${fmt(w.weight, 4)} (accepts)`;
    return `${fmt(w.weight, 4)} → ${fmt(w.new_weight, 4)}`;
  };
  const issues = Object.keys(r.deal);
  out.append(table("Issue weight (raw, before normalisation) that makes each actor accept: now → needed",
    ["issue"].concat(r.actors.map((a) => num(a.actor))),
    issues.map((i) => [i].concat(r.actors.map((a) => num(weight(a.weights[i]))))), issues));
}

function buildStrategyChecks() {
  const box = clear($("tournament-strategies"));
  const chosen = ["boulware", "linear", "conceder"];
  for (const option of $("strategy").options) {
    const input = el("input", { type: "checkbox", value: option.value });
    input.checked = chosen.includes(option.value);
    box.append(el("label", {}, [input, document.createTextNode(option.value)]));
  }
}

function runTournament() {
  const strategies = ticked("tournament-strategies");
  const discount = numberOf("discount");
  return runPanel("tournament", "/api/tournament", {
    scenario: state.ref, strategies, repetitions: numberOf("repetitions"), rounds: numberOf("tournament-rounds"),
    discount: discount === undefined ? undefined : [discount], seed: numberOf("tournament-seed"),
  }, showTournament);
}

function showTournament(t, out, summary) {
  const p = t.parameters;
  summary.textContent = `Tournament on ${t.scenario} between ${t.parties.join(" and ")}: ${t.pairings.length} pairings`
    + ` × ${p.repetitions} repetition${p.repetitions === 1 ? "" : "s"}, at most ${p.rounds} rounds each (seed ${p.seed}).`;
  out.append(table("Ranking by mean gain over the BATNA",
    [num("rank"), "strategy", num("mean gain"), num("agreement"), num("distance to Nash"), num("negotiations")],
    t.ranking.map((row) => [num(String(row.rank)), row.strategy, num(fmt(row.mean_gain)), num(pct(row.agreement_rate)),
      num(fmt(row.mean_distance_to_nash)), num(String(row.negotiations))]), t.ranking.map((row) => row.strategy)));
}

// -- games -------------------------------------------------------------------------------------

const GAME_SOURCES = {
  game: ["scenario", "file", "classic"],
  trust: ["textbook", "scenario", "file"],
  crisis: ["scenario", "file"],
  coalition: ["scenario", "file"],
};

async function loadClassics() {
  const r = await api("GET", "/api/game/classics");
  state.classics = r.ok ? r.data : [];
  showGameControls();
}

// The sources the chosen analysis can read, and the controls of that analysis.
function showGameControls() {
  const kind = $("game-kind").value;
  const select = $("game-source");
  const chosen = select.value;
  const items = [];
  for (const source of GAME_SOURCES[kind]) {
    if (source === "scenario") {
      items.push({ value: "scenario", label: state.summary ? `the scenario (${state.summary.id})` : "the scenario (load one above)" });
    } else if (source === "file") {
      items.push({ value: "file", label: "a model file (below)" });
    } else if (source === "textbook") {
      items.push({ value: "textbook", label: "the textbook model" });
    } else {
      for (const c of state.classics || []) items.push({ value: `classic:${c.id}`, label: `classic: ${c.title}` });
    }
  }
  setOptions(select, items, items.some((i) => i.value === chosen) ? chosen : items[0].value);
  for (const node of document.querySelectorAll(".for-game-file")) node.hidden = select.value !== "file";
  for (const other of Object.keys(GAME_SOURCES)) {
    for (const node of document.querySelectorAll(`.for-game-kind-${other}`)) node.hidden = other !== kind;
  }
}

// The request's source: the scenario, the model file's text, a classic game or nothing.
function gameSource() {
  const source = $("game-source").value;
  if (source === "scenario") return { scenario: state.ref || undefined };
  if (source === "file") return { file: { text: $("game-file").value, format: $("game-format").value } };
  if (source.startsWith("classic:")) return { classic: source.slice("classic:".length) };
  return {};
}

// A comma-separated list as an array, or undefined when empty.
function listOf(id) {
  const items = $(id).value.split(",").map((x) => x.trim()).filter((x) => x);
  return items.length ? items : undefined;
}

function gameParameters(kind) {
  if (kind === "game") return { method: $("game-method").value };
  if (kind === "trust") {
    const payoffs = listOf("trust-payoffs");
    return {
      strategies: listOf("trust-strategies"), turns: numberOf("trust-turns"),
      continuation: numberOf("trust-continuation"), noise: numberOf("trust-noise"),
      payoffs: payoffs && payoffs.map(Number), population: numberOf("trust-population"),
      track2: $("trust-track2").checked,
    };
  }
  if (kind === "coalition") {
    const actors = ticked("coalition-actors");
    return { actors: actors.length ? actors : undefined, no_veto: $("coalition-no-veto").checked || undefined,
      from_deals: $("coalition-from-deals").checked || undefined };
  }
  return {};
}

function runGame() {
  const kind = $("game-kind").value;
  const show = { game: showGame, trust: showTrust, crisis: showCrisis, coalition: showCoalition }[kind];
  return runPanel("game", `/api/${kind}`, Object.assign(gameSource(), gameParameters(kind)), show);
}

async function readGameUpload(event) {
  const chosen = await uploaded(event);
  if (!chosen) return;
  $("game-file").value = chosen.text;
  const name = chosen.file.name.toLowerCase();
  $("game-format").value = name.endsWith(".json") ? "json" : name.endsWith(".nfg") ? "nfg" : "yaml";
}

// A mixed strategy as "action probability, ..." (its support only), a pure one as its action.
function strategyText(probabilities) {
  return Object.entries(probabilities).filter(([, p]) => p > 0)
    .map(([a, p]) => (p === 1 ? a : `${a} ${fmt(p)}`)).join(", ");
}

function showGame(g, out, summary) {
  const e = g.equilibria;
  const players = g.game.players.map((p) => p.name);
  summary.textContent = `${g.game.title || "Game"}: ${e.count} Nash equilibri${e.count === 1 ? "um" : "a"} `
    + `(${e.method}${e.complete ? ", all of them" : ""}).`;
  out.append(table("Nash equilibria", ["#", "kind"].concat(players.map((p) => `${p} plays`), players.map((p) => num(`${p} gets`))),
    e.equilibria.map((q, k) => [String(k + 1), q.kind].concat(players.map((p) => strategyText(q.strategies[p])),
      players.map((p) => num(fmt(q.payoffs[p]))))), e.equilibria.map((q, k) => k + 1)));
  const dominated = (g.dominance && g.dominance.dominated) || [];
  if (dominated.length) {
    out.append(table("Dominated actions", ["player", "action", "dominance", "by"],
      dominated.map((d) => [d.player, d.action, d.kind, strategyText(d.by)])));
  }
  const better = (g.win_win || []).flatMap((w) => w.outcomes.map((o) => [`#${w.equilibrium + 1}`, dealText(o.profile),
    players.map((p) => `${p} ${signed(o.gains[p])}`).join(", ")]));
  if (better.length) out.append(table("Win-win: outcomes better for every player than an equilibrium", ["than", "outcome", "gains"], better));
}

function showTrust(t, out, summary) {
  const p = t.payoffs;
  const th = t.thresholds;
  const met = (x) => (x.met === null ? "" : x.met ? " (met)" : " (not met)");
  summary.textContent = `${t.title || "Repeated prisoner's dilemma"}: payoffs T=${p.T}, R=${p.R}, P=${p.P}, S=${p.S}; `
    + (t.game.turns !== null ? `${t.game.turns} turns` : `continuation ${t.game.continuation}`)
    + `, noise ${t.game.noise}. Grim trigger sustains cooperation iff w ≥ ${th.grim.fraction || fmt(th.grim.w)}${met(th.grim)}; `
    + `tit-for-tat is collectively stable iff w ≥ ${th.tft.fraction || fmt(th.tft.w)}${met(th.tft)}.`;
  const evolution = t.evolution || {};
  const r = (evolution.replicator && evolution.replicator.final) || {};
  const m = (evolution.moran && evolution.moran.stationary) || {};
  out.append(table("Round robin (payoff per round) and evolution",
    [num("rank"), "strategy", num("score"), num("score vs others"), num("cooperation"), num("wins"),
      num("replicator share"), num("Moran share")],
    t.tournament.ranking.map((row) => [num(String(row.rank)), row.strategy, num(fmt(row.score)),
      num(fmt(row.score_vs_others)), num(pct(row.cooperation)), num(String(row.wins)),
      num(pct(r[row.strategy])), num(pct(m[row.strategy]))]), t.tournament.ranking.map((row) => row.strategy)));
  if (t.track2) {
    out.append(table("Track II: the back-channel contact that makes cooperation stable",
      ["strategy", num("contact needed"), "holds up to the maximum"],
      t.track2.needed.map((n) => [n.strategy, num(n.contact === null ? "none suffices" : fmt(n.contact)),
        n.holds_to_max ? "yes" : "no"])));
  }
}

const CRISIS_TABLES = [
  ["bargaining_range", "Fearon's bargaining range", ["p", "c_a", "c_b", "low", "high", "width"]],
  ["risk_return", "Risk and return (B's cost private)", ["p", "q", "c_low", "c_high", "safe_demand", "risky_demand", "choice", "war_probability"]],
  ["mediator_credibility", "Mediator credibility", ["m", "c_m", "credible", "threshold", "war_probability_without", "war_probability_with"]],
  ["cheap_talk", "Cheap talk (Crawford-Sobel)", ["b", "messages", "informative", "receiver_utility", "sender_utility"]],
  ["war_lotteries", "War lotteries: each actor's BATNA", ["p", "win", "loss", "cost", "value", "batna"]],
  ["fearon_pairs", "Bargaining range of each pair of actors", ["p", "low", "high", "width", "exists"]],
];

// What a row of a crisis table is about: its label, its actor or its pair, else its number.
function caseOf(row, k) {
  return row.label || row.actor || (row.a && row.b ? `${row.a} and ${row.b}` : String(k + 1));
}

function showCrisis(c, out, summary) {
  summary.textContent = `${c.title || "Crisis"}${c.scenario ? ` (scenario ${c.scenario})` : ""}.`;
  const cell = (v) => {
    if (typeof v === "number") return num(Number.isInteger(v) ? String(v) : fmt(v));
    return typeof v === "boolean" ? yesNo(v) : String(v === null ? "–" : v);
  };
  for (const [key, caption, columns] of CRISIS_TABLES) {
    const rows = c[key] || [];
    if (!rows.length) continue;
    out.append(table(caption, ["case"].concat(columns.map((col) => col.replace(/_/g, " "))),
      rows.map((row, k) => [caseOf(row, k)].concat(columns.map((col) => cell(row[col])))), rows.map(caseOf)));
  }
}

function showCoalition(c, out, summary) {
  const core = c.core.nonempty ? "the core is not empty" : `the core is empty (least core ε ${fmt(c.core.least_core_epsilon)})`;
  summary.textContent = `${c.title || "Coalition game"}: ${c.players.length} players; the grand coalition is worth `
    + `${fmt(c.grand_coalition.value)}; ${core}.`;
  const columns = [["Shapley", c.shapley.values], ["nucleolus", c.nucleolus.values], ["a core point", c.core.point],
    ["leverage", c.leverage]];
  if (c.power) columns.push(["Shapley-Shubik", c.power.shapley_shubik], ["Banzhaf", c.power.banzhaf]);
  out.append(table("What each player gets", ["player"].concat(columns.map(([name]) => num(name))),
    c.players.map((p) => [p].concat(columns.map(([, values]) => num(values ? fmt(values[p]) : "–")))), c.players));
}

async function saveRun() {
  if (!state.lastRun) return;
  const body = Object.assign({ kind: state.lastRun.kind }, state.lastRun.body);
  const label = $("run-label").value.trim();
  if (label) body.label = label;
  const r = await api("POST", "/api/runs", body);
  if (!r.ok) {
    status(errorText(r.data), true);
    return;
  }
  status(`Saved run ${r.data.id}.`);
  $("save-run").disabled = true;
  await loadLists();
}

async function loadRuns() {
  const r = await api("GET", "/api/runs?limit=50");
  const list = clear($("saved-runs"));
  if (!r.ok) return;
  if (!r.data.length) list.append(el("li", { className: "muted", text: "No saved run yet." }));
  for (const run of r.data) {
    const s = run.scenario;
    const where = s.source === "builtin" ? `built-in ${s.name}` : `${s.name} v${s.version}`;
    const text = `#${run.id} ${run.kind}${run.label ? " “" + run.label + "”" : ""}`;
    list.append(el("li", { "data-run": String(run.id) }, [
      el("button", { type: "button", className: "link", text, onclick: () => showRun(run.id) }),
      document.createTextNode(` on ${where}, ${run.created_at.slice(0, 19).replace("T", " ")}`),
      el("button", { type: "button", text: "replay", onclick: () => replayRun(run.id) }),
    ]));
  }
}

async function showRun(id) {
  const r = await api("GET", `/api/runs/${id}`);
  if (!r.ok) {
    status(errorText(r.data), true);
    return;
  }
  showResult(r.data.kind, r.data.result);
  status(`Run ${id}: ${r.data.kind} with ${JSON.stringify(r.data.parameters)}.`);
}

async function replayRun(id) {
  status(`Replaying run ${id}…`);
  const r = await api("POST", `/api/runs/${id}/replay`);
  if (!r.ok) {
    status(errorText(r.data), true);
    return;
  }
  const note = r.data.scenario_changed ? " (the scenario has changed since)" : "";
  status(r.data.identical ? `Run ${id} replayed: identical result${note}.`
    : `Run ${id} replayed: the result differs${note}.`, !r.data.identical);
}

// -- wiring ----------------------------------------------------------------------------------

function start() {
  if (typeof Plotly === "undefined") {
    status("plotly.js did not load: the plots are unavailable.", true);
  }
  $("builtin-select").addEventListener("change", (e) => loadBuiltin(e.target.value));
  $("upload").addEventListener("change", readUpload);
  $("editor").addEventListener("input", onEdit);
  $("format").addEventListener("change", onEdit);
  $("save-scenario").addEventListener("click", saveScenario);
  $("party-x").addEventListener("change", refreshPlot);
  $("party-y").addEventListener("change", refreshPlot);
  $("proposal-preset").addEventListener("change", applyPreset);
  $("run-kind").addEventListener("change", showRunControls);
  $("protocol").addEventListener("change", showRunControls);
  $("run").addEventListener("click", runProcess);
  $("nash-weights").addEventListener("change", refreshPlot);
  $("repair-run").addEventListener("click", runRepair);
  $("inverse-run").addEventListener("click", runInverse);
  $("tournament-run").addEventListener("click", runTournament);
  $("game-kind").addEventListener("change", showGameControls);
  $("game-source").addEventListener("change", showGameControls);
  $("game-upload").addEventListener("change", readGameUpload);
  $("game-run").addEventListener("click", runGame);
  buildStrategyChecks();
  loadClassics();
  $("save-run").addEventListener("click", saveRun);
  showRunControls();
  loadLists();
}

document.addEventListener("DOMContentLoaded", start);
