// alliance dashboard: reads the levers, POSTs /api/assess, draws the answer.
"use strict";

const LEVERS = ["spending_path", "us_commitment", "us_sustainment", "pooled_share"];
const state = { scenarios: {}, touched: new Set(), seq: 0, timer: null };

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
  state.touched.clear();
  showOutputs();
}

function request() {
  const body = { scenario: $("scenario").value, draws: Number($("draws").value) };
  for (const id of state.touched) {
    body[id] = id === "spending_path" ? $(id).value : Number($(id).value);
  }
  return body;
}

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
  const f = $("findings");
  f.replaceChildren();
  for (const [key, title] of [["spending", "Pledges"], ["gaps", "Gaps"], ["plan", "Closing them"], ["deterrence", "Deterrence"]]) {
    const p = document.createElement("p");
    const b = document.createElement("strong");
    b.textContent = title + ". ";
    p.append(b, data.text[key]);
    f.append(p);
  }
  for (const [id, fig] of Object.entries(data.figures)) {
    const layout = Object.assign({}, fig.layout, { autosize: true });
    delete layout.width;
    Plotly.react("chart-" + id, fig.data, layout, { displaylogo: false, responsive: true });
  }
}

async function run() {
  const seq = ++state.seq;
  document.body.dataset.state = "busy";
  $("status").textContent = "computing…";
  $("status").className = "";
  try {
    const resp = await fetch("/api/assess", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request()),
    });
    const data = await resp.json();
    if (seq !== state.seq) return;  // a newer request is on its way
    if (!resp.ok) throw new Error(data.message || resp.statusText);
    render(data);
    $("status").textContent = "updated in " + data.elapsed_s.toFixed(1) + " s";
    document.body.dataset.state = "ready";
    document.body.dataset.seq = String(seq);
  } catch (err) {
    if (seq !== state.seq) return;
    $("status").textContent = "error: " + err.message;
    $("status").className = "error";
    document.body.dataset.state = "error";
  }
}

function schedule() {
  clearTimeout(state.timer);
  state.timer = setTimeout(run, 250);
}

async function init() {
  const resp = await fetch("/api/scenarios");
  const data = await resp.json();
  for (const s of data.scenarios) {
    state.scenarios[s.name] = s;
    const o = document.createElement("option");
    o.value = s.name; o.textContent = s.name;
    $("scenario").append(o);
  }
  const start = data.scenarios.some((s) => s.name === "baseline") ? "baseline" : data.scenarios[0].name;
  $("scenario").value = start;
  const pick = () => {
    const s = state.scenarios[$("scenario").value];
    $("scenario-description").textContent = s.description;
    setLevers(s.levers);
  };
  pick();
  $("scenario").addEventListener("change", () => { pick(); schedule(); });
  for (const id of LEVERS) {
    $(id).addEventListener("input", () => { state.touched.add(id); showOutputs(); });
    $(id).addEventListener("change", () => { state.touched.add(id); schedule(); });
  }
  $("draws").addEventListener("change", schedule);
  $("reset").addEventListener("click", () => { pick(); schedule(); });
  run();
}

document.addEventListener("DOMContentLoaded", init);
