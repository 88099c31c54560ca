// alliance report: page-level scenario and ally selectors, the NATO map, the country
// card, offline downloads and a permalink. Everything is read from JSON embedded in the
// page; nothing is fetched.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const page = JSON.parse($("page-json").textContent);
  const csv = JSON.parse($("csv-json").textContent);
  const cards = page.cards;
  const SWITCHED = ["fig-spending-paths", "fig-gaps", "fig-deliveries", "fig-capacity"];
  const state = { scenario: page.scenarios[0], ally: "", map: "pledge" };
  const original = {};  // per figure: the annotations that are not per-scenario, trace lines
  const SVGNS = "http://www.w3.org/2000/svg";

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c === null || c === undefined ? "" : c);
    return e;
  }

  function fmt(v, digits) {
    if (v === null || v === undefined || Number.isNaN(v)) return "–";
    return Number(v).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  function sourceLink(index) {
    if (index === null || index === undefined) return "alliance model (scenario's spending path)";
    const url = cards.sources[index];
    if (!/^https?:/.test(url)) return url;
    const host = url.split("/")[2].replace(/^www\./, "");
    return el("a", { href: url, rel: "noreferrer" }, host);
  }

  // ---- URL state -------------------------------------------------------------------
  function readUrl() {
    const q = new URLSearchParams(location.search);
    if (page.scenarios.includes(q.get("scenario"))) state.scenario = q.get("scenario");
    if (q.get("ally") && cards.allies[q.get("ally")]) state.ally = q.get("ally");
    if (q.get("map") === "exposure") state.map = "exposure";
  }

  function writeUrl() {
    const q = new URLSearchParams();
    if (state.scenario !== page.scenarios[0]) q.set("scenario", state.scenario);
    if (state.ally) q.set("ally", state.ally);
    if (state.map !== "pledge") q.set("map", state.map);
    const search = q.toString() ? "?" + q.toString() : "";
    const url = location.pathname + search + location.hash;
    try { history.replaceState(null, "", url); } catch (e) { /* file: URLs in some browsers */ }
    $("permalink").href = search || "?";
  }

  // ---- charts ----------------------------------------------------------------------
  function figures() { return Array.from(document.querySelectorAll(".plotly-graph-div")); }

  function remember(gd) {
    const notes = (gd.layout.meta && gd.layout.meta.annotations) || {};
    const first = notes[page.scenarios[0]] || [];
    const all = gd.layout.annotations || [];
    original[gd.id] = {
      annotations: all.slice(0, all.length - first.length),
      lines: gd.data.map((t) => Object.assign({}, t.line || {})),
    };
  }

  function applyScenario() {
    for (const gd of figures()) {
      if (!SWITCHED.includes(gd.id) || !gd.data) continue;
      const visible = gd.data.map((t) => !t.meta || !t.meta.scenario || t.meta.scenario === state.scenario);
      const notes = ((gd.layout.meta && gd.layout.meta.annotations) || {})[state.scenario] || [];
      Plotly.restyle(gd, { visible: visible });
      Plotly.relayout(gd, { annotations: original[gd.id].annotations.concat(notes) });
    }
    for (const div of document.querySelectorAll(".gap-heat[data-scenario]")) {
      div.hidden = div.dataset.scenario !== state.scenario;
    }
    for (const tr of document.querySelectorAll("tr[data-scenario]")) {
      tr.classList.toggle("selected", tr.dataset.scenario === state.scenario);
    }
  }

  function applyAlly() {
    const gd = $("fig-spending-paths");
    if (gd && gd.data) {
      const widths = [], colors = [], order = [];
      gd.data.forEach((t, i) => {
        const base = original[gd.id].lines[i];
        const isAlly = t.meta && t.meta.role === "ally";
        if (!isAlly || !state.ally) { widths.push(base.width); colors.push(base.color); return; }
        const hit = t.meta.iso3 === state.ally;
        widths.push(hit ? 3.5 : base.width);
        colors.push(hit ? "#b5472b" : "rgba(31,59,92,0.18)");
        if (hit) order.push(i);
      });
      Plotly.restyle(gd, { "line.width": widths, "line.color": colors });
    }
    for (const tr of document.querySelectorAll("tr[data-iso3]")) {
      tr.classList.toggle("selected", tr.dataset.iso3 === state.ally);
    }
    for (const p of document.querySelectorAll("#nato-map path[data-iso3]")) {
      p.classList.toggle("selected", p.dataset.iso3 === state.ally);
    }
    renderCard();
  }

  // ---- map -------------------------------------------------------------------------
  const PLEDGE_COLOURS = [["met by 2025", "#4d7c4a"], ["by 2030", "#a9c98f"], ["after 2030", "#e8c36b"],
    ["not by horizon", "#c8673f"], ["no armed forces", "#bbbbbb"]];
  const EXPOSURE_COLOURS = [["< 20 %", "#e9eef3"], ["20–50 %", "#a8bfd6"], ["50–80 %", "#5f86ad"],
    ["≥ 80 %", "#1f3b5c"], ["no data", "#bbbbbb"]];

  function mapClass(iso3) {
    const s = (page.map.status[state.scenario] || {})[iso3];
    if (!s) return null;
    if (state.map === "exposure") {
      const x = s.us_made_share_pct;
      if (x === null || x === undefined) return 4;
      return x < 20 ? 0 : x < 50 ? 1 : x < 80 ? 2 : 3;
    }
    if (!s.has_armed_forces) return 4;
    const y = s.core_year;
    if (y === null || y === undefined) return 3;
    return y <= 2025 ? 0 : y <= 2030 ? 1 : 2;
  }

  function drawMap() {
    const g = page.map.geometry;
    const svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("viewBox", `0 0 ${g.width} ${g.height}`);
    const clip = document.createElementNS(SVGNS, "clipPath");
    clip.id = "inset-clip";
    const inset = g.panels[0];
    const r = document.createElementNS(SVGNS, "rect");
    for (const [k, v] of Object.entries({ x: inset.x, y: inset.y, width: inset.width, height: inset.height })) r.setAttribute(k, v);
    clip.append(r);
    svg.append(clip);
    const add = (panel, parent) => {
      for (const [iso3, c] of Object.entries(g.countries)) {
        if (c.panel !== panel) continue;
        const p = document.createElementNS(SVGNS, "path");
        p.setAttribute("d", c.d);
        if (cards.allies[iso3]) {
          p.dataset.iso3 = iso3;
          const t = document.createElementNS(SVGNS, "title");
          t.textContent = cards.allies[iso3].name;
          p.append(t);
          p.addEventListener("click", () => select({ ally: iso3 }));
        } else {
          p.setAttribute("class", "context");
        }
        parent.append(p);
      }
    };
    add("main", svg);
    const frame = r.cloneNode();
    frame.setAttribute("class", "inset-frame");
    svg.append(frame);
    const group = document.createElementNS(SVGNS, "g");
    group.setAttribute("clip-path", "url(#inset-clip)");
    add("inset", group);
    svg.append(group);
    $("nato-map").replaceChildren(svg);
  }

  function colourMap() {
    const colours = state.map === "exposure" ? EXPOSURE_COLOURS : PLEDGE_COLOURS;
    for (const p of document.querySelectorAll("#nato-map path[data-iso3]")) {
      const k = mapClass(p.dataset.iso3);
      p.style.fill = k === null ? "#dddddd" : colours[k][1];
    }
    $("map-legend").replaceChildren(...colours.map(([label, c]) =>
      el("span", {}, el("i", { style: `background:${c}` }), label)));
    for (const r of document.querySelectorAll("input[name=map-mode]")) r.checked = r.value === state.map;
  }

  // ---- country card ----------------------------------------------------------------
  function unpack(kind, rows) {
    const cols = cards.columns[kind];
    return rows.map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i]])));
  }

  function table(headers, rows) {
    return el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", {}, h)))),
      el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c) => el("td", {}, c)))))));
  }

  function projected(p) {
    const [first, shares, musd] = p;
    return shares.map((v, i) => [first + i, v, musd[i], "projection", null]);
  }

  function renderCard() {
    const card = $("ally-card");
    const c = cards.allies[state.ally];
    if (!c) { card.hidden = true; card.replaceChildren(); return; }
    const s = c.scenarios[state.scenario];
    const parts = [el("h3", {}, `${c.name} `, el("span", { class: "iso" }, state.ally)),
      el("p", { class: "facts" }, `NATO member since ${c.accession_year}` +
        (c.eu_member ? " · EU member" : "") + (c.borders_russia_belarus ? " · borders Russia or Belarus" : "") +
        ` · scenario ${state.scenario}`)];
    const p = s.pledges || {};
    const y = (v) => (v === null || v === undefined ? "not by horizon" : String(v));
    parts.push(el("p", {}, el("strong", {}, "Pledge years (projection): "),
      `2 % ${y(p.two_pct_met_year)}; 3.5 % core ${y(p.core_pledge_met_year)}; 5 % total ${y(p.total_pledge_met_year)}.`));
    parts.push(el("h4", {}, "Defence spending by year"));
    parts.push(table(["year", "% of GDP", "USD m (current)", "status", "source"],
      c.data_years.concat(projected(s.projection)).map(([year, share, musd, status, src]) =>
        [String(year), fmt(share, 2), fmt(musd, 0), el("span", { class: "st " + status }, status), sourceLink(src)])));
    const merge = (a, b) => a.map((r, i) => Object.assign({}, r, b[i] || {}));
    const alliance = cards.gaps[state.scenario] || {};
    const gapShare = unpack("gap_share", c.gap_share).map((r) => Object.assign({}, r,
      Object.fromEntries(cards.columns.gaps.map((k, i) => [k, (alliance[r.capability] || [])[i]]))));
    const exposure = merge(unpack("exposure", c.exposure), unpack("availability", s.availability));
    const holdings = unpack("holdings", c.holdings);
    if (gapShare.length) {
      parts.push(el("h4", {}, "Its part of the capability gaps"));
      parts.push(table(["capability", "holdings", "share of European holdings", "gap, alliance", "requirement"],
        gapShare.map((g) => [g.capability, fmt(g.holdings, 0), fmt(g.share_of_european_pct, 1) + " %",
          fmt(g.gap, 0) + (g.gap_low !== null && g.gap_high !== null && g.gap_low !== undefined ? ` (${fmt(g.gap_low, 0)}–${fmt(g.gap_high, 0)})` : ""),
          fmt(g.requirement, 0)])));
    }
    if (exposure.length) {
      parts.push(el("h4", {}, "Kill-switch exposure (US-made equipment)"));
      parts.push(table(["capability", "holdings", "US-made share", "US-made systems", "availability lost by horizon"],
        exposure.map((x) => [x.capability, fmt(x.holdings, 0), fmt(100 * (x.us_made_share || 0), 0) + " %",
          x.us_made_systems || "–", fmt(100 * (x.availability_loss_at_horizon || 0), 0) + " %"])));
    }
    if (holdings.length) {
      const details = el("details", {}, el("summary", {}, `Capability holdings as reported (${holdings.length} rows)`));
      details.append(table(["capability", "system", "quantity", "as of", "counted", "source"],
        holdings.map((h) => [h.capability, h.system || "–", fmt(h.quantity, 0) + " " + (h.unit || ""),
          h.as_of === null ? "–" : String(h.as_of), h.counted ? "yes" : "no", sourceLink(h.source)])));
      parts.push(details);
    }
    const u = c.ukraine || {};
    if (u.purl || u.support) {
      parts.push(el("h4", {}, "Ukraine support and PURL"));
      if (u.purl) {
        const j = u.purl.joined === null ? "not reported" : u.purl.joined ? "joined" : "declined";
        parts.push(el("p", {}, `PURL: ${j}; packages ${u.purl.packages ?? "–"}; USD m ${fmt(u.purl.amount_usd_m, 0)}` +
          (u.purl.other_amounts ? `; ${u.purl.other_amounts}` : "") + ` (grade ${u.purl.grade ?? "–"}) `, sourceLink(u.purl.source)));
      }
      if (u.support) {
        parts.push(table(["year", "military, EUR bn", "total, EUR bn"],
          u.support.map((r) => [String(r.year), fmt(r.military_eur_bn, 2), fmt(r.total_eur_bn, 2)])));
      }
    }
    parts.push(el("p", { class: "note" }, "Status: actual, estimate and provisional come from the data table's own status; " +
      "projection is the alliance model under the scenario's spending path. Sources are the original publications named in the bundled tables."));
    card.replaceChildren(...parts);
    card.hidden = false;
  }

  // ---- downloads -------------------------------------------------------------------
  function wireDownloads() {
    for (const a of document.querySelectorAll("a.download[data-csv]")) {
      const name = a.dataset.csv;
      if (!(name in csv)) { a.remove(); continue; }
      a.href = URL.createObjectURL(new Blob([csv[name]], { type: "text/csv" }));
      a.download = name + ".csv";
    }
    for (const a of document.querySelectorAll("a.download[data-json]")) {
      a.href = URL.createObjectURL(new Blob([$("summary-json").textContent], { type: "application/json" }));
      a.download = "summary.json";
    }
  }

  // ---- wiring ----------------------------------------------------------------------
  function select(change) {
    Object.assign(state, change);
    $("scenario-select").value = state.scenario;
    $("ally-select").value = state.ally;
    if ("scenario" in change) { applyScenario(); colourMap(); }
    if ("map" in change) colourMap();
    applyAlly();
    writeUrl();
  }

  async function loadPlotly() {
    // plotly.js (basic bundle, MIT) is inlined gzip-compressed and base64-encoded
    const b64 = $("plotly-gz").textContent.trim();
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    const code = await new Response(stream).text();
    const script = document.createElement("script");
    script.textContent = code;
    document.head.append(script);
  }

  async function drawFigures() {
    const config = JSON.parse($("plot-config").textContent);
    const jobs = [];
    for (const spec of document.querySelectorAll("script.fig-spec")) {
      const fig = JSON.parse(spec.textContent);
      jobs.push(Plotly.newPlot(spec.dataset.target, fig.data, fig.layout, config));
    }
    await Promise.all(jobs);
  }

  async function init() {
    await loadPlotly();
    await drawFigures();
    readUrl();
    for (const gd of figures()) if (gd.data) remember(gd);
    drawMap();
    wireDownloads();
    $("scenario-select").addEventListener("change", (e) => select({ scenario: e.target.value }));
    $("ally-select").addEventListener("change", (e) => select({ ally: e.target.value }));
    for (const r of document.querySelectorAll("input[name=map-mode]")) {
      r.addEventListener("change", (e) => select({ map: e.target.value }));
    }
    $("permalink").addEventListener("click", (e) => {
      e.preventDefault();
      writeUrl();
      if (navigator.clipboard) navigator.clipboard.writeText(location.href).catch(() => {});
    });
    select({ scenario: state.scenario, ally: state.ally, map: state.map });
    document.body.dataset.ready = "1";
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
