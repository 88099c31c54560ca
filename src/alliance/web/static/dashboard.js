// alliance dashboard: reads the levers, POSTs /api/assess, draws the answer.
// A new lever change aborts the request still running (AbortController), so the
// server cancels the stale run; the levers, the scenario and the ally live in the URL.
"use strict";

const LEVERS = ["spending_path", "us_commitment", "us_sustainment", "pooled_share",
  "permit_regime"];
const state = { scenarios: {}, touched: new Set(), seq: 0, timer: null, controller: null,
  defaultDraws: 20000, last: null, started: 0, tick: null };
const CONFIG = { displaylogo: false, responsive: true, showSendToCloud: false,
  modeBarButtonsToRemove: ["lasso2d", "select2d", "sendDataToCloud"] };
const NAVY = "#1f3b5c", ACCENT = "#b5472b", GHOST = "rgba(120,120,120,0.75)";

function $(id) { return document.getElementById(id); }

function pct(p) { return p === null || p === undefined ? "n/a" : (100 * p).toFixed(1) + " %"; }
function bn(musd) {
  if (musd === null || musd === undefined) return "n/a";
  const v = musd / 1000;
  return "USD " + (Math.abs(v) < 10 ? v.toFixed(1) : Math.round(v).toLocaleString("en-US")) + " bn";
}

function showOutputs() {
  for (const id of ["us_commitment", "us_sustainment", "pooled_share"]) {
    $(id + "_out").textContent = Math.round(100 * Number($(id).value)) + " %";
  }
}

function setLevers(levers) {
  $("spending_path").value = levers.spending_path === "custom" ? "national" : levers.spending_path;
  $("us_commitment").value = levers.us_commitment;
  $("us_sustainment").value = levers.us_sustainment;
  $("pooled_share").value = levers.pooled_share;
  $("permit_regime").value = levers.permit_regime || "today";
  state.touched.clear();
  showOutputs();
}

function request() {
  const body = { scenario: $("scenario").value, draws: Number($("draws").value) };
  for (const id of state.touched) {
    body[id] = id === "spending_path" || id === "permit_regime" ? $(id).value
      : Number($(id).value);
  }
  if ($("ally").value) body.ally = $("ally").value;
  return body;
}

// ---- URL -----------------------------------------------------------------------------
function writeUrl() {
  const q = new URLSearchParams();
  const body = request();
  for (const [k, v] of Object.entries(body)) {
    if (k === "draws" && v === state.defaultDraws) continue;
    q.set(k, String(v));
  }
  const search = "?" + q.toString();
  history.replaceState(null, "", location.pathname + search);
  $("permalink").href = search;
}

function readUrl() {
  const q = new URLSearchParams(location.search);
  if (q.get("scenario") && state.scenarios[q.get("scenario")]) $("scenario").value = q.get("scenario");
  pick();
  for (const id of LEVERS) {
    if (q.has(id)) { $(id).value = q.get(id); state.touched.add(id); }
  }
  if (q.has("draws")) $("draws").value = q.get("draws");
  if (q.has("ally")) $("ally").value = q.get("ally");
  showOutputs();
}

// ---- charts --------------------------------------------------------------------------
function layout(title, extra) {
  return Object.assign({
    title: { text: title, x: 0, xanchor: "left", font: { family: "Georgia, serif", size: 15 } },
    template: "simple_white", autosize: true, height: 400,
    margin: { l: 52, r: 30, t: 56, b: 48 }, font: { family: "Helvetica Neue, Arial, sans-serif", size: 11 },
    modebar: { orientation: "v" }, legend: { orientation: "h", y: -0.22 },
    paper_bgcolor: "white", plot_bgcolor: "white",
    xaxis: { showline: true, ticks: "outside" }, yaxis: { showline: true, ticks: "outside", rangemode: "tozero" },
  }, extra || {});
}

function host(url) {
  if (!/^https?:/.test(url)) return url;
  return url.split("/")[2].replace(/^www\./, "");
}

function spendingChart(c, ref, ally) {
  const traces = [];
  for (const a of c.spending.allies) {
    const hit = a.iso3 === ally;
    traces.push({ x: a.years, y: a.share, mode: "lines", name: a.name, showlegend: hit,
      line: { width: hit ? 3.5 : (a.iso3 === "USA" ? 2 : 1), color: hit ? ACCENT : (ally ? "rgba(31,59,92,0.15)" : "rgba(31,59,92,0.35)") },
      customdata: a.status.map((s, i) => [s, host(a.source[i])]),
      hovertemplate: a.name + "<br>%{x}: %{y:.2f} % of GDP<br>%{customdata[0]} · %{customdata[1]}<extra></extra>" });
  }
  traces.push({ x: c.spending.median.years, y: c.spending.median.share, mode: "lines", name: "median ally",
    line: { width: 3, color: NAVY }, hovertemplate: "median ally %{x}: %{y:.2f} %<extra></extra>" });
  if (ref) {
    traces.push({ x: ref.median.years, y: ref.median.share, mode: "lines", name: "median, " + ref.scenario + " unchanged",
      line: { width: 2.5, color: GHOST, dash: "dash" }, hovertemplate: ref.scenario + " unchanged %{x}: %{y:.2f} %<extra></extra>" });
  }
  const shapes = Object.values(c.spending.thresholds).map((y) => ({ type: "line", xref: "paper", x0: 0, x1: 1, y0: y, y1: y,
    line: { dash: "dash", width: 1, color: "#888" } }));
  return [traces, layout("Core defence spending per ally, % of GDP", { shapes, showlegend: true })];
}

function gapsChart(c, ref) {
  const rows = c.gaps;
  const traces = [{ type: "bar", orientation: "h", y: rows.map((r) => r.label), x: rows.map((r) => r.gap_pct),
    name: "gap, this view", marker: { color: ACCENT },
    customdata: rows.map((r) => [r.gap, r.requirement, r.unit]),
    hovertemplate: "%{y}: %{x:.0f} % of requirement<br>%{customdata[0]:,.0f} of %{customdata[1]:,.0f} %{customdata[2]}<br>projection (alliance model)<extra></extra>" }];
  if (ref) {
    traces.push({ type: "bar", orientation: "h", y: ref.gaps.map((r) => r.label), x: ref.gaps.map((r) => r.gap_pct),
      name: ref.scenario + " unchanged", marker: { color: "rgba(150,150,150,0.45)" },
      hovertemplate: "%{y}: %{x:.0f} % (unchanged scenario)<extra></extra>" });
  }
  const none = rows.every((r) => r.gap <= 0) && (!ref || ref.gaps.every((r) => r.gap <= 0));
  const extra = { barmode: "group", height: Math.max(360, 26 * rows.length + 120), margin: { l: 160, r: 30, t: 56, b: 48 },
    xaxis: { range: [0, 100], title: { text: "gap, % of requirement" }, showline: true },
    yaxis: { automargin: true, autorange: "reversed" },
    annotations: none ? [{ text: "No capability gap in " + c.report_year, xref: "paper", yref: "paper", x: 0.5, y: 0.5, showarrow: false, font: { size: 14, color: "#5b5b57" } }] : [] };
  return [traces, layout("Capability gap in " + c.report_year + ", % of requirement", extra)];
}

function deliveriesChart(c) {
  const traces = c.deliveries.map((d) => ({ type: "bar", x: d.years, y: d.units, name: d.label,
    hovertemplate: d.label + "<br>%{x}: %{y:,.0f} units<br>projection (plan)<extra></extra>" }));
  const extra = { barmode: "stack" };
  if (!traces.length) extra.annotations = [{ text: "No gap: the plan orders nothing", xref: "paper", yref: "paper", x: 0.5, y: 0.5, showarrow: false, font: { size: 14, color: "#5b5b57" } }];
  return [traces, layout("Planned deliveries per year (units)", extra)];
}

function band(years, p, half, color) {
  return { x: years.concat(years.slice().reverse()), y: p.map((v, i) => v + half[i]).concat(p.map((v, i) => v - half[i]).reverse()),
    fill: "toself", mode: "lines", line: { width: 0 }, fillcolor: color, hoverinfo: "skip", showlegend: false };
}

function riskChart(c, ref) {
  const r = c.risk;
  const traces = [band(r.years, r.p_probe, r.p_probe_half95, "rgba(31,59,92,0.15)"),
    { x: r.years, y: r.p_probe, mode: "lines+markers", name: "P(probe), this view", line: { color: NAVY, width: 2.5 },
      customdata: r.p_probe_half95, hovertemplate: "%{x}: %{y:.1f} % ± %{customdata:.1f} (95 %)<extra></extra>" },
    band(r.years, r.p_fait_accompli, r.p_fait_accompli_half95, "rgba(181,71,43,0.15)"),
    { x: r.years, y: r.p_fait_accompli, mode: "lines+markers", name: "P(fait accompli)", line: { color: ACCENT, width: 2.5 },
      customdata: r.p_fait_accompli_half95, hovertemplate: "%{x}: %{y:.1f} % ± %{customdata:.1f} (95 %)<extra></extra>" }];
  if (ref) {
    traces.push({ x: ref.risk.years, y: ref.risk.p_probe, mode: "lines", name: "P(probe), " + ref.scenario + " unchanged",
      line: { color: GHOST, dash: "dash", width: 2 }, hovertemplate: "unchanged %{x}: %{y:.1f} %<extra></extra>" });
    traces.push({ x: ref.risk.years, y: ref.risk.p_fait_accompli, mode: "lines", name: "P(fait accompli), unchanged",
      line: { color: GHOST, dash: "dot", width: 2 }, hovertemplate: "unchanged %{x}: %{y:.1f} %<extra></extra>" });
  }
  return [traces, layout("Deterrence risk, % of simulated crises (bands: 95 %)", { yaxis: { rangemode: "tozero", title: { text: "%" } } })];
}

function drawCharts(data) {
  const c = data.charts, ref = c.reference, ally = $("ally").value;
  const charts = { "spending-paths": spendingChart(c, ref, ally), gaps: gapsChart(c, ref),
    deliveries: deliveriesChart(c), risk: riskChart(c, ref) };
  for (const [id, [traces, lay]] of Object.entries(charts)) Plotly.react("chart-" + id, traces, lay, CONFIG);
}

// ---- country card --------------------------------------------------------------------
function el(tag, text) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
function table(headers, rows) {
  const wrap = el("div"); wrap.className = "table-wrap";
  const t = el("table"), head = el("tr");
  for (const h of headers) head.append(el("th", h));
  t.append(head);
  for (const r of rows) { const tr = el("tr"); for (const c of r) tr.append(el("td", c)); t.append(tr); }
  wrap.append(t); return wrap;
}

function renderCard(data) {
  const card = $("ally-card");
  if (!data.ally || !data.ally.card) { card.hidden = true; card.replaceChildren(); return; }
  const a = data.ally, c = a.card, s = c.scenarios[data.scenario];
  const f = (v, d) => (v === null || v === undefined ? "–" : Number(v).toFixed(d));
  const src = (i) => (i === null || i === undefined ? "alliance model" : host(a.sources[i]));
  const first = s.projection[0];
  const rows = c.data_years.concat(s.projection[1].map((v, i) => [first + i, v, s.projection[2][i], "projection", null]));
  const p = s.pledges, y = (v) => (v === null || v === undefined ? "not by horizon" : String(v));
  const holdings = c.holdings.map((r) => Object.fromEntries(a.columns.holdings.map((k, i) => [k, r[i]])));
  card.replaceChildren(el("h3", c.name + " (" + a.iso3 + ")"),
    el("p", "Pledge years (projection): 2 % " + y(p.two_pct_met_year) + "; 3.5 % core " + y(p.core_pledge_met_year) + "; 5 % total " + y(p.total_pledge_met_year) + "."),
    el("h4", "Defence spending by year"),
    table(["year", "% of GDP", "USD m", "status", "source"], rows.map((r) => [String(r[0]), f(r[1], 2), f(r[2], 0), r[3], src(r[4])])),
    el("h4", "Capability holdings (as reported)"),
    table(["capability", "system", "quantity", "source"], holdings.map((h) => [h.capability, h.system || "–", f(h.quantity, 0) + " " + (h.unit || ""), src(h.source)])));
  card.hidden = false;
}

// ---- rendering -----------------------------------------------------------------------
function render(data) {
  const s = data.summary;
  const armed = s.spending.allies_with_armed_forces;
  $("headline-allies").textContent = s.spending.report_year.allies_at_3_5pct + " / " + armed;
  $("headline-allies-label").textContent = "allies at 3.5 % of GDP in " + s.report_year;
  $("headline-gaps").textContent = s.gaps.open_gaps_report_year + " / " + s.gaps.capabilities_assessed;
  $("headline-gaps-label").textContent = "capability areas short in " + s.gaps.report_year;
  $("headline-cost").textContent = bn(s.plan.total_cost_musd);
  $("headline-probe").textContent = pct(s.deterrence.report_year.p_probe);
  $("headline-probe-label").textContent = "probability of a probe in " + s.deterrence.report_year.year;
  const badge = $("badge");
  badge.textContent = data.modified_from ? "Modified from " + data.modified_from + " (grey: " + data.modified_from + " unchanged)" : "Under " + data.scenario;
  badge.className = data.modified_from ? "badge modified" : "badge";
  const f = $("findings");
  f.replaceChildren();
  for (const [key, title] of [["spending", "Pledges"], ["gaps", "Gaps"], ["plan", "Closing them"], ["deterrence", "Deterrence"]]) {
    const p = document.createElement("p");
    const b = document.createElement("strong");
    b.textContent = title + ". ";
    p.append(b, data.text[key]);
    f.append(p);
  }
  drawCharts(data);
  renderCard(data);
}

function busy(on) {
  $("progress").hidden = !on;
  clearInterval(state.tick);
  if (on) {
    state.started = performance.now();
    state.tick = setInterval(() => {
      $("status").textContent = "computing… " + ((performance.now() - state.started) / 1000).toFixed(1) + " s";
    }, 100);
  }
}

async function run() {
  const seq = ++state.seq;
  if (state.controller && !state.controller.signal.aborted && document.body.dataset.state === "busy") {
    state.controller.abort();  // the server sees the disconnect and cancels the stale run
    document.body.dataset.aborted = String(Number(document.body.dataset.aborted || 0) + 1);
  }
  const controller = new AbortController();
  state.controller = controller;
  document.body.dataset.state = "busy";
  $("status").textContent = "computing…";
  $("status").className = "";
  busy(true);
  writeUrl();
  try {
    let resp;
    for (;;) {
      resp = await fetch("/api/assess", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request()),
        signal: controller.signal,
      });
      // both slots still busy with cancelled runs finishing their current stage: retry soon
      if (resp.status !== 429 || seq !== state.seq) break;
      await new Promise((r) => setTimeout(r, 500));
      if (seq !== state.seq) return;
    }
    const data = await resp.json();
    if (seq !== state.seq) return;  // a newer request is on its way
    if (!resp.ok) throw new Error(data.message || resp.statusText);
    state.last = data;
    render(data);
    busy(false);
    const reused = data.stages_from_cache ? " (" + data.stages_from_cache + " stages reused)" : "";
    $("status").textContent = "updated in " + data.elapsed_s.toFixed(2) + " s" + reused;
    document.body.dataset.state = "ready";
    document.body.dataset.seq = String(seq);
  } catch (err) {
    if (seq !== state.seq || err.name === "AbortError") return;
    busy(false);
    $("status").textContent = "error: " + err.message;
    $("status").className = "error";
    document.body.dataset.state = "error";
  }
}

function schedule() {
  clearTimeout(state.timer);
  state.timer = setTimeout(run, 150);
}

function pick() {
  const s = state.scenarios[$("scenario").value];
  $("scenario-description").textContent = s.description;
  setLevers(s.levers);
}

async function init() {
  const resp = await fetch("/api/scenarios");
  const data = await resp.json();
  state.defaultDraws = data.default_draws || 20000;
  $("draws").value = state.defaultDraws;
  for (const s of data.scenarios) {
    state.scenarios[s.name] = s;
    const o = document.createElement("option");
    o.value = s.name; o.textContent = s.name;
    $("scenario").append(o);
  }
  for (const a of data.allies || []) {
    const o = document.createElement("option");
    o.value = a.iso3; o.textContent = a.name;
    $("ally").append(o);
  }
  const start = data.scenarios.some((s) => s.name === "baseline") ? "baseline" : data.scenarios[0].name;
  $("scenario").value = start;
  readUrl();
  $("scenario").addEventListener("change", () => { pick(); schedule(); });
  for (const id of LEVERS) {
    $(id).addEventListener("input", () => { state.touched.add(id); showOutputs(); });
    $(id).addEventListener("change", () => { state.touched.add(id); schedule(); });
  }
  $("draws").addEventListener("change", schedule);
  $("ally").addEventListener("change", schedule);
  $("reset").addEventListener("click", () => { pick(); schedule(); });
  run();
}

document.addEventListener("DOMContentLoaded", init);
